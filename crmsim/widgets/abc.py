"""Lesson 02 app: move the ABC cut-offs and see which customers change class.

:func:`abc_explorer` wraps :func:`crmsim.methods.abc.abc_classify` and
:func:`crmsim.plots.pareto.plot_pareto` in four controls — the A line, the B line, the value
column to rank on, and the boundary rule for the customer that crosses a line — and shows the
Pareto chart, the class summary and the very customer that crosses each line.
:func:`boundary_customers` is that last table on its own, for a static cell in a lesson.

It is a method app (no simulation): one recomputation on the bundled company's ~600 customers
takes a few tens of milliseconds (see ``benchmarks/bench_widgets.py``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display

from crmsim.methods.abc import abc_classify, abc_summary
from crmsim.plots.pareto import plot_pareto
from crmsim.terms import TERMS, label, resolve_language
from crmsim.widgets._app import App, show_figure

#: Summary columns shown by the app, with their label keys.
_SUMMARY_COLUMNS = {
    "count": "abc_app.count",
    "share_of_customers": "abc_app.share_of_customers",
    "value": "abc_app.value_total",
    "share_of_value": "abc_app.share_of_value",
}

# Shares are compared with this tolerance, as in abc_classify.
_TOL = 1e-12


def boundary_customers(table: pd.DataFrame) -> pd.DataFrame:
    """The customer that crosses each cut-off line of an ABC classification, under both rules.

    For a cut-off ``c`` the crossing customer is the first in rank order whose cumulative share
    *including itself* is above ``c``: the share of the customers ranked above it is at most ``c``
    and its own value carries the total past the line. ``boundary="including"`` puts it in the
    lower class, ``boundary="before"`` in the higher one (see :func:`abc_classify`).

    Parameters
    ----------
    table : DataFrame
        A result of :func:`crmsim.methods.abc.abc_classify` (its ``attrs`` hold the cut-offs).

    Returns
    -------
    DataFrame
        One row per cut-off line that some customer crosses (a line met exactly by a customer's
        cumulative share is not crossed, and is left out). Columns: ``line`` (``"A/B"`` or
        ``"B/C"``), ``cutoff``, the id column, ``rank``, ``value``, ``cum_share_before``,
        ``cum_share``, ``class_including`` and ``class_before``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "amount": [50, 35, 10, 5]})
    >>> out = boundary_customers(abc_classify(df))
    >>> out[["line", "customer_id", "class_including", "class_before"]]
      line customer_id class_including class_before
    0  A/B           b               B            A
    1  B/C           c               C            B
    """
    id_column = table.attrs.get("id_column", "customer_id")
    cutoffs = table.attrs.get("cutoffs", (0.80, 0.90))
    for column in (id_column, "rank", "value", "cum_share"):
        if column not in table.columns:
            raise ValueError(
                f"parameter 'table' must be a result of abc_classify; column {column!r} is missing"
            )
    ranked = table.sort_values("rank", kind="mergesort").reset_index(drop=True)
    cum = ranked["cum_share"].to_numpy(dtype="float64")
    before = np.concatenate(([0.0], cum[:-1]))
    rows = []
    for line, cut, higher, lower in (("A/B", cutoffs[0], "A", "B"), ("B/C", cutoffs[1], "B", "C")):
        crossing = np.flatnonzero((before < cut - _TOL) & (cum > cut + _TOL))
        if not crossing.size:
            continue
        i = int(crossing[0])
        rows.append(
            {
                "line": line,
                "cutoff": float(cut),
                id_column: ranked.at[i, id_column],
                "rank": int(ranked.at[i, "rank"]),
                "value": float(ranked.at[i, "value"]),
                "cum_share_before": float(before[i]),
                "cum_share": float(cum[i]),
                "class_including": lower,
                "class_before": higher,
            }
        )
    columns = ["line", "cutoff", id_column, "rank", "value", "cum_share_before", "cum_share",
               "class_including", "class_before"]
    return pd.DataFrame(rows, columns=columns)


def _column_label(column: str, lang: str) -> str:
    """The label of a value column the kit knows (amount, current value...), else its name."""
    key = f"abc_app.column.{column}"
    return label(key, lang) if key in TERMS else column


def _value_columns(table: pd.DataFrame, id: str) -> list[str]:
    return [
        c for c in table.columns
        if c != id and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]


def abc_explorer(
    table: pd.DataFrame,
    value: str | None = None,
    id: str = "customer_id",
    cutoffs: tuple[float, float] = (0.80, 0.90),
    boundary: str = "including",
    lang: str | None = None,
) -> App:
    """An app to explore ABC classification (ABC分类法): cut-offs, value column, boundary rule.

    Parameters
    ----------
    table : DataFrame
        Customers (one row each, e.g. :func:`crmsim.customer_value`) or transactions (summed per
        id by :func:`abc_classify`), with an id column and at least one numeric column.
    value : str, optional
        Column ranked at start; default ``"amount"`` if present, else the first numeric column.
        The "rank on" control offers every numeric column.
    id : str, default "customer_id"
        Id column.
    cutoffs : (float, float), default (0.80, 0.90)
        Starting position of the A and B lines.
    boundary : {"including", "before"}, default "including"
        Starting boundary rule.
    lang : {"en", "zh", "both"}, optional
        Language of the labels, chart and messages; default the kit's current language.

    Returns
    -------
    App
        Controls ``cutoff_a``, ``cutoff_b``, ``value``, ``boundary``. ``app.result`` is a dict
        with ``table`` (the classification), ``summary`` (:func:`abc_summary`), ``crossing``
        (:func:`boundary_customers`) and ``excluded`` (number of customers left out because their
        total is negative, e.g. loss-making customers when ranking on profit).

    Notes
    -----
    An A line at or above the B line is refused with a message in the app, and the previous
    chart stays.

    Examples
    --------
    In a notebook (outside one, the app's drawing goes to standard output, hence the skip):

    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "amount": [50, 35, 10, 5]})
    >>> app = abc_explorer(df, lang="en")                    # doctest: +SKIP
    >>> app.result["summary"]["count"].tolist()              # doctest: +SKIP
    [1, 1, 2]
    >>> app.controls["boundary"].value = "before"            # doctest: +SKIP
    >>> app.result["summary"]["count"].tolist()              # doctest: +SKIP
    [2, 1, 1]
    """
    lang = resolve_language(lang)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"parameter 'table' must be a pandas DataFrame; got {type(table).__name__}")
    if id not in table.columns:
        raise ValueError(f"parameter 'id': column {id!r} is not in the table; "
                         f"columns are {list(table.columns)}")
    options = _value_columns(table, id)
    if not options:
        raise ValueError(f"parameter 'table' needs at least one numeric column besides {id!r}")
    if value is None:
        value = "amount" if "amount" in options else options[0]
    if value not in options:
        raise ValueError(f"parameter 'value' must be one of the numeric columns {options}; "
                         f"got {value!r}")
    if boundary not in ("including", "before"):
        raise ValueError(f"parameter 'boundary' must be 'including' or 'before'; got {boundary!r}")
    style = {"description_width": "initial"}
    slider = dict(min=0.05, max=1.0, step=0.01, readout_format=".0%", continuous_update=False,
                  style=style)
    controls = {
        "cutoff_a": W.FloatSlider(value=float(cutoffs[0]), description=label("abc_app.cutoff_a",
                                  lang), **slider),
        "cutoff_b": W.FloatSlider(value=float(cutoffs[1]), description=label("abc_app.cutoff_b",
                                  lang), **slider),
        "value": W.Dropdown(options=[(_column_label(c, lang), c) for c in options],
                            value=value, description=label("abc_app.value", lang), style=style),
        "boundary": W.Dropdown(
            options=[(label("abc_app.including", lang), "including"),
                     (label("abc_app.before", lang), "before")],
            value=boundary, description=label("abc_app.boundary", lang), style=style,
        ),
    }

    def compute(cutoff_a: float, cutoff_b: float, value: str, boundary: str) -> dict[str, Any]:
        if not cutoff_a < cutoff_b:
            raise ValueError(label("abc_app.error_cutoffs", lang).format(a=cutoff_a, b=cutoff_b))
        classified = abc_classify(table, value=value, id=id, cutoffs=(cutoff_a, cutoff_b),
                                  boundary=boundary, negative="exclude")
        return {
            "table": classified,
            "summary": abc_summary(classified),
            "crossing": boundary_customers(classified),
            "excluded": len(classified.attrs["excluded"]),
        }

    def render(result: dict[str, Any], out: W.Output) -> None:
        # fixed margins rather than a constrained layout: the layout pass at every redraw cost
        # about a third of the app's latency (benchmarks/bench_widgets.py)
        fig, ax = plt.subplots(figsize=(8, 4.5))
        fig.subplots_adjust(left=0.09, right=0.9, bottom=0.12, top=0.92)
        plot_pareto(result["table"], ax=ax, lang=lang)
        ax.set_title(label("abc_app.chart_title", lang))
        show_figure(ax.figure)
        summary = result["summary"].rename(
            columns={c: label(k, lang) for c, k in _SUMMARY_COLUMNS.items()}
        )
        summary.index = [label(c, lang) for c in summary.index]
        summary.index.name = label("abc_app.class", lang)
        display(summary.style.format({
            label("abc_app.share_of_customers", lang): "{:.1%}",
            label("abc_app.share_of_value", lang): "{:.1%}",
            label("abc_app.value_total", lang): "{:,.0f}",
        }))
        lines = []
        rule = result["table"].attrs["boundary"]
        for row in result["crossing"].itertuples(index=False):
            lines.append(label("abc_app.crossing", lang).format(
                id=getattr(row, id), rank=row.rank, before=row.cum_share_before,
                after=row.cum_share, cut=row.cutoff,
                cls=row.class_including if rule == "including" else row.class_before,
            ))
        if result["excluded"]:
            lines.append(label("abc_app.excluded", lang).format(n=result["excluded"]))
        if lines:
            display(HTML("<br>".join(lines)))

    return App(controls, compute, render, title=label("abc_app.title", lang), lang=lang)
