"""CRM adoption (0–1): how much customer knowledge lives in the system rather than in heads.

domain.md §7–9: customer information kept in the CRM means customers are not lost when staff
change, transfers between managers are fast, and what top performers do becomes a template for
everyone. In the model adoption ``a`` acts through:

- defection: the chance that a leaver's customer follows him is multiplied by
  ``1 - retention_effect × a``;
- handover: a reassigned customer gets no maintenance for ``handover_months × (1 - handover_gain
  × a)`` months (counted pro rata in the month);
- skill diffusion: each month every manager closes ``diffusion_rate × a`` of the gap between his
  skill and the mean of the top fifth of the team;
- cost: recording takes ``time_cost × a`` of managers' time, and licences cost
  ``cost_per_manager × a`` per active manager per month.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import Params, param, section


@section("crm")
@dataclass(frozen=True)
class CrmParams(Params):
    """CRM system adoption and its effects."""

    adoption: float = param(
        0.3, unit="0-1", doc="Share of customer knowledge recorded and used in the CRM system."
    )
    retention_effect: float = param(
        0.7,
        unit="0-1",
        doc="Share of leaver-driven defections prevented at full adoption.",
    )
    handover_months: float = param(
        1.0,
        unit="months",
        doc="Time a reassigned customer goes without maintenance contacts, at adoption 0.",
    )
    handover_gain: float = param(
        0.75, unit="0-1", doc="Share of the handover time saved at full adoption."
    )
    diffusion_rate: float = param(
        0.03,
        unit="share/month",
        doc="Share of the skill gap to the top performers closed per month at full adoption.",
    )
    time_cost: float = param(
        0.05, unit="share of working time", doc="Time spent recording at full adoption."
    )
    cost_per_manager: float = param(
        400.0, unit="CNY/month", doc="Licence and support cost per active manager at full adoption."
    )

    def _validate(self, prefix: str) -> None:
        for name in ("adoption", "retention_effect", "handover_gain", "diffusion_rate"):
            self._probability(prefix, name)
        self._number(prefix, "handover_months", minimum=0)
        self._number(prefix, "time_cost", minimum=0, maximum=0.9)
        self._number(prefix, "cost_per_manager", minimum=0)

    def handover(self) -> float:
        """Months without maintenance after a reassignment, at this adoption.

        Examples
        --------
        >>> CrmParams(adoption=1.0).handover()
        0.25
        """
        return self.handover_months * (1.0 - self.handover_gain * self.adoption)
