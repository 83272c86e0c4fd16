"""Charts of the manager's report: options over time with bands and event markers, paired
differences, concentration of sales, and the tornado of a sensitivity study.

Each ``plot_x(table, ..., names=..., ax=None, lang=None) -> Axes`` takes a tidy table and a
mapping of option identifiers to the names to show (so a file called ``A.toml`` stays "A");
every other word comes from the translation table (:mod:`crmsim.terms`, keys ``whatif.chart.*``).
Numbers are compact (``1.2M``, ``125万``), never a ``1e6`` offset; legends sit beside the plot,
not over the lines.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from crmsim.plots._labels import (
    SHARE_KPIS,
    finish,
    kpi_axis_format,
    kpi_label,
    money_formatter,
)
from crmsim.sim.stats import t_half_widths
from crmsim.terms import label, resolve_language

__all__ = [
    "band_table",
    "plot_bands",
    "plot_concentration",
    "plot_forest",
    "plot_tornado",
]


def _t(key: str, lang: str, **values: object) -> str:
    return label(f"whatif.chart.{key}", lang).format(**values)


def _axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.2)) -> Axes:
    if ax is None:
        from crmsim.plots.figure import new_figure

        _, ax = new_figure(*size)
    return ax


def band_table(
    monthly: pd.DataFrame,
    column: str,
    *,
    cumulative: bool = False,
    level: float = 0.95,
) -> pd.DataFrame:
    """Per option and month: mean of *column* over the replications and its t interval.

    Returns
    -------
    DataFrame
        ``scenario, month, mean, ci_low, ci_high, n`` (cumulative sums per replication first
        when *cumulative*).

    Examples
    --------
    >>> t = pd.DataFrame({"scenario": "a", "replication": [0, 1, 0, 1], "month": [1, 1, 2, 2],
    ...                   "revenue": [1.0, 3.0, 2.0, 2.0]})
    >>> band_table(t, "revenue", cumulative=True)["mean"].tolist()
    [2.0, 4.0]
    """
    order = {name: i for i, name in enumerate(dict.fromkeys(monthly["scenario"]))}
    table = monthly.assign(_order=monthly["scenario"].map(order))
    table = table.sort_values(["_order", "replication", "month"], kind="mergesort")
    values = table[column].astype(float)
    if cumulative:
        values = values.groupby([table["scenario"], table["replication"]], sort=False).cumsum()
    table = table.assign(_v=values)
    stats = table.groupby(["scenario", "month"], sort=False)["_v"].agg(["mean", "std", "count"])
    half = t_half_widths(stats["std"], stats["count"], level).fillna(0.0)
    out = pd.DataFrame({"mean": stats["mean"], "ci_low": stats["mean"] - half,
                        "ci_high": stats["mean"] + half, "n": stats["count"]})  # fmt: skip
    return out.reset_index()


def plot_bands(
    bands: pd.DataFrame,
    kpi: str,
    *,
    names: Mapping[str, str] | None = None,
    events: Mapping[str, int] | None = None,
    crossovers: Mapping[str, int] | None = None,
    cumulative: bool = False,
    styles: Mapping[str, Mapping[str, object]] | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """One line per option with its confidence band (from :func:`band_table`).

    Parameters
    ----------
    bands : DataFrame
        ``scenario, month, mean, ci_low, ci_high``.
    kpi : str
        The column drawn (names the axis).
    names : mapping, optional
        Option → name shown.
    events : mapping of text to month, optional
        Vertical markers at the *start* of each month (e.g. the star leaving).
    crossovers : mapping of text to month, optional
        Markers where one option overtakes another (cumulative charts).
    cumulative : bool
        Whether the values are cumulative (titles the chart).
    styles : mapping, optional
        Option → line properties (``color``, ``linestyle``), e.g. a counterfactual drawn dashed
        in its option's colour.
    """
    lang = resolve_language(lang)
    names = dict(names or {})
    ax = _axes(ax)
    styles = dict(styles or {})
    for option, part in bands.groupby("scenario", sort=False):
        (line,) = ax.plot(part["month"], part["mean"], label=names.get(option, str(option)),
                          **dict(styles.get(option, {})))  # fmt: skip
        ax.fill_between(part["month"], part["ci_low"], part["ci_high"],
                        color=line.get_color(), alpha=0.18, linewidth=0)  # fmt: skip
    for text, month in (events or {}).items():
        ax.axvline(month - 0.5, color="#b3261e", linestyle="--", linewidth=1.2)
        ax.annotate(text, xy=(month - 0.5, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -3), textcoords="offset points", va="top", ha="left",
                    fontsize="small", color="#b3261e")  # fmt: skip
    for text, month in (crossovers or {}).items():
        ax.axvline(month, color="#52606d", linestyle=":", linewidth=1.2)
        ax.annotate(text, xy=(month, 0.0), xycoords=("data", "axes fraction"),
                    xytext=(3, 3), textcoords="offset points", va="bottom", ha="left",
                    fontsize="small", color="#52606d")  # fmt: skip
    name = kpi_label(kpi, lang, unit=False)
    key = "cumulative_title" if cumulative else "monthly_title"
    if cumulative and lang == "en":  # "Cumulative net contribution", mid-sentence
        name = name[:1].lower() + name[1:]
    ax.set_title(_t(key, lang, kpi=name))
    ax.set_xlabel(label("whatif.chart.month", lang))
    ax.set_ylabel(kpi_label(kpi, lang))
    kpi_axis_format(ax.yaxis, kpi, lang)
    if cumulative or kpi not in SHARE_KPIS:
        ax.axhline(0.0, color="#9aa5b1", linewidth=0.8)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return finish(ax, lang)


def plot_forest(
    table: pd.DataFrame,
    kpi: str,
    *,
    names: Mapping[str, str] | None = None,
    against: str = "",
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Paired differences with their intervals, one row per option.

    Parameters
    ----------
    table : DataFrame
        ``option, mean_difference, ci_low, ci_high`` for one KPI.
    kpi : str
    against : str
        Name of what the differences are taken against (shown in the axis label).
    """
    lang = resolve_language(lang)
    names = dict(names or {})
    ax = _axes(ax, (8.0, 1.2 + 0.55 * max(len(table), 1)))
    y = np.arange(len(table))[::-1]
    mean = table["mean_difference"].to_numpy(dtype=float)
    low = np.nan_to_num(mean - table["ci_low"].to_numpy(dtype=float))
    high = np.nan_to_num(table["ci_high"].to_numpy(dtype=float) - mean)
    clear = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    colours = np.where(clear, "#274b7a", "#9aa5b1")
    for yi, m, lo, hi, c in zip(y, mean, low, high, colours, strict=True):
        ax.errorbar(m, yi, xerr=[[lo], [hi]], fmt="o", capsize=4, color=c)
    ax.axvline(0.0, color="grey", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([names.get(o, str(o)) for o in table["option"]])
    ax.set_ylim(-0.7, len(table) - 0.3)
    ax.set_xlabel(_t("difference_axis", lang, kpi=kpi_label(kpi, lang), against=against))
    kpi_axis_format(ax.xaxis, kpi, lang)
    ax.set_title(_t("difference_title", lang))
    span = float(np.nanmax(np.abs(np.r_[table["ci_low"], table["ci_high"], mean, 0.0])))
    if np.isfinite(span) and span > 0:
        ax.set_xlim(-1.15 * span, 1.15 * span)
    return finish(ax, lang)


def plot_concentration(
    table: pd.DataFrame,
    *,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Share of sales carried by the largest manager and by the top fifth of managers.

    Parameters
    ----------
    table : DataFrame
        ``option, measure, mean, ci_low, ci_high`` with measures ``top_manager`` and
        ``top_fifth`` (shares between 0 and 1).
    """
    lang = resolve_language(lang)
    names = dict(names or {})
    options = list(dict.fromkeys(table["option"]))
    ax = _axes(ax, (8.0, 1.4 + 0.5 * max(len(options), 1)))
    # options down the side, one row each: long names (and many options) never overlap
    y = np.arange(len(options))[::-1]
    height = 0.38
    for i, measure in enumerate(("top_manager", "top_fifth")):
        part = table[table["measure"] == measure].set_index("option").reindex(options)
        mean = part["mean"].to_numpy(dtype=float)
        err = np.vstack([mean - part["ci_low"].to_numpy(dtype=float),
                         part["ci_high"].to_numpy(dtype=float) - mean])  # fmt: skip
        ax.barh(y + (0.5 - i) * height, mean, height, xerr=np.nan_to_num(err), capsize=3,
                label=label(f"whatif.chart.{measure}", lang))  # fmt: skip
    ax.set_yticks(y)
    ax.set_yticklabels([names.get(o, str(o)) for o in options], fontsize="small")
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlim(0, 1.0)
    ax.set_xlabel(label("whatif.chart.share_of_sales", lang))
    ax.set_title(label("whatif.chart.concentration_title", lang))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return finish(ax, lang)


def plot_tornado(
    table: pd.DataFrame,
    *,
    centre: float,
    kpi_text: str,
    zero_line: bool = False,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """A tornado chart: per parameter, a bar from the base point's measure to the measure at
    the parameter's lowest- and highest-scoring values (each value written at the bar's end).

    Parameters
    ----------
    table : DataFrame
        ``parameter, low_value, low_measure, high_value, high_measure, changes`` with the
        widest swing first; ``changes`` marks a parameter with a value that makes another
        option lead (drawn in red, its name starred).
    centre : float
        The measure at the base point (the bars start there).
    kpi_text : str
        What the measure is (the axis label).
    zero_line : bool
        Draw the line where the leading option changes (the measure is a lead over the
        runner-up).

    Examples
    --------
    >>> t = pd.DataFrame({"parameter": ["crm.adoption"], "low_value": ["0"],
    ...     "low_measure": [-1e5], "high_value": ["1"], "high_measure": [2e5], "changes": [True]})
    >>> [x.get_text() for x in plot_tornado(t, centre=5e4, kpi_text="x").get_yticklabels()]
    ['crm.adoption *']
    """
    lang = resolve_language(lang)
    ax = _axes(ax, (8.0, 1.6 + 0.5 * max(len(table), 1)))
    y = np.arange(len(table))[::-1]
    tolerance = 1e-9 * max(1.0, abs(centre))
    for yi, row in zip(y, table.itertuples(index=False), strict=True):
        colour = "#b3261e" if row.changes else "#3e6fb0"
        ends = [(row.low_value, row.low_measure, 0.5), (row.high_value, row.high_measure, 0.95)]
        if str(row.low_value) == str(row.high_value):
            ends = ends[1:]
        moved = [end for end in ends if abs(end[1] - centre) > tolerance]
        if not moved:
            ax.annotate(label("whatif.chart.no_change", lang), xy=(centre, yi), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize="small")  # fmt: skip
            continue
        # two values on the same side of the base: two thinner bars, one above the other, so
        # both bars and both value labels stay visible
        same_side = len(moved) == 2 and (moved[0][1] > centre) == (moved[1][1] > centre)
        for i, (value, measure, alpha) in enumerate(moved):
            at = yi + (0.16 if i else -0.16) if same_side else yi
            ax.barh(at, measure - centre, left=centre, color=colour, alpha=alpha,
                    height=0.3 if same_side else 0.6)  # fmt: skip
            right = measure >= centre
            ax.annotate(str(value), xy=(measure, at), xytext=(4 if right else -4, 0),
                        textcoords="offset points", va="center", ha="left" if right else "right",
                        fontsize="small")  # fmt: skip
    ax.axvline(centre, color="#52606d", linewidth=1)
    if zero_line:
        ax.axvline(0.0, color="#b3261e", linestyle="--", linewidth=1.2)
        ax.annotate(label("whatif.chart.flips", lang), xy=(0.0, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(3, -3),
                    textcoords="offset points", va="top", fontsize="small",
                    color="#b3261e")  # fmt: skip
    ax.set_yticks(y)
    ticks = [f"{p} *" if c else str(p) for p, c in zip(table["parameter"], table["changes"],
                                                        strict=True)]  # fmt: skip
    ax.set_yticklabels(ticks)
    ax.set_ylim(-0.7, len(table) - 0.3)
    ax.xaxis.set_major_formatter(money_formatter(lang))
    ax.set_xlabel(kpi_text)
    ax.set_title(label("whatif.chart.tornado_title", lang))
    edge = 0.0 if zero_line else centre
    values = np.r_[table["low_measure"], table["high_measure"], centre, edge]
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    pad = 0.25 * (high - low) if high > low else abs(centre) * 0.1 + 1.0
    ax.set_xlim(low - pad, high + pad)
    return finish(ax, lang)
