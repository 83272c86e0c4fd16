"""Customer equity (crmsim.sim.engine.equity): the closed forms on small chains, and the value
created by a run (crmsim.sim.kpis.value_created) on the model itself."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsim.sim.engine.equity import chain, retention_clv, stage_values
from crmsim.sim.engine.lifecycle import up_down_probabilities
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.lifecycle import LifecycleParams
from crmsim.sim.scenario.value import ValueParams


@given(margin=st.floats(1.0, 1e5), retention=st.floats(0.0, 0.99),
       rate=st.floats(0.001, 0.5))  # fmt: skip
@settings(max_examples=60, deadline=None)
def test_one_stage_chain_is_the_retention_formula(margin, retention, rate):
    """v = m (1 + i) / (1 + i - r) (Gupta & Lehmann 2003) is the 1-stage v = (I - dP)^-1 m."""
    v = stage_values(np.array([[retention]]), np.array([margin]), 1.0 / (1.0 + rate))[0]
    assert v == pytest.approx(retention_clv(margin, retention, rate), rel=1e-9)


def test_two_stage_chain_by_hand():
    # a new customer (margin 10) becomes loyal (margin 50) with probability 0.5 a month or is
    # lost with probability 0.3; a loyal one stays with probability 0.9; no discounting.
    P = np.array([[0.2, 0.5], [0.0, 0.9]])
    v = stage_values(P, np.array([10.0, 50.0]), 1.0)
    loyal = 50.0 / (1 - 0.9)  # 500
    new = (10.0 + 0.5 * loyal) / (1 - 0.2)  # (10 + 250) / 0.8
    assert v.tolist() == pytest.approx([new, loyal])
    # the same as summing the expected margins month by month
    months = sum(np.linalg.matrix_power(P, k) @ np.array([10.0, 50.0]) for k in range(2000))
    assert v == pytest.approx(months)


def test_values_of_many_customers_at_once():
    P = np.array([[0.5, 0.3], [0.1, 0.8]])
    margins = np.array([[1.0, 2.0], [3.0, -4.0]])
    v = stage_values(P, margins, 0.99)
    for row, m in zip(v, margins, strict=True):
        assert row == pytest.approx(stage_values(P, m, 0.99))


def test_the_chain_at_reference_satisfaction_is_the_lifecycle_matrix():
    lc = LifecycleParams()
    up, down = up_down_probabilities(lc)
    P = chain(up, down, np.ones(4), np.ones(4))
    assert np.allclose(P, lc.transition_matrix()[:4, :4])
    # better satisfaction: fewer customers lost, so every stage is worth more
    kinder = chain(up, down, np.full(4, 1.3), np.full(4, 0.7))
    m = np.array([1.0, 2.0, 3.0, 0.5])
    assert (stage_values(kinder, m, 0.99) > stage_values(P, m, 0.99)).all()


def test_monthly_discount_factor():
    assert ValueParams(discount_rate=0.0).monthly_factor() == 1.0
    assert ValueParams(discount_rate=0.12).monthly_factor() ** 12 == pytest.approx(1 / 1.12)


def test_value_created_adds_up_from_the_run():
    r = simulate(Scenario.synthetic(120, 5, months=6), seed=3)
    d = r.meta["discount_factor"]
    net = r.monthly["net_contribution"].to_numpy()
    expected = ((net * d ** np.arange(1, 7)).sum() + d**6 * r.meta["customer_equity_end"]
                - r.meta["customer_equity_start"])  # fmt: skip
    assert r.kpis()["value_created"] == pytest.approx(expected)
    assert r.kpis()["customer_equity_end"] == r.meta["customer_equity_end"]


def test_the_start_equity_is_the_same_for_every_structure_on_one_company():
    base = Scenario.synthetic(120, 5, months=2)
    starts = {simulate(base.replace(structure=s), seed=1).meta["customer_equity_start"]
              for s in ("extended_roles", "dedicated_post", "dedicated_department",
                        "department_with_operations")}  # fmt: skip
    assert len(starts) == 1


def test_a_customer_lost_late_still_costs_value():
    """Issue 19: the ranking on net contribution inside the horizon did not count a customer
    lost in month 30 of 36. With more customers lost (more decline), net contribution moves
    little in a short horizon but the equity left at the end falls."""
    base = Scenario.synthetic(300, 10, months=6)
    worse = base.with_("lifecycle.stability_to_decline", 0.08)
    a, b = simulate(base, seed=2), simulate(worse, seed=2)
    lost_equity = a.meta["customer_equity_end"] - b.meta["customer_equity_end"]
    lost_net = a.kpis()["net_contribution"] - b.kpis()["net_contribution"]
    assert lost_equity > 5 * max(lost_net, 0.0)
    assert a.kpis()["value_created"] > b.kpis()["value_created"]


def test_a_higher_discount_rate_lowers_the_equity():
    base = Scenario.synthetic(120, 5, months=3)
    low = simulate(base.with_("value.discount_rate", 0.06), seed=1).meta["customer_equity_end"]
    high = simulate(base.with_("value.discount_rate", 0.20), seed=1).meta["customer_equity_end"]
    assert low > high > 0
