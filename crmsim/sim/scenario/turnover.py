"""Manager turnover and the "star leaves" event (业务尖子, domain.md §9).

Each month every active manager leaves with probability ``monthly_hazard`` (default 1.2%/month,
about 13.5% a year). A leaver is replaced after ``vacancy_months`` by a junior hire whose full
skill is uniform between team.hire_skill_low and team.hire_skill_high and who ramps up over the
structure's ramp_up_months. Optionally, at the start of month ``star_leaves_month`` the most skilled
active manager leaves.

When a manager leaves, each of his customers defects (is lost at once) with probability

    base × (1 - crm.retention_effect × crm.adoption) × structure.defection_factor
         × stage_factor[stage] × min(length_cap, 1 + length_per_year × years with him)

where base is ``star_defection`` for the star and ``leaver_defection`` otherwise; the others are
reassigned by the allocation rule and go through a handover.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import FrozenMap, Params, param, section
from crmsim.terms import STAGES


@section("turnover")
@dataclass(frozen=True)
class TurnoverParams(Params):
    """Leaving, replacement and customer defection when a manager leaves."""

    monthly_hazard: float = param(
        0.012, unit="probability/month", doc="Chance that a manager leaves in a given month."
    )
    vacancy_months: int = param(2, unit="months", doc="Time to replace a leaver.")
    hiring_cost: float = param(20_000.0, unit="CNY/hire", doc="One-off cost of a hire.")
    star_leaves_month: int = param(
        0,
        unit="month (1 = first)",
        doc="Month at whose start the most skilled manager leaves; 0 means no star leaves.",
    )
    leaver_defection: float = param(
        0.15, unit="probability", doc="Base defection chance of an ordinary leaver's customer."
    )
    star_defection: float = param(
        0.45, unit="probability", doc="Base defection chance of the star's customer."
    )
    stage_factor: FrozenMap = param(
        unit="multiplier",
        doc="Defection multiplier by the customer's stage.",
        factory=lambda: FrozenMap(exploration=0.7, formation=1.0, stability=1.1, decline=1.3),
    )
    length_per_year: float = param(
        0.15,
        unit="multiplier/year",
        doc="Defection grows with the years the customer has been with the leaver.",
    )
    length_cap: float = param(2.0, unit="multiplier", doc="Cap of the relationship-length factor.")

    _maps = {"stage_factor": (STAGES, "number")}

    def _validate(self, prefix: str) -> None:
        self._probability(prefix, "monthly_hazard")
        self._number(prefix, "vacancy_months", minimum=0, integer=True)
        self._number(prefix, "hiring_cost", minimum=0)
        self._number(prefix, "star_leaves_month", minimum=0, integer=True)
        self._probability(prefix, "leaver_defection")
        self._probability(prefix, "star_defection")
        self._map(prefix, "stage_factor")
        self._number(prefix, "length_per_year", minimum=0)
        self._number(prefix, "length_cap", minimum=1)
