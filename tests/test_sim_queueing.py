"""Tests for crmsim.sim.queueing (Erlang C) and the service model against it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import ParameterError
from crmsim.sim.engine.records import MONTH
from crmsim.sim.experiments import replicate, simulate
from crmsim.sim.queueing import erlang_c, mmc_mean_wait
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import t_quantile

# ------------------------------------------------------------------------- hand-worked


def test_erlang_c_hand_worked():
    # M/M/1: P(wait) = rho
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    # c = 2, a = 1: B(2,1) = (1/2) / (1 + 1 + 1/2) = 0.2; C = 2*0.2 / (2 - 1*(1 - 0.2)) = 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # mean wait M/M/2, lam = 1, mu = 1: C / (2 mu - lam) = 1/3
    assert mmc_mean_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)


@given(c=st.integers(1, 30), rho=st.floats(0.01, 0.99))
def test_erlang_c_is_a_probability_and_falls_with_more_servers(c, rho):
    a = rho * c
    p = erlang_c(c, a)
    assert 0.0 <= p <= 1.0
    assert erlang_c(c + 1, a) <= p + 1e-12


def test_unstable_queue_is_refused():
    with pytest.raises(ParameterError, match="offered_load"):
        erlang_c(2, 2.5)


# ------------------------------------------------------------------------- model vs Erlang C


def _pool_scenario(n_customers: int, staff_per_100: float, rate: float, hours: float) -> Scenario:
    """A department with its own operations pool, customers that never change stage, no leads,
    no turnover: service requests are a Poisson stream served FCFS by identical staff."""
    zero = {
        f"channels__{c}__leads_per_month": 0.0
        for c in ("referral", "market_research", "telemarketing", "lead_platform")
    }
    stages = ("exploration", "formation", "stability", "decline")
    return Scenario.synthetic(
        n_customers,
        5,
        months=18,
        structure="department_with_operations",
        structure__operations_staff_per_100=staff_per_100,
        structure__coordination_delay_days=0.0,
        service__request_rate={s: rate for s in stages},
        service__request_hours=hours,
        lifecycle__exploration_to_formation=0.0,
        lifecycle__exploration_to_decline=0.0,
        lifecycle__formation_to_stability=0.0,
        lifecycle__formation_to_decline=0.0,
        lifecycle__stability_to_decline=0.0,
        lifecycle__decline_to_recovery=0.0,
        lifecycle__decline_to_lost=0.0,
        turnover__monthly_hazard=0.0,
        channels__referral__leads_per_stable_customer=0.0,
        **zero,
    )


def test_service_waits_match_erlang_c():
    # 100 customers x 1.26 requests/month = 4.14 requests/day; 3 staff at 1.5 x 160 h/month
    # = 7.885 h/day each, 4 h per request -> mu = 1.971/day, utilisation 0.70
    sc = _pool_scenario(100, 3.0, 1.26, 4.0)
    lam = 100 * 1.26 / MONTH
    mu = sc.team.hours_per_month / MONTH * sc.structure.operations_speed / 4.0
    expected = mmc_mean_wait(lam, mu, 3)
    reps = replicate(sc, 8, seed=21, workers=1)
    monthly = reps.monthly[reps.monthly["month"] > 1]  # first month: the queue starts empty
    total_wait = (
        (monthly["mean_wait_days"] * monthly["service_requests"])
        .groupby(monthly["replication"])
        .sum()
    )
    per_rep = total_wait / monthly.groupby("replication")["service_requests"].sum()
    half = t_quantile(0.995, len(per_rep) - 1) * per_rep.std(ddof=1) / math.sqrt(len(per_rep))
    assert abs(per_rep.mean() - expected) < half + 0.02 * expected, (per_rep.mean(), expected)
    assert reps[0].meta["operations_staff"] == 3


def test_more_operations_staff_never_raise_any_wait():
    """Same requests (common random numbers), FCFS pool: adding a server can only shorten
    every wait, so the service level can only rise (sample-path property, every replication)."""
    levels, waits = [], []
    for staff in (2.0, 3.0, 5.0):
        r = simulate(_pool_scenario(100, staff, 1.26, 4.0).replace(months=4), seed=9)
        m = r.monthly
        levels.append(m["service_level"].to_numpy())
        waits.append(m["mean_wait_days"].to_numpy())
    for a, b in zip(levels, levels[1:], strict=False):
        assert np.all(b >= a - 1e-12)
    for a, b in zip(waits, waits[1:], strict=False):
        assert np.all(b <= a + 1e-12)
    assert waits[0].mean() > waits[-1].mean()


def test_own_manager_desks_behave_like_separate_queues():
    """With no operations pool each manager serves his own customers' requests: one manager
    with all customers is an M/M/1 queue."""
    sc = _pool_scenario(60, 0.0, 0.35, 3.0).replace(
        structure__name="dedicated_post", book__n_managers=1, months=14
    )
    speed = sc.team.hours_per_month / MONTH * (1 - sc.incentives.effective_hunting_share())
    speed *= 1 - sc.crm.time_cost * sc.crm.adoption
    lam, mu = 60 * 0.35 / MONTH, speed / 3.0
    expected = mmc_mean_wait(lam, mu, 1)  # utilisation ~0.66
    reps = replicate(sc, 8, seed=5, workers=1)
    m = reps.monthly[reps.monthly["month"] > 1]
    per_rep = (m["mean_wait_days"] * m["service_requests"]).groupby(m["replication"]).sum()
    per_rep /= m.groupby("replication")["service_requests"].sum()
    half = t_quantile(0.995, len(per_rep) - 1) * per_rep.std(ddof=1) / math.sqrt(len(per_rep))
    assert abs(per_rep.mean() - expected) < half + 0.02 * expected, (per_rep.mean(), expected)
