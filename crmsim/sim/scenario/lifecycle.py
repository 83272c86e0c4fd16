"""The customer relationship lifecycle (客户关系生命周期, domain.md §2), updated monthly.

Stages: exploration (考察期) → formation (形成期) → stability (稳定期); decline (退化期) can start
from any of them; from decline a relationship either recovers (back to formation: trust has to be
rebuilt) or ends (customer lost, 客户流失). Stage codes are 0 exploration, 1 formation,
2 stability, 3 decline, 4 lost.

Every month, for all customers at once (numpy, no process per customer):

1. satisfaction moves toward a target set by the service received that month: maintenance
   contacts received vs needed, the account manager's skill, the share of service requests
   resolved on time, complaints and praise;
2. the base monthly transition probabilities are multiplied by ``exp(upgrade_sensitivity (S-S0))``
   for moves up (and recovery) and by ``exp(-decline_sensitivity (S-S0))`` for moves down (and
   loss), where S is satisfaction and S0 ``satisfaction_reference``; with ``service_effects`` off
   the base probabilities apply unchanged, and the stage process is a Markov chain with the matrix
   of :meth:`LifecycleParams.transition_matrix`;
3. each customer's one uniform of the month picks the move (common random numbers).

Default base probabilities give, at reference satisfaction, an annual loss of roughly a quarter of
the active book — inside the range of published annual B2B churn medians, about 11% (utilities)
to 56% (wholesale supplies) (CustomerGauge, domain.md §11). Purchases per month depend on the stage
(share of the customer's wallet) and on customer size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import FrozenMap, Params, param, section
from crmsim.terms import STAGES

EXPLORATION, FORMATION, STABILITY, DECLINE, LOST = 0, 1, 2, 3, 4
#: All five states, in code order.


@section("lifecycle")
@dataclass(frozen=True)
class LifecycleParams(Params):
    """Monthly stage transitions, satisfaction dynamics and purchases by stage."""

    exploration_to_formation: float = param(
        0.10, unit="probability/month", doc="Exploration → formation at reference satisfaction."
    )
    exploration_to_decline: float = param(
        0.05, unit="probability/month", doc="Exploration → decline at reference satisfaction."
    )
    formation_to_stability: float = param(
        0.06, unit="probability/month", doc="Formation → stability at reference satisfaction."
    )
    formation_to_decline: float = param(
        0.025, unit="probability/month", doc="Formation → decline at reference satisfaction."
    )
    stability_to_decline: float = param(
        0.016, unit="probability/month", doc="Stability → decline at reference satisfaction."
    )
    decline_to_recovery: float = param(
        0.10,
        unit="probability/month",
        doc="Decline → formation (recovery) at reference satisfaction.",
    )
    decline_to_lost: float = param(
        0.18, unit="probability/month", doc="Decline → lost at reference satisfaction."
    )
    service_effects: bool = param(
        True,
        unit="true/false",
        doc="If false, satisfaction does not change transition probabilities (the stages then "
        "follow a Markov chain with constant probabilities).",
    )
    satisfaction_reference: float = param(
        0.7, unit="0-1", doc="Satisfaction at which the base transition probabilities apply."
    )
    upgrade_sensitivity: float = param(
        2.5, unit="log-multiplier per unit satisfaction", doc="Effect on upward moves."
    )
    decline_sensitivity: float = param(
        3.5, unit="log-multiplier per unit satisfaction", doc="Effect on downward moves."
    )
    satisfaction_memory: float = param(
        0.6,
        unit="0-1",
        doc="Weight of last month's satisfaction; the rest moves toward this month's target.",
    )
    initial_satisfaction: float = param(
        0.7, unit="0-1", doc="Satisfaction of customers in the initial book."
    )
    satisfaction_base: float = param(0.15, unit="0-1", doc="Target satisfaction with no service.")
    coverage_weight: float = param(
        0.35, unit="0-1", doc="Target gain when all needed maintenance contacts are made."
    )
    skill_weight: float = param(
        0.30, unit="per unit skill", doc="Target gain per unit of the serving manager's skill."
    )
    response_weight: float = param(
        0.10, unit="0-1", doc="Target gain when all service requests are resolved on time."
    )
    complaint_penalty: float = param(0.15, unit="per complaint", doc="Target loss per complaint.")
    praise_bonus: float = param(0.05, unit="per praise", doc="Target gain per praise.")
    share_of_wallet: FrozenMap = param(
        unit="share of annual wallet",
        doc="Share of the customer's yearly office-supplies spend bought from us, by stage.",
        factory=lambda: FrozenMap(exploration=0.10, formation=0.25, stability=0.45, decline=0.15),
    )
    orders_per_month: FrozenMap = param(
        unit="orders/month",
        doc="Mean orders per month of a customer of median wallet, by stage (Poisson).",
        factory=lambda: FrozenMap(exploration=0.8, formation=1.5, stability=2.5, decline=0.8),
    )
    size_elasticity: float = param(
        0.3,
        unit="-",
        doc="Orders scale with (wallet / median wallet) to this power (bigger customers order "
        "more often).",
    )
    gross_margin: float = param(0.24, unit="share of revenue", doc="Gross margin on sales.")

    _maps = {
        "share_of_wallet": (STAGES, "prob"),
        "orders_per_month": (STAGES, "number"),
    }

    def _validate(self, prefix: str) -> None:
        for name in (
            "exploration_to_formation",
            "exploration_to_decline",
            "formation_to_stability",
            "formation_to_decline",
            "stability_to_decline",
            "decline_to_recovery",
            "decline_to_lost",
        ):
            self._probability(prefix, name)
        for stage, a, b in (
            ("exploration", self.exploration_to_formation, self.exploration_to_decline),
            ("formation", self.formation_to_stability, self.formation_to_decline),
            ("decline", self.decline_to_recovery, self.decline_to_lost),
        ):
            if a + b > 1:
                raise ParameterError(
                    f"the transition probabilities out of {stage} in '{prefix}' sum to "
                    f"{a + b:g}; they must sum to at most 1"
                )
        self._bool(prefix, "service_effects")
        for name in ("satisfaction_reference", "satisfaction_memory", "initial_satisfaction"):
            self._probability(prefix, name)
        for name in ("upgrade_sensitivity", "decline_sensitivity"):
            self._number(prefix, name, minimum=0)
        for name in (
            "satisfaction_base",
            "coverage_weight",
            "skill_weight",
            "response_weight",
            "complaint_penalty",
            "praise_bonus",
        ):
            self._number(prefix, name, minimum=0, maximum=1)
        self._map(prefix, "share_of_wallet")
        self._map(prefix, "orders_per_month")
        self._number(prefix, "size_elasticity", minimum=0)
        self._probability(prefix, "gross_margin")

    def transition_matrix(self) -> np.ndarray:
        """The 5×5 monthly transition matrix at reference satisfaction (rows: from, cols: to).

        Order of states: exploration, formation, stability, decline, lost.

        Examples
        --------
        >>> P = LifecycleParams().transition_matrix()
        >>> bool(np.allclose(P.sum(axis=1), 1.0))
        True
        """
        P = np.zeros((5, 5))
        P[0, 1] = self.exploration_to_formation
        P[0, 3] = self.exploration_to_decline
        P[1, 2] = self.formation_to_stability
        P[1, 3] = self.formation_to_decline
        P[2, 3] = self.stability_to_decline
        P[3, 1] = self.decline_to_recovery
        P[3, 4] = self.decline_to_lost
        P[4, 4] = 1.0
        for i in range(4):
            P[i, i] = 1.0 - P[i].sum()
        return P

    def stage_array(self, table: FrozenMap) -> np.ndarray:
        """A per-stage table as an array indexed by stage code (lost → 0)."""
        return np.array([table[s] for s in STAGES] + [0.0])


#: Destination of the upward / downward move from each state code.
UP_TARGET = np.array([FORMATION, STABILITY, STABILITY, FORMATION, LOST])
DOWN_TARGET = np.array([DECLINE, DECLINE, DECLINE, LOST, LOST])
