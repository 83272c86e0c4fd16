"""Plots for the relationship lifecycle (客户关系生命周期): one customer's path, the stage mix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from crmsim._validation import numeric_column, require_columns, require_dataframe
from crmsim.errors import DataError
from crmsim.methods.lifecycle import LifecycleRules, stage_history, stage_mix
from crmsim.plots._labels import chart_text, compact_formatter, finish, named, plot_language
from crmsim.terms import STATES, is_chinese, label

__all__ = ["STAGE_COLOURS", "plot_lifecycle_history", "plot_stage_mix"]

#: One colour per stage, used by every lifecycle plot.
STAGE_COLOURS: dict[str, str] = {
    "exploration": "#8ecae6",
    "formation": "#2a9d8f",
    "stability": "#264653",
    "decline": "#f4a261",
    "lost": "#e63946",
}


def plot_lifecycle_history(
    data: pd.DataFrame,
    customer_id: Any = None,
    ax: Axes | None = None,
    *,
    as_of: Any = None,
    freq: str = "MS",
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    rules: LifecycleRules | Mapping[str, Any] | None = None,
    title: str | None = None,
    lang: str | None = None,
) -> Axes:
    """One customer's spend per period, each bar coloured by the stage inferred at its end.

    A thin ribbon along the top repeats the stage colours, so periods without any spend
    (typical of decline and loss) still show their stage.

    Parameters
    ----------
    data : DataFrame
        Either the output of :func:`crmsim.methods.lifecycle.stage_history` (columns
        ``period_start``, ``spend``, ``stage``) when ``customer_id`` is None, or raw
        transactions when ``customer_id`` is given.
    customer_id : optional
        With raw transactions: the customer to follow; the history is computed with
        :func:`~crmsim.methods.lifecycle.stage_history` using ``as_of``, ``freq``, ``id``,
        ``date``, ``value`` and ``rules``.
    ax : matplotlib Axes, optional
    as_of, freq, id, date, value, rules
        Passed to :func:`~crmsim.methods.lifecycle.stage_history` (raw transactions only).
    title : str, optional
        Defaults to "Relationship lifecycle" (followed by the customer id when given), in the
        chart's language.
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> h = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...                   "spend": [100.0, 0.0], "stage": ["exploration", "exploration"]})
    >>> len(plot_lifecycle_history(h).patches)
    2
    >>> tx = pd.DataFrame({"customer_id": ["C1", "C1"], "amount": [100.0, 50.0],
    ...                    "date": ["2024-01-10", "2024-02-10"]})
    >>> len(plot_lifecycle_history(tx, "C1", as_of="2024-06-30").patches)
    6
    """
    lang = plot_language(lang)
    if customer_id is not None:
        history = stage_history(data, customer_id, freq=freq, as_of=as_of, id=id, date=date,
                                value=value, rules=rules)
        if title is None:
            title = named("chart.lifecycle.title", lang, customer_id)
    else:
        history = data
    require_dataframe(history, name="history")
    if "period_start" not in history.columns and {id, date} <= set(history.columns):
        raise DataError(
            "plot_lifecycle_history: this looks like raw transactions; pass the customer to "
            "follow as 'customer_id', or pass the output of stage_history()"
        )
    require_columns(history, ["period_start", "spend", "stage"], source="history")
    spend = numeric_column(history, "spend", source="history", allow_negative=False)
    stages = history["stage"]
    bad = ~stages.isin(list(STATES))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"history: column 'stage' must hold stages {list(STATES)}; "
            f"found {stages.iloc[pos]!r} at row {pos + 1}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    starts = pd.to_datetime(history["period_start"])
    x = np.arange(len(history))
    colours = [STAGE_COLOURS[s] for s in stages]
    ax.bar(x, spend.to_numpy(), color=colours, width=0.85)
    # a stage ribbon along the top, so months without spend still show their stage
    ribbon = blended_transform_factory(ax.transData, ax.transAxes)
    ax.broken_barh([(xi - 0.5, 1.0) for xi in x], (0.965, 0.035), facecolors=colours,
                   transform=ribbon)
    _date_ticks(ax, x, starts, lang)
    present = [s for s in STATES if (stages == s).any()]
    ax.legend(
        handles=[Patch(color=STAGE_COLOURS[s], label=label(s, lang)) for s in present],
        loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize="small",
        title=chart_text("chart.lifecycle.legend", lang), title_fontsize="small",
        frameon=False,
    )
    ax.set_ylabel(chart_text("chart.lifecycle.spend", lang))
    ax.yaxis.set_major_formatter(compact_formatter(lang))
    ax.set_title(title if title is not None else chart_text("chart.lifecycle.title", lang))
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.margins(y=0.12)
    return finish(ax, lang)


def _date_ticks(ax: Axes, x: np.ndarray, starts: pd.Series, lang: str) -> None:
    """Date labels that never crowd each other: over two calendar years or more, the year once
    at its first period (a small tick at every period); over a shorter span, at most six
    periods labelled with their month."""
    years = starts.dt.year.to_numpy()
    if len(x) and years[-1] - years[0] >= 1 and len(set(years)) >= 2:
        first = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
        ax.set_xticks(x[first])
        suffix = "年" if is_chinese(lang) else ""
        ax.set_xticklabels([f"{years[i]}{suffix}" for i in first])
        ax.set_xticks(x, minor=True)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("left")
        return
    step = max(1, int(np.ceil(len(x) / 6)))
    ax.set_xticks(x[::step])
    ax.set_xticklabels([d.strftime("%Y-%m") for d in starts[::step]], rotation=45, ha="right")


def plot_stage_mix(
    table: pd.DataFrame, ax: Axes | None = None, *, lang: str | None = None
) -> Axes:
    """Bar chart of the number of customers in each lifecycle stage (all five shown).

    Parameters
    ----------
    table : DataFrame
        Either one row per customer with a ``stage`` column (the output of
        :func:`crmsim.methods.lifecycle.infer_stage`) or the output of
        :func:`crmsim.methods.lifecycle.stage_mix`.
    ax : matplotlib Axes, optional
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_stage_mix(pd.DataFrame({"stage": ["lost", "formation", "lost"]}))
    >>> len(ax.patches)
    5
    """
    require_dataframe(table, name="table")
    lang = plot_language(lang)
    is_mix = {"stage", "count", "share"} <= set(table.columns) and table["stage"].is_unique
    if is_mix:
        mix = (
            table.set_index("stage").reindex(list(STATES))
            .fillna({"count": 0, "share": 0.0}).reset_index()
        )
    else:
        mix = stage_mix(table)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    counts = mix["count"].to_numpy(dtype="float64")
    shares = mix["share"].to_numpy(dtype="float64")
    x = np.arange(len(STATES))
    bars = ax.bar(x, counts, color=[STAGE_COLOURS[s] for s in STATES])
    for rect, share in zip(bars, shares, strict=True):
        if np.isfinite(share):
            ax.annotate(f"{share:.0%}", (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                        ha="center", va="bottom", fontsize="small", xytext=(0, 2),
                        textcoords="offset points")
    ax.set_xticks(x)
    ax.set_xticklabels([label(s, lang) for s in STATES])
    ax.set_ylabel(chart_text("chart.customers", lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(chart_text("chart.stage_mix.title", lang))
    ax.margins(y=0.12)
    return finish(ax, lang)
