"""Tests for crmsim.methods.abc: hand-worked examples, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.abc import abc_classify, abc_excluded, abc_summary


def frame(values, ids=None, column="amount"):
    ids = ids if ids is not None else [f"C{i:02d}" for i in range(len(values))]
    return pd.DataFrame({"customer_id": ids, column: values})


# ----------------------------------------------------------------------- hand-worked examples


def test_textbook_example_including_and_before_agree():
    # values 50, 30, 10, 6, 4 (total 100): shares .50 .30 .10 .06 .04
    # cum_share (including):      .50  .80  .90  .96  1.0 -> A A B C C  (.80 <= .80, .90 <= .90)
    # share before:               0    .50  .80  .90  .96 -> A A B C C  (.80 !< .80, .90 !< .90)
    df = frame([10, 50, 4, 30, 6], ids=["c", "a", "e", "b", "d"])
    inc = abc_classify(df)
    assert inc["customer_id"].tolist() == ["a", "b", "c", "d", "e"]
    assert inc["rank"].tolist() == [1, 2, 3, 4, 5]
    assert inc["value"].tolist() == [50, 30, 10, 6, 4]
    np.testing.assert_allclose(inc["share"], [0.5, 0.3, 0.1, 0.06, 0.04])
    np.testing.assert_allclose(inc["cum_share"], [0.5, 0.8, 0.9, 0.96, 1.0])
    assert inc["class"].tolist() == ["A", "A", "B", "C", "C"]
    assert abc_classify(df, boundary="before")["class"].tolist() == ["A", "A", "B", "C", "C"]


def test_crossing_customer_differs_between_rules():
    # values 50, 35, 10, 5: cum .50 .85 .95 1.0
    # including: .50<=.8 A; .85>.8 but <=.9 B; .95>.9 C; C          -> A B C C
    # before:    0<.8 A;  .50<.8 A;  .85>=.8 but <.9 B;  .95>=.9 C  -> A A B C
    df = frame([50, 35, 10, 5], ids=["a", "b", "c", "d"])
    assert abc_classify(df)["class"].tolist() == ["A", "B", "C", "C"]
    assert abc_classify(df, boundary="before")["class"].tolist() == ["A", "A", "B", "C"]


def test_including_can_leave_a_empty_but_before_never_does():
    # one customer holds 95%: cum .95 -> above .8 and .9 -> C with "including"
    df = frame([95, 5], ids=["a", "b"])
    assert abc_classify(df)["class"].tolist() == ["C", "C"]
    assert abc_classify(df, boundary="before")["class"].tolist() == ["A", "C"]


def test_exactly_on_the_line_is_not_flipped_by_float_error():
    # 0.28, 0.04, 0.03 (total 0.35): the first holds exactly 80%, but in floating point
    # 0.28 / 0.35 = 0.8000000000000002; the tolerance keeps it in A under "including".
    # Then .32/.35 = .914 > .9 -> C, 1.0 -> C.
    assert abc_classify(frame([0.28, 0.04, 0.03]))["class"].tolist() == ["A", "C", "C"]
    # 0.04, 0.01 (total 0.05): the share before the second is exactly 80%, computed as
    # 0.7999999999999999; the tolerance keeps it out of A under "before" (0.8 is not < 0.8,
    # but < 0.9 -> B).
    assert abc_classify(frame([0.04, 0.01]), boundary="before")["class"].tolist() == ["A", "B"]


def test_ties_broken_by_id_ascending():
    # four customers of 25: cum .25 .50 .75 1.0 -> A A A C; the C one is the largest id
    df = frame([25, 25, 25, 25], ids=["d", "b", "a", "c"])
    out = abc_classify(df)
    assert out["customer_id"].tolist() == ["a", "b", "c", "d"]
    assert out["class"].tolist() == ["A", "A", "A", "C"]


def test_transactions_are_aggregated_by_id():
    # a: 30 + 20 = 50, b: 35, c: 10, d: 5 -> the 50/35/10/5 example
    tx = frame([30, 35, 20, 10, 5], ids=["a", "b", "a", "c", "d"])
    out = abc_classify(tx)
    assert out["customer_id"].tolist() == ["a", "b", "c", "d"]
    assert out["value"].tolist() == [50, 35, 10, 5]
    assert out["class"].tolist() == ["A", "B", "C", "C"]
    assert abc_classify(tx, aggregate=True).equals(out)


def test_practice_cutoffs_80_15_5():
    # 50 30 10 6 4 with (0.80, 0.95): cum .5 .8 .9 .96 1 -> A A B C C
    df = frame([50, 30, 10, 6, 4])
    assert abc_classify(df, cutoffs=(0.80, 0.95))["class"].tolist() == ["A", "A", "B", "C", "C"]
    # (0.70, 0.95): .5 A; .8 B; .9 B; .96 C; 1 C
    assert abc_classify(df, cutoffs=(0.70, 0.95))["class"].tolist() == ["A", "B", "B", "C", "C"]


def test_other_value_and_id_columns():
    df = pd.DataFrame({"manager_id": ["m1", "m2"], "sales": [80.0, 20.0]})
    out = abc_classify(df, value="sales", id="manager_id")
    assert list(out.columns) == ["manager_id", "rank", "value", "share", "cum_share", "class"]
    assert out["class"].tolist() == ["A", "C"]  # cum .8 -> A, 1.0 -> C


def test_negative_exclude_records_the_excluded_customers():
    # c has -5 (excluded); the rest 90 + 10 = 100: a cum .9 (> .8, <= .9) -> B; b 1.0 -> C
    df = frame([90, 10, -5], ids=["a", "b", "c"])
    out = abc_classify(df, negative="exclude")
    assert out["customer_id"].tolist() == ["a", "b"]
    assert out["class"].tolist() == ["B", "C"]
    excluded = abc_excluded(out)
    assert excluded["customer_id"].tolist() == ["c"]
    assert excluded["value"].tolist() == [-5.0]
    assert out.attrs["excluded"] == {"c": -5.0}


def test_negative_rows_are_fine_when_the_customer_total_is_positive():
    # a: 40 - 10 = 30 (a discounted order), b: 70 -> total 100
    tx = frame([40, -10, 70], ids=["a", "a", "b"])
    out = abc_classify(tx)
    assert out["value"].tolist() == [70, 30]
    assert abc_excluded(out).empty


def test_input_is_not_modified_and_results_concatenate():
    df = frame([50, 35, 10, 5])
    before = df.copy()
    a = abc_classify(df)
    b = abc_classify(frame([1, -1, 3]), negative="exclude")
    assert df.equals(before)
    assert len(pd.concat([a, b])) == 6  # attrs hold no DataFrame, so concat works


def test_summary_has_all_three_classes():
    # 50 35 10 5 -> A(50) B(35) C(10, 5)
    summary = abc_summary(abc_classify(frame([50, 35, 10, 5])))
    assert summary.index.tolist() == ["A", "B", "C"]
    assert summary["count"].tolist() == [1, 1, 2]
    np.testing.assert_allclose(summary["share_of_customers"], [0.25, 0.25, 0.5])
    np.testing.assert_allclose(summary["value"], [50, 35, 15])
    np.testing.assert_allclose(summary["share_of_value"], [0.5, 0.35, 0.15])
    # one customer of 95%: A empty under "including"
    empty_a = abc_summary(abc_classify(frame([95, 5])))
    assert empty_a.loc["A", "count"] == 0
    assert empty_a.loc["A", "value"] == 0.0


# ----------------------------------------------------------------------- properties

# zero or an amount a ledger can hold (no subnormal floats: scaling 5e-324 by 0.5 gives 0)
values_strategy = st.lists(
    st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e6)),
    min_size=1,
    max_size=40,
).filter(lambda v: sum(v) > 0)
boundaries = st.sampled_from(["including", "before"])
ORDER = {"A": 0, "B": 1, "C": 2}


@given(values_strategy, boundaries)
def test_shares_and_cumulative_shares(values, boundary):
    out = abc_classify(frame(values), boundary=boundary)
    assert len(out) == len(values)
    assert out["share"].sum() == pytest.approx(1.0)
    cum = out["cum_share"].to_numpy()
    assert np.all(np.diff(cum) >= -1e-12)
    assert cum[-1] == 1.0
    assert np.all(np.diff(out["value"].to_numpy()) <= 0)
    assert out["rank"].tolist() == list(range(1, len(values) + 1))


@given(
    st.lists(st.tuples(st.integers(0, 3), st.text("abcXYZ09", min_size=1, max_size=4)),
             min_size=1, max_size=40, unique_by=lambda r: r[1]),
    st.sampled_from(["str", "object"]),
)
def test_order_is_value_descending_then_id_ascending(rows, id_dtype):
    # many ties (values 0..3): the order must equal a plain sort on (-value, id)
    if sum(r[0] for r in rows) == 0:
        rows = [(1, rows[0][1])] + rows[1:]
    df = pd.DataFrame({"customer_id": pd.Series([r[1] for r in rows], dtype=id_dtype),
                       "amount": [r[0] for r in rows]})
    expected = [r[1] for r in sorted(rows, key=lambda r: (-r[0], r[1]))]
    assert abc_classify(df)["customer_id"].tolist() == expected


@given(st.lists(st.integers(0, 3), min_size=1, max_size=40).filter(lambda v: sum(v) > 0))
def test_numeric_ids_sort_numerically_on_ties(values):
    df = pd.DataFrame({"customer_id": np.arange(len(values))[::-1] * 5, "amount": values})
    out = abc_classify(df)
    expected = sorted(zip(values, df["customer_id"], strict=True), key=lambda r: (-r[0], r[1]))
    assert out["customer_id"].tolist() == [r[1] for r in expected]


@given(values_strategy, boundaries)
def test_higher_value_never_gets_a_worse_class(values, boundary):
    out = abc_classify(frame(values), boundary=boundary)
    v = out["value"].to_numpy()
    c = out["class"].map(ORDER).to_numpy()
    better_value = v[:, None] > v[None, :]
    assert not np.any(better_value & (c[:, None] > c[None, :]))


@given(values_strategy)
def test_before_rule_is_never_stricter_and_keeps_a(values):
    inc = abc_classify(frame(values))["class"].map(ORDER).to_numpy()
    bef = abc_classify(frame(values), boundary="before")["class"].map(ORDER).to_numpy()
    assert np.all(bef <= inc)
    assert bef[0] == 0  # the top customer is always A under "before"


@given(values_strategy, st.floats(min_value=0.01, max_value=100), boundaries)
def test_scale_invariance(values, factor, boundary):
    a = abc_classify(frame(values), boundary=boundary)
    b = abc_classify(frame([v * factor for v in values]), boundary=boundary)
    np.testing.assert_allclose(a["share"], b["share"], atol=1e-12)
    np.testing.assert_allclose(a["cum_share"], b["cum_share"], atol=1e-12)


@given(values_strategy, boundaries)
def test_summary_partitions_customers_and_value(values, boundary):
    out = abc_classify(frame(values), boundary=boundary)
    summary = abc_summary(out)
    assert summary["count"].sum() == len(values)
    assert summary["share_of_value"].sum() == pytest.approx(1.0)


# ----------------------------------------------------------------------- bad input


def test_not_a_dataframe():
    with pytest.raises(DataError, match="data"):
        abc_classify([1, 2, 3])


def test_missing_column():
    with pytest.raises(DataError, match="'amount'"):
        abc_classify(pd.DataFrame({"customer_id": ["a"], "sales": [1.0]}))
    with pytest.raises(DataError, match="'customer_id'"):
        abc_classify(pd.DataFrame({"id": ["a"], "amount": [1.0]}))


def test_non_numeric_value():
    df = pd.DataFrame({"customer_id": ["a", "b"], "amount": ["10", "lots"]})
    with pytest.raises(DataError, match="'amount'.*numeric"):
        abc_classify(df)


def test_nan_value():
    with pytest.raises(DataError, match="'amount'.*missing"):
        abc_classify(frame([10.0, np.nan]))


def test_missing_id():
    df = pd.DataFrame({"customer_id": ["a", None], "amount": [1.0, 2.0]})
    with pytest.raises(DataError, match="'customer_id'.*missing"):
        abc_classify(df)


def test_negative_value_is_an_error_by_default():
    with pytest.raises(DataError, match="'amount'.*negative.*'c'"):
        abc_classify(frame([90, 10, -5], ids=["a", "b", "c"]))


def test_duplicate_ids_with_aggregate_false():
    with pytest.raises(DataError, match="'customer_id'.*'a'"):
        abc_classify(frame([1, 2, 3], ids=["a", "b", "a"]), aggregate=False)


def test_zero_total():
    with pytest.raises(DataError, match="total of 'amount' is 0"):
        abc_classify(frame([0.0, 0.0]))


def test_empty_table():
    with pytest.raises(DataError, match="'amount'"):
        abc_classify(frame([]))


def test_all_customers_excluded():
    with pytest.raises(DataError, match="no customers"):
        abc_classify(frame([-1.0, -2.0]), negative="exclude")


@pytest.mark.parametrize(
    "cutoffs", [(0.9, 0.8), (0.8, 0.8), (0.0, 0.5), (0.5, 1.2), (0.8,), "80/90", (0.8, None)]
)
def test_bad_cutoffs(cutoffs):
    with pytest.raises(ParameterError, match="'cutoffs'"):
        abc_classify(frame([1, 2]), cutoffs=cutoffs)


def test_bad_choices():
    with pytest.raises(ParameterError, match="'boundary'"):
        abc_classify(frame([1, 2]), boundary="after")
    with pytest.raises(ParameterError, match="'negative'"):
        abc_classify(frame([1, 2]), negative="drop")
    with pytest.raises(ParameterError, match="'aggregate'"):
        abc_classify(frame([1, 2]), aggregate="yes")


def test_summary_bad_input():
    with pytest.raises(DataError, match="'class'"):
        abc_summary(pd.DataFrame({"value": [1.0]}))
    with pytest.raises(DataError, match="'class'"):
        abc_summary(pd.DataFrame({"value": [1.0], "class": ["D"]}))
