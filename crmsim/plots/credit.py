"""Plots for the 6C credit analysis: a customer's radar chart and the spread of credit grades."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from crmsim._validation import numeric_column, require_columns
from crmsim.errors import DataError, ParameterError
from crmsim.methods.credit import grade_summary
from crmsim.plots._labels import chart_text, finish, named, plot_language
from crmsim.terms import GRADES, SIX_C, label

__all__ = ["plot_credit_radar", "plot_grade_distribution"]

_GRADE_COLOURS = {"A": "#2a9d8f", "B": "#8ab17d", "C": "#e9c46a", "D": "#e76f51"}


def _pick_customer(
    row_or_table: pd.Series | pd.DataFrame, customer_id: Any, id: str
) -> tuple[pd.Series, pd.DataFrame | None]:
    if isinstance(row_or_table, pd.Series):
        missing = [c for c in SIX_C if c not in row_or_table.index]
        if missing:
            raise DataError(f"plot_credit_radar: the row has no score(s) {missing}")
        return row_or_table, None
    if not isinstance(row_or_table, pd.DataFrame):
        raise DataError(
            "plot_credit_radar: expected a row (Series) or a table (DataFrame); got "
            f"{type(row_or_table).__name__}"
        )
    table = row_or_table
    require_columns(table, list(SIX_C), source="plot_credit_radar table")
    if customer_id is None:
        if len(table) != 1:
            raise ParameterError(
                f"parameter 'customer_id' is needed to choose one of the {len(table)} customers"
            )
        return table.iloc[0], table
    require_columns(table, [id], source="plot_credit_radar table")
    match = table[table[id] == customer_id]
    if match.empty:
        raise ParameterError(
            f"parameter 'customer_id': {customer_id!r} is not in column {id!r}"
        )
    return match.iloc[0], table


def plot_credit_radar(
    row_or_table: pd.Series | pd.DataFrame,
    customer_id: Any = None,
    ax: Axes | None = None,
    *,
    id: str = "customer_id",
    show_mean: bool = True,
    lang: str | None = None,
) -> Axes:
    """Radar (polar) chart of one customer's six credit scores (1–5).

    Parameters
    ----------
    row_or_table : Series or DataFrame
        One customer's row, or a table with one row per customer (e.g. the output of
        :func:`crmsim.methods.credit.credit_score`).
    customer_id : optional
        Which customer to draw when a table with several rows is given.
    ax : matplotlib Axes with polar projection, optional
        Created (``subplot_kw={"projection": "polar"}``) when omitted.
    id : str
        Name of the id column.
    show_mean : bool
        With a table of several customers, also draw the portfolio mean as a dashed line.
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> row = pd.Series({"character": 5, "capacity": 4, "capital": 3, "collateral": 4,
    ...                  "condition": 5, "continuity": 3})
    >>> plot_credit_radar(row).name
    'polar'
    """
    lang = plot_language(lang)
    row, table = _pick_customer(row_or_table, customer_id, id)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 5.5), subplot_kw={"projection": "polar"},
                             layout="constrained")
    elif ax.name != "polar":
        raise ParameterError(
            "parameter 'ax' must be a polar Axes, e.g. "
            "plt.subplots(subplot_kw={'projection': 'polar'})"
        )
    frame = pd.DataFrame({c: [row[c]] for c in SIX_C})
    values = np.array(
        [numeric_column(frame, c, source="plot_credit_radar", minimum=1, maximum=5)[0]
         for c in SIX_C]
    )
    angles = np.linspace(0.0, 2.0 * np.pi, len(SIX_C), endpoint=False)
    closed = np.append(angles, angles[0])
    if id in row.index:
        who = str(row[id])
    elif customer_id is not None:
        who = str(customer_id)
    else:
        who = chart_text("chart.credit.customer", lang)
    ax.plot(closed, np.append(values, values[0]), color="#264653", linewidth=2, label=who)
    ax.fill(closed, np.append(values, values[0]), color="#264653", alpha=0.2)
    if show_mean and table is not None and len(table) > 1:
        mean = np.array([numeric_column(table, c, source="plot_credit_radar table").mean()
                         for c in SIX_C])
        ax.plot(closed, np.append(mean, mean[0]), color="#e76f51", linestyle="--", linewidth=1.5,
                label=chart_text("chart.credit.mean", lang))
    ax.set_theta_offset(np.pi / 2)  # character at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_rlabel_position(180 / len(SIX_C))
    ax.set_xticks(angles)
    ax.set_xticklabels([label(c, lang) for c in SIX_C])
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    title = named("chart.credit.title", lang, who)
    if "score" in row.index and "grade" in row.index:
        title += "\n" + chart_text("chart.credit.score", lang, score=f"{float(row['score']):.2f}",
                                   grade=row["grade"])
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize="small",
              frameon=False)
    return finish(ax, lang)


def plot_grade_distribution(
    table: pd.DataFrame, ax: Axes | None = None, *, grade: str = "grade", lang: str | None = None
) -> Axes:
    """Bar chart of the number of customers per credit grade (A–D, all four shown).

    Parameters
    ----------
    table : DataFrame
        Either one row per customer with a grade column (e.g. from
        :func:`crmsim.methods.credit.credit_score`) or the output of
        :func:`crmsim.methods.credit.grade_summary` (columns ``grade``, ``count``, ``share``).
    ax : matplotlib Axes, optional
    grade : str
        Name of the grade column.
    lang : {"en", "zh", "both"}, optional
        Language of every text on the chart; default the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_grade_distribution(pd.DataFrame({"grade": ["A", "B", "B", "D"]}))
    >>> len(ax.patches)
    4
    """
    lang = plot_language(lang)
    is_summary = (
        isinstance(table, pd.DataFrame)
        and {grade, "count", "share"} <= set(table.columns)
        and table[grade].is_unique
    )
    if is_summary:
        summary = (
            table.set_index(grade).reindex(list(GRADES)).fillna({"count": 0, "share": 0.0})
            .reset_index().rename(columns={grade: "grade"})
        )
    else:
        summary = grade_summary(table, grade=grade)
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5), layout="constrained")
    counts = summary["count"].to_numpy(dtype="float64")
    shares = summary["share"].to_numpy(dtype="float64")
    x = np.arange(len(GRADES))
    bars = ax.bar(x, counts, color=[_GRADE_COLOURS[g] for g in GRADES])
    ax.set_xticks(x)
    ax.set_xticklabels([chart_text("chart.grades.tick", lang, grade=g) for g in GRADES])
    for rect, share in zip(bars, shares, strict=True):
        text = f"{share:.0%}" if np.isfinite(share) else ""
        ax.annotate(text, (rect.get_x() + rect.get_width() / 2, rect.get_height()),
                    ha="center", va="bottom", fontsize="small", xytext=(0, 2),
                    textcoords="offset points")
    ax.set_xlabel(chart_text("chart.grades.xlabel", lang))
    ax.set_ylabel(chart_text("chart.customers", lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(chart_text("chart.grades.title", lang))
    ax.margins(y=0.12)
    return finish(ax, lang)
