"""Plots of the customer pyramid (金字塔理论).

- :func:`plot_pyramid` -- a real pyramid, platinum at the apex, annotated per tier.
- :func:`plot_pyramid_quadrants` -- current value against growth potential with the cut lines
  and the four quadrants of the textbook 2×2 pyramid.
"""

from __future__ import annotations

from functools import partial

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

from crmsim._validation import numeric_column, require_columns, require_dataframe
from crmsim.methods.pyramid import PYRAMID_TIERS, TIER_NUMERALS, pyramid_summary
from crmsim.plots._labels import (
    chart_text,
    compact_formatter,
    compact_number,
    finish,
    plot_language,
)
from crmsim.terms import label as term_label

#: Colour of each tier (metal-like, darkest at the base).
TIER_COLORS: dict[str, str] = {
    "platinum": "#aab7c8",
    "gold": "#e0b03c",
    "iron": "#9a6b4f",
    "lead": "#4a505a",
}
_TEXT_ON = {"platinum": "black", "gold": "black", "iron": "white", "lead": "white"}


def plot_pyramid(summary: pd.DataFrame, ax: Axes | None = None, lang: str | None = None) -> Axes:
    """Draw the customer pyramid as four stacked bands, platinum at the apex.

    The bands have equal height (the picture shows the order of the tiers, not their size);
    the text beside each band gives the count, the share of customers and, when the summary
    has them, the tier's value and share of value.

    Parameters
    ----------
    summary : DataFrame
        A result of :func:`crmsim.methods.pyramid.pyramid_summary` (index ``tier``, columns
        ``count``, ``share`` and optionally ``value``, ``value_share``). A tier table from
        ``customer_pyramid`` / ``profitability_pyramid`` is also accepted and summarised.
    ax : Axes, optional
        Axes to draw on; a new figure is created when omitted.
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from crmsim.methods.pyramid import customer_pyramid, pyramid_summary
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "current_value": [100, 90, 10, 5],
    ...                    "growth_potential": [50, 1, 60, 2]})
    >>> ax = plot_pyramid(pyramid_summary(customer_pyramid(df)))
    """
    require_dataframe(summary, name="summary")
    lang = plot_language(lang)
    if "count" not in summary.columns and "tier" in summary.columns:
        summary = pyramid_summary(summary)
    require_columns(summary, ["count", "share"], source="summary")
    summary = summary.reindex(list(PYRAMID_TIERS))
    has_value = "value" in summary.columns
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5), layout="constrained")

    band = 1.0 / len(PYRAMID_TIERS)

    def half_width(y: float) -> float:
        return 0.5 * (1.0 - y)

    for i, tier in enumerate(PYRAMID_TIERS):
        top = 1.0 - i * band
        bottom = top - band
        corners = [
            (0.5 - half_width(bottom), bottom),
            (0.5 + half_width(bottom), bottom),
            (0.5 + half_width(top), top),
            (0.5 - half_width(top), top),
        ]
        ax.add_patch(
            Polygon(corners, closed=True, facecolor=TIER_COLORS[tier], edgecolor="white",
                    linewidth=2, label=term_label(tier, lang))
        )
        middle = bottom + band / 2
        ax.text(0.5, middle - (0.03 if i == 0 else 0.0), TIER_NUMERALS[tier], ha="center",
                va="center", fontsize=11, fontweight="bold", color=_TEXT_ON[tier])
        row = summary.loc[tier]
        count = 0 if pd.isna(row["count"]) else int(row["count"])
        share = 0.0 if pd.isna(row["share"]) else float(row["share"])
        text = term_label(tier, lang) + "\n" + chart_text(
            "chart.pyramid.count", lang, count=count, share=f"{share:.0%}")
        if has_value:
            value = float(row["value"]) if pd.notna(row["value"]) else 0.0
            vshare = row.get("value_share", np.nan)
            vtext = f"{vshare:.0%}" if pd.notna(vshare) else "n/a"
            text += "\n" + chart_text("chart.pyramid.value", lang,
                                       value=partial(compact_number, value), share=vtext)
        ax.text(0.5 + half_width(middle) + 0.04, middle, text, ha="left", va="center",
                fontsize=10, gid=f"tier_text_{tier}")

    ax.set_xlim(-0.02, 1.75)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    ax.set_title(chart_text("chart.pyramid.title", lang))
    return finish(ax, lang)


def _cut_from_levels(table: pd.DataFrame, column: str, level: str) -> float | None:
    """Largest "low" value: a cut consistent with the levels when attrs were lost."""
    if level not in table.columns:
        return None
    low = table.loc[table[level] == "low", column]
    return float(low.max()) if len(low) else None


