"""The company profile the textbook reasons with, and what it does to each structure.

domain.md §7 does not rank the four account-manager structures; it says each *fits* a kind of
company. This module turns the company features it names into parameters (section
``company`` of a :class:`~crmsim.sim.scenario.Scenario`); :mod:`crmsim.sim.engine.company`
combines them with a structure's own parameters
(:class:`~crmsim.sim.scenario.structures.StructureParams`) into the few effects the engine applies
— a :class:`~crmsim.sim.engine.company.Contingency`. Nothing here ranks structures; the
ranking emerges from the simulation.

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

from dataclasses import dataclass

from crmsim.sim.scenario.params import Params, param, section


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
