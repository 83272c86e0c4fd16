"""Tests for crmsim.methods.pyramid: hand-worked examples, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.pyramid import (
    PROFITABILITY_STRATEGIES,
    PYRAMID_TIERS,
    STRATEGIES,
    TIER_LEVELS,
    TIER_NUMERALS,
    customer_pyramid,
    profitability_pyramid,
    pyramid_summary,
)
from crmsim.terms import TERMS


def table(current, potential, ids=None):
    ids = ids if ids is not None else [f"C{i:02d}" for i in range(len(current))]
    return pd.DataFrame(
        {"customer_id": ids, "current_value": current, "growth_potential": potential}
    )


# ----------------------------------------------------------------------- hand-worked examples


def test_constants():
    assert PYRAMID_TIERS == ("platinum", "gold", "iron", "lead")
    assert [TIER_NUMERALS[t] for t in PYRAMID_TIERS] == ["IV", "III", "II", "I"]
    assert set(STRATEGIES) == set(PROFITABILITY_STRATEGIES) == set(PYRAMID_TIERS)
    assert TIER_LEVELS["gold"] == ("high", "low")


def test_median_split_four_quadrants():
    # current 100 90 10 5 -> median 50: high high low low
    # potential 50 1 60 2 -> median 26: high low high low
    df = table([100, 90, 10, 5], [50, 1, 60, 2], ids=["a", "b", "c", "d"])
    out = customer_pyramid(df)
    assert out["current_level"].tolist() == ["high", "high", "low", "low"]
    assert out["potential_level"].tolist() == ["high", "low", "high", "low"]
    assert out["tier"].tolist() == ["platinum", "gold", "iron", "lead"]
    assert out["tier_label"].tolist() == ["IV Platinum", "III Gold", "II Iron", "I Lead"]
    assert out["strategy"].tolist() == [STRATEGIES[t] for t in out["tier"]]
    assert out.attrs["cuts"] == {"current": 50.0, "potential": 26.0}
    # a copy with the original columns first, same order
    assert list(out.columns[:3]) == ["customer_id", "current_value", "growth_potential"]


def test_median_tie_rule_value_equal_to_median_is_low():
    # current 1 2 3 4 5 -> median 3: 3 is NOT > 3 -> low; high only 4 and 5
    # potential all 0 -> median 0: everybody low
    out = customer_pyramid(table([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]))
    assert out["current_level"].tolist() == ["low", "low", "low", "high", "high"]
    assert out["tier"].tolist() == ["lead", "lead", "lead", "gold", "gold"]


def test_quantile_split():
    # current 1..10, 0.8 quantile (linear) = 1 + 0.8 * 9 = 8.2 -> 9 and 10 high
    # potential 10..1 with the same cut 8.2 -> 10 and 9 high (the first two)
    cur = list(range(1, 11))
    out = customer_pyramid(table(cur, cur[::-1]), split="quantile", quantile=0.8)
    assert out.attrs["cuts"]["current"] == pytest.approx(8.2)
    assert out["current_level"].tolist() == ["low"] * 8 + ["high"] * 2
    assert out["tier"].tolist() == ["iron", "iron"] + ["lead"] * 6 + ["gold", "gold"]


def test_threshold_split_equal_to_threshold_is_low():
    # thresholds 50 / 20: current 50 -> low (not > 50); potential 21 -> high
    df = table([50, 51, 10], [21, 20, 0])
    out = customer_pyramid(df, split="threshold", current_threshold=50, potential_threshold=20)
    assert out["tier"].tolist() == ["iron", "gold", "lead"]


def test_chinese_labels_from_the_translation_table():
    out = customer_pyramid(table([100, 90, 10, 5], [50, 1, 60, 2]), lang="zh")
    assert out["tier_label"].tolist() == [TERMS[t][1] for t in PYRAMID_TIERS]


def test_input_not_modified():
    df = table([100, 90, 10, 5], [50, 1, 60, 2])
    before = df.copy()
    customer_pyramid(df)
    profitability_pyramid(df, profit="current_value")
    assert df.equals(before)


def test_pyramid_summary_all_tiers_present():
    # thresholds: current > 50, potential > 20
    # (100, 30) platinum; (90, 1) and (80, 2) gold; (5, 0) lead -> iron empty
    df = table([100, 90, 80, 5], [30, 1, 2, 0])
    out = customer_pyramid(df, split="threshold", current_threshold=50, potential_threshold=20)
    assert out["tier"].tolist() == ["platinum", "gold", "gold", "lead"]
    summary = pyramid_summary(out)
    assert summary.index.tolist() == list(PYRAMID_TIERS)
    assert summary["label"].tolist() == ["IV Platinum", "III Gold", "II Iron", "I Lead"]
    assert summary["count"].tolist() == [1, 2, 0, 1]
    np.testing.assert_allclose(summary["share"], [0.25, 0.5, 0, 0.25])
    # value defaults to the current-value column: 100, 170, 0, 5 of 275
    np.testing.assert_allclose(summary["value"], [100, 170, 0, 5])
    np.testing.assert_allclose(summary["value_share"], np.array([100, 170, 0, 5]) / 275)


def test_pyramid_summary_without_value_column():
    plain = pd.DataFrame({"tier": ["gold", "lead", "gold"]})
    summary = pyramid_summary(plain)
    assert summary["count"].tolist() == [0, 2, 0, 1]
    assert "value" not in summary.columns


def test_profitability_pyramid_default_cuts_600_customers():
    # 600 customers: floor(.05*600)=30 platinum, 120-30=90 gold, 300-120=180 iron, 300 lead
    profit = np.arange(600, 0, -1, dtype=float)
    df = pd.DataFrame({"customer_id": [f"C{i:04d}" for i in range(600)], "gross_profit": profit})
    out = profitability_pyramid(df)
    counts = out["tier"].value_counts()
    assert [counts[t] for t in PYRAMID_TIERS] == [30, 90, 180, 300]
    assert out["rank"].tolist() == list(range(1, 601))
    assert out["strategy"].iloc[0] == PROFITABILITY_STRATEGIES["platinum"]
    assert list(out.columns) == [
        "customer_id", "gross_profit", "rank", "rank_share", "tier", "tier_label", "strategy"
    ]


def test_profitability_pyramid_small_example_with_losses_and_ties():
    # 10 customers, cuts (.1, .3, .6): rank 1 platinum, 2-3 gold, 4-6 iron, 7-10 lead
    # b and a tie at 80: id order puts a (rank 2) before b (rank 3)
    df = pd.DataFrame(
        {
            "customer_id": list("jbacdefghi"),
            "gross_profit": [90, 80, 80, 70, 60, 50, 40, 30, 20, -5],
        }
    )
    out = profitability_pyramid(df, cuts=(0.1, 0.3, 0.6))
    assert out["customer_id"].tolist()[:3] == ["j", "a", "b"]
    assert out["tier"].tolist() == ["platinum"] + ["gold"] * 2 + ["iron"] * 3 + ["lead"] * 4
    assert out["gross_profit"].iloc[-1] == -5  # loss-making customers allowed, at the base
    summary = pyramid_summary(out)
    # value defaults to the profit column: 90 | 80+80=160 | 70+60+50=180 | 40+30+20-5=85
    np.testing.assert_allclose(summary["value"], [90, 160, 180, 85])
    np.testing.assert_allclose(summary["value_share"], np.array([90, 160, 180, 85]) / 515)


def test_profitability_pyramid_aggregates_transactions():
    # a: 10 + 30 = 40, b: 25 -> a first
    tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "gross_profit": [10, 25, 30]})
    out = profitability_pyramid(tx, cuts=(0.5, 0.75, 0.9))
    assert out["customer_id"].tolist() == ["a", "b"]
    assert out["gross_profit"].tolist() == [40, 25]
    assert out["tier"].tolist() == ["platinum", "lead"]  # rank shares .5 and 1.0


def test_small_table_can_have_empty_platinum():
    # 10 customers, 5% of 10 = 0.5 -> no platinum
    df = pd.DataFrame({"customer_id": list("abcdefghij"), "gross_profit": range(10)})
    assert "platinum" not in set(profitability_pyramid(df)["tier"])


# ----------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
pairs = st.lists(st.tuples(finite, finite), min_size=1, max_size=40)
ORDER = {t: i for i, t in enumerate(PYRAMID_TIERS)}


@given(pairs, st.sampled_from(["median", "quantile"]), st.floats(0.05, 0.95))
def test_tiers_partition_and_match_levels(rows, split, q):
    df = table([r[0] for r in rows], [r[1] for r in rows])
    out = customer_pyramid(df, split=split, quantile=q)
    assert len(out) == len(rows)
    assert set(out["tier"]) <= set(PYRAMID_TIERS)
    assert pyramid_summary(out)["count"].sum() == len(rows)
    levels = list(zip(out["current_level"], out["potential_level"], strict=True))
    assert [TIER_LEVELS[t] for t in out["tier"]] == levels
    cuts = out.attrs["cuts"]
    assert ((out["current_value"] > cuts["current"]) == (out["current_level"] == "high")).all()


@given(pairs)
def test_median_split_high_is_at_most_half(rows):
    out = customer_pyramid(table([r[0] for r in rows], [r[1] for r in rows]))
    assert (out["current_level"] == "high").sum() <= len(rows) / 2
    assert (out["potential_level"] == "high").sum() <= len(rows) / 2


@given(st.lists(finite, min_size=1, max_size=60))
def test_profitability_tiers_monotone_and_sized(profits):
    df = pd.DataFrame({"customer_id": [f"C{i:03d}" for i in range(len(profits))],
                       "gross_profit": profits})
    out = profitability_pyramid(df)
    n = len(profits)
    order = out["tier"].map(ORDER).to_numpy()
    assert np.all(np.diff(order) >= 0)  # higher profit never in a lower tier
    counts = pyramid_summary(out)["count"].to_numpy()
    expected_cum = [int(np.floor(c * n + 1e-9)) for c in (0.05, 0.20, 0.50)] + [n]
    assert counts.cumsum().tolist() == expected_cum


# ----------------------------------------------------------------------- bad input


def test_missing_and_non_numeric_columns():
    with pytest.raises(DataError, match="'growth_potential'"):
        customer_pyramid(pd.DataFrame({"customer_id": ["a"], "current_value": [1.0]}))
    bad = table([1.0, 2.0], ["x", "y"])
    with pytest.raises(DataError, match="'growth_potential'.*numeric"):
        customer_pyramid(bad)
    with pytest.raises(DataError, match="'current_value'.*missing"):
        customer_pyramid(table([1.0, np.nan], [1.0, 2.0]))


def test_duplicate_ids():
    with pytest.raises(DataError, match="'customer_id'.*'a'"):
        customer_pyramid(table([1, 2], [1, 2], ids=["a", "a"]))
    tx = pd.DataFrame({"customer_id": ["a", "a"], "gross_profit": [1.0, 2.0]})
    with pytest.raises(DataError, match="'customer_id'.*'a'"):
        profitability_pyramid(tx, aggregate=False)


def test_empty_table():
    with pytest.raises(DataError, match="no customers"):
        customer_pyramid(table([], []))
    with pytest.raises(DataError, match="no customers"):
        profitability_pyramid(pd.DataFrame({"customer_id": [], "gross_profit": []}))


def test_threshold_split_needs_both_thresholds():
    df = table([1, 2], [1, 2])
    with pytest.raises(ParameterError, match="'potential_threshold'"):
        customer_pyramid(df, split="threshold", current_threshold=1)
    with pytest.raises(ParameterError, match="'current_threshold'"):
        customer_pyramid(df, split="threshold", potential_threshold=1)
    with pytest.raises(ParameterError, match="'current_threshold'"):
        customer_pyramid(df, split="median", current_threshold=1)


def test_bad_split_and_quantile():
    df = table([1, 2], [1, 2])
    with pytest.raises(ParameterError, match="'split'"):
        customer_pyramid(df, split="mean")
    for q in (0.0, 1.0, 1.5, "half"):
        with pytest.raises(ParameterError, match="'quantile'"):
            customer_pyramid(df, split="quantile", quantile=q)


@pytest.mark.parametrize("cuts", [(0.2, 0.1, 0.5), (0.05, 0.2), (0, 0.2, 0.5), (0.1, 0.2, 1.5)])
def test_bad_profitability_cuts(cuts):
    df = pd.DataFrame({"customer_id": ["a"], "gross_profit": [1.0]})
    with pytest.raises(ParameterError, match="'cuts'"):
        profitability_pyramid(df, cuts=cuts)


def test_summary_bad_input():
    with pytest.raises(DataError, match="'tier'"):
        pyramid_summary(pd.DataFrame({"x": [1]}))
    with pytest.raises(DataError, match="'tier'"):
        pyramid_summary(pd.DataFrame({"tier": ["diamond"]}))
    with pytest.raises(DataError, match="'sales'"):
        pyramid_summary(pd.DataFrame({"tier": ["gold"]}), value="sales")
