"""Tests for crmsim.methods.concentration: hand-worked examples, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.concentration import (
    concentration_summary,
    gini,
    lorenz_curve,
    share_reaching,
    top_share,
)

# ----------------------------------------------------------------------- hand-worked examples


def test_lorenz_curve_small_example():
    # sorted ascending 1, 1, 2 (total 4): cumulative 0, 1, 2, 4 -> 0, .25, .5, 1
    curve = lorenz_curve([2, 1, 1])
    assert list(curve.columns) == ["pop_share", "value_share"]
    np.testing.assert_allclose(curve["pop_share"], [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(curve["value_share"], [0, 0.25, 0.5, 1])


def test_gini_equal_and_single_holder():
    assert gini([5, 5, 5, 5]) == 0.0
    # one holder of n=4: (n - 1) / n = 0.75
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert gini([7]) == 0.0


def test_gini_hand_computed():
    # values 1, 2, 3 (total 6): Lorenz 0, 1/6, 3/6, 1
    # area = (0 + 1/6)/6 + (1/6 + 1/2)/6 + (1/2 + 1)/6 = (1/6 + 2/3 + 3/2)/6 = (7/3)/6 = 7/18
    # G = 1 - 2 * 7/18 = 4/18 = 2/9
    assert gini([3, 1, 2]) == pytest.approx(2 / 9)


def test_top_share_with_interpolation():
    # 50 30 10 6 4 (total 100), top 20% = 1 of 5 entities -> 50%
    assert top_share([50, 30, 10, 6, 4], top=0.2) == pytest.approx(0.5)
    # top 30% = 1.5 entities -> 50 + half of 30 = 65%
    assert top_share([50, 30, 10, 6, 4], top=0.3) == pytest.approx(0.65)
    # 12 equal entities: top 20% = 2.4 entities -> 2.4/12 = 20%
    assert top_share([1] * 12, top=0.2) == pytest.approx(0.2)
    assert top_share([3, 1], top=0.0) == 0.0
    assert top_share([3, 1], top=1.0) == 1.0


def test_share_reaching():
    # 50 30 10 6 4: top 2 of 5 hold exactly 80% -> 0.4
    assert share_reaching([50, 30, 10, 6, 4], target=0.8) == pytest.approx(0.4)
    # 60 20 20, target 70%: the top one (1/3) has 60%, half of the next adds 10% -> 1/3 + 1/6
    assert share_reaching([60, 20, 20], target=0.7) == pytest.approx(0.5)
    # one holder among 4: reaching any target takes the first quarter's fraction
    assert share_reaching([0, 0, 0, 10], target=0.8) == pytest.approx(0.2)
    assert share_reaching([1, 2], target=0.0) == 0.0


def test_share_reaching_ignores_trailing_zeros_for_full_target():
    # 100% is reached by the 2 positive entities out of 4 -> 0.5
    assert share_reaching([5, 5, 0, 0], target=1.0) == pytest.approx(0.5)


def test_accepts_series_and_arrays():
    s = pd.Series([4, 1, 5], index=["x", "y", "z"])
    assert gini(s) == gini(np.array([4.0, 1.0, 5.0])) == gini([4, 1, 5])


def test_concentration_summary_aggregates_by_id():
    # salespeople: m1 30 + 20 = 50, m2 30, m3 10, m4 6, m5 4 -> the 50/30/10/6/4 example
    df = pd.DataFrame(
        {"manager_id": ["m1", "m2", "m1", "m3", "m4", "m5"], "sales": [30, 30, 20, 10, 6, 4]}
    )
    out = concentration_summary(df, value="sales", id="manager_id")
    assert len(out) == 1
    row = out.iloc[0]
    assert row["n"] == 5
    assert row["total"] == 100
    # top 10% = half an entity -> half of 50 = 25%
    assert row["top10_share"] == pytest.approx(0.25)
    assert row["top20_share"] == pytest.approx(0.5)
    assert row["share_reaching_80"] == pytest.approx(0.4)
    assert row["gini"] == pytest.approx(gini([50, 30, 10, 6, 4]))


def test_summaries_concatenate():
    df = pd.DataFrame({"customer_id": ["a", "b"], "amount": [3.0, 1.0]})
    both = pd.concat(
        [concentration_summary(df).assign(entity="x"), concentration_summary(df)],
        ignore_index=True,
    )
    assert len(both) == 2


# ----------------------------------------------------------------------- properties

values_strategy = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=50,
).filter(lambda v: sum(v) > 0)
fractions = st.floats(min_value=0, max_value=1)


def reference_gini(values):
    x = np.asarray(values, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())


@given(values_strategy)
def test_gini_in_range_and_matches_mean_difference_formula(values):
    g = gini(values)
    assert 0.0 <= g < 1.0
    assert g <= (len(values) - 1) / len(values) + 1e-12
    assert g == pytest.approx(reference_gini(values), abs=1e-9)


@given(values_strategy)
def test_lorenz_monotone_convex_below_diagonal(values):
    curve = lorenz_curve(values)
    x = curve["pop_share"].to_numpy()
    y = curve["value_share"].to_numpy()
    assert (x[0], y[0]) == (0.0, 0.0)
    assert (x[-1], y[-1]) == (1.0, 1.0)
    assert np.all(np.diff(y) >= 0)
    # equal steps in x, so convexity means the increments never shrink
    assert np.all(np.diff(y, n=2) >= -1e-12)
    assert np.all(y <= x + 1e-12)


@given(values_strategy, fractions)
def test_top_share_at_least_the_top_fraction(values, top):
    share = top_share(values, top=top)
    assert top - 1e-12 <= share <= 1.0 + 1e-12


@given(values_strategy, fractions)
def test_share_reaching_inverts_top_share(values, target):
    p = share_reaching(values, target=target)
    assert 0.0 <= p <= target + 1e-12  # never more entities than a flat distribution needs
    assert top_share(values, top=p) == pytest.approx(target, abs=1e-9)
    # and it is the smallest such share: it lies in the step of the first top-k group of
    # entities that reaches the target, (k - 1)/n < p <= k/n
    desc = np.sort(np.asarray(values, dtype=float))[::-1]
    reached = np.cumsum(desc) / desc.sum() >= target - 1e-9
    k = int(np.argmax(reached)) + 1 if target > 0 else 0
    n = len(values)
    assert max(k - 1, 0) / n - 1e-9 <= p <= k / n + 1e-9


@given(values_strategy, st.floats(min_value=0.01, max_value=100))
def test_scale_invariance(values, factor):
    scaled = [v * factor for v in values]
    assert gini(scaled) == pytest.approx(gini(values), abs=1e-9)
    assert top_share(scaled, 0.2) == pytest.approx(top_share(values, 0.2), abs=1e-9)
    np.testing.assert_allclose(
        lorenz_curve(scaled)["value_share"], lorenz_curve(values)["value_share"], atol=1e-9
    )


# ----------------------------------------------------------------------- bad input


@pytest.mark.parametrize("func", [lorenz_curve, gini, top_share, share_reaching])
def test_negative_values(func):
    with pytest.raises(DataError, match="'values'.*>= 0"):
        func([3.0, -1.0])


@pytest.mark.parametrize("func", [lorenz_curve, gini, top_share, share_reaching])
def test_nan_values(func):
    with pytest.raises(DataError, match="'values'.*missing"):
        func([3.0, np.nan])


@pytest.mark.parametrize("func", [lorenz_curve, gini, top_share, share_reaching])
def test_empty_zero_and_non_numeric_values(func):
    with pytest.raises(DataError, match="'values'.*empty"):
        func([])
    with pytest.raises(DataError, match="total of 'values' is 0"):
        func([0, 0])
    with pytest.raises(DataError, match="'values'.*numeric"):
        func(["a", "b"])
    with pytest.raises(DataError, match="'values'.*one-dimensional"):
        func([[1, 2], [3, 4]])


def test_bad_fractions():
    with pytest.raises(ParameterError, match="'top'"):
        top_share([1, 2], top=1.5)
    with pytest.raises(ParameterError, match="'target'"):
        share_reaching([1, 2], target=-0.1)


def test_summary_bad_input():
    with pytest.raises(DataError, match="'sales'"):
        concentration_summary(pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}), value="sales")
    neg = pd.DataFrame({"customer_id": ["a", "b"], "amount": [5.0, -1.0]})
    with pytest.raises(DataError, match="'amount'.*'b'"):
        concentration_summary(neg)
    with pytest.raises(DataError, match="'amount' is 0"):
        concentration_summary(pd.DataFrame({"customer_id": ["a"], "amount": [0.0]}))
