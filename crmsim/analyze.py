"""``crmsim analyze``: the textbook methods on a user's own table, written up as a report.

The user's file is read with :func:`crmsim.read_table` (UTF-8, UTF-8 with BOM, GBK, .xlsx;
Chinese headers such as 客户编号 / 销售额 are mapped to the kit's names) and never modified. What
runs depends on the columns found:

- always: ABC classification and concentration on the value column (rows with the same id, such as
  a transaction list, are summed per customer first);
- ``current_value`` and ``growth_potential`` present: the customer pyramid;
- the six 6C columns present: credit scores and grades;
- a ``date`` column with repeated ids (a transaction list): lifecycle stages as of the last date.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crmsim._validation import require_columns
from crmsim.errors import DataError
from crmsim.io import read_table
from crmsim.methods.abc import abc_classify, abc_excluded, abc_summary
from crmsim.methods.concentration import concentration_summary, lorenz_curve
from crmsim.methods.credit import credit_score, grade_summary
from crmsim.methods.lifecycle import infer_stage, stage_mix
from crmsim.methods.pyramid import customer_pyramid, pyramid_summary
from crmsim.plots.credit import plot_grade_distribution
from crmsim.plots.lifecycle import plot_stage_mix
from crmsim.plots.pareto import plot_lorenz, plot_pareto
from crmsim.plots.pyramid import plot_pyramid
from crmsim.report import Report, ReportOutput, new_figure
from crmsim.terms import SIX_C, label

#: value columns tried, in order, when the user names none
VALUE_CANDIDATES = ("amount", "current_value", "gross_profit", "sales", "value")


def choose_value_column(table: pd.DataFrame, value: str | None) -> str:
    """Return the value column to analyse: *value* if given, else the first known candidate."""
    if value is not None:
        require_columns(table, [value], source=table.attrs.get("source"))
        return value
    for candidate in VALUE_CANDIDATES:
        if candidate in table.columns:
            return candidate
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    raise DataError(
        f"{table.attrs.get('source', 'data')}: no value column found; tried "
        f"{list(VALUE_CANDIDATES)}. Name one with --value (numeric columns here: {numeric})"
    )


def analyze_table(
    table: pd.DataFrame,
    out_dir: str | Path,
    *,
    value: str | None = None,
    id: str = "customer_id",
) -> ReportOutput:
    """Run every applicable method on *table* and write the report into *out_dir*.

    Parameters
    ----------
    table
        One row per customer, or one row per transaction (ids may repeat).
    out_dir
        Folder for ``index.html`` and the PNG charts.
    value
        The column to rank customers by; default: the first of :data:`VALUE_CANDIDATES` present.
    id
        The customer id column.
    """
    source = table.attrs.get("source", "data")
    require_columns(table, [id], source=source)
    value = choose_value_column(table, value)
    out = ReportOutput()
    rep = Report(f"crmsim analysis of {Path(str(source)).name}")
    rep.text(f"{len(table):,} rows, {table[id].nunique():,} distinct customers; value column "
             f"{value!r}.")

    negative = "exclude" if value == "gross_profit" else "error"
    abc = abc_classify(table, value=value, id=id, negative=negative)
    rep.heading(label("abc_method", "both"))
    out.add_table(rep, f"ABC classes by {value}", abc_summary(abc), index=True)
    excluded = abc_excluded(abc)
    if len(excluded):
        rep.text(f"{len(excluded)} customer(s) with negative total {value} were left out of the "
                 "ranking and are listed here.", note=True)
        out.add_table(rep, f"Customers excluded from ABC (negative {value})", excluded)
    fig, ax = new_figure()
    plot_pareto(abc, ax=ax)
    rep.figure(fig, "abc_pareto", "Pareto chart")

    rep.heading("Concentration")
    out.add_table(rep, "Concentration", concentration_summary(abc, value="value", id=id))
    fig, ax = new_figure(6, 6)
    plot_lorenz(lorenz_curve(abc["value"]), ax=ax, label="customers")
    rep.figure(fig, "lorenz", "Lorenz curve")

    if {"current_value", "growth_potential"} <= set(table.columns):
        rep.heading(label("pyramid_method", "both"))
        pyr = customer_pyramid(table, current="current_value", potential="growth_potential", id=id)
        summary = pyramid_summary(pyr, value="current_value")
        out.add_table(rep, "Customer pyramid (median split)", summary, index=True)
        fig, ax = new_figure(7, 5)
        plot_pyramid(summary, ax=ax)
        rep.figure(fig, "pyramid", "Customer pyramid")

    if set(SIX_C) <= set(table.columns):
        rep.heading(label("credit_method", "both"))
        credit = credit_score(table, id=id)
        out.add_table(rep, "Credit grades", grade_summary(credit), index=True)
        fig, ax = new_figure(6, 4)
        plot_grade_distribution(credit, ax=ax)
        rep.figure(fig, "credit_grades", "Customers per credit grade")

    if "date" in table.columns and table[id].duplicated().any():
        rep.heading(label("lifecycle_method", "both"))
        stages = infer_stage(table, id=id, value=value)
        mix = stage_mix(stages)
        out.add_table(rep, "Customers per lifecycle stage", mix, index=True)
        fig, ax = new_figure(6, 4)
        plot_stage_mix(mix, ax=ax)
        rep.figure(fig, "stage_mix", "Customers per lifecycle stage")

    out.report_path = rep.write(out_dir)
    return out


def analyze_file(
    path: str | Path,
    out_dir: str | Path,
    *,
    value: str | None = None,
    id: str = "customer_id",
    encoding: str | None = None,
    sheet_name: str | int = 0,
) -> ReportOutput:
    """Read a user's file (never modifying it) and run :func:`analyze_table` on it."""
    table = read_table(path, rename="auto", encoding=encoding, sheet_name=sheet_name)
    return analyze_table(table, out_dir, value=value, id=id)
