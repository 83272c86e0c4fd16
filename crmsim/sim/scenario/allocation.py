"""Allocating customers to account managers (客户分配机制, domain.md §7).

The rule decides who develops each new lead (and so serves the customer it becomes) and who takes
over the customers of a manager who leaves:

- ``by_seniority`` (素质分配法): key customers (top ``key_customer_share`` by wallet) go to senior
  managers, the next ``regular_share`` to regular ones, the rest to juniors; least loaded within
  the tier, nearest tier if the tier is empty.
- ``by_relationship`` (社会关系分配法): "whoever's relationship serves it" — a referral lead goes to
  the manager of the referring customer, any other lead to whoever picked it up (a random active
  manager); a leaver's customers go to the colleague already serving most customers of the same
  industry group (the nearest relationship network).
- ``by_specialty`` (专业特长分配法): key customers → key_accounts specialists, grade C/D credit →
  credit_collections, enterprises, hospitals and schools/government → product_solutions, others →
  new_business; least loaded among them.
- ``by_industry`` (行业特点及所有制分配法): the manager whose industry_focus matches the customer's
  industry group (commercial, industrial, private, group), least loaded.
- ``least_loaded``: the active manager with the fewest customers (fewest open leads for leads).

Fallback when no manager fits: least loaded among all active managers. Ties go to the lower index.
Whatever the rule, a manager serves a customer better when they match (same tier as the
customer's importance, same industry, fitting specialty): each match adds ``fit_bonus`` to the
skill the customer experiences.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import Params, param, section
from crmsim.terms import RULES


@section("allocation")
@dataclass(frozen=True)
class AllocationParams(Params):
    """Which manager gets a new lead or a reassigned customer."""

    rule: str = param(
        "by_seniority",
        unit="-",
        doc="Allocation rule: " + ", ".join(RULES) + " (the bundled company allocates by "
        "seniority: tiered managers serve customers of matching importance).",
    )
    key_customer_share: float = param(
        0.2, unit="share of customers", doc="Top share by annual wallet counted as key customers."
    )
    regular_share: float = param(
        0.4,
        unit="share of customers",
        doc="Next share by wallet (after key customers) matched to regular-tier managers.",
    )
    fit_bonus: float = param(
        0.04,
        unit="skill points per match",
        doc="Skill a customer experiences above the manager's own per match (tier, industry, "
        "specialty).",
    )

    def _validate(self, prefix: str) -> None:
        self._term(prefix, "rule", "rule")
        self._probability(prefix, "key_customer_share")
        self._probability(prefix, "regular_share")
        self._number(prefix, "fit_bonus", minimum=0, maximum=1)


#: Active managers up to which Allocator.choose_each works on plain Python lists.
LIST_TEAM = 24
