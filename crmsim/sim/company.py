"""The company profile the textbook reasons with, and what it does to each structure.

domain.md §7 does not rank the four account-manager structures; it says each *fits* a kind of
company. This module turns the company features it names into parameters (section
``company`` of a :class:`~crmsim.sim.scenario.Scenario`) and combines them with a structure's own
parameters (:class:`~crmsim.sim.structures.StructureParams`) into the few effects the engine
applies — a :class:`Contingency`. Nothing here ranks structures; the ranking emerges from the
simulation.

==========================  =====================================================================
company feature             mechanism (source)
==========================  =====================================================================
business lines              Each extra line adds ``other_line_wallet`` of a customer's core
                            wallet that *can* be sold; a structure captures ``cross_line_reach``
                            of it. A department "sells across business lines" (§7, dedicated
                            department; Peppers & Rogers 2004 on cross-selling share of customer).
                            Every extra line also lengthens the coordination a request or an
                            agreement needs (``coordination_per_line``): the post "depends on
                            cooperation with other departments", the department pays
                            "coordination friction" (§7).
need complexity             Complex needs take longer per contact (``complexity_work``) and expose
                            the skill gap of people doing account work beside another job:
                            extended roles "break down as needs grow complex" (§7, extended
                            roles: uneven suitability, little time), ``complexity_skill_gap``.
size of the team            The more existing staff must take customers, the less suited the last
                            of them (§7: "not everyone is suited"; extended roles fit small
                            firms): ``suitability_decline`` per doubling beyond a core of 12.
special expertise           Customers who need it buy less (``expertise_wallet_loss``) and are
                            served worse (``expertise_skill_gap``) unless the structure provides
                            the specialists (``expertise_coverage``): operations units serve
                            "customers needing special expertise" (§7).
confidentiality             Customers who need isolation from the rest of the firm hold back
                            (``confidential_wallet_loss``) unless the structure isolates them
                            (``isolation``): §7, department with its own operations units.
profit concentration        Part of the book, not of this section: ``book.wallet_spread`` sets
                            how unequal synthetic wallets are; the operations units' real-time
                            response matters most where a few large customers carry the profit.
==========================  =====================================================================

Economies of scale (§7: operations units "lose economies of scale") are in the engine: with
operations units, each business line gets its own unit, a separate queue, so the pooling gain of
one large team (Erlang C, :mod:`crmsim.sim.queueing`) shrinks as lines are added.

**Where the model and the textbook part.** A large firm with *one* business line and *simple*
needs (the defaults) is a case the textbook does not name. There the model keeps extended roles
slightly ahead on net contribution over three years (about 1.5 M CNY on 3,000 customers and 75
positions, 4 replications) while it keeps about a fifth fewer customers and wins half as many new
ones: with simple needs, what counts against extended roles (unsuited staff, little time) costs
less than paying full-time posts for their slack. Over five years the post catches up (its lead is
within the noise), and with even modest complexity or a second line (need_complexity 0.3, two
lines) extended roles falls far behind. Weigh retention and the horizon, not net contribution
alone, in such a case.

The defaults (one line, simple needs, no special expertise, no confidentiality) describe the
bundled office-supplies distributor and leave its results as they were. **What a firm should
calibrate:** ``business_lines`` from its product divisions that sell to the same customers;
``other_line_wallet`` from what a typical customer buys from other lines (or competitors in them)
relative to the core line; ``need_complexity`` from the share of customers whose purchases need
configuration, projects or several contacts (0 none, 1 all); ``expertise_share`` and
``confidential_share`` from the customer list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crmsim.sim._params import Params, param, section
from crmsim.sim.structures import SUITABLE_CORE


@section("company")
@dataclass(frozen=True)
class CompanyParams(Params):
    """The company profile of domain.md §7 (defaults: the bundled single-line distributor)."""

    business_lines: int = param(
        1, unit="lines",
        doc="Business lines (product divisions) selling to the same customers.",
    )
    other_line_wallet: float = param(
        0.3, unit="share of core wallet",
        doc="What a customer could buy from each further line, relative to the core line.",
    )
    coordination_per_line: float = param(
        0.25, unit="share per line",
        doc="Extra coordination time per further business line (multiplies the structure's "
        "coordination_delay_days by 1 + this x (lines - 1)).",
    )
    need_complexity: float = param(
        0.0, unit="0-1",
        doc="How complex customers' needs are (0 simple repeat orders, 1 every purchase a "
        "project).",
    )
    complexity_work: float = param(
        1.0, unit="share at complexity 1",
        doc="Extra work per contact at complexity 1 (0.5 at complexity 0.5 means +50%).",
    )
    expertise_share: float = param(
        0.0, unit="share of customers", doc="Customers whose needs call for special expertise."
    )
    expertise_wallet_loss: float = param(
        0.35, unit="share of wallet",
        doc="Share of an expertise customer's wallet lost when no specialist serves them.",
    )
    expertise_skill_gap: float = param(
        0.2, unit="skill (0-1)",
        doc="Service skill an expertise customer misses when no specialist serves them.",
    )
    confidential_share: float = param(
        0.0, unit="share of customers",
        doc="Customers who need their business kept apart from the rest of the firm.",
    )
    confidential_wallet_loss: float = param(
        0.4, unit="share of wallet",
        doc="Share of a confidential customer's wallet held back when not isolated.",
    )

    def _validate(self, prefix: str) -> None:
        self._number(prefix, "business_lines", minimum=1, integer=True)
        self._number(prefix, "other_line_wallet", minimum=0)
        self._number(prefix, "coordination_per_line", minimum=0)
        self._probability(prefix, "need_complexity")
        self._number(prefix, "complexity_work", minimum=0)
        self._probability(prefix, "expertise_share")
        self._probability(prefix, "expertise_wallet_loss")
        self._probability(prefix, "expertise_skill_gap")
        self._probability(prefix, "confidential_share")
        self._probability(prefix, "confidential_wallet_loss")


@dataclass(frozen=True)
class Contingency:
    """What a company profile does to one structure: the effects the engine applies.

    Attributes
    ----------
    work_factor : float
        Multiplies the work time of every contact (service requests, maintenance, funnel steps).
    skill_shift : float
        Subtracted from every manager's effective skill (complex needs, uneven suitability).
    coordination_factor : float
        Multiplies the structure's coordination delay.
    line_wallet_factor : float
        Multiplies every customer's wallet: the other lines' business the structure captures.
    expertise_wallet_factor, expertise_skill_shift : float
        Wallet multiplier and skill loss for customers needing special expertise.
    isolation_wallet_factor : float
        Wallet multiplier for customers needing confidentiality.
    operations_units : int
        Separate operations units (one per business line) when the structure has operations staff.
    """

    work_factor: float = 1.0
    skill_shift: float = 0.0
    coordination_factor: float = 1.0
    line_wallet_factor: float = 1.0
    expertise_wallet_factor: float = 1.0
    expertise_skill_shift: float = 0.0
    isolation_wallet_factor: float = 1.0
    operations_units: int = 1

    def wallet_factor(self, expertise: np.ndarray, confidential: np.ndarray) -> np.ndarray:
        """Per-customer wallet multiplier from the customers' needs (boolean arrays)."""
        factor = np.full(len(expertise), self.line_wallet_factor)
        factor = np.where(expertise, factor * self.expertise_wallet_factor, factor)
        return np.where(confidential, factor * self.isolation_wallet_factor, factor)

    def skill_loss(self, expertise: np.ndarray) -> np.ndarray:
        """Per-customer service-skill loss (the general shift plus the expertise gap)."""
        return self.skill_shift + np.where(expertise, self.expertise_skill_shift, 0.0)


