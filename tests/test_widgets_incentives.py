"""Headless tests of the lesson 09 app (crmsim.widgets.incentives)."""

from __future__ import annotations

import pytest

from crmsim.sim.scenario import Scenario
from crmsim.widgets.incentives import incentive_explorer, incentive_scenario


@pytest.fixture(scope="module")
def app():
    return incentive_explorer(Scenario.synthetic(150, 5, months=6), replications=2, seed=5,
                              lang="en")


def test_commission_ignores_the_share():
    base = Scenario.synthetic(150, 5, months=6)
    assert incentive_scenario(base, "commission", 0.4) == incentive_scenario(base, "commission", 0)


def test_commission_against_itself_is_zero(app):
    app.controls["scheme"].value = "commission"
    assert app.result["kpis"]["difference"].abs().max() == 0.0


def test_deferred_pay_moves_time_to_farming(app):
    app.controls["scheme"].value = "deferred"
    app.controls["deferred_share"].value = 0.5
    k = app.result["kpis"]
    # less hunting and no closing push: fewer new customers; more maintenance: higher satisfaction
    assert k.loc["new_customers", "difference"] < 0
    assert k.loc["mean_satisfaction", "difference"] > 0
    assert k.loc["pay", "difference"] != 0.0
    assert app.error is None


def test_share_zero_differs_from_share_half(app):
    app.controls["scheme"].value = "deferred"
    app.controls["deferred_share"].value = 0.0
    zero = app.result["kpis"].loc["new_customers", "scenario"]
    app.controls["deferred_share"].value = 0.5
    half = app.result["kpis"].loc["new_customers", "scenario"]
    assert half != zero
