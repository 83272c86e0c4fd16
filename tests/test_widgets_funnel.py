"""Headless tests of the lesson 06 app (crmsim.widgets.funnel)."""

from __future__ import annotations

import math

import pytest

from crmsim.sim.scenario import Scenario
from crmsim.widgets.funnel import closed_form_funnel, funnel_explorer, step_probabilities


@pytest.fixture(scope="module")
def app():
    # 12 months: conversion counts only arrival months whose leads have all ended
    small = Scenario.synthetic(200, 6, months=12)
    return funnel_explorer(small, replications=2, seed=7, lang="en")


def test_closed_form_hand_worked():
    table = closed_form_funnel({"a": 0.5, "b": 0.4, "c": 0.5})
    assert table["reach"].tolist() == pytest.approx([0.5, 0.2, 0.1])


def test_closed_form_rejects_bad_probability():
    with pytest.raises(ValueError, match="step 'b'"):
        closed_form_funnel({"a": 0.5, "b": 1.4})


def test_default_setting_has_zero_difference(app):
    kpis = app.result["kpis"]
    assert kpis["difference"].tolist() == [0.0, 0.0]
    default = step_probabilities(Scenario())
    assert app.result["closed_form"]["default"] == pytest.approx(math.prod(default.values()))


def test_better_presentation_raises_conversion(app):
    before = app.result["closed_form"]["chosen"]
    app.controls["presentation"].value = 0.9
    after = app.result["closed_form"]["chosen"]
    # closed form: only the presentation factor changes, 0.70 -> 0.90
    assert after / before == pytest.approx(0.9 / 0.7)
    assert app.result["changes"] == {"funnel.steps.presentation.pass_probability": 0.9}
    assert app.result["kpis"].loc["conversion", "difference"] > 0
    assert set(app.result["funnel"]["scenario"]) == {"funnel_app.default", "funnel_app.chosen"}
    assert app.error is None


def test_back_to_default_is_served_from_cache(app):
    app.controls["presentation"].value = 0.9
    simulated = app.study.simulated
    app.controls["presentation"].value = 0.7
    app.controls["presentation"].value = 0.9
    assert app.study.simulated == simulated
    app.controls["presentation"].value = 0.7
    assert app.result["kpis"]["difference"].abs().max() == 0.0
