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
                            A customer buys from a few lines only (``line_saturation``:
                            Kamakura et al. 2003), and each line sold costs work per contact
                            (``cross_line_work``). Every extra line also lengthens the
                            coordination a request or an agreement needs
                            (``coordination_per_line``): the post "depends on cooperation with
                            other departments"; a department, serving the lines as one
                            (``structure.line_integration``), pays less of it per line (§7).
need complexity             Complex needs are bought as solutions worth more
                            (``complexity_value``; Tuli, Kohli & Bharadwaj 2007), take longer per
                            contact (``complexity_work``), are judged against a longer response
                            target (service.response_target_days is stretched) and expose
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
today's organisation        ``current_structure`` and ``current_positions``: an option that
                            changes the structure or the team pays its reorganisation (training,
                            ramp-up, hiring, severance: Labour Contract Law art. 47), in month 1.
profit concentration        Part of the book, not of this section: ``book.wallet_spread`` sets
                            how unequal synthetic wallets are; the operations units' real-time
                            response matters most where a few large customers carry the profit.
==========================  =====================================================================

Economies of scale (§7: operations units "lose economies of scale") are in the engine: with
operations units, each business line gets its own unit, a separate queue, so the pooling gain of
one large team (Erlang C, :mod:`crmsim.sim.queueing`) shrinks as lines are added.

**Where the model and the textbook part.** The options are ranked on customer value created
(:mod:`crmsim.sim.scenario.value`); on the profile grid of :mod:`crmsim.sim.fits` (run by
``benchmarks/fit_grid.py``) the winner is the textbook's structure on most profiles it names.
Where they part: a *small* group (about 150 customers) at ordinary wallets that needs special
expertise or isolation ranks extended roles or the post first, not the operations units — its
whole gross margin is smaller than what one operations unit costs; the same group, highly
profitable, ranks the units first, as the textbook says. A mid-size firm at ordinary margins
(700 customers) ranks the units first only once some 60-70% of its customers need expertise, not
from half as the textbook's rule reads (a firm of 1,500 customers and three lines does, from
half: ``benchmarks/fit_grid.py --expertise``). Between a dedicated department and operations
units, a mid-size or large firm with many lines and some customers needing expertise or
isolation is close to a tie. Some firms of 1,000 to 1,800 customers, for which the textbook's rule
names the post, rank the department first (two lines, or one line with very complex needs): its
selling into a second line and its handling of complex needs pay its overhead at about 60
positions or more (``benchmarks/fit_grid.py --mid-size``). Small firms are close calls between
extended roles and the post (the post's lead and KPI systems, hiring and training weigh on a few
positions). A large firm with one line and simple needs, a case the textbook does not name, ranks
the post first.

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

from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import Params, Plausible, param, section