def contingency(company: CompanyParams, structure, people: int = 0) -> Contingency:
    """Combine a company profile with a structure's parameters.

    *people* is the number of people doing account work (it matters only for a structure whose
    suitability declines as more staff must take customers: extended roles).

    Examples
    --------
    >>> from crmsim.sim.structures import StructureParams
    >>> simple = CompanyParams()
    >>> contingency(simple, StructureParams.preset("extended_roles")) == Contingency()
    True
    >>> broad = CompanyParams(business_lines=3, need_complexity=0.5)
    >>> c = contingency(broad, StructureParams.preset("dedicated_department"))
    >>> round(c.line_wallet_factor, 2), c.work_factor, c.coordination_factor
    (1.48, 1.5, 1.5)
    >>> contingency(broad, StructureParams.preset("extended_roles")).work_factor
    2.0
    """
    extra_lines = company.business_lines - 1
    cx = company.need_complexity
    cover = structure.expertise_coverage
    units = company.business_lines if structure.operations_staff_per_100 > 0 else 1
    return Contingency(
        work_factor=1.0 + (company.complexity_work + structure.complexity_work_extra) * cx,
        skill_shift=structure.complexity_skill_gap * cx
        + structure.suitability_decline * math.log2(max(people / SUITABLE_CORE, 1.0)),
        coordination_factor=1.0 + company.coordination_per_line * extra_lines,
        line_wallet_factor=1.0
        + company.other_line_wallet * extra_lines * structure.cross_line_reach,
        expertise_wallet_factor=1.0 - company.expertise_wallet_loss * (1.0 - cover),
        expertise_skill_shift=company.expertise_skill_gap * (1.0 - cover),
        isolation_wallet_factor=1.0
        - company.confidential_wallet_loss * (1.0 - structure.isolation),
        operations_units=units,
    )


def customer_needs(
    u: np.ndarray, company: CompanyParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which customers need special expertise or confidentiality, and each one's business line.

    *u* holds three uniforms per customer (shape ``(n, 3)``), drawn by the engine from the
    ``"needs"`` stream, which no structure parameter touches, so every structure compared on one
    book sees the same customers with the same needs (common random numbers).

    Returns
    -------
    expertise, confidential : bool arrays of length *n*
    line : int array of length *n* (0 .. business_lines - 1), the line whose operations unit
        serves the customer

    Examples
    --------
    >>> u = np.array([[0.1, 0.9, 0.0], [0.6, 0.2, 0.99]])
    >>> e, c, line = customer_needs(u, CompanyParams(expertise_share=0.5, confidential_share=0.5,
    ...                                              business_lines=2))
    >>> e.tolist(), c.tolist(), line.tolist()
    ([True, False], [False, True], [0, 1])
    """
    u = np.asarray(u, dtype=float).reshape(-1, 3)
    expertise = u[:, 0] < company.expertise_share
    confidential = u[:, 1] < company.confidential_share
    lines = company.business_lines
    line = np.minimum((u[:, 2] * lines).astype(np.int64), lines - 1)
    return expertise, confidential, line
