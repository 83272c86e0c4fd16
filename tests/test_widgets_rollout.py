"""Headless tests of the lesson 10 app (crmsim.widgets.rollout)."""

from __future__ import annotations

import pytest

from crmsim.sim.scenario import Scenario
from crmsim.widgets.rollout import plan_table, rollout_planner


@pytest.fixture(scope="module")
def app():
    return rollout_planner(Scenario.synthetic(150, 5, months=6), replications=2, seed=5,
                           lang="en")


def test_plan_table_marks_filled_steps():
    t = plan_table({"step3": "map the quote process", "step6": ""}, "en")
    assert t["filled"].tolist() == [False, False, True, False, False, False]
    assert t.loc[2, "notes"] == "map the quote process"


def test_typing_updates_the_plan_without_simulating(app):
    simulated = app.study.simulated
    app.controls["step1"].value = "close rate +5 points"
    assert app.result["plan"].loc[0, "notes"] == "close rate +5 points"
    assert app.result["plan"]["filled"].sum() == 1
    assert app.study.simulated == simulated


def test_crm_costs_licences_and_grows_with_adoption(app):
    app.controls["phase1"].value = 0.5
    app.controls["phase2"].value = 1.0
    p1, p2 = app.result["phase1"], app.result["phase2"]
    assert p1.loc["crm_cost", "reference"] == 0.0
    assert 0 < p1.loc["crm_cost", "difference"] < p2.loc["crm_cost", "difference"]


def test_phase_one_above_full_rollout_gives_a_message(app):
    app.controls["phase2"].value = 1.0
    app.controls["phase1"].value = 0.5
    good = app.result
    app.controls["phase2"].value = 0.3
    assert "must not exceed" in app.message.value
    assert app.result is good
    app.controls["phase2"].value = 1.0
    assert app.error is None and app.message.value == ""


def test_labels_follow_the_language():
    app = rollout_planner(Scenario.synthetic(60, 2, months=2), replications=2, seed=1, lang="zh")
    assert app.controls["step1"].description == "1 确定商业计划与目标"
    assert app.controls["phase1"].description == "第一阶段采用程度"
    assert app.result["plan"].loc[5, "step"] == "6 分阶段开发与部署"
