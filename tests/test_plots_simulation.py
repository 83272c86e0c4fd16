"""Charts of simulation results: what they draw, and clear errors for wrong tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.plots.simulation import plot_differences, plot_funnel, plot_monthly, plot_stage_mix


def monthly_table() -> pd.DataFrame:
    rows = []
    for scenario, level in (("dedicated_post", 10.0), ("extended_roles", 20.0)):
        for rep in range(3):
            for month in (1, 2):
                rows.append({"scenario": scenario, "replication": rep, "month": month,
                             "revenue": level + rep, "customers_exploration": 1,
                             "customers_formation": 2, "customers_stability": 3,
                             "customers_decline": 4})
    return pd.DataFrame(rows)


def test_monthly_draws_one_mean_line_and_one_band_per_scenario():
    ax = plot_monthly(monthly_table(), "revenue")
    lines = ax.get_lines()
    assert len(lines) == 2 and len(ax.collections) == 2
    # mean of 10, 11, 12 is 11 in both months
    assert np.allclose(lines[0].get_ydata(), [11.0, 11.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Dedicated post",
                                                                     "Extended roles"]
    plt.close(ax.figure)


def test_stage_mix_stacks_the_four_active_stages():
    ax = plot_stage_mix(monthly_table())
    assert len(ax.patches) == 8  # 4 stages x 2 scenarios
    tops = sorted({round(p.get_y() + p.get_height(), 9) for p in ax.patches})
    assert tops[-1] == 10.0  # 1 + 2 + 3 + 4 customers
    plt.close(ax.figure)


def test_funnel_shares_start_at_one():
    t = pd.DataFrame({"step": ["find", "contact", "prepare"], "step_number": [1, 2, 3],
                      "entries": [200, 100, 50]})
    ax = plot_funnel(t, by=None)
    assert ax.get_lines()[0].get_ydata().tolist() == [1.0, 0.5, 0.25]
    plt.close(ax.figure)


def test_differences_leave_out_the_baseline():
    d = pd.DataFrame({"scenario": ["a", "b", "c"], "baseline": ["a"] * 3, "kpi": ["x"] * 3,
                      "mean_difference": [0.0, 2.0, -1.0], "ci_low": [0.0, 1.0, -3.0],
                      "ci_high": [0.0, 3.0, 1.0]})
    ax = plot_differences(d, "x")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "c"]
    plt.close(ax.figure)


def test_wrong_tables_name_the_missing_columns():
    with pytest.raises(ParameterError, match="monthly.*net_contribution"):
        plot_monthly(monthly_table(), "net_contribution")
    with pytest.raises(ParameterError, match="funnel.*entries"):
        plot_funnel(pd.DataFrame({"step": ["find"], "step_number": [1]}))
