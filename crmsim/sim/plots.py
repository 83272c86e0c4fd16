"""Charts of simulation results (matplotlib). Each ``plot_x(table, ax=None, ...)`` takes a tidy
table from :mod:`crmsim.sim.experiments` (``Comparison.monthly``, ``Comparison.funnel``,
``Comparison.differences``, ``Replications.monthly``...) and returns the Axes it drew on; a
figure is created only when *ax* is None. Labels are English by default; ``lang="zh"`` or
``"both"`` uses the Chinese terms of :mod:`crmsim.terms` for stages and structures.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import StrMethodFormatter

from crmsim.errors import ParameterError
from crmsim.sim.funnel import STEP_NAMES
from crmsim.sim.stats import t_quantile
from crmsim.terms import STAGES, label


def _axes(ax: Axes | None, size: tuple[float, float] = (7.0, 4.0)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _need(table: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(f"parameter '{name}' must have the columns {missing}")


def _groups(table: pd.DataFrame, by: str | None) -> list[tuple[str, pd.DataFrame]]:
    if by is None or by not in table.columns:
        return [("", table)]
    return [(str(k), g) for k, g in table.groupby(by, sort=False)]


def plot_monthly(
    monthly: pd.DataFrame,
    column: str = "revenue",
    *,
    by: str | None = "scenario",
    level: float = 0.95,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Mean of a monthly KPI per group, with a t confidence band across replications.

    Parameters
    ----------
    monthly : DataFrame
        Stacked monthly tables with ``month``, ``replication`` and *column* (and *by*).
    column : str
        The KPI to draw (revenue, net_contribution, active_customers...).
    by : str, optional
        Column naming the scenario of each row (one line per value).

    Examples
    --------
    >>> t = pd.DataFrame({"month": [1, 1, 2, 2], "replication": [0, 1, 0, 1],
    ...                   "revenue": [1.0, 3.0, 2.0, 4.0]})
    >>> plot_monthly(t, by=None).get_ylabel()
    'Revenue'
    """
    _need(monthly, ["month", "replication", column], "monthly")
    ax = _axes(ax)
    for name, part in _groups(monthly, by):
        stats = part.groupby("month")[column].agg(["mean", "std", "count"])
        q = stats["count"].map(lambda n: t_quantile(0.5 + level / 2, n - 1) if n > 1 else np.nan)
        half = q * stats["std"] / np.sqrt(stats["count"])
        (line,) = ax.plot(stats.index, stats["mean"], label=label(name, lang) if name else None)
        if half.notna().any():
            ax.fill_between(
                stats.index, stats["mean"] - half, stats["mean"] + half,
                color=line.get_color(), alpha=0.2, linewidth=0,
            )  # fmt: skip
    ax.set_xlabel("Month")
    ax.set_ylabel(column.replace("_", " ").capitalize())
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.10g}"))
    if by is not None and by in monthly.columns:
        ax.legend(fontsize="small")
    return ax


def plot_stage_mix(
    monthly: pd.DataFrame,
    *,
    by: str | None = "scenario",
    month: int | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Stacked bars of the mean number of customers per lifecycle stage, one bar per group.

    Uses the last month unless *month* is given.

    Examples
    --------
    >>> t = pd.DataFrame({"month": [1], "replication": [0], "customers_exploration": [5],
    ...     "customers_formation": [3], "customers_stability": [9], "customers_decline": [1]})
    >>> len(plot_stage_mix(t, by=None).patches)
    4
    """
    cols = [f"customers_{s}" for s in STAGES]
    _need(monthly, ["month", *cols], "monthly")
    month = int(monthly["month"].max()) if month is None else month
    at = monthly[monthly["month"] == month]
    ax = _axes(ax)
    groups = _groups(at, by)
    names = [label(n, lang) if n else "all" for n, _ in groups]
    bottom = np.zeros(len(groups))
    for col, stage in zip(cols, STAGES, strict=True):
        values = np.array([g[col].mean() for _, g in groups])
        ax.bar(names, values, bottom=bottom, label=label(stage, lang))
        bottom += values
    ax.set_ylabel(f"Customers at month {month}")
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", labelrotation=15)
    return ax


def plot_funnel(
    funnel: pd.DataFrame,
    *,
    by: str | None = "scenario",
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Share of leads reaching each development step (all channels and replications pooled).

    Examples
    --------
    >>> t = pd.DataFrame({"step": ["find", "contact"], "step_number": [1, 2],
    ...                   "entries": [10, 5], "passes": [5, 2]})
    >>> plot_funnel(t, by=None).get_ylabel()
    'Share of leads reaching the step'
    """
    _need(funnel, ["step", "step_number", "entries"], "funnel")
    ax = _axes(ax)
    for name, part in _groups(funnel, by):
        entries = part.groupby("step_number")["entries"].sum().sort_index()
        first = entries.iloc[0] if len(entries) else 0
        share = entries / first if first else entries * np.nan
        ax.plot(share.index, share.values, marker="o", label=label(name, lang) if name else None)
    ax.set_xticks(range(1, len(STEP_NAMES) + 1))
    ax.set_xticklabels([label(s, lang) for s in STEP_NAMES], rotation=35, ha="right",
                       fontsize="small")  # fmt: skip
    ax.set_ylabel("Share of leads reaching the step")
    ax.set_ylim(0, 1.05)
    if by is not None and by in funnel.columns:
        ax.legend(fontsize="small")
    return ax


def plot_utilisation(
    monthly: pd.DataFrame,
    *,
    by: str | None = "scenario",
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Manager utilisation per month (mean with confidence band) for each group."""
    ax = plot_monthly(monthly, "manager_utilisation", by=by, ax=ax, lang=lang)
    ax.set_ylabel("Manager utilisation")
    ax.set_ylim(0, 1.05)
    return ax


def plot_differences(
    differences: pd.DataFrame,
    kpi: str = "net_contribution",
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Paired differences to the baseline with their confidence intervals (one KPI).

    Examples
    --------
    >>> t = pd.DataFrame({"scenario": ["a", "b"], "baseline": ["a", "a"], "kpi": ["x", "x"],
    ...     "mean_difference": [0.0, 2.0], "ci_low": [0.0, 1.0], "ci_high": [0.0, 3.0]})
    >>> plot_differences(t, "x").get_xlabel()
    'Difference in x vs a'
    """
    _need(differences, ["scenario", "baseline", "kpi", "mean_difference", "ci_low", "ci_high"],
          "differences")  # fmt: skip
    part = differences[(differences["kpi"] == kpi) & (differences["scenario"]
                                                      != differences["baseline"])]  # fmt: skip
    ax = _axes(ax)
    y = np.arange(len(part))
    mean = part["mean_difference"].to_numpy(dtype=float)
    low = mean - part["ci_low"].to_numpy(dtype=float)
    high = part["ci_high"].to_numpy(dtype=float) - mean
    err = np.vstack([np.nan_to_num(low), np.nan_to_num(high)])
    ax.errorbar(mean, y, xerr=err, fmt="o", capsize=4)
    ax.axvline(0.0, color="grey", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([label(s, lang) for s in part["scenario"]])
    base = differences["baseline"].iloc[0] if len(differences) else ""
    ax.set_xlabel(f"Difference in {kpi.replace('_', ' ')} vs {label(base, lang)}")
    if len(part):
        span = float(np.nanmax(np.abs(np.r_[part["ci_low"], part["ci_high"], mean])))
        if math.isfinite(span) and span > 0:
            ax.set_xlim(-1.1 * span, 1.1 * span)
    return ax
