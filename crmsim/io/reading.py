""":func:`read_table`: a user's CSV or Excel export, read the way such files really look."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError, ParameterError
from crmsim.io.body import TOTAL_WORDS, Body, grid_chunks
from crmsim.io.clean import (
    as_text,
    cell_text,
    is_code_like,
    is_missing,
    numbers_of,
)
from crmsim.io.dates import parse_dates
from crmsim.io.headers import (
    chinese_headers,
    clean_header,
    is_id_like,
    target_names,
)
from crmsim.io.report import ColumnReading, ReadingReport
from crmsim.io.sniff import combine_headers, find_header
from crmsim.io.sources import (
    CHUNK_ROWS,
    ExcelSheet,
    check_regular_file,
    csv_body,
    csv_head,
    excel_sheet,
)
from crmsim.terms import COLUMN_ALIASES
from crmsim.terms.notes import Note

__all__ = ["KINDS", "SUPPORTED_EXTENSIONS", "TOTAL_WORDS", "read_table"]

#: File types :func:`read_table` understands.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".csv", ".xlsx", ".xlsm")

#: Column kinds accepted in ``schema``/``columns`` and what each checks.
KINDS: dict[str, str] = {
    "id": "identifier read as text, unique and never missing",
    "number": "numeric, no missing values",
    "nonnegative": "numeric, no missing values, >= 0",
    "date": "a date such as 2024-03-31, 2024/3/31, 2024年3月31日 or an Excel serial number",
    "int1to5": "whole number from 1 to 5 (e.g. a 6C score)",
    "str": "text (missing values allowed)",
}

_DATE_NAMES = ("date", "first_purchase", "hire_date")
_DATE_HINTS = ("日期", "时间", "date")


def read_table(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    rename: Mapping[str, str] | str | None = None,
    sheet_name: int | str = 0,
    encoding: str | None = None,
    schema: Mapping[str, str] | None = None,
    header_row: int | Sequence[int] | None = None,
    report: bool = False,
    dayfirst: bool | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, ReadingReport]:
    """Read a CSV or Excel export, find its header, rename and clean its columns.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.xlsx`` or ``.xlsm`` file. The file is read, never modified.
    columns : sequence of str or dict, optional
        Column names (after renaming) to keep, in this order; every one must exist. A dict
        ``{column: kind}`` both selects the columns and checks them like ``schema``.
    rename : dict, "auto" or None, optional
        ``{"客户编号": "customer_id", ...}`` renames the given headers (each must exist);
        ``"auto"`` applies :data:`crmsim.terms.COLUMN_ALIASES` (Chinese headers such as 客户编号,
        销售额) and turns headers like ``"Customer ID"`` into kit names such as ``customer_id``.
        Headers are always stripped of surrounding spaces and stray byte-order marks.
    sheet_name : int or str, default 0
        Worksheet of an Excel file (position or name); ignored for CSV.
    encoding : str, optional
        Text encoding of a CSV file. ``None`` tries UTF-8, then GB18030 (GBK).
    schema : dict, optional
        ``{column: kind}`` with kinds from :data:`KINDS`: ``"id"``, ``"number"``,
        ``"nonnegative"``, ``"date"``, ``"int1to5"``, ``"str"``. Checked columns are converted:
        numbers to float64, dates to datetime64[ns], 1-5 scores to int64, ids and text to str.
    header_row : int or pair of int, optional
        Row number of the header in the file or sheet, counted from 1 as a spreadsheet shows it
        (``(3, 4)`` for a two-row header). Default: found automatically, skipping title rows
        above the table.
    report : bool, default False
        Also return the :class:`~crmsim.io.ReadingReport`.
    dayfirst : bool, optional
        The order of dates written day/month/year (``True``) or month/day/year (``False``).
        Default: decided per column by a date that shows it (a number above 12); a column
        that shows neither is read as text, with a note (see :mod:`crmsim.io.dates`).

    Returns
    -------
    pandas.DataFrame, or (DataFrame, ReadingReport) when ``report=True``
        The table. Without a schema, each column is read as what it clearly is: identifiers
        and codes (``*_id``, 编号/代码 headers, values with leading zeros such as ``0012``) as
        text; columns whose every cell is a number (``1,200``, ``¥80``, ``12%``, full-width
        digits) as numbers; columns of dates (``2024-03-05``, ``2024/3/5``, ``2024年3月5日``,
        Excel dates, Excel serial numbers in a date column) as datetime64[ns]; the rest as text.
        Blank rows, totals and subtotals rows anywhere (合计 / 小计 / 总计 / Total / Subtotal)
        and rows hidden in a workbook are left out, and said so in the report. ``df.attrs``
        holds ``source`` (the path), ``encoding`` (of a CSV file:
        ``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"`` or the one passed; None for Excel),
        ``delimiter`` and, for Excel, ``sheet_name``.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    crmsim.errors.DataError
        Unsupported file type, undecodable or empty file, no data rows, two headers mapping to
        the same column, a missing column or a value that breaks the schema. The message starts
        with the file name (and sheet) and names the row and column.
    crmsim.errors.ParameterError
        An unknown kind, ``rename`` value, encoding name, ``header_row`` or ``sheet_name`` type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "sales.csv"
    ...     _ = f.write_text("客户销售报表 2024\\n客户编号;销售额\\n0012;\\"1,350.5\\"\\n"
    ...                      "0013;80\\n合计;\\"1,430.5\\"\\n", encoding="gbk")
    ...     df, rep = read_table(f, rename="auto", report=True)
    >>> df["customer_id"].tolist(), df["amount"].tolist()
    (['0012', '0013'], [1350.5, 80.0])
    >>> rep.encoding, rep.delimiter, rep.header_rows, rep.mapping
    ('gb18030', ';', (2,), {'客户编号': 'customer_id', '销售额': 'amount'})
    >>> [(r.row, r.reason.text("en")) for r in rep.rejected]
    [(5, "totals row ('合计') dropped")]
    """
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"no such file: {str(p)!r}")
    if p.is_dir():
        raise DataError(f"{str(p)!r} is a folder, not a table file")
    source = p.name
    ext = p.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise DataError(
            f"{source}: unsupported file type {ext or '(no extension)'!r}; supported: "
            f"{', '.join(SUPPORTED_EXTENSIONS)} (save .xls or .numbers files as .xlsx first)"
        )
    keep, kinds = _plan(columns, schema)
    given_header = _check_header_row(header_row)
    if isinstance(sheet_name, bool) or not isinstance(sheet_name, (int, str)):
        raise ParameterError(
            f"parameter 'sheet_name' must be one sheet's position (int) or name (str); "
            f"got {sheet_name!r}"
        )
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise ParameterError(f"parameter 'dayfirst' must be True, False or None; got {dayfirst!r}")

    # the file is only read: a check that it is a regular file (a FIFO would block), then
    # streamed (CSV) or loaded by openpyxl (Excel)
    if not check_regular_file(p, source):
        raise DataError(f"{source}: the file is empty")

    rep = ReadingReport(source=str(p))
    if ext == ".csv":
        head = csv_head(p, encoding, source)
        rep.encoding, rep.delimiter = head.encoding, head.delimiter
        if head.note:
            rep.notes.append(Note(head.note))
        grid: list[list[object]] = head.rows
        where = source

        def body(start: int, width: int) -> Iterable[pd.DataFrame]:
            return csv_body(p, head, start, width, source)

        sheet = None
    else:
        sheet = excel_sheet(p, sheet_name, source)
        rep.sheet, grid = sheet.name, sheet.grid
        where = f"{source}, sheet {rep.sheet!r}"

        def body(start: int, width: int) -> Iterable[pd.DataFrame]:
            return grid_chunks(grid[start:], CHUNK_ROWS)

    try:
        df = _table(grid, body, given_header, rename, kinds, where, rep, sheet, dayfirst)
    except DataError as exc:
        if sheet is None or len(sheet.sheets) < 2 or "no data rows" not in str(exc) and \
                "worksheet is empty" not in str(exc):  # fmt: skip
            raise
        others = ", ".join(repr(n) for n in sheet.sheets)
        raise DataError(f"{exc}; the workbook's sheets: {others} (give sheet_name=...)",
                        cli=f"{exc}; the workbook's sheets: {others}; choose one with --sheet "
                        "NAME") from None  # fmt: skip
    if keep is not None:
        _require(df, keep, where, rep)
        df = df[list(keep)]
        rep.columns = [c for c in rep.columns if c.name in keep]
    df = _apply_schema(df, kinds, where, rep, dayfirst)
    rep.rows_read = len(df)
    df.attrs["source"] = str(p)
    df.attrs["encoding"] = rep.encoding
    df.attrs["delimiter"] = rep.delimiter
    if rep.sheet is not None:
        df.attrs["sheet_name"] = sheet_name
    return (df, rep) if report else df


# ------------------------------------------------------------------ arguments
def _plan(
    columns: Sequence[str] | Mapping[str, str] | None, schema: Mapping[str, str] | None
) -> tuple[list[str] | None, dict[str, str]]:
    """Split ``columns``/``schema`` into (columns to keep or None, {column: kind})."""
    kinds: dict[str, str] = {}
    keep: list[str] | None = None
    if columns is not None:
        if isinstance(columns, str):
            raise ParameterError(
                f"parameter 'columns' must be a list of column names or a dict "
                f"{{column: kind}}; got the string {columns!r}"
            )
        if isinstance(columns, Mapping):
            kinds.update(columns)
        keep = list(columns)
    if schema is not None:
        if not isinstance(schema, Mapping):
            raise ParameterError(
                f"parameter 'schema' must be a dict {{column: kind}}; got {type(schema).__name__}"
            )
        for col, kind in schema.items():
            if col in kinds and kinds[col] != kind:
                raise ParameterError(
                    f"column {col!r} has kind {kinds[col]!r} in 'columns' but {kind!r} in 'schema'"
                )
            kinds[col] = kind
    for col, kind in kinds.items():
        if kind not in KINDS:
            raise ParameterError(
                f"unknown kind {kind!r} for column {col!r}; kinds: {', '.join(KINDS)}"
            )
    return keep, kinds


def _check_header_row(header_row: int | Sequence[int] | None) -> list[int] | None:
    """0-based header positions from ``header_row`` (1-based), or None to detect them."""
    if header_row is None:
        return None
    rows = [header_row] if not isinstance(header_row, (list, tuple)) else list(header_row)
    ok = 1 <= len(rows) <= 2 and all(
        isinstance(r, (int, np.integer)) and not isinstance(r, bool) and r >= 1 for r in rows
    )
    if ok and len(rows) == 2:
        ok = rows[1] == rows[0] + 1
    if not ok:
        raise ParameterError(
            "parameter 'header_row' must be the header's row number counted from 1 (e.g. 3), "
            f"or two consecutive row numbers for a two-row header (e.g. (3, 4)); got "
            f"{header_row!r}"
        )
    return [int(r) - 1 for r in rows]


# ------------------------------------------------------------------ grid -> table
def _blank(row: Sequence[object]) -> bool:
    """A row with no value at all (missing-value words such as "NA" count as values here)."""
    try:
        return not "".join(row).strip()  # type: ignore[arg-type]  # the usual all-text row
    except TypeError:
        return all(c is None or (isinstance(c, str) and not c.strip())
                   or (isinstance(c, float) and c != c) for c in row)  # fmt: skip


def _row_span(rows: Sequence[int]) -> str:
    return str(rows[0] + 1) if len(rows) == 1 else f"{rows[0] + 1}-{rows[-1] + 1}"


def _table(
    grid: list[list[object]],
    body: Callable[[int, int], Iterable[pd.DataFrame]],
    given_header: list[int] | None,
    rename: Mapping[str, str] | str | None,
    kinds: Mapping[str, str],
    where: str,
    rep: ReadingReport,
    sheet: ExcelSheet | None,
    dayfirst: bool | None,
) -> pd.DataFrame:
    """The table below the header of *grid* (the first rows; *body* gives every row from a
    row number on, in chunks)."""
    if all(_blank(r) for r in grid):
        raise DataError(f"{where}: the file is empty (no header row)" if rep.sheet is None
                        else f"{where}: the worksheet is empty")  # fmt: skip
    if given_header is None:
        heads = find_header(grid)
    else:
        heads = given_header
        rep.header_detected = False
        if heads[-1] >= len(grid) or any(_blank(grid[h]) for h in heads):
            raise DataError(
                f"{where}: header_row={[h + 1 for h in heads]} is "
                f"{'beyond the last row' if heads[-1] >= len(grid) else 'an empty row'}; "
                f"the file has {len(grid)} row(s)",
                cli=f"{where}: --header-row {','.join(str(h + 1) for h in heads)} is "
                f"{'beyond the last row' if heads[-1] >= len(grid) else 'an empty row'}; "
                f"the file has {len(grid)} row(s)",
            )
    rep.header_rows = tuple(h + 1 for h in heads)
    above = [i for i in range(heads[0]) if not _blank(grid[i])]
    if above:
        first = next(c for c in grid[above[0]] if not is_missing(c))
        rep.notes.append(Note("reading.note.above_header",
                              {"rows": _row_span(above), "text": cell_text(first)}))

    if len(heads) == 2:
        pairs = combine_headers(grid[heads[0]], grid[heads[1]])
    else:
        pairs = [("" if is_missing(c) else cell_text(c),) * 2 for c in grid[heads[0]]]
    body_at = heads[-1] + 1
    width = max((j + 1 for j, (n, _) in enumerate(pairs) if n), default=0)
    headers = [clean_header(pairs[j][0] if j < len(pairs) else "", j) for j in range(width)]
    written = [pairs[j][1] or headers[j] if j < len(pairs) else headers[j] for j in range(width)]

    rows = Body(width, headers, body_at + 1, where, dedupe=sheet is None,
                delimiter=rep.delimiter, hidden=sheet.hidden if sheet else set())  # fmt: skip
    wide = max([width, *(len(r) for r in grid[body_at:])])
    for chunk in body(body_at, wide):
        rows.add(chunk)
    rows.finish(rep)
    data_rows = rows.data_rows
    if not len(data_rows):
        totals = any(r.reason.key == "reading.reason.totals" for r in rep.rejected)
        raise DataError(f"{where}: no data rows (only a header row was found"
                        f"{' and a totals row' if totals else ''})")  # fmt: skip
    if sheet is not None:
        _check_formulas(sheet, data_rows, width, where)

    # columns with neither a header nor any value are export debris
    empty = [j for j in range(width) if headers[j].startswith("Unnamed: ") and rows.all_empty(j)]
    if empty:
        rep.notes.append(Note("reading.note.empty_columns",
                              {"columns": ", ".join(str(j + 1) for j in empty)}))
    cols = [j for j in range(width) if j not in empty]
    headers = [headers[j] for j in cols]
    names = target_names(headers, rename, where)
    if rename is None and chinese_headers(headers):
        rep.notes.append(Note("reading.note.suggest_auto", {"examples": _alias_examples(headers)}))

    rep._rows = data_rows
    out: dict[str, pd.Series] = {}
    for j, header, name in zip(cols, headers, names, strict=True):
        distinct, at = rows.column(j)
        if name in kinds:
            series, kind = distinct, _schema_kind(kinds[name])
            if kinds[name] in ("id", "str"):
                series = as_text(series)
        else:
            series, kind = _infer(distinct, header, name, dayfirst, rep)
        _check_scientific(distinct, name, where, rep, rows, j, strict=kind == "code")
        out[name] = _spread(series, at)
        rep.columns.append(ColumnReading(j + 1, written[j], name, kind))
    return pd.DataFrame(out, copy=False)  # the columns are new: no second copy of every row


def _spread(distinct: pd.Series, at: np.ndarray) -> pd.Series:
    """Every row's value from the column's distinct values."""
    values = distinct.to_numpy()
    return pd.Series(values.take(at) if len(at) else values[:0], dtype=distinct.dtype)


def _check_formulas(sheet: ExcelSheet, data_rows: np.ndarray, width: int, where: str) -> None:
    """Refuse data rows whose cells are formulas saved without a result (openpyxl reads them as
    empty: the numbers would be silently missing)."""
    kept = set(data_rows.tolist())
    cells = [c for row, found in sorted(sheet.formulas.items()) if row in kept for c in found
             if _column_number(c) <= width]  # fmt: skip
    if cells:
        shown = ", ".join(cells[:5]) + (f" and {len(cells) - 5} more" if len(cells) > 5 else "")
        raise DataError(
            f"{where}: {len(cells)} cell(s) hold formulas saved without their results ({shown});"
            " the workbook was written by a program and never calculated. Open it in Excel or "
            "WPS, save it, and read it again (or paste the values instead of the formulas)"
        )


def _column_number(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


_SCIENTIFIC = re.compile(r"^\s*\d(?:\.\d+)?[eE]\+?\d+\s*$")


def _check_scientific(
    distinct: pd.Series, name: str, where: str, rep: ReadingReport, rows: Body, j: int,
    strict: bool,
) -> None:
    """Ids that Excel turned into scientific notation (1.23457E+10) have lost digits: two
    customers may now share one id. Refused for an id column; noted for a text column."""
    found = [c for c in distinct.tolist() if isinstance(c, str) and _SCIENTIFIC.match(c)]
    if not found:
        return
    message = (
        f"{where}: column {name!r} holds ids in scientific notation such as {found[0]!r}: "
        "Excel shortened them and some digits are lost, so different customers may now share "
        "one id; format the column as text in Excel (Format Cells > Text), export or type the "
        "ids again, and save the file again"
    )
    if strict:
        raise DataError(message)
    rep.scientific[name] = found[0]


def _schema_kind(kind: str) -> str:
    return {"id": "code", "str": "text", "date": "date"}.get(kind, "number")


def _alias_examples(headers: Sequence[str]) -> str:
    shown = [f"{h} → {COLUMN_ALIASES[h]}" for h in chinese_headers(headers)[:3]]
    return ", ".join(shown)


def _is_date_column(header: str, name: str) -> bool:
    return name in _DATE_NAMES or name.endswith("_date") or any(
        h in header.casefold() for h in _DATE_HINTS)


def _infer(
    values: pd.Series, header: str, name: str, dayfirst: bool | None, rep: ReadingReport
) -> tuple[pd.Series, str]:
    """A column converted to what it clearly holds, and the kind it was read as. Dates whose
    day/month order the column does not show are left as text, with a note saying so."""
    missing = values.map(is_missing).to_numpy(dtype=bool)
    if missing.all():
        return as_text(values), "empty"
    present = values[~missing]
    if is_id_like(header, name) or any(is_code_like(c) for c in present):
        return as_text(values), "code"
    dated = parse_dates(values, serial=False, dayfirst=dayfirst)
    if _is_date_column(header, name) and (dated.bad & ~dated.undecided).any():
        dated = parse_dates(values, serial=True, dayfirst=dayfirst)
    if not (dated.bad & ~dated.undecided).any():
        if dated.problem is None:
            if dated.order is not None and dated.evidence is not None and dayfirst is None:
                rep.notes.append(Note(f"reading.note.{dated.order}_first",
                                      {"column": name, "example": dated.evidence}))
            return dated.dates, "date"
        rep.notes.append(Note(f"reading.note.{dated.problem}_dates",
                              {"column": name, "example": dated.evidence,
                               "other": dated.other or ""}))  # fmt: skip
        rep.undecided_dates[name] = dated
        return as_text(values), "text"
    numbers, bad, percent = numbers_of(values)
    if not bad.any():
        return numbers, "percent" if percent else "number"
    return as_text(values), "text"


# ------------------------------------------------------------------ schema
_ROW = re.compile(r"\brow (\d+)(?: \(id ([^)]*)\))?")
_ROWS = re.compile(r"\brow\(s\) \[([\d, ]+)\]")


def _locate(message: str, where: str, rep: ReadingReport) -> str:
    """Add the row numbers in the file to a message that counts data rows."""
    place = "sheet row" if rep.sheet is not None else "file row"

    def one(match: re.Match[str]) -> str:
        n = int(match.group(1))
        at = rep.file_row(n)
        extra = [f"{place} {at}"] if at is not None and at != n else []
        if match.group(2) is not None:
            extra.append(f"id {match.group(2)}")
        return f"row {n}" + (f" ({', '.join(extra)})" if extra else "")

    def many(match: re.Match[str]) -> str:
        ns = [int(x) for x in match.group(1).split(",")]
        at = [rep.file_row(n) for n in ns]
        if all(a == n for a, n in zip(at, ns, strict=True)):
            return match.group(0)
        return f"{match.group(0)} ({place}s {at})"

    text = _ROWS.sub(many, _ROW.sub(one, message))
    source = where.split(",")[0]
    if text.startswith(source + ": ") and where != source:
        text = where + text[len(source):]
    return text


def _require(df: pd.DataFrame, wanted: Sequence[str], where: str, rep: ReadingReport) -> None:
    try:
        v.require_columns(df, wanted, source=where)
    except DataError as exc:
        hint = ""
        cn = chinese_headers(df.columns)
        if cn:
            hint = (f"; the headers are Chinese column names: pass rename='auto' to map them "
                    f"to the kit's names ({_alias_examples(list(df.columns))})")
        raise DataError(f"{exc}{hint}") from None


def _apply_schema(
    df: pd.DataFrame, kinds: Mapping[str, str], where: str, rep: ReadingReport,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    if not kinds:
        return df
    _require(df, list(kinds), where, rep)
    try:
        return _checked(df, kinds, where, dayfirst)
    except DataError as exc:
        raise DataError(_locate(str(exc), where, rep),
                        cli=_locate(exc.cli_message, where, rep)) from None


def _checked(
    df: pd.DataFrame, kinds: Mapping[str, str], where: str, dayfirst: bool | None = None
) -> pd.DataFrame:
    id_column = next((c for c, k in kinds.items() if k == "id"), None)
    if id_column is None:
        id_column = next((c for c in df.columns if is_id_like(str(c), str(c))), None)
    out = df.copy()
    # identifiers first, so later messages can point at rows by id
    for col in [c for c, k in kinds.items() if k == "id"]:
        out[col] = as_text(out[col])
        v.unique_column(out, col, source=where)
    for col, kind in kinds.items():
        if kind in ("number", "nonnegative", "int1to5"):
            numbers, bad, _ = numbers_of(out[col])
            shown = numbers.astype("float64").to_numpy()
            if bad.any():  # keep the text of cells that are not numbers, for the message
                shown = np.where(bad, out[col].to_numpy(dtype=object), shown.astype(object))
            values = v.numeric_column(
                out.assign(**{col: shown}),
                col,
                source=where,
                id_column=id_column,
                allow_negative=kind != "nonnegative",
                minimum=1 if kind == "int1to5" else None,
                maximum=5 if kind == "int1to5" else None,
                integer=kind == "int1to5",
            )
            out[col] = values.astype("int64") if kind == "int1to5" else values
        elif kind == "date":
            dated = v.date_column(out, col, source=where, id_column=id_column, serial=True,
                                  dayfirst=dayfirst)  # fmt: skip
            out[col] = dated.astype("datetime64[ns]").to_numpy()
        elif kind == "str":
            out[col] = as_text(out[col])
    return out
