"""The account-manager team: working time and how new people ramp up.

Each manager's hours go to customers in proportion to the structure's ``time_share``, less the
time spent recording in the CRM, and are then split between hunting (the funnel) and farming
(service requests and maintenance) by the incentive scheme. In the SimPy model each manager has a
*hunting desk* and a *farming desk* (two resources of capacity one) whose work speed, in hours per
calendar day, is ``hours_per_month / (365.25/12)`` times those shares; a task of ``h`` hours
occupies the desk ``h / speed`` days, so a manager with little time really does make customers
wait.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import Params, Plausible, param, section

STAFFING: tuple[str, ...] = ("positions", "people")


@section("team")
@dataclass(frozen=True)
class TeamParams(Params):
    """Working time of account managers and the skill of newcomers."""

    hours_per_month: float = param(
        160.0, unit="hours/month", doc="Working hours of a full-time manager."
    )
    trained_at_start: bool = param(
        True,
        unit="true/false",
        doc="Whether today's team is trained in today's structure (company.current_structure). "
        "If false, it starts at ramp_start skill, ramps up over the structure's "
        "ramp_up_months and is trained in month 1. A team moved into another structure is "
        "trained whatever this says.",
    )
    ramp_start: float = param(
        0.6, unit="share of full skill", doc="Skill of a new hire on day one, relative to full."
    )
    hire_skill_low: float = param(0.45, unit="0-1", doc="Lowest full skill of a new hire.")
    hire_skill_high: float = param(0.75, unit="0-1", doc="Highest full skill of a new hire.")
    hire_monthly_cost: float = param(
        12_000.0, unit="CNY/month", doc="Monthly cost of a newly hired (junior) manager."
    )
    severance_months: float = param(
        3.0, unit="months of pay",
        doc="Severance per person when a team shrinks: economic compensation of one month's "
        "pay per year of service (Labour Contract Law of the PRC, art. 47), about three years.",
        plausible=Plausible(1.0, 6.0, source="1-6 years of service"),
    )
    staffing: str = param(
        "positions",
        unit="-",
        doc="How the book's managers are read when the structure gives customers only part of "
        "a person's time (structure.time_share < 1): 'positions' - each row is a full-time "
        "account position, covered by round(1 / time_share) people each giving time_share of "
        "their time, so every structure is compared at the same account capacity; 'people' - "
        "each row is one person, giving customers only time_share of their time.",
    )

    def _validate(self, prefix: str) -> None:
        self._number(prefix, "hours_per_month", minimum=0, strict_minimum=True)
        self._bool(prefix, "trained_at_start")
        self._choice(prefix, "staffing", STAFFING)
        self._probability(prefix, "ramp_start")
        self._probability(prefix, "hire_skill_low")
        self._probability(prefix, "hire_skill_high")
        if self.hire_skill_low > self.hire_skill_high:
            raise ParameterError(
                f"parameter '{prefix}.hire_skill_low' must be <= '{prefix}.hire_skill_high'; "
                f"got {self.hire_skill_low} > {self.hire_skill_high}"
            )
        self._number(prefix, "hire_monthly_cost", minimum=0)
        self._number(prefix, "severance_months", minimum=0)
