"""The textbook's fits (domain.md §7) checked on company profiles of every kind.

The textbook does not rank the four account-manager structures; it says which company each
*fits*. :func:`textbook_fit` writes those sentences as a rule on a :class:`Profile` (size,
business lines, need complexity, special expertise, confidentiality, profitability);
:func:`profile_scenario` builds the company (a synthetic book, its team sized to the work the
book needs, lead rates scaled to it, no account-management system yet) and :func:`fit_table`
compares the four structures on each profile on common random numbers, ranking them on
customer value created (:mod:`crmsim.sim.scenario.value`). Nothing in the engine knows these
profiles: the ranking comes from the mechanisms (:mod:`crmsim.sim.scenario.company`,
:mod:`crmsim.sim.scenario.structures`).

The textbook's rule, in the order its sentences are read:

1. a group needing special expertise (half the customers or more) or isolation (two in five or
   more), or a very large, highly profitable group → department with operations units;
2. a large firm (2,000 customers or more) with many business lines (three or more) and complex
   needs → dedicated department;
3. a small firm (under 300 customers) with one line and simple needs → extended roles;
4. broader business, many customers or diverse needs → dedicated post.

A large firm with one line and simple needs is a case the textbook does not name
(:func:`textbook_fit` says so: it returns no structure).

Examples
--------
>>> textbook_fit(Profile(customers=150, complexity=0.1))
'extended_roles'
>>> textbook_fit(Profile(customers=2500, lines=5, complexity=0.7))
'dedicated_department'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from crmsim.sim.decision import money, paired_difference
from crmsim.sim.experiments import compare
from crmsim.sim.plausibility import work_and_capacity
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.structures import STRUCTURE_NAMES
from crmsim.sim.stats import mean_ci
from crmsim.terms import label

__all__ = ["FULL_GRID", "QUICK_GRID", "Profile", "fit_table", "profile_of", "profile_scenario",
           "textbook_fit", "textbook_fits", "textbook_text"]  # fmt: skip

#: Share of their hours a team is sized to work (the rest absorbs peaks).
TARGET_UTILISATION = 0.75


@dataclass(frozen=True)
class Profile:
    """A company profile in the textbook's terms.

    Attributes
    ----------
    customers : int
        Customers in the book.
    lines : int
        Business lines selling to them.
    complexity : float
        Need complexity, 0 (simple repeat orders) to 1 (every purchase a project).
    expertise, confidential : float
        Shares of customers needing special expertise, isolation.
    profitable : bool
        A highly profitable group (wallets four times the default).
    months : int
        Horizon.
    seed : int
        Seed of the synthetic book.
    """

    customers: int = 700
    lines: int = 1
    complexity: float = 0.1
    expertise: float = 0.0
    confidential: float = 0.0
    profitable: bool = False
    months: int = 36
    seed: int = 2024

    def name(self) -> str:
        """A short label, e.g. ``"700c 1L cx0.1 36m"``."""
        parts = [f"{self.customers}c", f"{self.lines}L", f"cx{self.complexity:g}"]
        if self.expertise:
            parts.append(f"exp{self.expertise:g}")
        if self.confidential:
            parts.append(f"conf{self.confidential:g}")
        if self.profitable:
            parts.append("profit")
        parts.append(f"{self.months}m")
        return " ".join(parts)


def textbook_fits(p: Profile) -> tuple[str, ...]:
    """Every structure domain.md §7 pairs with profile *p* (see the module text): one, two
    where its sentences overlap (a mid-size firm with many lines has both the "broader
    business" of the post and the "many business lines" of the department), none where it
    is silent."""
    if p.expertise >= 0.5 or p.confidential >= 0.4 or (p.profitable and p.customers >= 2000):
        return ("department_with_operations",)
    if p.customers >= 2000 and p.lines >= 3 and p.complexity >= 0.4:
        return ("dedicated_department",)
    if p.customers < 300 and p.lines == 1 and p.complexity <= 0.2:
        return ("extended_roles",)
    if p.customers >= 2000 and p.lines == 1 and p.complexity <= 0.2:
        return ()  # large, narrow and simple: not a case the textbook names
    if p.customers >= 300 and p.lines >= 3:
        return ("dedicated_post", "dedicated_department")
    return ("dedicated_post",)


def textbook_fit(p: Profile) -> str | None:
    """The structure domain.md §7 names first for profile *p* (:func:`textbook_fits`), or
    None where the textbook is silent."""
    fits = textbook_fits(p)
    return fits[0] if fits else None


def profile_scenario(p: Profile, structure: str = "dedicated_post") -> Scenario:
    """The company of profile *p* under *structure*: a synthetic book, a team sized so that
    a dedicated post would work :data:`TARGET_UTILISATION` of its hours, lead rates scaled to
    the book, and no account-management system today (every structure is a reorganisation)."""
    changes: dict[str, Any] = {
        "months": p.months,
        "company.business_lines": p.lines,
        "company.need_complexity": p.complexity,
        "company.expertise_share": p.expertise,
        "company.confidential_share": p.confidential,
        "company.current_structure": "none",
        "book.seed": p.seed,
    }
    if p.profitable:
        changes["book.wallet_scale"] = 4.0
    probe = Scenario.synthetic(p.customers, 1).with_(changes)
    tables = probe.book.resolve()
    need, have = work_and_capacity(probe, tables.customers, 1)
    positions = max(1, math.ceil(need / (have * TARGET_UTILISATION)))
    scenario = Scenario.synthetic(p.customers, positions).with_(changes)
    return scenario.with_({"structure": structure, "name": f"{p.name()} {structure}"})


def profile_of(scenario: Scenario) -> Profile:
    """The profile of the company *scenario* describes (its book's size, its lines, needs,
    expertise and confidentiality shares; highly profitable when its wallets are scaled up at
    least threefold)."""
    from crmsim.sim.engine.book import resolve_book

    company = scenario.company
    n = len(resolve_book(scenario.book).customers)
    return Profile(customers=n, lines=company.business_lines,
                   complexity=company.need_complexity, expertise=company.expertise_share,
                   confidential=company.confidential_share,
                   profitable=scenario.book.wallet_scale >= 3.0, months=scenario.months,
                   seed=scenario.book.seed)  # fmt: skip


#: A fast subset (small books, short horizons) for the tests.
QUICK_GRID: tuple[Profile, ...] = (
    Profile(customers=150, complexity=0.1, months=24),
    Profile(customers=150, complexity=0.9, expertise=0.3, months=24),
    Profile(customers=400, lines=3, complexity=0.6, expertise=0.7, confidential=0.5, months=24),
    Profile(customers=700, complexity=0.6, expertise=0.15, months=24),
)


def _full_grid() -> tuple[Profile, ...]:
    grid = []
    for customers in (150, 700, 2500):
        for lines, complexity in ((1, 0.1), (1, 0.6), (3, 0.6), (6, 0.9)):
            for months in (12, 36, 72):
                grid.append(Profile(customers, lines, complexity, months=months))
        grid.append(Profile(customers, 1, 0.3, expertise=0.7, months=36))
        grid.append(Profile(customers, 2, 0.5, confidential=0.5, months=36))
        grid.append(Profile(customers, 1, 0.5, expertise=0.15, months=36))
    grid.append(Profile(2500, 1, 0.3, profitable=True, months=36))
    grid.append(Profile(150, 1, 0.3, expertise=0.7, profitable=True, months=36))
    grid.append(Profile(400, 3, 0.6, expertise=0.6, confidential=0.5, months=36))
    return tuple(grid)


#: Profiles of every kind (small/mid/large, simple/complex, one/many lines, expertise,
#: confidentiality, horizons 12-72 months) for the benchmark script benchmarks/fit_grid.py.
FULL_GRID: tuple[Profile, ...] = _full_grid()


def fit_table(
    profiles: Sequence[Profile],
    replications: int = 4,
    seed: int = 11,
    *,
    rank_on: str = "value_created",
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> pd.DataFrame:
    """Compare the four structures on each profile and set the winner against the textbook.

    Returns
    -------
    DataFrame
        One row per profile: its fields, ``positions``, ``textbook`` (the structures the
        textbook pairs with it, joined by " or "; None where silent),
        ``best`` (first on *rank_on*), ``runner_up``, ``lead`` and its paired 95% interval
        ``lead_low``/``lead_high`` (CNY), ``agrees`` (best is the textbook's structure),
        ``clear`` (the interval excludes zero) and the mean of *rank_on* per structure.
    """
    rows = []
    for p in profiles:
        base = profile_scenario(p)
        options = {s: base.with_({"structure": s, "name": s}) for s in STRUCTURE_NAMES}
        runs = compare(options, replications=replications, seed=seed, workers=workers,
                       progress=progress).runs  # fmt: skip
        wide = runs.pivot(index="replication", columns="scenario", values=rank_on)
        means = wide.mean().sort_values(ascending=False)
        best, runner = means.index[:2]
        ci = mean_ci(wide[best] - wide[runner], 0.95)
        expected = textbook_fits(p)
        rows.append({
            "profile": p.name(), **asdict(p), "positions": base.book.n_managers,
            "textbook": " or ".join(expected) or None, "best": best, "runner_up": runner,
            "lead": ci["mean"], "lead_low": ci["ci_low"], "lead_high": ci["ci_high"],
            "agrees": best in expected if expected else None,
            "clear": bool(ci["ci_low"] > 0),
            **{s: float(means[s]) for s in STRUCTURE_NAMES},
        })  # fmt: skip
    return pd.DataFrame(rows)


def textbook_text(whatif: Any, rec: Any, lang: str) -> str | None:
    """When the options are structures on one company: whether the recommended structure is
    the one the textbook pairs with a company of this profile (:func:`crmsim.sim.fits.
    textbook_fit`), and where they part, by how much and from where (net contribution in the
    horizon or customer equity left at the end)."""
    options = whatif.options
    structures = {sc.structure.name for sc in options.values()}
    companies = {sc.replace(structure="dedicated_post", name="").hash() for sc in options.values()}
    if len(structures) < 2 or len(structures) != len(options) or len(companies) != 1:
        return None
    first = next(iter(options.values()))
    p = profile_of(first)
    fits = textbook_fits(p)
    profile = label("decision.profile", lang).format(
        customers=p.customers, lines=p.lines, complexity=p.complexity, expertise=p.expertise,
        confidential=p.confidential)  # fmt: skip
    by_structure = {sc.structure.name: name for name, sc in options.items()}
    chosen = rec.suggested or rec.leader
    fits = [s for s in fits if s in by_structure]
    if not fits:
        return label("decision.textbook_silent", lang).format(profile=profile)
    chosen_structure = options[chosen].structure.name
    mine = by_structure[chosen_structure if chosen_structure in fits else fits[0]]
    if chosen == mine:
        return label("decision.textbook_agrees", lang).format(
            profile=profile, expected=whatif.label(mine, lang))
    if rec.rank_on != "value_created":
        return label("decision.textbook_differs_short", lang).format(
            profile=profile, expected=whatif.label(mine, lang),
            option=whatif.label(chosen, lang))  # fmt: skip
    runs = whatif.comparison.runs
    total = paired_difference(runs, chosen, mine, "value_created")["mean"]
    discount = first.value.monthly_factor() ** whatif.months
    equity = discount * paired_difference(runs, chosen, mine, "customer_equity_end")["mean"]
    return label("decision.textbook_differs", lang).format(
        profile=profile, expected=whatif.label(mine, lang), option=whatif.label(chosen, lang),
        value=money(total, lang), net=money(total - equity, lang, signed=True),
        equity=money(equity, lang, signed=True))
