"""Tests for crmsim.sim.kpis: the one KPI registry read by results, experiments and reports."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmsim.sim import experiments, studies
from crmsim.sim.experiments import simulate
from crmsim.sim.kpis import KPI, KPI_NAMES, KPIS, compute_kpis, conversion, display_label
from crmsim.sim.scenario import Scenario
from crmsim.terms import TERMS


def test_every_kpi_has_an_english_and_chinese_label_unit_and_direction():
    assert len(set(KPI_NAMES)) == len(KPIS)
    for k in KPIS:
        en, zh = TERMS[k.label_key]
        assert en and zh and en != zh, k.name
        assert k.unit and k.description
        assert k.higher_is_better in (True, False, None)
        assert k.scale > 0 and k.decimals >= 0


def test_results_experiments_and_reports_read_the_registry():
    assert experiments.KPI_NAMES == KPI_NAMES
    assert list(studies.KPI_DISPLAY) == list(KPI_NAMES)
    assert studies.KPI_DISPLAY["revenue"] == ("Revenue (M CNY)", 1e-6, 2)
    assert set(studies.DEMO_KPIS) <= set(KPI_NAMES)
    result = simulate(Scenario.synthetic(60, 3, months=4), seed=2)
    assert list(result.kpis()) == list(KPI_NAMES)
    assert result.kpis() == compute_kpis(result)


def test_display_labels_in_both_languages():
    assert display_label("service_level", "en") == "Requests resolved on time (%)"
    assert display_label("complaints", "zh") == "投诉"
    assert display_label("net_contribution", "both") == "Net contribution (净贡献) (M CNY)"


def test_kpis_hand_worked_on_a_tiny_result():
    monthly = pd.DataFrame({
        "revenue": [100.0, 200.0], "gross_profit": [30.0, 50.0], "net_contribution": [5.0, 7.0],
        "new_customers": [1, 2], "lost_customers": [0, 1], "defections": [0, 1],
        "active_customers": [10, 11], "service_requests": [4, 0],
        "service_level": [0.75, np.nan], "mean_satisfaction": [0.6, 0.65],
        "complaints": [2, 1], "praise": [0, 3], "manager_utilisation": [0.5, 0.7],
    })  # fmt: skip
    customers = pd.DataFrame({"origin": ["book", "book", "won"],
                              "stage": ["lost", "formation", "exploration"]})  # fmt: skip
    leads = pd.DataFrame({"month": [1, 1, 1, 2], "outcome": ["won", "lost", "cold", "open"]})
    meta = {"discount_factor": 0.5, "customer_equity_start": 40.0, "customer_equity_end": 80.0}
    r = type("R", (), {"monthly": monthly, "customers": customers, "leads": leads,
                       "meta": meta})()  # fmt: skip
    k = compute_kpis(r)
    assert k["revenue"] == 300.0 and k["net_contribution"] == 12.0
    assert k["active_customers_end"] == 11.0
    assert k["retention"] == 0.5
    assert k["service_level"] == 0.75
    assert k["mean_satisfaction"] == 0.65
    assert k["manager_utilisation"] == pytest.approx(0.6)
    assert k["conversion"] == pytest.approx(1 / 3)  # month 2 still has an open lead
    assert k["open_leads_end"] == 1.0
    # discounted net contribution 5 x 0.5 + 7 x 0.25, plus 80 x 0.25 left, minus 40 at the start
    assert k["value_created"] == pytest.approx(2.5 + 1.75 + 20.0 - 40.0)
    assert k["customer_equity_end"] == 80.0


def test_conversion_is_nan_when_no_cohort_has_ended():
    leads = pd.DataFrame({"month": [1, 2], "outcome": ["open", "open"]})
    assert math.isnan(conversion(leads))
    assert KPI["conversion"].higher_is_better
