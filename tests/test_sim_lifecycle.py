"""Tests for the lifecycle (crmsim.sim.scenario.lifecycle, crmsim.sim.engine.lifecycle): stage
moves, satisfaction, and the monthly lifecycle of the model against the Markov chain pi_0 P^t
when transitions are constant."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.sim.engine.lifecycle import move_stages, satisfaction_target, service_multipliers
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.lifecycle import (
    DECLINE,
    EXPLORATION,
    FORMATION,
    LOST,
    STABILITY,
    LifecycleParams,
)
from crmsim.terms import STATES

# ------------------------------------------------------------------------- hand-worked


def test_transition_matrix_hand_worked():
    P = LifecycleParams().transition_matrix()
    # exploration: 0.10 to formation, 0.05 to decline, stays with 1 - 0.15 = 0.85
    assert P[EXPLORATION].tolist() == pytest.approx([0.85, 0.10, 0.0, 0.05, 0.0])
    # decline: recovers to formation 0.10, lost 0.18, stays 0.72
    assert P[DECLINE].tolist() == pytest.approx([0.0, 0.10, 0.0, 0.72, 0.18])
    assert P[LOST].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_move_stages_hand_worked():
    stage = np.array([EXPLORATION, EXPLORATION, EXPLORATION, STABILITY, DECLINE, DECLINE])
    u = np.array([0.05, 0.15, 0.50, 0.01, 0.05, 0.25])
    p_up = np.array([0.10, 0.10, 0.10, 0.0, 0.10, 0.10])
    p_down = np.array([0.10, 0.10, 0.10, 0.02, 0.20, 0.20])
    # u < p_up -> up; p_up <= u < p_up + p_down -> down; else stay
    new = move_stages(stage, u, p_up, p_down)
    assert new.tolist() == [FORMATION, DECLINE, EXPLORATION, DECLINE, FORMATION, LOST]


def test_satisfaction_target_hand_worked():
    lc = LifecycleParams()
    # 0.15 + 0.35 * 1 + 0.30 * 0.7 + 0.10 * 1 - 0.15 * 1 + 0.05 * 0 = 0.66
    t = satisfaction_target(lc, np.array([1.0]), np.array([0.7]), np.array([1.0]),
                            np.array([1]), np.array([0]))  # fmt: skip
    assert t[0] == pytest.approx(0.66)


def test_service_effects_off_gives_constant_probabilities():
    lc = LifecycleParams(service_effects=False)
    up, down = service_multipliers(lc, np.array([0.1, 0.9]))
    assert up.tolist() == [1.0, 1.0] and down.tolist() == [1.0, 1.0]
    up, down = service_multipliers(LifecycleParams(), np.array([0.9]))
    # satisfaction above reference: more upgrades, fewer declines
    assert up[0] > 1.0 > down[0]


# ------------------------------------------------------------------------- properties


@given(
    stage=st.lists(st.integers(0, 4), min_size=1, max_size=40),
    u=st.floats(0, 0.999999),
    up=st.floats(0, 1),
    down=st.floats(0, 1),
)
def test_moves_only_follow_the_lifecycle_arrows(stage, u, up, down):
    s = np.array(stage)
    new = move_stages(s, np.full(len(s), u), np.full(len(s), up), np.full(len(s), down))
    allowed = {
        EXPLORATION: {EXPLORATION, FORMATION, DECLINE},
        FORMATION: {FORMATION, STABILITY, DECLINE},
        STABILITY: {STABILITY, DECLINE},
        DECLINE: {DECLINE, FORMATION, LOST},
        LOST: {LOST},
    }
    for a, b in zip(s, new, strict=True):
        assert int(b) in allowed[int(a)]


# ------------------------------------------------------------------------- model vs Markov chain


def test_stage_occupancy_matches_markov_chain():
    """With constant transitions and no service effects, the number of customers in each stage
    at month t is multinomial(N, pi_0 P^t): each count lies within 4.5 standard deviations."""
    sc = Scenario.synthetic(
        4000,
        20,
        months=12,
        capacity="unlimited",
        lifecycle__service_effects=False,
        turnover__monthly_hazard=0.0,
        channels__referral__leads_per_month=0.0,
        channels__referral__leads_per_stable_customer=0.0,
        channels__market_research__leads_per_month=0.0,
        channels__telemarketing__leads_per_month=0.0,
        channels__lead_platform__leads_per_month=0.0,
    )
    result = simulate(sc, seed=4)
    initial = result.customers["initial_stage"].map(STATES.index).to_numpy()
    n = len(initial)
    pi = np.bincount(initial, minlength=5) / n
    P = sc.lifecycle.transition_matrix()
    columns = [f"customers_{s}" for s in STATES[:4]]
    worst = 0.0
    for _, row in result.monthly.iterrows():
        pi = pi @ P
        counts = np.append(row[columns].to_numpy(dtype=float), n - row["active_customers"])
        expected = n * pi
        sd = np.sqrt(n * pi * (1 - pi))
        z = np.abs(counts - expected) / np.where(sd > 0, sd, 1.0)
        worst = max(worst, float(z.max()))
    assert worst < 4.5, worst
    # and the monthly losses add up: lost customers = N - active at the end
    assert result.monthly["lost_customers"].sum() == n - result.monthly["active_customers"].iloc[-1]


def test_better_service_means_fewer_declines():
    """Service effects on: a team with all the time it needs keeps more customers than one
    with a tenth of it (same customers, same luck)."""
    sc = Scenario.synthetic(200, 6, months=12)
    rich = simulate(sc.replace(capacity="unlimited"), seed=8).kpis()
    poor = simulate(sc.replace(team__hours_per_month=16.0), seed=8).kpis()
    assert rich["mean_satisfaction"] > poor["mean_satisfaction"]
    assert rich["retention"] > poor["retention"]


def test_annual_loss_at_reference_is_within_published_churn_range():
    """Default base probabilities: share of an average book lost within a year at reference
    satisfaction lies between the 11% and 56% annual B2B churn medians (domain.md §11)."""
    P = LifecycleParams().transition_matrix()
    pi = np.array([0.1, 0.2, 0.6, 0.1, 0.0])
    lost = (pi @ np.linalg.matrix_power(P, 12))[LOST]
    assert 0.11 <= lost <= 0.56
    assert math.isclose(P.sum(), 5.0)