def _label_bands(ax: Axes, y: np.ndarray, share: float = 0.09) -> None:
    """Widen the y range by an empty band at the top and the bottom, where the quadrant labels
    sit, so that no customer's dot is hidden under a label; ticks stay inside the data's range.

    The band is *share* of the axes' height, measured in the axes' own scale (linear or
    symlog), so it works for both."""
    if not y.size:
        return
    low, high = ax.get_ylim()
    to_axis = ax.yaxis.get_transform()
    a, b = to_axis.transform([low, high])
    pad = (b - a) * share / (1 - 2 * share)
    new_low, new_high = to_axis.inverted().transform([a - pad, b + pad])
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    ax.set_ylim(new_low, new_high)
    ax.set_yticks(ticks)


def plot_pyramid_quadrants(
    table: pd.DataFrame,
    ax: Axes | None = None,
    log: bool = False,
    current: str | None = None,
    potential: str | None = None,
    cuts: tuple[float, float] | None = None,
    lang: str | None = None,
) -> Axes:
    """Scatter of current value against growth potential, with the pyramid's quadrants.

    Each customer is a dot coloured by tier; dashed lines mark the cuts between "low" and
    "high" and the corners name the quadrants (platinum top right, gold bottom right, iron
    top left, lead bottom left).

    Parameters
    ----------
    table : DataFrame
        A result of :func:`crmsim.methods.pyramid.customer_pyramid`.
    ax : Axes, optional
        Axes to draw on; a new figure is created when omitted.
    log : bool, default False
        Use symmetric-log axes for heavy-tailed values: logarithmic for large values and
        linear near zero, so customers with zero potential stay visible.
    current, potential : str, optional
        Value columns; default the ones recorded by ``customer_pyramid``
        (``current_value``, ``growth_potential``).
    cuts : (float, float), optional
        ``(current cut, potential cut)``; default the cuts recorded by ``customer_pyramid``.
        If the table has lost them (``attrs`` dropped), the largest "low" value on each axis.
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from crmsim.methods.pyramid import customer_pyramid
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "current_value": [100, 90, 10, 5],
    ...                    "growth_potential": [50, 1, 60, 2]})
    >>> ax = plot_pyramid_quadrants(customer_pyramid(df))
    """
    require_dataframe(table, name="table")
    lang = plot_language(lang)
    current = current or table.attrs.get("current_column", "current_value")
    potential = potential or table.attrs.get("potential_column", "growth_potential")
    require_columns(table, [current, potential, "tier"], source="table")
    x = numeric_column(table, current, source="table").to_numpy()
    y = numeric_column(table, potential, source="table").to_numpy()
    tiers = table["tier"].to_numpy()
    if cuts is None:
        stored = table.attrs.get("cuts")
        if stored is not None:
            cuts = (stored["current"], stored["potential"])
        else:
            cuts = (
                _cut_from_levels(table, current, "current_level"),
                _cut_from_levels(table, potential, "potential_level"),
            )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")

    for tier in PYRAMID_TIERS:
        mask = tiers == tier
        ax.scatter(x[mask], y[mask], s=14, alpha=0.75, color=TIER_COLORS[tier],
                   edgecolors="none", label=f"{term_label(tier, lang)} ({int(mask.sum())})")
    cut_x, cut_y = cuts
    if cut_x is not None:
        ax.axvline(cut_x, color="black", linestyle="--", linewidth=1, gid="cut_current")
    if cut_y is not None:
        ax.axhline(cut_y, color="black", linestyle="--", linewidth=1, gid="cut_potential")

    corners = {
        "platinum": (0.98, 0.98, "right", "top"),
        "gold": (0.98, 0.02, "right", "bottom"),
        "iron": (0.02, 0.98, "left", "top"),
        "lead": (0.02, 0.02, "left", "bottom"),
    }
    for tier, (cx, cy, ha, va) in corners.items():
        ax.text(cx, cy, term_label(tier, lang), transform=ax.transAxes, ha=ha, va=va,
                fontsize=10, fontweight="bold", color=_TEXT_ON[tier], gid=f"quadrant_{tier}",
                bbox={"facecolor": TIER_COLORS[tier], "alpha": 0.85, "edgecolor": "none"})

    if log:
        for values, setter in ((x, ax.set_xscale), (y, ax.set_yscale)):
            positive = np.abs(values[values != 0])
            linthresh = float(positive.min()) if positive.size else 1.0
            setter("symlog", linthresh=linthresh)
        # symlog margins would otherwise open an empty negative region
        if x.size and x.min() >= 0:
            ax.set_xlim(left=0)
        if y.size and y.min() >= 0:
            ax.set_ylim(bottom=0)
    _label_bands(ax, y)
    ax.xaxis.set_major_formatter(compact_formatter(lang))
    ax.yaxis.set_major_formatter(compact_formatter(lang))
    ax.set_xlabel(term_label("current_value", lang))
    ax.set_ylabel(term_label("growth_potential", lang))
    ax.set_title(chart_text("chart.quadrants.title", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, markerscale=1.5,
              borderaxespad=0)
    return finish(ax, lang)
