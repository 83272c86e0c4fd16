"""Tests of the lesson 03 app :func:`crmsim.widgets.pyramid.pyramid_explorer` (headless)."""

from __future__ import annotations

import pandas as pd
import pytest

import crmsim
from crmsim import datasets
from crmsim.errors import DataError
from crmsim.terms import label
from crmsim.widgets.pyramid import pyramid_compute, pyramid_explorer

# Six customers worked by hand. Medians: current (10, 20, 30, 40, 50, 60) -> 35,
# potential (5, 80, 70, 1, 60, 2) -> 32.5. Under the median split:
#   a 60/5   high/low  gold      b 50/80  high/high platinum   c 40/70 high/high platinum
#   d 30/1   low/low   lead      e 20/60  low/high  iron       f 10/2  low/low   lead
SIX = pd.DataFrame(
    {
        "customer_id": list("abcdef"),
        "current_value": [60.0, 50.0, 40.0, 30.0, 20.0, 10.0],
        "growth_potential": [5.0, 80.0, 70.0, 1.0, 60.0, 2.0],
    }
)


def tiers(view) -> list[str]:
    return view.table["tier"].tolist()


def test_median_split_is_the_baseline_nobody_moves():
    app = pyramid_explorer(SIX)
    assert tiers(app.result) == ["gold", "platinum", "platinum", "lead", "iron", "lead"]
    assert app.result.moved.empty
    assert app.result.moves.to_numpy().trace() == 6
    assert app.result.cuts == {"current": 35.0, "potential": 32.5}


def test_threshold_split_moves_gold_to_platinum_and_back():
    app = pyramid_explorer(SIX)
    app.controls["split"].value = "threshold"
    # thresholds start at the medians: same tiers
    assert app.result.moved.empty and app.error is None
    # potential > 3 makes a (potential 5) high: gold -> platinum
    app.controls["potential_threshold"].value = 3.0
    assert tiers(app.result)[0] == "platinum"
    assert app.result.platinum_gold[["customer_id", "tier_median", "tier"]].values.tolist() == [
        ["a", "gold", "platinum"]
    ]
    # potential > 75 leaves only b high; c falls from platinum to gold, e from iron to lead
    app.controls["potential_threshold"].value = 75.0
    moved = app.result.moved[["customer_id", "tier_median", "tier"]].values.tolist()
    assert moved == [["c", "platinum", "gold"], ["e", "iron", "lead"]]
    assert app.result.moves.loc["platinum", "gold"] == 1
    assert app.result.moves.loc["iron", "lead"] == 1
    assert len(app.result.platinum_gold) == 1


def test_quantile_split_and_controls_enabled_by_rule():
    app = pyramid_explorer(SIX)
    assert app.controls["quantile"].disabled and app.controls["current_threshold"].disabled
    app.controls["split"].value = "quantile"
    assert not app.controls["quantile"].disabled and app.controls["current_threshold"].disabled
    app.controls["quantile"].value = 0.75
    # 0.75 quantiles: current 47.5 (a, b high), potential 67.5 (b, c high)
    assert tiers(app.result) == ["gold", "platinum", "iron", "lead", "lead", "lead"]
    assert app.result.summary["count"].tolist() == [1, 1, 1, 3]
    # the 0.5 quantile is the median: back to the baseline
    app.controls["quantile"].value = 0.5
    assert app.result.moved.empty


def test_moves_table_counts_every_customer_once():
    value = crmsim.customer_value(
        datasets.load_transactions(), as_of="2024-12-31", customers=datasets.load_customers()
    )
    app = pyramid_explorer(value)
    app.controls["split"].value = "quantile"
    app.controls["quantile"].value = 0.8
    view = app.result
    assert int(view.moves.to_numpy().sum()) == len(value)
    off_diagonal = int(view.moves.to_numpy().sum() - view.moves.to_numpy().trace())
    assert off_diagonal == len(view.moved) > 0
    # a higher cut can only move customers down: nobody enters platinum
    assert view.moves["platinum"].sum() == view.moves.loc["platinum", "platinum"]
    # the moved table is the tier change of each listed customer
    merged = view.moved.merge(view.table[["customer_id", "tier"]], on="customer_id")
    assert (merged["tier_x"] == merged["tier_y"]).all()


def test_bad_threshold_shows_a_message_not_a_traceback():
    app = pyramid_explorer(SIX)
    app.controls["split"].value = "threshold"
    before = tiers(app.result)
    app.controls["current_threshold"].value = float("nan")
    assert app.error is not None
    assert "current_threshold" in app.message.value
    assert tiers(app.result) == before  # previous result kept
    app.controls["current_threshold"].value = 35.0
    assert app.error is None and app.message.value == ""


def test_missing_column_is_a_clear_error():
    with pytest.raises(DataError, match="growth_potential"):
        pyramid_explorer(SIX.drop(columns="growth_potential"))


def test_labels_follow_the_language():
    app = pyramid_explorer(SIX, lang="zh")
    assert app.controls["split"].description == label("pyramid_app.split", "zh")
    assert dict(app.controls["split"].options)["中位数"] == "median"


def test_compute_matches_the_method():
    view = pyramid_compute(SIX, "quantile", quantile=0.75)
    direct = crmsim.customer_pyramid(SIX, split="quantile", quantile=0.75)
    assert tiers(view) == direct["tier"].tolist()
