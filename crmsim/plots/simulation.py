"""Charts of simulation results (matplotlib). Each ``plot_x(table, ax=None, ...)`` takes a tidy
table from :mod:`crmsim.sim.experiments` (``Comparison.monthly``, ``Comparison.funnel``,
``Comparison.differences``, ``Replications.monthly``...) and returns the Axes it drew on; a
figure is created only when *ax* is None. Every text (title, axes, legend, tick labels) is in
the session language (:func:`crmsim.set_language`) unless ``lang="en" | "zh" | "both"`` says
otherwise; scenario names that are structures or allocation rules (or several of them joined,
e.g. ``"dedicated_post/by_specialty"``) are shown by their names in that language.
"""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from crmsim.errors import ParameterError
from crmsim.plots._labels import (
    chart_text,
    compact_formatter,
    finish,
    kpi_axis_format,
    kpi_label,
    plot_language,
)
from crmsim.plots.lifecycle import STAGE_COLOURS
from crmsim.sim.scenario.funnel import STEP_NAMES
from crmsim.sim.stats import t_half_widths
from crmsim.terms import STAGES, TERMS, label

# separators between the parts of a composite scenario name ("dedicated_post/by_specialty")
_NAME_PARTS = re.compile(r"(\s*[/+|,&×]\s*|\s+vs\.?\s+)")


def scenario_label(name: str, lang: str | None = None) -> str:
    """A scenario name as a chart shows it: structures, allocation rules and other terms of the
    translation table by their name in *lang*, also inside a composite name.

    >>> scenario_label("extended_roles", "zh")
    '扩大工作范围'
    >>> scenario_label("dedicated_post/by_specialty", "zh")
    '增设独立岗位/专业特长分配法'
    >>> scenario_label("my own idea", "zh")
    'my own idea'
    """
    lang = plot_language(lang)
    if name in TERMS:
        return label(name, lang)
    parts = _NAME_PARTS.split(name)
    if len(parts) == 1:
        return name
    if lang == "both":
        return f"{scenario_label(name, 'en')} ({scenario_label(name, 'zh')})"
    return "".join(label(p, lang) if i % 2 == 0 else p for i, p in enumerate(parts))


