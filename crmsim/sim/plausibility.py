"""The plausibility guard: is this scenario one the model was built for?

Before a run, :func:`check_scenario` compares a scenario with the range the model's mechanisms
were written for; after it, :func:`check_result` reads what the run did. Each finding is a
:class:`Finding` — ``level`` ``"warning"`` (the answer is out of range: read it with care) — and
what is impossible raises :class:`~crmsim.errors.ParameterError` naming the parameter.
Findings travel with the results (``SimulationResult.meta["findings"]``, ``WhatIf.findings``)
so every face (command line, report, dashboard) shows them at the top. Their words are the
``guard.*`` messages of :mod:`crmsim.terms`.

==================  =========================================================================
check               what it compares
==================  =========================================================================
team_overloaded     hours of account work the book and its leads need a month (service
team_idle           requests, maintenance contacts, funnel steps, at the structure's work per
                    contact) against the hours the team has: above :data:`OVERLOAD` the team
                    cannot serve the book (above :data:`IMPOSSIBLE_LOAD`: refused); below
                    :data:`IDLE` it is far larger than the book needs
book_shrinking      the book at reference satisfaction loses more customers a year than leads
                    bring in, by more than :data:`SHRINK_RATE` of the book (before the run);
                    the active book shrank faster than that (after it)
lines_saturated     more business lines than cross-line selling reaches
                    (``company.line_saturation``): the further lines are counted as saturating
revenue_above_wallet  revenue per customer far above the wallets the book declares
outside_range       teaching values set outside their documented plausible range
no_book             refused: no customers and no leads, nothing to simulate
==================  =========================================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crmsim.errors import ParameterError
from crmsim.sim.capacity import check_memory
from crmsim.sim.engine.company import contingency
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.lifecycle import LOST
from crmsim.sim.scenario.params import plausible_parameters
from crmsim.terms import label, resolve_language

__all__ = [
    "RESULT_CODES", "Finding", "check_result", "check_scenario", "findings_text",
    "work_and_capacity",
]  # fmt: skip

#: Work needed over capacity above which the team is overloaded (a warning) ...
OVERLOAD = 1.3
#: ... and above which the run is refused: the team could not serve a twenty-fifth of the
#: book and its leads (one manager for 5,000 customers needs about 170 times his hours).
IMPOSSIBLE_LOAD = 25.0
#: Work needed over capacity below which the team is far larger than the book needs.
IDLE = 0.35
#: A book shrinking by more than this share a year is out of the range the model was built for.
SHRINK_RATE = 0.15
#: Business lines beyond which cross-line selling is counted as saturated.
MAX_LINES = 12
#: Revenue per customer above this multiple of its declared wallet is implausible (a customer
#: buys its whole wallet from us and more).
WALLET_MULTIPLE = 1.0


@dataclass(frozen=True)
class Finding:
    """One thing the guard found.

    Attributes
    ----------
    code : str
        What was found (a row of the module's table); its words are ``guard.<code>``.
    parameter : str
        The parameter to look at.
    values : dict
        The figures the sentence shows.
    level : str
        ``"warning"``.
    """

    code: str
    parameter: str
    values: dict[str, Any] = field(default_factory=dict)
    level: str = "warning"

    def text(self, lang: str | None = None) -> str:
        """The finding in words, in *lang*."""
        lang = resolve_language(lang)
        lang = "en" if lang == "both" else lang
        return label(f"guard.{self.code}", lang).format(parameter=self.parameter, **self.values)

    def as_tuple(self) -> tuple[str, str, tuple]:
        """A plain, picklable form (``meta["findings"]``)."""
        return (self.code, self.parameter, tuple(sorted(self.values.items())))

    @classmethod
    def from_tuple(cls, item: tuple) -> Finding:
        """The inverse of :meth:`as_tuple`."""
        code, parameter, values = item
        return cls(code, parameter, dict(values))


def _hours_per_lead(scenario: Scenario) -> float:
    """Expected manager hours one lead takes through the funnel at the base pass rates."""
    hours, reach = 0.0, 1.0
    for step in scenario.funnel.steps:
        hours += reach * step.work_hours
        reach *= step.pass_probability
    return hours


def work_and_capacity(scenario: Scenario, customers: Any, positions: int) -> tuple[float, float]:
    """Hours of account work a month the book needs (service and leads) and the hours the
    team has for it, for *customers* (the initial customer table) and *positions*.

    Examples
    --------
    >>> s = Scenario.synthetic(300, 10)
    >>> tables = s.book.resolve()
    >>> need, have = work_and_capacity(s, tables.customers, 10)
    >>> 0.5 < need / have < 1.2
    True
    """
    sv, st, lc = scenario.service, scenario.structure, scenario.lifecycle
    stage_index = {name: i for i, name in enumerate(("exploration", "formation", "stability",
                                                      "decline"))}  # fmt: skip
    stages = np.array([stage_index.get(s, 2) for s in customers["stage"].tolist()], dtype=int)
    request = lc.stage_array(sv.request_rate)[:4] * sv.request_hours
    maintain = lc.stage_array(sv.maintenance_contacts)[:4] * sv.maintenance_hours
    service = float((request[stages] + maintain[stages]).sum()) if len(stages) else 0.0
    leads = sum(c.rate(len(customers)) for c in scenario.channels)
    people = positions
    if scenario.team.staffing == "positions" and st.time_share < 1:
        people = positions * max(1, round(1.0 / st.time_share))
    needs = contingency(scenario.company, st, people)
    need = (service + leads * _hours_per_lead(scenario)) * needs.work_factor
    share = st.time_share * (1.0 - st.main_job_priority) * (
        1.0 - scenario.crm.time_cost * scenario.crm.adoption)
    have = people * scenario.team.hours_per_month * share
    return need, have


def check_scenario(scenario: Scenario, tables: Any = None) -> list[Finding]:
    """Compare *scenario* with the range the model was built for (before a run).

    *tables* is the resolved book (``scenario.book.resolve()``), read here when not given.
    Returns the findings; raises :class:`~crmsim.errors.ParameterError` naming the parameter
    when the scenario is impossible.

    Examples
    --------
    >>> [f.code for f in check_scenario(Scenario.synthetic(300, 10))]
    []
    >>> [f.code for f in check_scenario(Scenario.synthetic(5000, 1, months=12))]
    Traceback (most recent call last):
    ...
    crmsim.errors.ParameterError: parameter 'book.n_managers': 1 account position(s) ...
    """
    if tables is None:
        from crmsim.sim.engine.book import resolve_book

        check_memory([scenario], 1)  # a book this machine cannot hold is refused, not built
        tables = resolve_book(scenario.book)
    customers, managers = tables.customers, tables.managers
    n, positions = len(customers), len(managers)
    leads = sum(c.rate(n) for c in scenario.channels)
    if n == 0 and leads <= 0:
        raise ParameterError(
            "parameter 'book.n_customers': the book has no customers and no channel brings "
            "leads (lead rates scale with the book), so there is nothing to simulate; give "
            "customers, or channels.<name>.leads_per_month"
        )
    findings: list[Finding] = []
    need, have = work_and_capacity(scenario, customers, positions)
    if scenario.capacity == "unlimited":  # no contention: the team's size does not bind
        need = have = 1.0
    if have <= 0 or need / have > IMPOSSIBLE_LOAD:
        raise ParameterError(
            f"parameter 'book.n_managers': {positions} account position(s) have "
            f"{have:,.0f} hours a month for customers, but the book of {n:,} customers and its "
            f"leads need about {need:,.0f}: more than {IMPOSSIBLE_LOAD:g} times what the team "
            "can do, so the model's answer would be meaningless; give the team the people the "
            "book needs"
        )
    load = need / have
    if load > OVERLOAD:
        findings.append(Finding("team_overloaded", "book.n_managers",
                                {"need": round(need), "have": round(have), "load": load}))
    elif load < IDLE and n > 0:
        findings.append(Finding("team_idle", "book.n_managers",
                                {"need": round(need), "have": round(have), "load": load}))
    shrink = _expected_shrink(scenario, n, leads)
    if shrink > SHRINK_RATE:
        findings.append(Finding("book_shrinking", "lifecycle",
                                {"rate": shrink, "limit": SHRINK_RATE}))
    needs = contingency(scenario.company, scenario.structure, positions)
    top_share = max(scenario.lifecycle.share_of_wallet.values())
    if needs.line_wallet_factor * top_share > WALLET_MULTIPLE:
        findings.append(Finding("revenue_above_wallet", "company.other_line_wallet",
                                {"ratio": needs.line_wallet_factor * top_share}))
    lines = scenario.company.business_lines
    if lines > MAX_LINES:
        findings.append(Finding("lines_saturated", "company.business_lines",
                                {"lines": lines, "effective": scenario.company.further_lines()}))
    outside = [row for row in plausible_parameters(scenario, "")
               if not _inside(row["value"], row["low"], row["high"])]  # fmt: skip
    if outside:
        listed = ", ".join(f"{r['parameter']} = {r['value']:g} ({r['low']:g}-{r['high']:g})"
                           for r in outside[:4])  # fmt: skip
        findings.append(Finding("outside_range", outside[0]["parameter"],
                                {"items": listed, "n": len(outside)}))
    return findings


def findings_text(
    findings: Any, lang: str | None = None, names: Mapping[str, str] | None = None
) -> list[str]:
    """The findings of several runs in words, each once.

    *findings* maps an option to its findings (:class:`Finding` objects, or their tuples as in
    ``Comparison.findings``) or lists the findings of each run (``meta["findings"]``). With a
    mapping and the options' display *names*, a finding that concerns only some of the options
    names them first ("Extended roles: Out of range: ...").
    """
    def key(item: Any) -> tuple:
        return item.as_tuple() if isinstance(item, Finding) else tuple(item)

    if names is None or not hasattr(findings, "items"):
        groups = findings.values() if hasattr(findings, "values") else findings
        seen = dict.fromkeys(key(item) for found in groups for item in found)
        return [Finding.from_tuple(item).text(lang) for item in seen]
    by_item: dict[tuple, list[str]] = {}
    for option, found in findings.items():
        for item in found:
            by_item.setdefault(key(item), []).append(names.get(option, option))
    sep = "、" if lang == "zh" else ", "
    out = []
    for item, options in by_item.items():
        text = Finding.from_tuple(item).text(lang)
        if len(options) < len(findings):
            text = label("guard.options", lang).format(options=sep.join(options), text=text)
        out.append(text)
    return out


def _inside(value: float, low: float, high: float) -> bool:
    return low - 1e-12 <= float(value) <= high + 1e-12


def _expected_shrink(scenario: Scenario, n: int, leads: float) -> float:
    """Share of the book lost net a year at reference satisfaction: customers the chain loses
    less the customers the leads bring (at the funnel's base conversion)."""
    if n <= 0:
        return 0.0
    P = scenario.lifecycle.transition_matrix()
    mix = np.array([0.15, 0.25, 0.5, 0.1, 0.0])  # a typical mix of a going concern
    lost = float((mix @ np.linalg.matrix_power(P, 12))[LOST])
    won = leads * 12 * scenario.funnel.conversion() / n
    return lost - won


#: Codes of the findings :func:`check_result` makes from what a run did (the others are known
#: before it runs).
RESULT_CODES: tuple[str, ...] = ("book_shrank", "revenue_above_wallet")


def check_result(monthly: Any, n_start: int, wallet_ratio: float) -> list[Finding]:
    """What a finished run did that is out of range (after it): the active book shrinking
    faster than :data:`SHRINK_RATE` a year; revenue above the customers' whole wallets
    (*wallet_ratio*: revenue over the declared wallets of the months they were active)."""
    findings = []
    months = len(monthly)
    if not months:
        return findings
    end = float(monthly["active_customers"].iloc[-1])
    if n_start > 0 and months >= 12:  # (a short run mostly loses the book's declining start)
        yearly = 1.0 - (max(end, 0.5) / n_start) ** (12.0 / months)
        if yearly > SHRINK_RATE:
            findings.append(Finding("book_shrank", "lifecycle", {
                "start": int(n_start), "end": int(end), "months": months, "rate": yearly,
                "limit": SHRINK_RATE}))  # fmt: skip
    if math.isfinite(wallet_ratio) and wallet_ratio > WALLET_MULTIPLE:
        findings.append(Finding("revenue_above_wallet", "company.other_line_wallet",
                                {"ratio": wallet_ratio}))
    return findings
