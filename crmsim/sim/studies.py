"""Ready-made simulation studies for the command line, the HTML report and the notebooks.

- :func:`structure_comparison` — the demo's main study: one company under each of the four
  structures of domain.md §7, common random numbers across structures, KPIs with confidence
  intervals and paired differences to the current structure.
- :func:`scenario_study` — any scenario (e.g. read from a TOML file) over a few replications.

Both compute and return, with their KPI tables formatted for people ("mean ± half-width");
:mod:`crmsim.report.simulation` then adds the tables and charts to a page. Nothing here prints,
draws or writes files, and nothing depends on timing, so the same seed gives the same tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from crmsim.sim.decision import Recommendation, recommend
from crmsim.sim.experiments import Comparison, Replications, compare, replicate
from crmsim.sim.kpis import KPIS, display_label
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.structures import STRUCTURE_NAMES
from crmsim.terms import label

#: How each KPI is shown: (label, scale, decimals), from the registry crmsim.sim.kpis. Money in
#: million CNY, shares in percent.
KPI_DISPLAY: dict[str, tuple[str, float, int]] = {
    k.name: (display_label(k.name, "en"), k.scale, k.decimals) for k in KPIS
}

#: KPIs shown in the demo, in order.
DEMO_KPIS: tuple[str, ...] = (
    "value_created",
    "customer_equity_end",
    "revenue",
    "net_contribution",
    "active_customers_end",
    "new_customers",
    "lost_customers",
    "retention",
    "service_level",
    "mean_satisfaction",
    "complaints",
    "manager_utilisation",
)


def format_estimate(mean: float, half_width: float, kpi: str, signed: bool = False) -> str:
    """``"mean ± half-width"`` in the display unit of *kpi* (see :data:`KPI_DISPLAY`).

    Examples
    --------
    >>> format_estimate(47_312_000.0, 410_000.0, "revenue")
    '47.31 ± 0.41'
    >>> format_estimate(-0.0123, 0.004, "retention", signed=True)
    '-1.2 ± 0.4'
    >>> format_estimate(3.0, float("nan"), "complaints")
    '3.0'
    """
    _, scale, digits = KPI_DISPLAY.get(kpi, (kpi, 1.0, 3))
    sign = "+" if signed else ""
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "n/a"
    text = f"{mean * scale:{sign},.{digits}f}"
    if half_width is not None and not math.isnan(half_width):
        text += f" ± {half_width * scale:,.{digits}f}"
    return text


def estimate_cells(comparison: Comparison, kpis: Sequence[str]) -> dict[str, list[str]]:
    """Per scenario (in the comparison's order), each KPI of *kpis* as "mean ± half-width of the
    95% CI" in its display unit — the cells of every KPI table (demo, manager's report, dashboard).

    Examples
    --------
    >>> c = compare({"a": Scenario.synthetic(30, 2, months=2)}, 2, seed=1, workers=1)
    >>> list(estimate_cells(c, ("revenue", "complaints")))
    ['a']
    """
    out: dict[str, list[str]] = {}
    for name, part in comparison.summary.groupby("scenario", sort=False):
        part = part.set_index("kpi")
        out[str(name)] = [
            format_estimate(part.at[k, "mean"], part.at[k, "half_width"], k) for k in kpis
        ]
    return out


def difference_cells(comparison: Comparison, kpis: Sequence[str]) -> dict[str, list[str]]:
    """Per scenario other than the baseline, each KPI's paired difference to the baseline as
    "difference ± half-width", with `` *`` when its interval excludes zero."""
    out: dict[str, list[str]] = {}
    for name, part in comparison.differences.groupby("scenario", sort=False):
        if name == comparison.baseline:
            continue
        part = part.set_index("kpi")
        cells = []
        for k in kpis:
            mean, low, high = (part.at[k, c] for c in ("mean_difference", "ci_low", "ci_high"))
            text = format_estimate(mean, part.at[k, "half_width"], k, signed=True)
            cells.append(text + (" *" if low > 0 or high < 0 else ""))
        out[str(name)] = cells
    return out


def kpi_table(comparison: Comparison, kpis: tuple[str, ...] = DEMO_KPIS) -> pd.DataFrame:
    """Per scenario, each KPI as "mean ± half-width of the 95% CI" (one row per KPI).

    Examples
    --------
    >>> c = compare({"a": Scenario.synthetic(30, 2, months=2)}, 2, seed=1, workers=1)
    >>> kpi_table(c, ("revenue",)).columns.tolist()
    ['a']
    """
    out = {label(str(name)): cells for name, cells in estimate_cells(comparison, kpis).items()}
    return pd.DataFrame(out, index=pd.Index([KPI_DISPLAY[k][0] for k in kpis], name="KPI"))


def difference_table(comparison: Comparison, kpis: tuple[str, ...] = DEMO_KPIS) -> pd.DataFrame:
    """Paired differences of each scenario minus the baseline, "difference ± half-width", one
    column per scenario other than the baseline.

    A difference whose interval excludes zero is marked with ``*``.

    Examples
    --------
    >>> s = Scenario.synthetic(30, 2, months=2)
    >>> c = compare({"a": s, "b": s}, 2, seed=1, workers=1)
    >>> difference_table(c, ("revenue",)).iloc[0, 0]
    '+0.00 ± 0.00'
    >>> difference_table(c, ("revenue",)).columns.tolist()
    ['b']
    """
    out = {label(str(name)): cells for name, cells in difference_cells(comparison, kpis).items()}
    return pd.DataFrame(out, index=pd.Index([KPI_DISPLAY[k][0] for k in kpis], name="KPI"))


# --------------------------------------------------------------------- the four structures


@dataclass(frozen=True, eq=False)
class StructureReport:
    """Result of :func:`structure_comparison`.

    Attributes
    ----------
    comparison : Comparison
        All the tables (summary, differences, runs, monthly, funnel, managers).
    means : DataFrame
        One row per KPI, one column per structure: "mean ± half-width of the 95% CI".
    differences : DataFrame
        One row per KPI, one column per other structure: paired difference to the current one.
    replications, months : int
        The size of the study.
    """

    comparison: Comparison
    means: pd.DataFrame
    differences: pd.DataFrame
    replications: int
    months: int

    @property
    def baseline(self) -> str:
        """Name of the current structure (the baseline)."""
        return self.comparison.baseline


def structure_comparison(
    replications: int = 20,
    months: int = 36,
    seed: int = 2024,
    *,
    base: Scenario | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> StructureReport:
    """Compare the four account-manager structures on one company.

    Parameters
    ----------
    replications : int
        Replications per structure (common random numbers across structures).
    months : int
        Horizon of each run.
    seed : int
        Seed of the study; the same seed gives the same tables.
    base : Scenario, optional
        The company and its current organisation (default ``Scenario()``: the bundled company,
        dedicated post). Its structure is the baseline; the others replace only ``structure``.
    executor, workers, progress
        As in :func:`crmsim.sim.experiments.compare`.

    Examples
    --------
    >>> base = Scenario.synthetic(40, 3, months=2)
    >>> report = structure_comparison(2, 2, seed=1, base=base, workers=1)
    >>> report.baseline, list(report.means.columns)[:2]
    ('dedicated_post', ['Dedicated post', 'Extended roles'])
    """
    base = Scenario(months=months) if base is None else base.replace(months=months)
    current = base.structure.name
    order = [current] + [s for s in STRUCTURE_NAMES if s != current]
    scenarios = {
        name: base if name == current else base.replace(structure=name, name=name)
        for name in order
    }
    comparison = compare(
        scenarios,
        replications=replications,
        seed=seed,
        baseline=current,
        executor=executor,
        workers=workers,
        progress=progress,
    )
    return StructureReport(
        comparison, kpi_table(comparison), difference_table(comparison), replications, months
    )


def structure_recommendation(study: StructureReport, lang: str = "en") -> Recommendation:
    """The manager's recommendation on a structure study (:func:`crmsim.sim.decision.recommend`:
    customer value created, with net contribution over the horizon beside it, weighed with
    revenue, customers, retention, service, complaints, risk and the horizon)."""
    return recommend(study.comparison, lang=lang)


# ------------------------------------------------------------------------- any scenario


@dataclass(frozen=True, eq=False)
class ScenarioReport:
    """Result of :func:`scenario_study`: the replications and the KPI table."""

    scenario: Scenario
    replications: Replications
    means: pd.DataFrame


def scenario_study(
    scenario: Scenario,
    replications: int = 10,
    seed: int = 0,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> ScenarioReport:
    """Run one scenario over several replications and summarise its KPIs.

    Examples
    --------
    >>> r = scenario_study(Scenario.synthetic(40, 3, months=2), 2, seed=1, workers=1)
    >>> r.means.columns.tolist()
    ['mean ± 95% CI', 'min', 'max']
    """
    reps = replicate(
        scenario, replications, seed=seed, executor=executor, workers=workers, progress=progress
    )
    summary = reps.summary().set_index("kpi")
    rows = {}
    for k in summary.index:
        values = reps.kpis[k]
        rows[KPI_DISPLAY[k][0]] = {
            "mean ± 95% CI": format_estimate(summary.at[k, "mean"], summary.at[k, "half_width"], k),
            "min": format_estimate(values.min(), math.nan, k),
            "max": format_estimate(values.max(), math.nan, k),
        }
    means = pd.DataFrame.from_dict(rows, orient="index")
    means.index.name = "KPI"
    return ScenarioReport(scenario, reps, means)
