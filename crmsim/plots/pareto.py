"""Pareto chart of an ABC classification and the Lorenz curve of a concentration analysis.

- :func:`plot_pareto` -- value per customer (sorted, coloured by class) with the cumulative share
  of value on a second axis and the class cut-off lines.
- :func:`plot_lorenz` -- a Lorenz curve with the line of equality and the 80/20 point.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from crmsim._validation import require_columns, require_dataframe
from crmsim.errors import ParameterError
from crmsim.plots._labels import chart_text, compact_formatter, finish, plot_language
from crmsim.terms import is_chinese
from crmsim.terms import label as term_label

#: Colour of each ABC class.
CLASS_COLORS: dict[str, str] = {"A": "#2b6cb0", "B": "#dd8452", "C": "#9aa5b1"}

#: Above this many customers the bars are replaced by a filled area (bars stay readable and the
#: plot fast for 100k customers).
MAX_BARS = 300

#: Most points drawn for a curve or area; larger tables are thinned (keeping the ends and class
#: boundaries), which is invisible at screen resolution.
_MAX_POINTS = 2000


def _thin(n: int, keep: np.ndarray | None = None) -> np.ndarray:
    """Indices 0..n-1 thinned to about _MAX_POINTS, always keeping 0, n-1 and *keep*."""
    if n <= _MAX_POINTS:
        return np.arange(n)
    idx = np.linspace(0, n - 1, _MAX_POINTS).round().astype("int64")
    if keep is not None and keep.size:
        idx = np.concatenate((idx, keep))
    return np.unique(idx)


def plot_pareto(
    table: pd.DataFrame,
    ax: Axes | None = None,
    annotate: bool = True,
    cutoffs: tuple[float, float] | None = None,
    lang: str | None = None,
) -> Axes:
    """Pareto chart (帕累托图) of an ABC classification.

    Bars show each customer's value in rank order, coloured by class; a line on a second
    y-axis shows the cumulative share of value, with dashed lines at the class cut-offs.
    With more than :data:`MAX_BARS` customers the bars become one filled area per class, so
    the chart stays fast and readable for 100,000 customers.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`crmsim.methods.abc.abc_classify` (columns ``rank``, ``value``,
        ``cum_share``, ``class``), sorted by rank.
    ax : Axes, optional
        Axes to draw on; a new figure is created when omitted.
    annotate : bool, default True
        Label the cut-off lines and give each class's customer and value shares in the
        legend.
    cutoffs : (float, float), optional
        Cut-off lines to draw; default the ones stored by ``abc_classify`` (0.8, 0.9).
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    Axes
        The axes with the bars; the cumulative line lives on its twin, available as
        ``ax.cum_ax`` too.

    Examples
    --------
    >>> import pandas as pd
    >>> from crmsim.methods.abc import abc_classify
    >>> df = pd.DataFrame({"customer_id": list("abcde"), "amount": [50, 30, 10, 6, 4]})
    >>> ax = plot_pareto(abc_classify(df))
    """
    require_dataframe(table, name="table")
    require_columns(table, ["rank", "value", "cum_share", "class"], source="table")
    lang = plot_language(lang)
    if cutoffs is None:
        cutoffs = table.attrs.get("cutoffs", (0.80, 0.90))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")

    table = table.sort_values("rank", kind="mergesort")
    rank = table["rank"].to_numpy(dtype="float64")
    value = table["value"].to_numpy(dtype="float64")
    cum = table["cum_share"].to_numpy(dtype="float64")
    classes = table["class"].to_numpy()
    n = len(table)

    handles = []
    for cls in ("A", "B", "C"):
        mask = classes == cls
        count = int(mask.sum())
        text = term_label(cls, lang)
        if annotate:
            total = value.sum()
            v_share = value[mask].sum() / total if total else float("nan")
            c_share = count / n if n else float("nan")
            # a bilingual chart names the class in both languages and gives the numbers once
            note = chart_text("chart.pareto.class_note", "en" if lang == "both" else lang,
                              count=count, customers=f"{c_share:.0%}", value=f"{v_share:.0%}")
            text += f": {note}"
        handles.append(Patch(color=CLASS_COLORS[cls], label=text))
        if not count:
            continue
        first, last = np.flatnonzero(mask)[[0, -1]]
        # light band behind each class, so classes stay visible when values are skewed
        ax.axvspan(rank[first] - 0.5, rank[last] + 0.5, color=CLASS_COLORS[cls], alpha=0.08,
                   linewidth=0, gid=f"class_band_{cls}")
        if n <= MAX_BARS:
            ax.bar(rank[mask], value[mask], width=1.0, color=CLASS_COLORS[cls], linewidth=0)
        else:
            pos = np.flatnonzero(mask)
            # extend each area to the first customer of the next class so areas touch
            pos = np.arange(pos[0], min(pos[-1] + 2, n))
            sel = pos[_thin(pos.size)]
            ax.fill_between(
                rank[sel], value[sel], step="post", color=CLASS_COLORS[cls], linewidth=0
            )

    ax.set_xlim(0.5, max(n, 1) + 0.5)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(chart_text("chart.pareto.xlabel", lang))
    ax.set_ylabel(chart_text("chart.pareto.ylabel", lang))
    ax.xaxis.set_major_formatter(compact_formatter(lang))
    ax.yaxis.set_major_formatter(compact_formatter(lang))

    cum_ax = ax.twinx()
    idx = _thin(n)
    cum_ax.plot(
        np.concatenate(([0.5], rank[idx])),
        np.concatenate(([0.0], cum[idx])),
        color="black",
        linewidth=1.5,
        label=chart_text("chart.pareto.cumulative", lang),
    )
    for cut in cutoffs:
        cum_ax.axhline(cut, color="grey", linestyle="--", linewidth=1)
        if annotate:
            cum_ax.annotate(
                f"{cut:.0%}",
                xy=(1.0, cut),
                xycoords=("axes fraction", "data"),
                xytext=(-4, 3),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=9,
                color="grey",
            )
    cum_ax.set_ylim(0, 1.05)
    cum_ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    cum_ax.set_ylabel(chart_text("chart.pareto.cumulative_axis", lang))
    cum_ax.legend(handles=handles, loc="center right", fontsize=9, frameon=True)
    ax.set_title(chart_text("chart.pareto.title", lang))
    ax.cum_ax = cum_ax  # type: ignore[attr-defined]
    return finish(ax, lang)


def plot_lorenz(
    curve: pd.DataFrame,
    ax: Axes | None = None,
    label: str | None = None,
    mark: float = 0.2,
    lang: str | None = None,
) -> Axes:
    """Plot a Lorenz curve (洛伦兹曲线) with the line of equality and the 80/20 point.

    Call it several times on one ``ax`` (with different ``label``) to compare, e.g.,
    customers with salespeople. What the top entities hold is marked on each curve with a dot
    and written in the curve's legend entry ("customers (top 20% hold 73%)"); the legend sits
    in the upper left, above the line of equality, so no curve crosses it.

    Parameters
    ----------
    curve : DataFrame
        A result of :func:`crmsim.methods.concentration.lorenz_curve` (columns ``pop_share``,
        ``value_share``, bottom entities first).
    ax : Axes, optional
        Axes to draw on; a new figure is created when omitted.
    label : str, optional
        Legend label of the curve.
    mark : float, default 0.2
        Share of *top* entities to mark on the curve; the default marks what the top 20%
        hold, to compare with the 80/20 rule's 80%.
    lang : {"en", "zh", "both"}, optional
        Language of the chart's texts (not of *label*, which is drawn as given); default
        the session language (:func:`crmsim.set_language`).

    Returns
    -------
    Axes

    Examples
    --------
    >>> from crmsim.methods.concentration import lorenz_curve
    >>> ax = plot_lorenz(lorenz_curve([50, 30, 10, 6, 4]), label="customers")
    """
    require_dataframe(curve, name="curve")
    require_columns(curve, ["pop_share", "value_share"], source="curve")
    lang = plot_language(lang)
    if not 0.0 < float(mark) < 1.0:
        raise ParameterError(f"parameter 'mark' must be strictly between 0 and 1; got {mark!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5), layout="constrained")
    x = curve["pop_share"].to_numpy(dtype="float64")
    y = curve["value_share"].to_numpy(dtype="float64")
    idx = _thin(x.size)
    first = not any(line.get_gid() == "equality" for line in ax.get_lines())
    if first:
        ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1,
                label=chart_text("chart.lorenz.equality", lang),
                gid="equality")
    # The top `mark` of entities are the ones above pop_share 1 - mark. What they hold is
    # written in the curve's legend entry, not beside the point: the legend sits in the upper
    # left, above the line of equality, where no Lorenz curve ever goes.
    px = 1.0 - float(mark)
    py = float(np.interp(px, x, y))
    note = chart_text("chart.lorenz.top_hold", lang, top=f"{mark:.0%}", share=f"{1 - py:.0%}")
    name = label or chart_text("chart.lorenz.curve", lang)
    (line,) = ax.plot(x[idx], y[idx], linewidth=2,
                      label=f"{name}（{note}）" if is_chinese(lang) else f"{name} ({note})")
    ax.plot([px], [py], marker="o", color=line.get_color(), linestyle="none")
    if first:
        # the 80/20 rule's point: bottom 80% of entities hold 20% of value
        ax.plot([0.8], [0.2], marker="x", color="black", linestyle="none",
                label=chart_text("chart.lorenz.rule", lang),
                gid="rule_80_20")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(chart_text("chart.lorenz.xlabel", lang))
    ax.set_ylabel(chart_text("chart.lorenz.ylabel", lang))
    ax.set_title(chart_text("chart.lorenz.title", lang))
    ax.legend(loc="upper left", fontsize=9, framealpha=1.0)
    return finish(ax, lang)