#: What ``company.current_structure`` accepts besides the four structures: no account-management
#: system yet (every structure is then a reorganisation).
NO_STRUCTURE = "none"


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
        plausible=Plausible(0.15, 0.45, source="teaching value"),
    )
    line_saturation: float = param(
        4.0, unit="lines",
        doc="How many further lines a customer buys from at most, in effect: the further lines "
        "sold count as line_saturation x (1 - exp(-(lines - 1) / line_saturation)) (the chance "
        "that a customer buys one more product falls with the products held: Kamakura et al. "
        "2003, cross-selling).",
        plausible=Plausible(2.0, 6.0, source="teaching value"),
    )
    cross_line_work: float = param(
        0.15, unit="share per line sold",
        doc="Extra work per contact for each further line a structure actually sells (knowing "
        "its products, coordinating with it): cross-line selling costs contacts.",
        plausible=Plausible(0.08, 0.25, source="teaching value"),
    )
    coordination_per_line: float = param(
        0.25, unit="share per line",
        doc="Extra coordination time per further business line (multiplies the structure's "
        "coordination_delay_days by 1 + this x (lines - 1)).",
        plausible=Plausible(0.2, 0.6, source="teaching value"),
    )
    need_complexity: float = param(
        0.0, unit="0-1",
        doc="How complex customers' needs are (0 simple repeat orders, 1 every purchase a "
        "project).",
    )
    complexity_value: float = param(
        1.5, unit="share at complexity 1",
        doc="Extra value of what a customer buys at complexity 1 (0.75 at complexity 0.5 means "
        "purchases worth +75%): complex needs are bought as solutions and projects, which are "
        "larger than repeat orders and carry a premium for the know-how in them (Tuli, Kohli & "
        "Bharadwaj 2007, 'Rethinking customer solutions', Journal of Marketing 71(3)); they pay "
        "for the extra work trained account managers put in (complexity_work plus a post's "
        "complexity_work_extra) and a little more.",
        plausible=Plausible(0.9, 2.0, source="teaching value"),
    )
    complexity_work: float = param(
        1.0, unit="share at complexity 1",
        doc="Extra work per contact at complexity 1 (0.5 at complexity 0.5 means +50%).",
        plausible=Plausible(0.6, 1.4, source="teaching value"),
    )
    expertise_share: float = param(
        0.0, unit="share of customers", doc="Customers whose needs call for special expertise."
    )
    expertise_wallet_loss: float = param(
        0.5, unit="share of wallet",
        doc="Share of an expertise customer's wallet lost when no specialist serves them (it "
        "buys what needs the expertise from someone who has it).",
        plausible=Plausible(0.3, 0.7, source="teaching value"),
    )
    expertise_skill_gap: float = param(
        0.4, unit="skill (0-1)",
        doc="Service skill an expertise customer misses when no specialist serves them.",
        plausible=Plausible(0.2, 0.6, source="teaching value"),
    )
    confidential_share: float = param(
        0.0, unit="share of customers",
        doc="Customers who need their business kept apart from the rest of the firm.",
    )
    confidential_wallet_loss: float = param(
        0.4, unit="share of wallet",
        doc="Share of a confidential customer's wallet held back when not isolated.",
        plausible=Plausible(0.25, 0.55, source="teaching value"),
    )
    current_structure: str = param(
        "dedicated_post", unit="-",
        doc="How account management is organised today ('none': not yet). An option with "
        "another structure pays the reorganisation: training and ramp-up of the team, hiring "
        "every position when account work moves from people with other jobs to dedicated "
        "staff, severance for dedicated posts that are ended.",
    )
    current_positions: int = param(
        0, unit="positions",
        doc="Account positions today (0: as many as the book's managers). An option with more "
        "pays hiring (turnover.hiring_cost) and the newcomers' ramp-up; one with fewer pays "
        "severance (team.severance_months).",
    )

    def _validate(self, prefix: str) -> None:
        self._number(prefix, "business_lines", minimum=1, integer=True)
        self._number(prefix, "other_line_wallet", minimum=0)
        self._number(prefix, "coordination_per_line", minimum=0)
        self._probability(prefix, "need_complexity")
        self._number(prefix, "complexity_work", minimum=0)
        self._number(prefix, "complexity_value", minimum=0)
        self._probability(prefix, "expertise_share")
        self._probability(prefix, "expertise_wallet_loss")
        self._probability(prefix, "expertise_skill_gap")
        self._probability(prefix, "confidential_share")
        self._probability(prefix, "confidential_wallet_loss")
        self._number(prefix, "line_saturation", minimum=0, strict_minimum=True)
        self._number(prefix, "cross_line_work", minimum=0)
        self._number(prefix, "current_positions", minimum=0, integer=True)
        if self.current_structure != NO_STRUCTURE:
            try:
                self._term(prefix, "current_structure", "structure")
            except ParameterError as exc:
                raise ParameterError(
                    f"{exc} (or '{NO_STRUCTURE}': no account management yet)"
                ) from None

    def further_lines(self) -> float:
        """Further business lines a customer buys from, in effect (saturating in the lines).

        Examples
        --------
        >>> round(CompanyParams(business_lines=5).further_lines(), 2)
        2.53
        >>> CompanyParams().further_lines()
        0.0
        """
        k = self.line_saturation
        return k * (1.0 - math.exp(-(self.business_lines - 1) / k))
