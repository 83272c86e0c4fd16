"""Paired simulation studies behind the simulation apps (funnel, star, incentives, rollout).

A :class:`PairedStudy` runs scenarios of one company on the same replication seeds (common random
numbers, 共同随机数), so that "changed setting minus reference" is measured replication by
replication and its confidence interval is narrow even with few replications. Every scenario is
run once per seed and kept in a small cache keyed by the scenario's hash: moving a slider back to a
value already seen, or editing a text field, costs no simulation.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.sim.experiments import replication_seeds, simulate
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci

#: Runs kept per study (scenarios × replications are small tables; 64 settings is plenty).
CACHE_SIZE = 64


def classroom_scenario(months: int = 12) -> Scenario:
    """The classroom company (300 customers, 10 managers, as scenarios/classroom.toml).

    Examples
    --------
    >>> s = classroom_scenario(6)
    >>> s.book.n_customers, s.book.n_managers, s.months
    (300, 10, 6)
    """
    months = int(check_number("months", months, minimum=1, integer=True))
    return Scenario.synthetic(300, 10, name="classroom: 300 customers, 10 managers", months=months)


@dataclass(frozen=True, eq=False)
class Run:
    """What the apps keep of one replication: KPIs (plus total pay) and three tables."""

    kpis: dict[str, float]
    monthly: pd.DataFrame
    funnel: pd.DataFrame
    managers: pd.DataFrame


def _run(scenario: Scenario, seed: np.random.SeedSequence) -> Run:
    result = simulate(scenario, seed)
    kpis = result.kpis()
    kpis["pay"] = float(result.monthly["manager_cost"].sum())
    kpis["crm_cost"] = float(result.monthly["crm_cost"].sum())
    return Run(kpis, result.monthly, result.funnel, result.managers)


class PairedStudy:
    """Scenarios of one company run over the same replication seeds, with a cache.

    Parameters
    ----------
    replications : int
        Replications per scenario (the same seeds for every scenario).
    seed : int
        Seed of the study; replication *i* uses ``SeedSequence(seed).spawn(n)[i]``.

    Examples
    --------
    >>> study = PairedStudy(2, seed=1)
    >>> s = classroom_scenario(2)
    >>> table = study.versus(s, s, ["revenue"])
    >>> float(table.loc["revenue", "difference"])
    0.0
    """

    def __init__(self, replications: int = 3, seed: int = 2024) -> None:
        self.replications = int(check_number("replications", replications, minimum=2,
                                             integer=True))  # fmt: skip
        self.seeds = replication_seeds(seed, self.replications)
        self._cache: OrderedDict[str, list[Run]] = OrderedDict()
        self.simulated = 0  # scenarios actually simulated (cache misses), for tests and benchmarks

    def runs(self, scenario: Scenario) -> list[Run]:
        """The replications of *scenario* (simulated once, then served from the cache)."""
        if not isinstance(scenario, Scenario):
            raise ParameterError(
                f"parameter 'scenario' must be a Scenario; got {type(scenario).__name__}"
            )
        key = scenario.hash()
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        runs = [_run(scenario, s) for s in self.seeds]
        self.simulated += 1
        self._cache[key] = runs
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return runs

    def versus(
        self, scenario: Scenario, reference: Scenario, kpis: list[str], level: float = 0.95
    ) -> pd.DataFrame:
        """KPI means of *reference* and *scenario* and their paired difference with a t interval.

        Returns a table indexed by ``kpi`` with columns ``reference, scenario, difference,
        ci_low, ci_high, half_width``.
        """
        mine, base = self.runs(scenario), self.runs(reference)
        rows = []
        for k in kpis:
            a = np.array([r.kpis[k] for r in base], dtype=float)
            b = np.array([r.kpis[k] for r in mine], dtype=float)
            ci = mean_ci(b - a, level)
            rows.append({"kpi": k, "reference": float(np.nanmean(a)),
                         "scenario": float(np.nanmean(b)), "difference": ci["mean"],
                         "ci_low": ci["ci_low"], "ci_high": ci["ci_high"],
                         "half_width": ci["half_width"]})  # fmt: skip
        return pd.DataFrame(rows).set_index("kpi")

    def stacked(self, scenarios: dict[str, Scenario], table: str) -> pd.DataFrame:
        """One table (``monthly``, ``funnel`` or ``managers``) of every run, with ``scenario`` and
        ``replication`` columns, ready for :mod:`crmsim.plots.simulation`."""
        parts = [
            getattr(run, table).assign(scenario=name, replication=i)
            for name, sc in scenarios.items()
            for i, run in enumerate(self.runs(sc))
        ]
        return pd.concat(parts, ignore_index=True)


def kpi_name(kpi: str, lang: str | None = None) -> str:
    """Row label of a KPI: the chart's KPI name, or this package's label for pay and CRM cost."""
    from crmsim.plots._labels import kpi_label
    from crmsim.terms import TERMS, label

    key = f"simapp.{kpi}"
    return label(key, lang) if key in TERMS else kpi_label(kpi, lang)


def _digits(size: float) -> int:
    return 0 if size >= 100 else 1 if size >= 1 else 3


def _number(x: float, size: float) -> str:
    """*x* with thousands separators and the decimals that numbers of *size* need.

    >>> _number(9586875.216, 9586875.216), _number(13.333, 13.333), _number(0.7731, 0.7731)
    ('9,586,875', '13.3', '0.773')
    """
    return "—" if np.isnan(x) else f"{x:,.{_digits(abs(size))}f}"


def _interval(low: float, high: float) -> str:
    """``"low … high"`` with as many decimals as the size of the numbers needs.

    >>> _interval(-1311348.2, -827712.9), _interval(-28.51, 1.845), _interval(0.0057, 0.0206)
    ('-1,311,348 … -827,713', '-28.5 … 1.8', '0.006 … 0.021')
    """
    if np.isnan(low) or np.isnan(high):
        return "—"
    digits = _digits(max(abs(low), abs(high)))
    return f"{low:,.{digits}f} … {high:,.{digits}f}"


def versus_view(table: pd.DataFrame, reference: str, scenario: str,
                lang: str | None = None) -> pd.DataFrame:
    """A :meth:`PairedStudy.versus` table with labelled rows and headers, for display.

    *reference* and *scenario* are label keys naming the two settings.
    """
    from crmsim.terms import label, resolve_language

    lang = resolve_language(lang)
    size = table[["reference", "scenario"]].abs().max(axis=1)
    view = pd.DataFrame({
        label(reference, lang): [_number(x, n) for x, n in zip(table["reference"], size,
                                                                strict=True)],
        label(scenario, lang): [_number(x, n) for x, n in zip(table["scenario"], size,
                                                               strict=True)],
        label("simapp.difference", lang): [_number(x, n) for x, n in zip(table["difference"],
                                                                          size, strict=True)],
        label("simapp.ci", lang): [
            _interval(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
        ],
    })
    view.index = pd.Index([kpi_name(k, lang) for k in table.index], name=label("simapp.kpi", lang))
    return view