def _level(level: float) -> str:
    return f"{level:.0%}"


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
    lang: str | None = None,
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
    level : float
        Confidence level of the band.
    ax : Axes, optional
    lang : {"en", "zh", "both"}, optional
        Language of every text; default the session language.

    Examples
    --------
    >>> t = pd.DataFrame({"month": [1, 1, 2, 2], "replication": [0, 1, 0, 1],
    ...                   "revenue": [1.0, 3.0, 2.0, 4.0]})
    >>> plot_monthly(t, by=None).get_ylabel()
    'Revenue (CNY)'
    """
    _need(monthly, ["month", "replication", column], "monthly")
    lang = plot_language(lang)
    ax = _axes(ax)
    for name, part in _groups(monthly, by):
        stats = part.groupby("month")[column].agg(["mean", "std", "count"])
        half = t_half_widths(stats["std"], stats["count"], level)
        (line,) = ax.plot(stats.index, stats["mean"],
                          label=scenario_label(name, lang) if name else None)
        if half.notna().any():
            ax.fill_between(
                stats.index, stats["mean"] - half, stats["mean"] + half,
                color=line.get_color(), alpha=0.2, linewidth=0,
            )  # fmt: skip
    ax.set_xlabel(chart_text("chart.month", lang))
    ax.set_ylabel(kpi_label(column, lang))
    kpi_axis_format(ax.yaxis, column, lang)
    ax.set_title(chart_text("chart.monthly.title", lang,
                            kpi=lambda lg: kpi_label(column, lg, unit=False), level=_level(level)))
    if by is not None and by in monthly.columns:
        ax.legend(fontsize="small")
    return finish(ax, lang)


def plot_stage_mix(
    monthly: pd.DataFrame,
    *,
    by: str | None = "scenario",
    month: int | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
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
    lang = plot_language(lang)
    month = int(monthly["month"].max()) if month is None else month
    at = monthly[monthly["month"] == month]
    ax = _axes(ax)
    groups = _groups(at, by)
    names = [scenario_label(n, lang) if n else chart_text("chart.all", lang) for n, _ in groups]
    x = np.arange(len(groups))
    bottom = np.zeros(len(groups))
    for col, stage in zip(cols, STAGES, strict=True):
        values = np.array([g[col].mean() for _, g in groups])
        ax.bar(x, values, bottom=bottom, label=label(stage, lang), color=STAGE_COLOURS[stage])
        bottom += values
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_ylabel(chart_text("chart.sim_stage_mix.ylabel", lang, month=month))
    ax.yaxis.set_major_formatter(compact_formatter(lang))
    ax.set_title(chart_text("chart.sim_stage_mix.title", lang, month=month))
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", labelrotation=15)
    return finish(ax, lang)


def plot_funnel(
    funnel: pd.DataFrame,
    *,
    by: str | None = "scenario",
    ax: Axes | None = None,
    lang: str | None = None,
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
    lang = plot_language(lang)
    ax = _axes(ax)
    for name, part in _groups(funnel, by):
        entries = part.groupby("step_number")["entries"].sum().sort_index()
        first = entries.iloc[0] if len(entries) else 0
        share = entries / first if first else entries * np.nan
        ax.plot(share.index, share.values, marker="o",
                label=scenario_label(name, lang) if name else None)
    ax.set_xticks(range(1, len(STEP_NAMES) + 1))
    ax.set_xticklabels([label(s, lang) for s in STEP_NAMES], rotation=35, ha="right",
                       fontsize="small")  # fmt: skip
    ax.set_ylabel(chart_text("chart.funnel.ylabel", lang))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1.05)
    ax.set_title(chart_text("chart.funnel.title", lang))
    if by is not None and by in funnel.columns:
        ax.legend(fontsize="small")
    return finish(ax, lang)


def plot_utilisation(
    monthly: pd.DataFrame,
    *,
    by: str | None = "scenario",
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Manager utilisation per month (mean with confidence band) for each group."""
    lang = plot_language(lang)
    ax = plot_monthly(monthly, "manager_utilisation", by=by, ax=ax, lang=lang)
    ax.set_ylim(0, 1.05)
    ax.set_title(chart_text("chart.utilisation.title", lang))
    return ax


def plot_differences(
    differences: pd.DataFrame,
    kpi: str = "net_contribution",
    *,
    level: float = 0.95,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Paired differences to the baseline with their confidence intervals (one KPI).

    *level* only names the interval in the title; the intervals are the table's ``ci_low`` and
    ``ci_high`` (95% from :func:`crmsim.sim.compare` by default).

    Examples
    --------
    >>> t = pd.DataFrame({"scenario": ["a", "b"], "baseline": ["a", "a"], "kpi": ["x", "x"],
    ...     "mean_difference": [0.0, 2.0], "ci_low": [0.0, 1.0], "ci_high": [0.0, 3.0]})
    >>> plot_differences(t, "x").get_xlabel()
    'X: difference vs a'
    """
    _need(differences, ["scenario", "baseline", "kpi", "mean_difference", "ci_low", "ci_high"],
          "differences")  # fmt: skip
    lang = plot_language(lang)
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
    ax.set_yticklabels([scenario_label(str(s), lang) for s in part["scenario"]])
    base = str(differences["baseline"].iloc[0]) if len(differences) else ""
    ax.set_xlabel(chart_text("chart.differences.xlabel", lang,
                             kpi=lambda lg: kpi_label(kpi, lg),
                             baseline=lambda lg: scenario_label(base, lg)))
    kpi_axis_format(ax.xaxis, kpi, lang)
    ax.set_title(chart_text("chart.differences.title", lang, level=_level(level)))
    if len(part):
        span = float(np.nanmax(np.abs(np.r_[part["ci_low"], part["ci_high"], mean])))
        if math.isfinite(span) and span > 0:
            ax.set_xlim(-1.1 * span, 1.1 * span)
    return finish(ax, lang)
