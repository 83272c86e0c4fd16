"""Tests of the lesson 04 apps in :mod:`crmsim.widgets.credit` (headless)."""

from __future__ import annotations

import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.scenario import Scenario
from crmsim.terms import SIX_C, label
from crmsim.widgets.credit import (
    classroom_scenario,
    credit_explorer,
    credit_policy_compute,
    credit_policy_explorer,
)

# Three customers worked by hand (scores in SIX_C order:
# character, capacity, capital, collateral, condition, continuity)
#   x: 5 5 5 1 1 1 -> equal weights 3.0 (B); character only 5 (A); collateral only 1 (D)
#   y: 4 4 4 4 4 4 -> 4.0 (A) whatever the weights
#   z: 1 2 2 2 2 3 -> 2.0 (C); character only 1 (D)
THREE = pd.DataFrame(
    [["x", 5, 5, 5, 1, 1, 1], ["y", 4, 4, 4, 4, 4, 4], ["z", 1, 2, 2, 2, 2, 3]],
    columns=["customer_id", *SIX_C],
)


def only(app, c: str) -> None:
    for other in SIX_C:
        if other != c:
            app.controls[other].value = 0
    app.controls[c].value = 1


def test_equal_weights_give_the_hand_worked_grades():
    app = credit_explorer(THREE)
    assert app.result.scored["score"].tolist() == [3.0, 4.0, 2.0]
    assert app.result.scored["grade"].tolist() == ["B", "A", "C"]
    assert app.result.grades["count"].tolist() == [1, 1, 1, 0]
    assert app.result.regraded == 0


def test_weights_move_customers_between_grades():
    app = credit_explorer(THREE)
    only(app, "character")
    assert app.result.scored["grade"].tolist() == ["A", "A", "D"]
    assert app.result.regraded == 2
    assert app.result.grades["change"].tolist() == [1, -1, -1, 1]
    assert app.result.weights["character"] == 1.0
    only(app, "collateral")
    assert app.result.scored["grade"].tolist() == ["D", "A", "C"]


def test_double_weight_on_character_hand_computed():
    app = credit_explorer(THREE)
    app.controls["character"].value = 2
    # x: (2*5 + 5 + 5 + 1 + 1 + 1) / 7 = 23/7 = 3.2857
    assert app.result.scored["score"].iloc[0] == pytest.approx(23 / 7)
    assert app.result.scored["grade"].iloc[0] == "B"


def test_customer_dropdown_picks_the_radar_customer():
    app = credit_explorer(THREE)
    app.controls["customer"].value = "z"
    assert app.result.customer["customer_id"] == "z"
    assert app.result.customer["grade"] == "C"


def test_all_zero_weights_show_a_message():
    app = credit_explorer(THREE)
    for c in SIX_C:
        app.controls[c].value = 0
    assert app.error is not None
    assert "weights" in app.message.value
    app.controls["capital"].value = 3
    assert app.error is None


def test_labels_in_chinese():
    app = credit_explorer(THREE, lang="zh")
    assert app.controls["character"].description == "品德"
    assert app.controls["customer"].description == label("credit_app.customer", "zh")


def test_classroom_scenario_matches_the_file():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scenarios" / "classroom.toml"
    assert classroom_scenario() == Scenario.from_toml(path)


SMALL = Scenario.synthetic(60, 3, months=6)


def test_policy_compute_decline_declines_and_accept_is_the_baseline():
    cache: dict = {}
    accept = credit_policy_compute("accept", scenario=SMALL, replications=2, seed=3, cache=cache)
    assert (accept.summary["difference"] == 0).all()
    assert accept.summary.loc["declined", "mean"] == 0
    decline = credit_policy_compute("decline", scenario=SMALL, replications=2, seed=3, cache=cache)
    assert decline.summary.loc["declined", "mean"] >= 0
    assert set(cache) == {("accept", None), ("decline", None)}
    runs = decline.runs
    assert list(runs.columns) == ["replication", "revenue", "bad_debt", "new_customers",
                                  "declined"]
    assert (runs["bad_debt"] >= 0).all() and (runs["revenue"] > runs["bad_debt"]).all()


def test_policy_app_caches_and_reports_bad_values():
    app = credit_policy_explorer(SMALL, replications=2, seed=3)
    assert app.result.policy == "cash_only" and app.error is None
    app.controls["policy"].value = "decline"
    assert app.result.policy == "decline"
    n = len(app.cache)
    app.controls["policy"].value = "cash_only"
    assert len(app.cache) == n  # already simulated: served from the cache
    with pytest.raises(ParameterError, match="replications"):
        credit_policy_explorer(SMALL, replications=1)
    with pytest.raises(ParameterError, match="policy"):
        credit_policy_compute("sometimes", scenario=SMALL)
