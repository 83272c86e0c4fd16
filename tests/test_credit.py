"""Tests for crmsim.methods.credit: 6C scores, grades, credit policies."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.credit import (
    DEFAULT_POLICIES,
    CreditPolicy,
    character_from_repayment,
    credit_grade,
    credit_policy,
    credit_score,
    grade_summary,
)
from crmsim.terms import GRADES, SIX_C


def six_c(rows: dict[str, tuple[int, ...]], **extra) -> pd.DataFrame:
    """A 6C table from {customer_id: (character, capacity, capital, collateral, condition,
    continuity)}."""
    frame = pd.DataFrame(
        [(cid, *scores) for cid, scores in rows.items()], columns=["customer_id", *SIX_C]
    )
    for name, values in extra.items():
        frame[name] = values
    return frame


# ---------------------------------------------------------------------------- hand-worked


def test_equal_weights_mean_exactly_on_the_a_cutoff_is_grade_a():
    # (5 + 4 + 3 + 4 + 5 + 3) / 6 = 24 / 6 = 4.0, and the rule is "A when score >= 4.0"
    table = credit_score(six_c({"C1": (5, 4, 3, 4, 5, 3)}))
    assert table.loc[0, "score"] == 4.0
    assert table.loc[0, "grade"] == "A"


def test_output_columns_and_order_follow_the_input():
    data = six_c({"C2": (3, 3, 3, 3, 3, 3), "C1": (1, 1, 1, 1, 1, 1)})
    table = credit_score(data)
    assert list(table.columns) == [
        "customer_id", *SIX_C, "score", "grade", "credit_limit_months", "credit_limit",
        "payment_terms_days", "cash_only", "deposit_share",
    ]
    assert table["customer_id"].tolist() == ["C2", "C1"]
    assert table["grade"].tolist() == ["B", "D"]  # 3.0 -> B (>= 3.0), 1.0 -> D


def test_heavier_character_weight_pulls_a_poor_payer_down_a_grade():
    data = six_c({"C1": (1, 4, 4, 4, 4, 3)})
    # equal weights: (1 + 4 + 4 + 4 + 4 + 3) / 6 = 20 / 6 = 3.33 -> B
    assert credit_score(data).loc[0, "grade"] == "B"
    # character doubled: (2*1 + 4 + 4 + 4 + 4 + 3) / 7 = 21 / 7 = 3.0 -> still B (boundary)
    doubled = {c: 1.0 for c in SIX_C} | {"character": 2.0}
    table = credit_score(data, weights=doubled)
    assert table.loc[0, "score"] == pytest.approx(3.0)
    assert table.loc[0, "grade"] == "B"
    # character x4: (4*1 + 19) / 9 = 23 / 9 = 2.56 -> C
    quadrupled = {c: 1.0 for c in SIX_C} | {"character": 4.0}
    table = credit_score(data, weights=quadrupled)
    assert table.loc[0, "score"] == pytest.approx(23 / 9)
    assert table.loc[0, "grade"] == "C"


def test_zero_continuity_weight_gives_the_international_five_cs():
    data = six_c({"C1": (4, 4, 4, 4, 4, 1)})
    # 6C: (4*5 + 1) / 6 = 21 / 6 = 3.5 -> B; 5C: 20 / 5 = 4.0 -> A
    assert credit_score(data).loc[0, "grade"] == "B"
    five_c = {c: 1.0 for c in SIX_C} | {"continuity": 0.0}
    assert credit_score(data, weights=five_c).loc[0, "score"] == 4.0
    assert credit_score(data, weights=five_c).loc[0, "grade"] == "A"


def test_weights_are_normalised_so_their_scale_does_not_matter():
    data = six_c({"C1": (5, 1, 2, 4, 3, 2)})
    small = dict(zip(SIX_C, [1, 2, 3, 1, 2, 3], strict=True))
    large = {c: 10 * w for c, w in small.items()}
    # (5*1 + 1*2 + 2*3 + 4*1 + 3*2 + 2*3) / 12 = 29 / 12
    assert credit_score(data, weights=small).loc[0, "score"] == pytest.approx(29 / 12)
    assert credit_score(data, weights=large).loc[0, "score"] == pytest.approx(29 / 12)
    as_series = pd.Series(small)
    assert credit_score(data, weights=as_series).loc[0, "score"] == pytest.approx(29 / 12)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(5.0, "A"), (4.0, "A"), (3.9999, "B"), (3.0, "B"), (2.9999, "C"), (2.0, "C"),
     (1.9999, "D"), (1.0, "D")],
)
def test_grade_boundaries_belong_to_the_better_grade(score, grade):
    assert credit_grade(score) == grade


def test_custom_cutoffs():
    # A >= 4.5, B >= 3.5, C >= 2.5: 4.0 is now only a B
    grades = credit_grade(pd.Series([4.5, 4.0, 3.0, 2.4]), cutoffs=(4.5, 3.5, 2.5))
    assert grades.tolist() == ["A", "B", "C", "D"]


def test_credit_grade_keeps_the_series_index():
    grades = credit_grade(pd.Series([4.2, 1.5], index=["x", "y"]))
    assert grades.to_dict() == {"x": "A", "y": "D"}


def test_character_from_repayment_default_mapping():
    days = [0, 0.5, 15, 15.01, 30, 31, 60, 60.5, 365]
    # on time -> 5; (0, 15] -> 4; (15, 30] -> 3; (30, 60] -> 2; > 60 -> 1
    assert character_from_repayment(days).tolist() == [5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_character_from_repayment_custom_thresholds_and_index():
    days = pd.Series([0.0, 10.0, 40.0], index=["C1", "C2", "C3"])
    # thresholds (0, 7, 14, 28): 10 days is in (7, 14] -> 3; 40 > 28 -> 1
    scores = character_from_repayment(days, thresholds=(0, 7, 14, 28))
    assert scores.to_dict() == {"C1": 5, "C2": 3, "C3": 1}


def test_derive_character_overrides_the_given_character():
    data = six_c({"C1": (5, 3, 3, 3, 3, 3)}, avg_days_late=[45.0])
    table = credit_score(data, derive_character=True)
    # 45 days late -> character 2; score (2 + 3*5) / 6 = 17 / 6 = 2.83 -> C
    assert table.loc[0, "character"] == 2
    assert table.loc[0, "score"] == pytest.approx(17 / 6)
    assert table.loc[0, "grade"] == "C"


def test_derive_character_works_without_a_character_column():
    data = six_c({"C1": (1, 4, 4, 4, 4, 4)}, avg_days_late=[0.0]).drop(columns="character")
    table = credit_score(data, derive_character=True)
    # on time -> 5; (5 + 4*5) / 6 = 25 / 6 = 4.17 -> A
    assert table.loc[0, "character"] == 5
    assert table.loc[0, "grade"] == "A"


def test_default_policies_with_monthly_sales_column():
    data = six_c(
        {"A1": (5, 5, 5, 5, 5, 5), "B1": (3, 3, 3, 3, 3, 3), "C1": (2, 2, 2, 2, 2, 2),
         "D1": (1, 1, 1, 1, 1, 1)},
        sales=[10_000.0, 10_000.0, 10_000.0, 10_000.0],
    )
    table = credit_score(data, monthly_sales="sales")
    # limits: A 3 x 10,000; B 1.5 x 10,000; C 0.5 x 10,000; D cash only -> 0
    assert table["credit_limit"].tolist() == [30_000.0, 15_000.0, 5_000.0, 0.0]
    assert table["payment_terms_days"].tolist() == [60, 30, 15, 0]
    assert table["cash_only"].tolist() == [False, False, False, True]
    assert table["deposit_share"].tolist() == [0.0, 0.0, 0.3, 0.0]
    assert "sales" not in table.columns


def test_policy_without_sales_leaves_limits_unknown_except_no_credit():
    table = credit_score(six_c({"A1": (5, 5, 5, 5, 5, 5), "D1": (1, 1, 1, 1, 1, 1)}))
    assert math.isnan(table.loc[0, "credit_limit"])
    assert table.loc[0, "credit_limit_months"] == 3.0
    assert table.loc[1, "credit_limit"] == 0.0


def test_policy_with_sales_series_by_id_and_absent_customer_gets_zero():
    graded = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "grade": ["A", "B", "C"]})
    sales = pd.Series({"C1": 2_000.0, "C2": 4_000.0})  # C3 never bought
    table = credit_policy(graded, monthly_sales=sales)
    # C1: 3 x 2,000; C2: 1.5 x 4,000; C3: 0.5 x 0
    assert table["credit_limit"].tolist() == [6_000.0, 6_000.0, 0.0]


def test_custom_policies_replace_the_defaults():
    graded = pd.DataFrame({"customer_id": ["C1", "C2"], "grade": ["A", "D"]})
    policies = dict(DEFAULT_POLICIES) | {
        "D": CreditPolicy(credit_limit_months=0.25, payment_terms_days=7, deposit_share=0.5)
    }
    table = credit_policy(graded, policies, monthly_sales=pd.Series({"C1": 100.0, "C2": 400.0}))
    # D now gets a quarter month of 400 = 100, 7-day terms, no cash-only rule
    assert table.loc[1, ["credit_limit", "payment_terms_days", "cash_only"]].tolist() == [
        100.0, 7, False
    ]


def test_grade_summary_lists_all_four_grades():
    summary = grade_summary(pd.DataFrame({"grade": ["A", "A", "D"]}))
    assert summary["grade"].tolist() == ["A", "B", "C", "D"]
    assert summary["count"].tolist() == [2, 0, 0, 1]
    # shares 2/3, 0, 0, 1/3
    assert summary["share"].tolist() == pytest.approx([2 / 3, 0, 0, 1 / 3])


def test_grade_summary_of_an_empty_table_has_zero_counts_and_nan_shares():
    summary = grade_summary(pd.DataFrame({"grade": pd.Series([], dtype="str")}))
    assert summary["count"].tolist() == [0, 0, 0, 0]
    assert summary["share"].isna().all()


def test_inputs_are_not_modified():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3)}, avg_days_late=[12.0], sales=[50.0])
    before = data.copy()
    credit_score(data, derive_character=True, monthly_sales="sales")
    pd.testing.assert_frame_equal(data, before)


# ---------------------------------------------------------------------------- properties

score_rows = st.lists(
    st.tuples(*[st.integers(1, 5) for _ in SIX_C]), min_size=1, max_size=20
)
weight_dicts = st.lists(
    st.floats(0, 10, allow_nan=False), min_size=6, max_size=6
).filter(lambda ws: sum(ws) > 1e-6).map(lambda ws: dict(zip(SIX_C, ws, strict=True)))


@given(rows=score_rows, weights=st.one_of(st.none(), weight_dicts))
def test_score_stays_on_the_one_to_five_scale(rows, weights):
    data = six_c({f"C{i}": r for i, r in enumerate(rows)})
    table = credit_score(data, weights=weights)
    assert table["score"].between(1, 5).all()
    assert set(table["grade"]) <= set(GRADES)


@given(rows=score_rows)
def test_equal_weight_score_is_the_row_mean(rows):
    data = six_c({f"C{i}": r for i, r in enumerate(rows)})
    expected = np.asarray(rows, dtype=float).mean(axis=1)
    np.testing.assert_allclose(credit_score(data)["score"].to_numpy(), expected)


@given(scores=st.lists(st.floats(1, 5, allow_nan=False), min_size=1, max_size=40))
def test_grade_is_monotone_in_score(scores):
    ordered = sorted(scores)
    ranks = [GRADES.index(g) for g in credit_grade(ordered)]  # 0 = A ... 3 = D
    assert all(a >= b for a, b in zip(ranks, ranks[1:], strict=False))


@given(grades=st.lists(st.sampled_from(GRADES), min_size=1, max_size=50))
def test_grade_shares_sum_to_one(grades):
    summary = grade_summary(pd.DataFrame({"grade": grades}))
    assert summary["count"].sum() == len(grades)
    assert summary["share"].sum() == pytest.approx(1.0)


@given(days=st.lists(st.floats(0, 400, allow_nan=False), min_size=1, max_size=30))
def test_character_never_improves_with_more_days_late(days):
    ordered = sorted(days)
    scores = character_from_repayment(ordered).tolist()
    assert all(a >= b for a, b in zip(scores, scores[1:], strict=False))
    assert set(scores) <= {1, 2, 3, 4, 5}


# ---------------------------------------------------------------------------- bad input


def test_score_above_five_names_column_row_and_id():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3), "C2": (5, 4, 6, 4, 5, 3)})
    with pytest.raises(DataError, match=r"'capital'.*row 2.*C2"):
        credit_score(data)


def test_non_whole_score_is_rejected():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3)}).astype({"collateral": "float64"})
    data.loc[0, "collateral"] = 3.5
    with pytest.raises(DataError, match=r"'collateral'.*whole numbers"):
        credit_score(data)


def test_missing_score_is_rejected():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3)}).astype({"condition": "float64"})
    data.loc[0, "condition"] = np.nan
    with pytest.raises(DataError, match=r"'condition'.*missing"):
        credit_score(data)


def test_missing_column_is_named():
    with pytest.raises(DataError, match="'continuity'"):
        credit_score(six_c({"C1": (5, 4, 3, 4, 5, 3)}).drop(columns="continuity"))


def test_duplicate_ids_are_rejected():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3)})
    data = pd.concat([data, data], ignore_index=True)
    with pytest.raises(DataError, match="'customer_id'.*unique"):
        credit_score(data)


@pytest.mark.parametrize(
    "weights",
    [
        {c: 1.0 for c in SIX_C} | {"honesty": 1.0},  # unknown key
        {"character": 1.0},  # the other five missing
        {c: 1.0 for c in SIX_C} | {"capital": -1.0},  # negative
        {c: 0.0 for c in SIX_C},  # all zero
        [1, 1, 1, 1, 1, 1],  # not a dict
    ],
)
def test_bad_weights_are_named(weights):
    with pytest.raises(ParameterError, match="weights"):
        credit_score(six_c({"C1": (5, 4, 3, 4, 5, 3)}), weights=weights)


@pytest.mark.parametrize("cutoffs", [(3.0, 4.0, 2.0), (4.0, 4.0, 2.0), (6.0, 3.0, 2.0),
                                     (4.0, 3.0), (4.0, 3.0, 0.5), "A"])
def test_bad_cutoffs_are_named(cutoffs):
    with pytest.raises(ParameterError, match="cutoffs"):
        credit_grade(3.0, cutoffs=cutoffs)


def test_score_outside_the_scale_cannot_be_graded():
    with pytest.raises(DataError, match="'score'"):
        credit_grade([4.0, 0.5])


@pytest.mark.parametrize("days", [[3.0, -1.0], [3.0, np.nan], ["late"]])
def test_bad_days_late_are_named(days):
    with pytest.raises(DataError, match="avg_days_late"):
        character_from_repayment(days)


def test_bad_days_late_inside_credit_score_name_the_customer():
    data = six_c({"C1": (5, 4, 3, 4, 5, 3), "C2": (5, 4, 3, 4, 5, 3)}, avg_days_late=[1.0, -3.0])
    with pytest.raises(DataError, match=r"'avg_days_late'.*row 2.*C2"):
        credit_score(data, derive_character=True)


@pytest.mark.parametrize("thresholds", [(0, 15, 30), (0, 30, 15, 60), (-1, 15, 30, 60)])
def test_bad_thresholds_are_named(thresholds):
    with pytest.raises(ParameterError, match="thresholds"):
        character_from_repayment([1.0], thresholds=thresholds)


def test_unknown_grade_in_policy_table():
    with pytest.raises(DataError, match=r"'grade'.*'E'.*row 2"):
        credit_policy(pd.DataFrame({"customer_id": ["C1", "C2"], "grade": ["A", "E"]}))


def test_policies_must_cover_every_grade_present():
    graded = pd.DataFrame({"customer_id": ["C1"], "grade": ["B"]})
    with pytest.raises(ParameterError, match=r"'policies'.*\['B'\]"):
        credit_policy(graded, {"A": DEFAULT_POLICIES["A"]})


def test_monthly_sales_that_match_no_customer_are_rejected():
    graded = pd.DataFrame({"customer_id": ["C1"], "grade": ["A"]})
    with pytest.raises(ParameterError, match="monthly_sales"):
        credit_policy(graded, monthly_sales=pd.Series([100.0]))  # indexed 0, not by id


def test_negative_monthly_sales_are_rejected():
    graded = pd.DataFrame({"customer_id": ["C1"], "grade": ["A"], "sales": [-5.0]})
    with pytest.raises(DataError, match="'sales'.*>= 0"):
        credit_policy(graded, monthly_sales="sales")


def test_cash_only_policy_cannot_grant_credit():
    with pytest.raises(ParameterError, match="cash_only"):
        CreditPolicy(credit_limit_months=1.0, payment_terms_days=0, cash_only=True)


def test_policy_terms_must_be_whole_days():
    with pytest.raises(ParameterError, match="payment_terms_days"):
        CreditPolicy(credit_limit_months=1.0, payment_terms_days=7.5)
