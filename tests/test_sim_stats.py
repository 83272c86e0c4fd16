"""Tests for crmsim.sim.stats: t quantiles against published tables, confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import ParameterError
from crmsim.sim.stats import mean_ci, t_quantile

# two-sided 95% and 99% critical values from standard t tables
TABLE_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 10: 2.228,
             19: 2.093, 29: 2.045, 60: 2.000, 120: 1.980}  # fmt: skip
TABLE_995 = {1: 63.657, 4: 4.604, 10: 3.169, 30: 2.750}


@pytest.mark.parametrize(("df", "value"), sorted(TABLE_975.items()))
def test_t_quantile_975_matches_tables(df, value):
    assert t_quantile(0.975, df) == pytest.approx(value, abs=6e-4)


@pytest.mark.parametrize(("df", "value"), sorted(TABLE_995.items()))
def test_t_quantile_995_matches_tables(df, value):
    assert t_quantile(0.995, df) == pytest.approx(value, abs=6e-4)


def test_normal_limit_and_closed_forms():
    assert t_quantile(0.975, float("inf")) == pytest.approx(1.959964, abs=1e-6)
    # df = 1 is the Cauchy distribution: quantile tan(pi (p - 1/2))
    assert t_quantile(0.9, 1) == pytest.approx(math.tan(math.pi * 0.4), rel=1e-9)
    # df = 2: t = (2p - 1) sqrt(2 / (4p (1 - p)))
    p = 0.95
    assert t_quantile(p, 2) == pytest.approx((2 * p - 1) * math.sqrt(2 / (4 * p * (1 - p))))


def test_mean_ci_hand_worked():
    # values 1, 2, 3: mean 2, sd 1, se 1/sqrt(3), t(0.975, 2) = 4.3027 -> half 2.4841
    ci = mean_ci([1.0, 2.0, 3.0])
    assert ci["mean"] == 2.0
    assert ci["half_width"] == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    assert ci["ci_low"] == pytest.approx(2 - ci["half_width"])
    assert math.isnan(mean_ci([5.0])["half_width"])
    assert mean_ci([np.nan, 1.0, 3.0])["n"] == 2


@given(p=st.floats(0.501, 0.999), df=st.floats(0.5, 500))
def test_quantile_is_symmetric_and_above_the_normal(p, df):
    q = t_quantile(p, df)
    assert t_quantile(1 - p, df) == pytest.approx(-q, rel=1e-9, abs=1e-9)
    assert q >= t_quantile(p, float("inf")) - 1e-12


def test_bad_arguments():
    with pytest.raises(ParameterError, match="'p'"):
        t_quantile(0.0, 5)
    with pytest.raises(ParameterError, match="df"):
        t_quantile(0.9, 0)
    with pytest.raises(ParameterError, match="level"):
        mean_ci([1.0, 2.0], level=1.5)
