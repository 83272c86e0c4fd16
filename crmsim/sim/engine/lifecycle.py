"""The relationship lifecycle's monthly mechanics (客户关系生命周期, domain.md §2): stage moves,
satisfaction, the service multipliers and the orders a customer places.

The parameters (the Markov chain, wallets, share of wallet per stage) and their meaning are in
:mod:`crmsim.sim.scenario.lifecycle`.
"""

from __future__ import annotations

import numpy as np

from crmsim.sim.scenario.lifecycle import DOWN_TARGET, UP_TARGET, LifecycleParams
from crmsim.sim.streams import poisson_from_uniform


def up_down_probabilities(params: LifecycleParams) -> tuple[np.ndarray, np.ndarray]:
    """Base probabilities of the upward and downward move from each state code.

    Up: exploration→formation, formation→stability, stability (none), decline→formation.
    Down: exploration/formation/stability→decline, decline→lost. Lost has neither.
    """
    up = np.array(
        [
            params.exploration_to_formation,
            params.formation_to_stability,
            0.0,
            params.decline_to_recovery,
            0.0,
        ]
    )
    down = np.array(
        [
            params.exploration_to_decline,
            params.formation_to_decline,
            params.stability_to_decline,
            params.decline_to_lost,
            0.0,
        ]
    )
    return up, down


def move_stages(
    stage: np.ndarray,
    u: np.ndarray,
    p_up: np.ndarray,
    p_down: np.ndarray,
) -> np.ndarray:
    """New stage codes: up if ``u < p_up``, down if ``p_up <= u < p_up + p_down``, else stay.

    *p_up* and *p_down* are per-customer probabilities; if they sum above 1 they are scaled down
    proportionally.

    Examples
    --------
    >>> move_stages(np.array([0, 0, 0, 3]), np.array([0.05, 0.5, 0.95, 0.5]),
    ...             np.array([0.1, 0.1, 0.1, 0.1]), np.array([0.1, 0.1, 0.1, 0.5])).tolist()
    [1, 0, 0, 4]
    """
    total = p_up + p_down
    scale = np.where(total > 1.0, 1.0 / np.maximum(total, 1e-300), 1.0)
    p_up = p_up * scale
    p_down = p_down * scale
    go_up = u < p_up
    go_down = ~go_up & (u < p_up + p_down)
    new = stage.copy()
    new[go_up] = UP_TARGET[stage[go_up]]
    new[go_down] = DOWN_TARGET[stage[go_down]]
    return new


def satisfaction_target(
    params: LifecycleParams,
    coverage: np.ndarray,
    skill: np.ndarray,
    on_time_share: np.ndarray,
    complaints: np.ndarray,
    praise: np.ndarray,
) -> np.ndarray:
    """This month's satisfaction target per customer, clipped to [0, 1]."""
    target = (
        params.satisfaction_base
        + params.coverage_weight * np.minimum(coverage, 1.0)
        + params.skill_weight * skill
        + params.response_weight * on_time_share
        - params.complaint_penalty * complaints
        + params.praise_bonus * praise
    )
    return np.clip(target, 0.0, 1.0)


def service_multipliers(
    params: LifecycleParams, satisfaction: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers of the upward and downward probabilities for the given satisfaction."""
    if not params.service_effects:
        ones = np.ones_like(satisfaction)
        return ones, ones
    gap = satisfaction - params.satisfaction_reference
    return np.exp(params.upgrade_sensitivity * gap), np.exp(-params.decline_sensitivity * gap)


def monthly_orders(
    params: LifecycleParams, stage: np.ndarray, size: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Orders this month (Poisson by inverse CDF of *u*) and their expected number."""
    rate = params.stage_array(params.orders_per_month)[stage] * size
    return poisson_from_uniform(u, rate), rate
