"""Draw a customer relationship map (客户关系图): team, customers and their needs."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
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
#: Columns of the drawing (data units): team, customers, needs. The needs' labels start just
#: right of the need column and take the room up to the right edge.
_X_TEAM, _X_CUSTOMER, _X_NEED, _X_RIGHT = 0.0, 1.0, 2.0, 3.45
#: Height of one row (inches) for a label of two lines at the chart's font size.
_ROW_INCHES = 0.36


def _nodes(rmap: RelationshipMap) -> tuple[list[dict], list[dict]]:
    """Customers (external first) and the distinct needs they share, in drawing order.

    A need is one item in one state (kept with its dimension, dropped or undecided): the same
    item needed by several customers is drawn once, with a link to each of them. Needs are
    ordered by the first customer that needs them, so links mostly run level.
    """
    data = rmap.to_dict()["customers"]
    customers = [c for kind in ("external", "internal") for c in data if c["kind"] == kind]
    needs: dict[tuple, dict] = {}
    for customer in customers:
        for need in customer["needs"]:
            key = (need["item"], need["valuable"], need["dimension"])
            node = needs.setdefault(key, {**need, "customers": []})
            node["customers"].append(customer["id"])
    return customers, list(needs.values())


def _rows(n: int, top: float, bottom: float) -> list[float]:
    """*n* evenly spaced heights from *top* to *bottom* (one row in the middle)."""
    if n <= 1:
        return [(top + bottom) / 2] * n
    step = (top - bottom) / (n - 1)
    return [top - i * step for i in range(n)]


def plot_relationship_map(
    rmap: RelationshipMap, ax: Axes | None = None, *, lang: str | None = None, wrap: int = 26
) -> Axes:
    """Draw the map in three columns: the team, its customers, and what they need.

    The team sits on the left, linked to each customer in the middle column: external customers
    (blue squares) above internal ones (orange diamonds). The right column lists every need
    once, linked to each customer who needs it: kept needs (step 3) in green, labelled with their
    evaluation dimension (step 4) — or with their item in italics while step 4 is not done yet;
    dropped needs in grey with dashed links; undecided needs in dark grey with dotted links.

    Every label sits on its own row, so no two labels overlap whatever the number of customers
    and needs; labels are wrapped to two lines of about ``wrap`` characters. When the function
    makes the figure, its height grows with the number of rows.

    Parameters
    ----------
    rmap : RelationshipMap
        The map to draw.
    ax : matplotlib Axes, optional
        Created when omitted (9 inches wide, tall enough for the rows).
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
    customers, needs = _nodes(rmap)
    n_rows = max(len(customers), len(needs), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 1.9 + _ROW_INCHES * n_rows), layout="constrained")
    customer_y = dict(
        zip([c["id"] for c in customers], _rows(len(customers), n_rows - 1, 0), strict=True)
    )
    need_y = _rows(len(needs), n_rows - 1, 0)
    team_y = (n_rows - 1) / 2

    # team → customers
    for customer in customers:
        colour = _KIND_STYLE[customer["kind"]]["color"]
        ax.plot(
            [_X_TEAM, _X_CUSTOMER],
            [team_y, customer_y[customer["id"]]],
            color=colour,
            linewidth=1.5,
            zorder=1,
        )

    # customers → needs, need markers and labels
    for need, y in zip(needs, need_y, strict=True):
        if need["valuable"] is True:
            colour, line, face = _KEPT, "-", _KEPT
            renamed = need["dimension"] is not None
            text = need["dimension"] if renamed else need["item"]
            weight, style = ("bold", "normal") if renamed else ("normal", "italic")
        elif need["valuable"] is False:
            colour, line, face = _DROPPED, "--", "white"
            text, weight, style = need["item"], "normal", "normal"
        else:
            colour, line, face = _UNDECIDED, ":", "white"
            text, weight, style = need["item"], "normal", "normal"
        for cid in need["customers"]:
            ax.plot(
                [_X_CUSTOMER, _X_NEED],
                [customer_y[cid], y],
                color=colour,
                linestyle=line,
                linewidth=0.9,
                alpha=0.8,
                zorder=1,
            )
        ax.plot(
            _X_NEED,
            y,
            marker="o",
            markersize=7,
            markerfacecolor=face,
            markeredgecolor=colour,
            linestyle="none",
            zorder=3,
        )
        ax.text(
            _X_NEED + 0.07,
            y,
            _two_lines(text, wrap),
            color=colour,
            fontsize=8,
            fontweight=weight,
            fontstyle=style,
            ha="left",
            va="center",
            zorder=5,
        )

    # customer nodes and their names, on top of the links
    for customer in customers:
        style = _KIND_STYLE[customer["kind"]]
        y = customer_y[customer["id"]]
        ax.plot(
            _X_CUSTOMER,
            y,
            marker=style["marker"],
            markersize=11,
            color=style["color"],
            markeredgecolor="white",
            linestyle="none",
            zorder=4,
        )
        ax.text(
            _X_CUSTOMER - 0.08,
            y,
            _two_lines(customer["name"], max(12, wrap)),
            ha="right",
            va="center",
            fontsize=8,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": "white",
                "alpha": 0.9,
                "edgecolor": style["color"],
            },
        )

    # team on the left
    ax.plot(_X_TEAM, team_y, marker="o", markersize=22, color="#264653", linestyle="none", zorder=4)
    ax.text(
        _X_TEAM,
        team_y - 0.45,
        _two_lines(rmap.team, 16),
        ha="center",
        va="top",
        fontsize=9,
        fontweight="bold",
        zorder=5,
        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "#264653"},
    )

    handles = [
        Line2D(
            [],
            [],
            marker="o",
            markersize=9,
            color="#264653",
            linestyle="none",
            label=chart_text("chart.map.team", lang),
        ),
        Line2D(
            [],
            [],
            marker=_KIND_STYLE["external"]["marker"],
            markersize=8,
            color=_KIND_STYLE["external"]["color"],
            linestyle="none",
            label=label("external", lang),
        ),
        Line2D(
            [],
            [],
            marker=_KIND_STYLE["internal"]["marker"],
            markersize=8,
            color=_KIND_STYLE["internal"]["color"],
            linestyle="none",
            label=label("internal", lang),
        ),
        Line2D(
            [], [], marker="o", color=_KEPT, linestyle="-", label=chart_text("chart.map.kept", lang)
        ),
        Line2D(
            [],
            [],
            marker="o",
            color=_DROPPED,
            markerfacecolor="white",
            linestyle="--",
            label=chart_text("chart.map.dropped", lang),
        ),
        Line2D(
            [],
            [],
            marker="o",
            color=_UNDECIDED,
            markerfacecolor="white",
            linestyle=":",
            label=chart_text("chart.map.undecided", lang),
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2 if lang == "both" else 3,
        fontsize=8,
        frameon=False,
    )
    ax.set_xlim(-0.75, _X_RIGHT)
    ax.set_ylim(-0.7, n_rows - 0.3)
    ax.axis("off")
    title = rmap.team
    if rmap.organisation_goal:
        goal = named("chart.map.goal", lang, rmap.organisation_goal)
        title += "\n" + textwrap.fill(goal, _width(goal, 80))
    ax.set_title(title, fontsize=11)
    return finish(ax, lang)


def _two_lines(text: str, width: int) -> str:
    """Wrap *text* at *width* characters, keeping at most two lines (ending in … if cut)."""
    width = _width(text, width)
    if has_cjk(text):
        lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    else:
        lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > 2:
        rest = "".join(lines[1:]) if has_cjk(text) else " ".join(lines[1:])
        lines = [lines[0], rest[: width - 1] + "…" if len(rest) > width else rest]
    return "\n".join(lines)


def _width(text: str, width: int) -> int:
    """Wrap width in characters for *text*: a CJK character is about two Latin characters
    wide, so a text that is partly Chinese wraps at proportionally fewer characters."""
    if not text:
        return width
    display = sum(2 if has_cjk(ch) else 1 for ch in text)
    return max(4, round(width * len(text) / display))
