"""``crmsim analyze``: the textbook methods on a user's own table, written up as a report.

The user's file is read with :func:`crmsim.read_table` (UTF-8, UTF-8 with BOM, GBK; comma,
semicolon, tab or pipe separated; .xlsx with title rows or two-row headers; Chinese headers such
as 客户编号 / 销售额 mapped to the kit's names; ``1,200``, ``¥80`` and ``2022年1月3日`` cleaned)
and never modified. The report starts with how the file was read (encoding, delimiter, sheet,
header row, rows left out, header → column), then says for each method whether it ran and, if
not, which columns it needed:

- ABC classification and concentration on the value column (rows with the same id, such as a
  transaction list, are summed per customer first);
- ``current_value`` and ``growth_potential`` present: the customer pyramid;
- the six 6C columns present: credit scores and grades;
- a ``date`` column with repeated ids (a transaction list): lifecycle stages as of the last date.

Columns can be named the way the file names them: ``--value 销售额`` finds the column read as
``amount``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmsim._validation import numeric_column
from crmsim.errors import DataError
from crmsim.io import ReadingReport, read_table, resolve_column
from crmsim.io.clean import numbers_of
from crmsim.io.dates import parse_dates
from crmsim.methods.abc import abc_classify, abc_excluded, abc_summary
from crmsim.methods.concentration import concentration_summary, lorenz_curve
from crmsim.methods.credit import credit_score, grade_summary
from crmsim.methods.lifecycle import infer_stage, stage_mix
from crmsim.methods.pyramid import customer_pyramid, pyramid_summary
from crmsim.plots.credit import plot_grade_distribution
from crmsim.plots.lifecycle import plot_stage_mix
from crmsim.plots.pareto import plot_lorenz, plot_pareto
from crmsim.plots.pyramid import plot_pyramid
from crmsim.report import Report, ReportOutput, check_output_folder, new_figure
from crmsim.terms import SIX_C, label

#: value columns tried, in order, when the user names none
VALUE_CANDIDATES = ("amount", "current_value", "gross_profit", "sales", "value")


def choose_value_column(
    table: pd.DataFrame, value: str | None, mapping: dict[str, str] | None = None
) -> str:
    """The value column to analyse: *value* (the kit's name or the file's own header) if given,
    else the first of :data:`VALUE_CANDIDATES` present."""
    source = table.attrs.get("source")
    if value is not None:
        return resolve_column(table.columns, value, mapping, source=_name(source),
                              parameter="--value")
    for candidate in VALUE_CANDIDATES:
        if candidate in table.columns:
            return candidate
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    raise DataError(
        f"{_name(source) or 'data'}: no value column found; tried "
        f"{list(VALUE_CANDIDATES)}. Name one with --value (numeric columns here: {numeric})"
    )


def _name(source: object) -> str | None:
    return None if source is None else Path(str(source)).name


def _clean_numbers(table: pd.DataFrame, column: str, id: str, source: str | None) -> pd.Series:
    """*column* as float64, cleaned like read_table does (1,200 / ¥80 / 12%), checked."""
    if pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(
            table[column]):  # read as numbers already: checked in place, no copy as objects
        checked = pd.DataFrame({column: table[column], id: table[id]}, copy=False)
        return pd.Series(numeric_column(checked, column, source=source, id_column=id).to_numpy(),
                         index=table.index)  # fmt: skip
    numbers, bad, _ = numbers_of(table[column])
    shown = np.where(bad, table[column].to_numpy(dtype=object), numbers.to_numpy(dtype=object))
    checked = pd.DataFrame({column: shown, id: table[id].to_numpy()})
    return pd.Series(numeric_column(checked, column, source=source, id_column=id).to_numpy(),
                     index=table.index)


#: Rows of a transaction list given to the lifecycle rules at a time (bounds the memory): a
#: longer list is split by customer. Each customer's stage is the same; its sums (spend in the
#: last months) can differ from one pass in the last bit, as numpy adds in another order.
STAGE_BATCH_ROWS = 4_000_000


#: The id column numbered once (see :func:`_rank_ids`): each row's rank among the sorted ids
#: (-1 for a missing id), and the sorted ids.
RankedIds = tuple[np.ndarray, pd.Index]


def _rank_ids(table: pd.DataFrame, id: str) -> RankedIds:
    """Each row's rank among the sorted distinct ids, and those ids: hashing millions of ids
    takes seconds, so the count of customers, the methods table, ABC and the lifecycle stages
    all read this one numbering."""
    return pd.factorize(table[id], sort=True)


def _abc(table: pd.DataFrame, value: str, id: str, negative: str,
         ranked: RankedIds | None = None) -> pd.DataFrame:  # fmt: skip
    """:func:`abc_classify` with the ids replaced by their rank among the sorted ids while it
    groups (the same table, many times faster on millions of rows); the ids themselves when a
    message may have to name them (a missing id, a negative total). *ranked*: the ids'
    numbering if already made (:func:`_rank_ids`)."""
    codes, ids = _rank_ids(table, id) if ranked is None else ranked
    if (codes < 0).any() or (table[value].to_numpy() < 0).any():
        return abc_classify(table, value=value, id=id, negative=negative)
    # no copy of millions of rows: abc_classify only reads its table
    frame = pd.DataFrame({id: codes, value: table[value].to_numpy()}, copy=False)
    frame.attrs = dict(table.attrs)
    out = abc_classify(frame, value=value, id=id, negative=negative)
    out[id] = np.asarray(ids, dtype=object)[out[id].to_numpy()]
    return out


def _stages(table: pd.DataFrame, id: str, value: str,
            ranked: RankedIds | None = None) -> pd.DataFrame:  # fmt: skip
    """:func:`infer_stage` for a table of any length: the ids replaced by their rank among the
    sorted ids while it works (integers group many times faster than text), and the customers
    taken in batches of :data:`STAGE_BATCH_ROWS` rows (a customer's stage depends on its own
    rows and the analysis date only), so memory stays bounded; the same table, in the same
    order (see :data:`STAGE_BATCH_ROWS` for the last bit of the sums). *ranked*: the ids'
    numbering if already made (:func:`_rank_ids`)."""
    codes, ids = _rank_ids(table, id) if ranked is None else ranked
    as_of = table["date"].max()
    oldest = int(np.argmin(table["date"].to_numpy()))
    batches = max(1, len(table) // STAGE_BATCH_ROWS)
    bounds = np.linspace(0, len(ids), batches + 1).astype(int)
    extra = ["order_id"] if "order_id" in table.columns else []  # distinct orders are counted
    parts = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        # the batch's rows in the file's order: sums add up exactly as in one pass
        rows = np.flatnonzero((codes >= start) & (codes < stop)) if batches > 1 \
            else np.arange(len(codes))  # fmt: skip
        if batches > 1:  # every batch spans the same months (so the same sums): a zero-value
            rows = np.concatenate([[oldest], rows])  # row of the oldest date, taken out below
        frame = pd.DataFrame({"_key": codes[rows], "date": table["date"].to_numpy()[rows],
                              value: table[value].to_numpy()[rows],
                              **{c: table[c].to_numpy()[rows] for c in extra}},
                             copy=False)  # the arrays are new (taken rows): no second copy
        if batches > 1:
            frame.loc[0, ["_key", value]] = [-1, 0.0]
        part = infer_stage(frame, as_of=as_of, id="_key", value=value)
        parts.append(part[part["_key"] >= 0])
    stages = pd.concat(parts, ignore_index=True)
    stages.attrs = dict(parts[0].attrs)
    stages.insert(0, id, np.asarray(ids, dtype=object)[stages.pop("_key").to_numpy()])
    return stages


def method_needs(id: str, value: str) -> list[tuple[str, list[str]]]:
    """Each method of the report (its label key) and the columns it needs, in report order;
    the lifecycle also needs repeated ids (a transaction list)."""
    return [
        ("abc_method", [id, value]),
        ("analyze.concentration", [id, value]),
        ("pyramid_method", ["current_value", "growth_potential"]),
        ("credit_method", list(SIX_C)),
        ("lifecycle_method", [id, "date", value]),
    ]


def methods_table(
    table: pd.DataFrame, id: str, value: str, lang: str = "both", *, repeated: bool | None = None
) -> pd.DataFrame:
    """Which methods run on *table*: method, ran (yes/no), columns needed, columns missing.
    *repeated*: whether some id is on several rows, if already known."""
    rows = []
    if repeated is None:
        repeated = id in table.columns and bool(table[id].duplicated().any())
    dates = "date" in table.columns and pd.api.types.is_datetime64_any_dtype(table["date"])
    negative = (value in table.columns and pd.api.types.is_numeric_dtype(table[value])
                and bool((table[value] < 0).any()))  # returns: the stage rules count purchases
    for key, needs in method_needs(id, value):
        missing = [c for c in needs if c not in table.columns]
        if key == "lifecycle_method" and "date" in table.columns and not dates:
            missing.append(label("analyze.date_not_dates", lang))
        if key == "lifecycle_method" and negative:
            missing.append(label("analyze.no_negative_values", lang))
        needs_text = ", ".join(needs)
        if key == "lifecycle_method":
            needs_text += " + " + label("analyze.repeated_ids", lang)
            if not repeated and not missing:
                missing = [label("analyze.repeated_ids", lang)]
        rows.append({
            label("analyze.method", lang): label(key, lang),
            label("analyze.status", lang): label("analyze.skipped" if missing else "analyze.ran",
                                                 lang),
            label("analyze.needs", lang): needs_text,
            label("analyze.missing", lang): ", ".join(missing),
        })
    return pd.DataFrame(rows)


def _reading_section(rep: Report, out: ReportOutput, reading: ReadingReport, lang: str) -> None:
    rep.heading(label("reading.title", lang))
    out.add_table(rep, label("reading.title", lang), reading.summary(lang))
    out.add_table(rep, label("reading.columns_title", lang), reading.columns_table(lang))
    if reading.rejected:
        out.add_table(rep, label("reading.rejected_title", lang), reading.rejected_table(lang))
    notes = reading.note_texts(lang)
    for note in notes:
        rep.text(note, note=True)
    if notes:
        out.tables.append((label("reading.notes_title", lang),
                           pd.DataFrame({label("reading.notes_title", lang): notes})))


def analyze_table(
    table: pd.DataFrame,
    out_dir: str | Path,
    *,
    value: str | None = None,
    id: str = "customer_id",
    reading: ReadingReport | None = None,
    overwrite: bool = False,
    negative: str | None = None,
    dayfirst: bool | None = None,
    keep: list[str | Path] | None = None,
) -> ReportOutput:
    """Run every applicable method on *table* and write the report into *out_dir*.

    Parameters
    ----------
    table
        One row per customer, or one row per transaction (ids may repeat).
    out_dir
        Folder for ``index.html`` and the PNG charts. It may exist, but an ``index.html`` in it
        is only replaced with ``overwrite=True``.
    value
        The column to rank customers by, as the table or the file names it (``"amount"`` or
        ``"销售额"``); default: the first of :data:`VALUE_CANDIDATES` present.
    id
        The customer id column, named either way too.
    reading
        The :class:`~crmsim.io.ReadingReport` of the file the table came from
        (``read_table(..., report=True)``): shown first in the report, and its header → column
        mapping lets *value* and *id* use the file's own headers.
    overwrite
        Replace an existing report in *out_dir*.
    negative : {"error", "exclude"}, optional
        Customers with a negative total in ABC: refuse (default, except for gross profit) or
        leave them out of the ranking and list them (``--negative exclude``).
    dayfirst : bool, optional
        Order of day/month/year dates in a ``date`` column that is not parsed yet (a column
        the reading report read as text is never used as dates).
    keep : list of paths, optional
        Files never to be replaced by the report (the user's input).

    Raises
    ------
    crmsim.errors.DataError
        A column named by *value* or *id* is missing, the value column holds something other
        than numbers (the message names the row), or *out_dir* is a file or holds a report
        and ``overwrite`` is False.
    """
    lang = "both"
    check_output_folder(out_dir, overwrite=overwrite)
    source = table.attrs.get("source", reading.source if reading is not None else "data")
    name = _name(source)
    mapping = reading.mapping if reading is not None else None
    id = resolve_column(table.columns, id, mapping, source=name, parameter="--id")
    value = choose_value_column(table, value, mapping)
    if reading is not None and id in reading.scientific:
        raise DataError(f"{name}: column {id!r} (the customer id) holds ids in scientific "
                        f"notation such as {reading.scientific[id]!r}: Excel shortened them and "
                        "different customers may now share one id; format the column as text in "
                        "Excel (Format Cells > Text), export the ids again and save the file "
                        "again")  # fmt: skip
    table = table.copy(deep=False)  # columns are replaced, never changed in place
    table[value] = _clean_numbers(table, value, id, name)
    date_note = None
    if "date" in table.columns and not pd.api.types.is_datetime64_any_dtype(table["date"]):
        # a column the reading report read as text is never used as dates; a table given
        # directly is read by the kit's one date policy (day/month decided by the column)
        undecided = reading.undecided_dates.get("date") if reading is not None else None
        if reading is None:
            dated = parse_dates(table["date"], serial=True, dayfirst=dayfirst)
            if dated.problem is None and not dated.bad.any():
                table["date"] = dated.dates.to_numpy()
            else:
                undecided = dated
        if undecided is not None and undecided.problem is not None:
            date_note = undecided.message("date", name)
        else:
            date_note = (f"{name}: column 'date' was read as text (not every cell is a date), "
                         "so the lifecycle stages are not inferred")  # fmt: skip
    out = ReportOutput()
    rep = Report(f"crmsim analysis of {Path(str(source)).name}")
    ranked = _rank_ids(table, id)
    codes, ids = ranked
    rep.text(f"{len(table):,} rows, {len(ids):,} distinct customers; value column {value!r}.")
    if reading is not None:
        _reading_section(rep, out, reading, lang)
    rep.heading(label("analyze.methods_title", lang))
    missing = codes < 0  # missing ids: repeated as duplicated() says (None is not NaN)
    repeated = bool(len(ids) < len(table) - missing.sum()) or bool(
        missing.any() and table[id][missing].duplicated().any())  # fmt: skip
    methods = methods_table(table, id, value, lang, repeated=repeated)
    out.add_table(rep, label("analyze.methods_title", lang), methods)
    ran = dict(zip(methods.iloc[:, 0], methods.iloc[:, 1] == label("analyze.ran", lang),
                   strict=True))
    if date_note is not None:
        rep.text(date_note, note=True)
        out.tables.append(("Note on dates", pd.DataFrame({"note": [date_note]})))

    if negative is None:
        negative = "exclude" if value == "gross_profit" else "error"
    abc = _abc(table, value, id, negative, ranked)
    rep.heading(label("abc_method", lang))
    out.add_table(rep, f"ABC classes by {value}", abc_summary(abc), index=True)
    excluded = abc_excluded(abc)
    if len(excluded):
        rep.text(f"{len(excluded)} customer(s) with negative total {value} were left out of the "
                 "ranking and are listed here.", note=True)
        out.add_table(rep, f"Customers excluded from ABC (negative {value})", excluded)
    fig, ax = new_figure()
    plot_pareto(abc, ax=ax)
    rep.figure(fig, "abc_pareto", "Pareto chart")

    rep.heading(label("analyze.concentration", lang))
    out.add_table(rep, "Concentration", concentration_summary(abc, value="value", id=id))
    fig, ax = new_figure(6, 6)
    plot_lorenz(lorenz_curve(abc["value"]), ax=ax, label="customers")
    rep.figure(fig, "lorenz", "Lorenz curve")

    if ran[label("pyramid_method", lang)]:
        rep.heading(label("pyramid_method", "both"))
        pyr = customer_pyramid(table, current="current_value", potential="growth_potential", id=id)
        summary = pyramid_summary(pyr, value="current_value")
        out.add_table(rep, "Customer pyramid (median split)", summary, index=True)
        fig, ax = new_figure(7, 5)
        plot_pyramid(summary, ax=ax)
        rep.figure(fig, "pyramid", "Customer pyramid")

    if ran[label("credit_method", lang)]:
        rep.heading(label("credit_method", "both"))
        credit = credit_score(table, id=id)
        out.add_table(rep, "Credit grades", grade_summary(credit), index=True)
        fig, ax = new_figure(6, 4)
        plot_grade_distribution(credit, ax=ax)
        rep.figure(fig, "credit_grades", "Customers per credit grade")

    if ran[label("lifecycle_method", lang)]:
        rep.heading(label("lifecycle_method", "both"))
        stages = _stages(table, id, value, ranked)
        mix = stage_mix(stages)
        out.add_table(rep, "Customers per lifecycle stage", mix, index=True)
        fig, ax = new_figure(6, 4)
        plot_stage_mix(mix, ax=ax)
        rep.figure(fig, "stage_mix", "Customers per lifecycle stage")

    out.report_path = rep.write(out_dir, overwrite=overwrite, keep=keep or ())
    return out


def analyze_file(
    path: str | Path,
    out_dir: str | Path,
    *,
    value: str | None = None,
    id: str = "customer_id",
    encoding: str | None = None,
    sheet_name: str | int = 0,
    header_row: int | tuple[int, int] | None = None,
    overwrite: bool = False,
    negative: str | None = None,
    dayfirst: bool | None = None,
) -> ReportOutput:
    """Read a user's file (never modifying it) and run :func:`analyze_table` on it.

    The output folder is checked first, so a refused ``out_dir`` costs no work; the file is
    never among the files written.
    """
    check_output_folder(out_dir, overwrite=overwrite)
    table, reading = read_table(path, rename="auto", encoding=encoding, sheet_name=sheet_name,
                                header_row=header_row, report=True, dayfirst=dayfirst)
    return analyze_table(table, out_dir, value=value, id=id, reading=reading,
                         overwrite=overwrite, negative=negative, keep=[path])
