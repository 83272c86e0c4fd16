"""Draw a customer relationship map (客户关系图): team, customers and their needs."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from crmsim.errors import ParameterError
from crmsim.methods.relationship_map import RelationshipMap
from crmsim.plots._fonts import has_cjk
from crmsim.plots._labels import chart_text, finish, named, plot_language
from crmsim.terms import label

__all__ = ["plot_relationship_map"]

_KIND_STYLE = {
    "external": {"color": "#1d6fa5", "marker": "s"},
    "internal": {"color": "#d9822b", "marker": "D"},
}
_KEPT = "#2a7d4f"
_DROPPED = "#9e9e9e"
_UNDECIDED = "#333333"
_CUSTOMER_RADIUS = 1.25
_NEED_RADIUS = 2.5


def _layout(rmap: RelationshipMap) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """Angles of customers and needs: deterministic, external customers first.

    Each need gets an equal slot on the outer ring (a customer without needs gets one empty
    slot), a customer's needs are consecutive and the customer sits at the middle of them.
    Angles start at the top and go clockwise.
    """
    data = rmap.to_dict()["customers"]
    order = [c["id"] for kind in ("external", "internal") for c in data if c["kind"] == kind]
    items_of = {c["id"]: [n["item"] for n in c["needs"]] for c in data}
    n_slots = sum(max(1, len(items)) for items in items_of.values())
    step = 2 * np.pi / max(n_slots, 1)
    customer_angle: dict[str, float] = {}
    need_angle: dict[tuple[str, str], float] = {}
    slot = 0
    for cid in order:
        items = items_of[cid]
        width = max(1, len(items))
        angles = [np.pi / 2 - (slot + k + 0.5) * step for k in range(width)]
        customer_angle[cid] = float(np.mean(angles))
        for item, angle in zip(items, angles, strict=False):
            need_angle[(cid, item)] = float(angle)
        slot += width
    return customer_angle, need_angle


def _polar(radius: float, angle: float) -> tuple[float, float]:
    return radius * np.cos(angle), radius * np.sin(angle)


def _radial_text(ax: Axes, radius: float, angle: float, text: str, **kwargs) -> None:
    """Text written outward along the radius, kept upright on the left half."""
    x, y = _polar(radius, angle)
    degrees = np.degrees(angle) % 360
    if 90 < degrees < 270:
        rotation, ha = degrees - 180, "right"
    else:
        rotation, ha = degrees, "left"
    ax.text(x, y, text, rotation=rotation, rotation_mode="anchor", ha=ha, va="center", **kwargs)


def plot_relationship_map(
    rmap: RelationshipMap, ax: Axes | None = None, *, lang: str | None = None, wrap: int = 22
) -> Axes:
    """Draw the map: team at the centre, customers around it, each customer's needs outside.

    External customers are blue squares, internal ones orange diamonds. Needs are drawn on an
    outer ring next to the customer that needs them: kept needs (step 3) in green, labelled
    with their evaluation dimension (step 4) — or with their item in italics while step 4 is not
    done yet; dropped needs in grey with a dashed link; undecided needs in dark grey with a
    dotted link. Labels are wrapped to two lines of about ``wrap`` characters.

    The layout is deterministic (no random spring layout): every need gets an equal slice of the
    circle, a customer sits in the middle of its needs, and external customers come first,
    clockwise from the top.

    Parameters
    ----------
    rmap : RelationshipMap
        The map to draw.
    ax : matplotlib Axes, optional
        Created (9 × 9 inches) when omitted.
    lang : {"en", "zh", "both"}, optional
        Language of the chart's own texts (legend, goal line); the team, customers and needs
        are drawn as they were entered. Default the session language
        (:func:`crmsim.set_language`).
    wrap : int
        Wrap customer names and need labels at about this many characters.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> m = RelationshipMap("Sales team")
    >>> _ = m.add_customer("s", "Store", "external").add_need("s", "timely supply")
    >>> plot_relationship_map(m).get_title()
    'Sales team'
    """
    if not isinstance(rmap, RelationshipMap):
        raise ParameterError(
            f"parameter 'rmap' must be a RelationshipMap; got {type(rmap).__name__}"
        )
    lang = plot_language(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 9))
    customers = {c["id"]: c for c in rmap.to_dict()["customers"]}
    customer_angle, need_angle = _layout(rmap)

    # team → customers
    for cid, angle in customer_angle.items():
        style = _KIND_STYLE[customers[cid]["kind"]]
        x, y = _polar(_CUSTOMER_RADIUS, angle)
        ax.plot([0, x], [0, y], color=style["color"], linewidth=1.5, zorder=1)

    # customers → needs
    for (cid, item), angle in need_angle.items():
        need = next(n for n in customers[cid]["needs"] if n["item"] == item)
        cx, cy = _polar(_CUSTOMER_RADIUS, customer_angle[cid])
        nx_, ny_ = _polar(_NEED_RADIUS, angle)
        if need["valuable"] is True:
            colour, line, face = _KEPT, "-", _KEPT
            dimension = need["dimension"]
            text = dimension if dimension is not None else item
            weight, style = ("bold", "normal") if dimension is not None else ("normal", "italic")
        elif need["valuable"] is False:
            colour, line, face = _DROPPED, "--", "white"
            text, weight, style = item, "normal", "normal"
        else:
            colour, line, face = _UNDECIDED, ":", "white"
            text, weight, style = item, "normal", "normal"
        ax.plot([cx, nx_], [cy, ny_], color=colour, linestyle=line, linewidth=1.0, zorder=1)
        ax.plot(nx_, ny_, marker="o", markersize=7, markerfacecolor=face,
                markeredgecolor=colour, linestyle="none", zorder=3)
        _radial_text(ax, _NEED_RADIUS + 0.1, angle, _two_lines(text, wrap), color=colour,
                     fontsize=8, fontweight=weight, fontstyle=style)

    # customer nodes on top of the links
    for cid, angle in customer_angle.items():
        style = _KIND_STYLE[customers[cid]["kind"]]
        x, y = _polar(_CUSTOMER_RADIUS, angle)
        ax.plot(x, y, marker=style["marker"], markersize=13, color=style["color"],
                markeredgecolor="white", linestyle="none", zorder=4)
        name = _two_lines(customers[cid]["name"], max(8, wrap // 2 + 2))
        lx, ly = _polar(_CUSTOMER_RADIUS + 0.14, angle)
        ha = "left" if np.cos(angle) > 0.35 else ("right" if np.cos(angle) < -0.35 else "center")
        va = "bottom" if np.sin(angle) > 0.35 else ("top" if np.sin(angle) < -0.35 else "center")
        ax.text(lx, ly, name, ha=ha, va=va, fontsize=8, zorder=5,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85,
                      "edgecolor": style["color"]})

    # team at the centre
    ax.plot(0, 0, marker="o", markersize=30, color="#264653", linestyle="none", zorder=4)
    ax.text(0, -0.22, textwrap.fill(rmap.team, width=_width(rmap.team, wrap)), ha="center",
            va="top", fontsize=9, fontweight="bold", zorder=5,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "#264653"})

    handles = [
        Line2D([], [], marker="o", markersize=10, color="#264653", linestyle="none",
               label=chart_text("chart.map.team", lang)),
        Line2D([], [], marker=_KIND_STYLE["external"]["marker"], markersize=9,
               color=_KIND_STYLE["external"]["color"], linestyle="none",
               label=label("external", lang)),
        Line2D([], [], marker=_KIND_STYLE["internal"]["marker"], markersize=9,
               color=_KIND_STYLE["internal"]["color"], linestyle="none",
               label=label("internal", lang)),
        Line2D([], [], marker="o", color=_KEPT, linestyle="-",
               label=chart_text("chart.map.kept", lang)),
        Line2D([], [], marker="o", color=_DROPPED, markerfacecolor="white", linestyle="--",
               label=chart_text("chart.map.dropped", lang)),
        Line2D([], [], marker="o", color=_UNDECIDED, markerfacecolor="white", linestyle=":",
               label=chart_text("chart.map.undecided", lang)),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=2 if lang == "both" else 3,
              fontsize=8, frameon=False)
    limit = _NEED_RADIUS + 1.9
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.axis("off")
    title = rmap.team
    if rmap.organisation_goal:
        goal = named("chart.map.goal", lang, rmap.organisation_goal)
        title += "\n" + textwrap.fill(goal, _width(goal, 70))
    ax.set_title(title)
    return finish(ax, lang)


def _two_lines(text: str, width: int) -> str:
    """Wrap *text* at *width* characters, keeping at most two lines (ending in … if cut)."""
    width = _width(text, width)
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder="…")]
    return "\n".join(lines)


def _width(text: str, width: int) -> int:
    """Wrap width in characters for *text*: a CJK character is about two Latin characters
    wide, so a text that is partly Chinese wraps at proportionally fewer characters."""
    if not text:
        return width
    display = sum(2 if has_cjk(ch) else 1 for ch in text)
    return max(4, round(width * len(text) / display))
