"""The four ways to organise the account-manager system (客户经理制, domain.md §7).

Each structure is a set of parameters that changes real mechanics of the model:

============================  =========  =========  =========  ==========
parameter                     extended   post       department dept + ops
============================  =========  =========  =========  ==========
time_share                    0.5        1.0        1.0        1.0
main_job_priority             0.2        0          0          0
cost_share                    0.5        1.0        1.0        1.0
charged_by_use                yes        no         no         no
reserved_share                0.2        -          -          -
main_job_value                1.2        -          -          -
skill_spread                  1.6        1.0        0.8        0.8
ramp_up_months                0          6          4          4
training_cost (CNY/manager)   0          15,000     12,000     12,000
monthly_overhead (CNY)        0          15,000     40,000     20,000
overhead_per_position (CNY)   0          1,000      2,500      2,500
overhead_per_line (CNY)       0          0          10,000     0
knowledge_sharing             0          0.01       0.03       0.03
coordination_share            0.3        0.5        0.5        0.1
line_integration              0          0          0.6        0.6
coordination_delay_days       1.0        1.0        1.2        0.5
cross_line_reach              0.1        0.3        0.8        0.8
complexity_skill_gap          0.3        0.1        0.05       0.05
complexity_work_extra         1.0        0.2        0          0
suitability_decline           0.05       0          0          0
expertise_coverage            0          0.25       0.5        1.0
isolation                     0          0.2        0.3        1.0
operations_staff_per_100      0          0          0          1.5
operations_unit_cost (CNY)    -          -          -          50,000 per line
defection_factor              1.1        1.0        0.8        0.7
============================  =========  =========  =========  ==========

- *Extended roles* (扩大工作范围): existing staff take customers on top of their jobs — half their
  time on paper, of which the main job takes a fifth back in busy weeks (``main_job_priority``);
  with ``team.staffing = "positions"`` each account position is covered by two such people. The
  customer function pays for a share of the time it reserves whether used or not and for every
  hour customers take, each hour at what it is worth in the main job (``main_job_value``: the
  opportunity cost, not the wage). No ramp-up, training or overhead ("cheapest and fastest to
  start"), but a wide spread of suitability, and the least skill for complex needs
  (``complexity_skill_gap``), little reach into other business lines and no specialists.
- *Dedicated post* (增设独立岗位): full-time account managers at full salary, led and measured
  as a team of their own ("clear goals and KPIs": a lead and the KPI and reporting systems, a
  fixed ``monthly_overhead`` and a little per position — a weight on a small firm, negligible on
  a large one); training up front (``training_cost`` when the firm adopts it, a long ramp-up for
  every newcomer) and results that depend on cooperation with other departments (coordination
  delay, growing with the number of business lines).
- *Dedicated department* (增设独立部门): a professional team (narrower skill spread, knowledge
  sharing) that sells across business lines (``cross_line_reach``) and executes one strategy; its
  own cost has a fixed part (head, office, systems), a part per account position (supervision at
  a span of control of about eight) and a part per business line (liaison), so it weighs on a
  small firm and spreads thin over a large one; more of its requests and agreements need other
  departments (coordination friction).
- *Department with its own operations units* (部门下设独立操作部门): the highest cost; after-sales
  service requests go to the department's own operations staff — one unit per business line, each
  its own queue (fast response, almost no coordination delay, but weak economies of scale) — with
  complete specialist skills (``expertise_coverage``) and isolation of confidential customers.

How these play out depends on the company (:mod:`crmsim.sim.scenario.company`: business lines, need
complexity, special expertise, confidentiality, and the spread of wallets in the book).

The numbers are teaching defaults, chosen to express the qualitative costs and benefits of §7;
change them to describe a real firm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import Params, Plausible, param, section, term_identifier
from crmsim.terms import STRUCTURES

#: People doing account work a firm can draw from its best-suited staff before suitability
#: starts to decline (see StructureParams.suitability_decline).
SUITABLE_CORE = 12

STRUCTURE_NAMES = STRUCTURES


@section("structure")
@dataclass(frozen=True)
class StructureParams(Params):
    """An organisational structure for the account-manager system (defaults: dedicated post)."""

    name: str = param(
        "dedicated_post", unit="-", doc="Structure label: " + ", ".join(STRUCTURE_NAMES) + "."
    )
    time_share: float = param(
        1.0, unit="share of working time", doc="Time each account manager gives to customers."
    )
    main_job_priority: float = param(
        0.0, unit="share of account time",
        doc="Share of the account time the person's main job takes back in busy weeks (extended "
        "roles: time and energy are limited, domain.md §7); the positions can really spare "
        "time_share x (1 - this).",
        plausible=Plausible(0.5, 1.75, relative=True, maximum=0.9,
                            source="teaching value; 10-35% for staff with a main job"),
    )
    cost_share: float = param(
        1.0,
        unit="share of monthly_cost",
        doc="Part of each manager's monthly cost charged to the customer function.",
    )
    charged_by_use: bool = param(
        False,
        unit="true/false",
        doc="Charge the customer function for the account time it reserves (reserved_share of "
        "it) and for the hours customers actually take, each hour at its value in the person's "
        "main job (main_job_value): extended roles, where the time customers do not need goes "
        "back to the main job.",
    )
    reserved_share: float = param(
        1.0, unit="share of account time",
        doc="With charged_by_use: share of the reserved account time charged whether customers "
        "use it or not (time set aside for customers cannot all be planned into the main job).",
        plausible=Plausible(0.5, 1.5, relative=True, maximum=1.0,
                            source="teaching value"),
    )
    main_job_value: float = param(
        1.0, unit="multiplier of pay",
        doc="With charged_by_use: what an hour taken from the main job is worth, relative to its "
        "pay (its opportunity cost: the contribution forgone, Horngren's cost accounting; "
        "labour earns about half to two thirds of the value it adds in China's national "
        "accounts, so an hour's output is worth about 1.5-2 times its pay).",
        plausible=Plausible(0.8, 1.33, relative=True,
                            source="labour share of value added 0.5-0.65"),
    )
    skill_spread: float = param(
        1.0,
        unit="multiplier",
        doc="Spreads managers' skills around the team mean (>1: some people are unsuited).",
        plausible=Plausible(0.85, 1.15, relative=True, source="teaching value"),
    )
    ramp_up_months: float = param(
        6.0,
        unit="months",
        doc="Training time for a new manager to reach full skill (from team.ramp_start).",
        plausible=Plausible(0.5, 1.5, relative=True, source="teaching value"),
    )
    monthly_overhead: float = param(
        15_000.0, unit="CNY/month",
        doc="Fixed part of the structure's own cost (a department's head, office, systems).",
        plausible=Plausible(0.6, 1.5, relative=True, source="teaching value"),
    )
    overhead_per_position: float = param(
        1_000.0, unit="CNY/month per account position",
        doc="Part of the structure's own cost that grows with its size: supervision (a team "
        "leader for every 6-10 managers: the span of control of Gulick and Urwick) and the "
        "department's share of space and systems (activity-based costing, Kaplan & Cooper 1998).",
        plausible=Plausible(0.6, 1.5, relative=True, source="spans of control of 6-10"),
    )
    overhead_per_line: float = param(
        0.0, unit="CNY/month per business line",
        doc="Part of the structure's own cost that grows with the business lines it sells for "
        "(a liaison with each line's product and delivery people).",
        plausible=Plausible(0.5, 1.5, relative=True, source="teaching value"),
    )
    knowledge_sharing: float = param(
        0.01,
        unit="share/month",
        doc="Share of the skill gap to the top performers closed each month by working together.",
        plausible=Plausible(0.5, 1.5, relative=True, source="teaching value"),
    )
    coordination_share: float = param(
        0.5, unit="share of requests",
        doc="Share of service requests and agreements that need another department (the post "
        "'depends on cooperation', the department pays 'coordination friction'; own operations "
        "units need others least, domain.md §7).",
        plausible=Plausible(0.7, 1.3, relative=True, maximum=1.0, source="teaching value"),
    )
    coordination_delay_days: float = param(
        1.0,
        unit="days",
        doc="Mean (exponential) extra time to resolve a service request or close an agreement "
        "that needs another department (see coordination_share).",
        plausible=Plausible(0.6, 1.5, relative=True, source="teaching value"),
    )
    line_integration: float = param(
        0.0, unit="0-1",
        doc="How far the structure serves the business lines as one (a department gives "
        "'cross-business-line service', domain.md §7): the extra coordination each further "
        "line brings (company.coordination_per_line) is cut by this share.",
        plausible=Plausible(0.7, 1.2, relative=True, maximum=1.0, source="teaching value"),
    )
    cross_line_reach: float = param(
        0.3, unit="0-1",
        doc="Share of the other business lines' wallet (company.other_line_wallet) the structure "
        "sells; a department sells across lines (domain.md §7).",
        plausible=Plausible(0.6, 1.25, relative=True, maximum=1.0, source="teaching value"),
    )
    complexity_skill_gap: float = param(
        0.1, unit="skill at complexity 1",
        doc="Skill the managers lack as needs grow complex (company.need_complexity); largest for "
        "people doing account work beside another job.",
        plausible=Plausible(0.5, 1.5, relative=True, maximum=1.0, source="teaching value"),
    )
    complexity_work_extra: float = param(
        0.2, unit="share at complexity 1",
        doc="Extra work per contact on complex needs for people without account-management "
        "training, on top of company.complexity_work (they work each case out afresh).",
        plausible=Plausible(0.5, 1.5, relative=True, source="teaching value"),
    )
    suitability_decline: float = param(
        0.0, unit="skill per doubling",
        doc="Skill lost each time the number of people doing account work doubles beyond "
        "SUITABLE_CORE: the more existing staff must take customers, the less suited the "
        "last ones are (extended roles: not everyone is suited, domain.md §7).",
        plausible=Plausible(0.5, 1.5, relative=True, maximum=1.0, source="teaching value"),
    )
    expertise_coverage: float = param(
        0.25, unit="0-1",
        doc="How far the structure provides specialists for customers needing special expertise.",
        plausible=Plausible(0.7, 1.2, relative=True, maximum=1.0, source="teaching value"),
    )
    isolation: float = param(
        0.2, unit="0-1",
        doc="How far the structure keeps confidential customers' business apart.",
        plausible=Plausible(0.7, 1.2, relative=True, maximum=1.0, source="teaching value"),
    )
    training_cost: float = param(
        15_000.0, unit="CNY per manager",
        doc="One-off cost of training each manager when the firm adopts the structure (charged "
        "in month 1 when company.current_structure differs, or when team.trained_at_start is "
        "false; a later hire's training is part of turnover.hiring_cost).",
        plausible=Plausible(0.6, 1.5, relative=True, source="teaching value"),
    )
    operations_staff_per_100: float = param(
        0.0,
        unit="staff per 100 customers",
        doc="Operations staff serving all service requests as one pool, per 100 customers of "
        "the initial book (rounded up); 0 means each manager serves his own customers' requests.",
        plausible=Plausible(0.7, 1.4, relative=True, source="teaching value"),
    )
    operations_monthly_cost: float = param(
        12_000.0, unit="CNY/month", doc="Cost of one operations staff member."
    )
    operations_unit_cost: float = param(
        30_000.0, unit="CNY/month",
        doc="Fixed cost of running one operations unit, an operations department of its own "
        "(its head, its specialists' tools and systems, space); one unit per business line "
        "(company.business_lines), so many lines lose economies of scale.",
        plausible=Plausible(0.6, 1.5, relative=True, source="teaching value"),
    )
    operations_speed: float = param(
        1.2,
        unit="multiplier",
        doc="Work speed of operations staff relative to a full-time account manager.",
        plausible=Plausible(0.8, 1.2, relative=True, source="teaching value"),
    )
    operations_skill: float = param(
        0.8, unit="0-1", doc="Service skill of operations staff (praise, satisfaction).",
        plausible=Plausible(0.85, 1.15, relative=True, maximum=1.0, source="teaching value"),
    )
    defection_factor: float = param(
        1.0,
        unit="multiplier",
        doc="Multiplies the chance that a leaver's customers defect (lower when the firm, "
        "not the person, owns the relationship).",
        plausible=Plausible(0.85, 1.15, relative=True, source="teaching value"),
    )

    def _validate(self, prefix: str) -> None:
        self._term(prefix, "name", "structure")
        self._number(prefix, "time_share", minimum=0, maximum=1, strict_minimum=True)
        self._number(prefix, "main_job_priority", minimum=0, maximum=1)
        self._probability(prefix, "reserved_share")
        self._number(prefix, "main_job_value", minimum=0)
        self._number(prefix, "overhead_per_position", minimum=0)
        self._number(prefix, "overhead_per_line", minimum=0)
        self._probability(prefix, "coordination_share")
        self._probability(prefix, "line_integration")
        self._number(prefix, "cost_share", minimum=0, maximum=1)
        self._bool(prefix, "charged_by_use")
        self._number(prefix, "skill_spread", minimum=0)
        self._number(prefix, "ramp_up_months", minimum=0)
        self._number(prefix, "monthly_overhead", minimum=0)
        self._probability(prefix, "knowledge_sharing")
        self._number(prefix, "coordination_delay_days", minimum=0)
        self._probability(prefix, "cross_line_reach")
        self._probability(prefix, "complexity_skill_gap")
        self._number(prefix, "complexity_work_extra", minimum=0)
        self._probability(prefix, "suitability_decline")
        self._number(prefix, "operations_unit_cost", minimum=0)
        self._probability(prefix, "expertise_coverage")
        self._probability(prefix, "isolation")
        self._number(prefix, "training_cost", minimum=0)
        self._number(prefix, "operations_staff_per_100", minimum=0)
        self._number(prefix, "operations_monthly_cost", minimum=0)
        self._number(prefix, "operations_speed", minimum=0, strict_minimum=True)
        self._probability(prefix, "operations_skill")
        self._number(prefix, "defection_factor", minimum=0)

    @classmethod
    def from_dict(cls, data: Any, prefix: str | None = None) -> StructureParams:
        """A structure from its name (the documented preset) or from a dict: the preset of its
        ``name`` (default dedicated post) overridden by the other keys."""
        if isinstance(data, str):
            return cls.preset(data)
        if not isinstance(data, Mapping):
            return super().from_dict(data, prefix)
        data = dict(data)
        name = data.get("name", "dedicated_post")
        merged = (cls.preset(name) if isinstance(name, str) else cls()).to_dict()
        unknown = [k for k in data if k not in merged]
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(repr('structure.' + k) for k in unknown)}; "
                f"known: {', '.join(merged)}"
            )
        merged.update(data)
        return cls(**merged)

    @classmethod
    def preset(cls, name: str) -> StructureParams:
        """The documented default parameters of structure *name*.

        Examples
        --------
        >>> StructureParams.preset("extended_roles").time_share
        0.5
        """
        return _PRESETS[term_identifier("structure.name", name, "structure")]

    def operations_staff(self, n_customers: int) -> int:
        """Number of operations staff for a book of *n_customers* (0 without an ops unit)."""
        if self.operations_staff_per_100 <= 0:
            return 0
        return max(1, math.ceil(self.operations_staff_per_100 * n_customers / 100 - 1e-9))


_POST = StructureParams()
_PRESETS: dict[str, StructureParams] = {
    "extended_roles": replace(
        _POST,
        name="extended_roles",
        time_share=0.5,
        main_job_priority=0.2,
        cost_share=0.5,
        charged_by_use=True,
        monthly_overhead=0.0,
        overhead_per_position=0.0,
        reserved_share=0.2,
        main_job_value=1.2,
        skill_spread=1.6,
        ramp_up_months=0.0,
        knowledge_sharing=0.0,
        coordination_share=0.3,
        coordination_delay_days=1.0,
        defection_factor=1.1,
        cross_line_reach=0.1,
        complexity_skill_gap=0.3,
        complexity_work_extra=1.0,
        suitability_decline=0.05,
        expertise_coverage=0.0,
        isolation=0.0,
        training_cost=0.0,
    ),
    "dedicated_post": _POST,
    "dedicated_department": replace(
        _POST,
        name="dedicated_department",
        skill_spread=0.8,
        ramp_up_months=4.0,
        monthly_overhead=40_000.0,
        overhead_per_position=2_500.0,
        overhead_per_line=10_000.0,
        knowledge_sharing=0.03,
        line_integration=0.6,
        coordination_share=0.5,
        coordination_delay_days=1.2,
        defection_factor=0.8,
        cross_line_reach=0.8,
        complexity_skill_gap=0.05,
        complexity_work_extra=0.0,
        expertise_coverage=0.5,
        isolation=0.3,
        training_cost=12_000.0,
    ),
    "department_with_operations": replace(
        _POST,
        name="department_with_operations",
        skill_spread=0.8,
        ramp_up_months=4.0,
        monthly_overhead=20_000.0,
        overhead_per_position=2_500.0,
        operations_unit_cost=50_000.0,
        knowledge_sharing=0.03,
        line_integration=0.6,
        coordination_share=0.1,
        coordination_delay_days=0.5,
        operations_staff_per_100=1.5,
        defection_factor=0.7,
        cross_line_reach=0.8,
        complexity_skill_gap=0.05,
        complexity_work_extra=0.0,
        expertise_coverage=1.0,
        isolation=1.0,
        training_cost=12_000.0,
    ),
}
