""":func:`read_table`: a user's CSV or Excel export, read the way such files really look."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError, ParameterError
from crmsim.io.clean import (
    as_text,
    cell_text,
    clean_text,
    dates_of,
    is_code_like,
    is_missing,
    numbers_of,
)
from crmsim.io.headers import (
    chinese_headers,
    clean_header,
    is_id_like,
    target_names,
)
from crmsim.io.report import ColumnReading, ReadingReport, RejectedRow
from crmsim.io.sniff import combine_headers, decode, find_header, sniff_delimiter
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

#: Words that mark a totals row at the bottom of an export (compared without case or colon).
TOTAL_WORDS: frozenset[str] = frozenset(
    {"合计", "总计", "总合计", "累计", "合 计", "总 计", "total", "totals", "grand total", "sum"}
)

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

    Returns
    -------
    pandas.DataFrame, or (DataFrame, ReadingReport) when ``report=True``
        The table. Without a schema, each column is read as what it clearly is: identifiers
        and codes (``*_id``, 编号/代码 headers, values with leading zeros such as ``0012``) as
        text; columns whose every cell is a number (``1,200``, ``¥80``, ``12%``, full-width
        digits) as numbers; columns of dates (``2024-03-05``, ``2024/3/5``, ``2024年3月5日``,
        Excel dates, Excel serial numbers in a date column) as datetime64[ns]; the rest as text.
        Blank rows and a totals row at the bottom (合计 / 总计 / Total) are dropped, and said
        so in the report. ``df.attrs`` holds ``source`` (the path), ``encoding`` (of a CSV file:
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

    data = p.read_bytes()  # the only access to the file: read-only, all at once
    if not data.strip():
        raise DataError(f"{source}: the file is empty")

    rep = ReadingReport(source=str(p))
    if ext == ".csv":
        text, rep.encoding = decode(data, encoding, source)
        rep.delimiter = sniff_delimiter(text)
        grid = _csv_grid(text, rep.delimiter, source)
        where = source
    else:
        grid, rep.sheet = _excel_grid(data, sheet_name, source)
        where = f"{source}, sheet {rep.sheet!r}"

    df = _table_from_grid(grid, given_header, rename, kinds, where, rep)
    if keep is not None:
        _require(df, keep, where, rep)
        df = df[list(keep)]
        rep.columns = [c for c in rep.columns if c.name in keep]
    df = _apply_schema(df, kinds, where, rep)
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


# ------------------------------------------------------------------ grids of cells
def _csv_grid(text: str, delimiter: str, source: str) -> list[list[object]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [list(row) for row in reader]
    except csv.Error as exc:
        raise DataError(
            f"{source}: cannot be read as CSV near line {reader.line_num}: {exc}"
        ) from None


def _excel_grid(data: bytes, sheet_name: int | str, source: str) -> tuple[list[list[object]], str]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise DataError(f"{source}: not a readable Excel workbook ({exc})") from None
    try:
        sheets = book.sheetnames
        if isinstance(sheet_name, int) and not 0 <= sheet_name < len(sheets) or (
            isinstance(sheet_name, str) and sheet_name not in sheets
        ):
            raise DataError(
                f"{source}: no worksheet {sheet_name!r}; worksheets: "
                f"{', '.join(map(repr, sheets))} (give a name or a position from 0)"
            )
        name = sheets[sheet_name] if isinstance(sheet_name, int) else sheet_name
        sheet = book[name]
        if not hasattr(sheet, "iter_rows"):
            raise DataError(f"{source}: sheet {name!r} is a chart, not a table")
        sheet.reset_dimensions()  # some exporters write a wrong sheet size
        grid = [[_excel_value(c) for c in row] for row in sheet.iter_rows(min_row=1, min_col=1)]
    finally:
        book.close()
    return grid, name


_ZERO_PADDED = re.compile(r"^0{2,}$")


def _excel_value(cell: object) -> object:
    """A cell's value; whole numbers shown zero-padded (number format 0000) come back as text."""
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", None)
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and isinstance(fmt, str)
        and _ZERO_PADDED.match(fmt)
        and float(value).is_integer()
    ):
        return str(int(value)).zfill(len(fmt))
    return value


# ------------------------------------------------------------------ grid -> table
def _blank(row: Sequence[object]) -> bool:
    """A row with no value at all (missing-value words such as "NA" count as values here)."""
    try:
        return not "".join(row).strip()  # type: ignore[arg-type]  # the usual all-text row
    except TypeError:
        return all(_empty(c) for c in row)


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (
        isinstance(cell, float) and cell != cell)


def _empty_cells(frame: pd.DataFrame) -> np.ndarray:
    """Boolean array, True where a cell of *frame* is empty (None, NaN or only spaces)."""
    out = np.zeros(frame.shape, dtype=bool)
    for k in range(frame.shape[1]):
        cells = frame.iloc[:, k].to_numpy(dtype=object)
        out[:, k] = np.fromiter((_empty(c) for c in cells), dtype=bool, count=len(cells))
    return out


def _row_span(rows: Sequence[int]) -> str:
    return str(rows[0] + 1) if len(rows) == 1 else f"{rows[0] + 1}-{rows[-1] + 1}"


def _table_from_grid(
    grid: list[list[object]],
    given_header: list[int] | None,
    rename: Mapping[str, str] | str | None,
    kinds: Mapping[str, str],
    where: str,
    rep: ReadingReport,
) -> pd.DataFrame:
    if all(_blank(r) for r in grid):
        raise DataError(f"{where}: the file is empty (no header row)" if rep.sheet is None
                        else f"{where}: the worksheet is empty")
    if given_header is None:
        heads = find_header(grid)
    else:
        heads = given_header
        rep.header_detected = False
        if heads[-1] >= len(grid) or any(_blank(grid[h]) for h in heads):
            raise DataError(
                f"{where}: header_row={[h + 1 for h in heads]} is "
                f"{'beyond the last row' if heads[-1] >= len(grid) else 'an empty row'}; "
                f"the file has {len(grid)} row(s)"
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
    header_width = max((j + 1 for j, (n, _) in enumerate(pairs) if n), default=0)
    rows = grid[body_at:]
    longest = max((len(r) for r in rows), default=0)
    body = pd.DataFrame([r if len(r) == longest else [*r, *[None] * (longest - len(r))]
                         for r in rows], columns=range(longest), dtype=object)
    for j in range(body.shape[1], header_width):
        body[j] = None
    empty_cells = _empty_cells(body)
    extra = ~empty_cells[:, header_width:]
    if extra.any():
        i, j = np.argwhere(extra)[0]
        sep = "" if rep.delimiter is None else (
            f"; check for unquoted {rep.delimiter_name('en')} characters inside values")
        raise DataError(
            f"{where}: some rows have more fields than the header has columns "
            f"({header_width}); first at row {body_at + i + 1}, column "
            f"{header_width + j + 1}{sep}"
        )
    width = header_width
    body = body.iloc[:, :width]
    empty_cells = empty_cells[:, :width]
    headers = [clean_header(pairs[j][0] if j < len(pairs) else "", j) for j in range(width)]
    written = [pairs[j][1] or headers[j] if j < len(pairs) else headers[j] for j in range(width)]

    # rows: blank ones, repeated headers and a totals row at the bottom are dropped
    blank = empty_cells.all(axis=1)
    keep_row = ~blank
    header_cells = [h.casefold() for h in headers]
    first = body.iloc[:, 0].map(lambda c: c.strip().casefold() if isinstance(c, str) else None)
    for pos in np.flatnonzero(keep_row & (first == header_cells[0]).to_numpy(dtype=bool)):
        cells = body.iloc[pos].tolist()
        if [clean_header(c, j).casefold() for j, c in enumerate(cells)] == header_cells:
            keep_row[pos] = False
            rep.rejected.append(RejectedRow(int(body_at + pos + 1),
                                            Note("reading.reason.repeated_header")))
    totals: list[RejectedRow] = []
    for pos in np.flatnonzero(keep_row)[::-1]:
        word = _totals_word(body.iloc[pos].tolist())
        if word is None:
            break
        totals.append(RejectedRow(int(body_at + pos + 1),
                                  Note("reading.reason.totals", {"word": word})))
        keep_row[pos] = False
    rep.rejected.extend(reversed(totals))
    if blank.any():
        rep.notes.append(Note("reading.note.blank_rows", {"count": int(blank.sum())}))
    if not keep_row.any():
        raise DataError(f"{where}: no data rows (only a header row was found"
                        f"{' and a totals row' if totals else ''})")

    # columns with neither a header nor any value are export debris
    empty = [j for j in range(width)
             if headers[j].startswith("Unnamed: ") and empty_cells[keep_row, j].all()]
    if empty:
        rep.notes.append(Note("reading.note.empty_columns",
                              {"columns": ", ".join(str(j + 1) for j in empty)}))
    cols = [j for j in range(width) if j not in empty]
    headers = [headers[j] for j in cols]
    names = target_names(headers, rename, where)
    if rename is None and chinese_headers(headers):
        rep.notes.append(Note("reading.note.suggest_auto", {"examples": _alias_examples(headers)}))

    rep.data_rows = (np.flatnonzero(keep_row) + body_at + 1).tolist()
    frame = body.iloc[np.flatnonzero(keep_row), cols].reset_index(drop=True)
    frame.columns = range(len(cols))
    out: dict[str, pd.Series] = {}
    for k, (j, header, name) in enumerate(zip(cols, headers, names, strict=True)):
        if name in kinds:
            series, kind = frame[k], _schema_kind(kinds[name])
            if kinds[name] in ("id", "str"):
                series = as_text(series)
        else:
            series, kind = _infer(frame[k], header, name)
        out[name] = series.reset_index(drop=True)
        rep.columns.append(ColumnReading(j + 1, written[j], name, kind))
    return pd.DataFrame(out)


def _schema_kind(kind: str) -> str:
    return {"id": "code", "str": "text", "date": "date"}.get(kind, "number")


def _totals_word(cells: Sequence[object]) -> str | None:
    for cell in cells:
        if isinstance(cell, str):
            text = clean_text(cell).rstrip(":：").strip()
            if text.casefold() in TOTAL_WORDS:
                return text
    return None


def _alias_examples(headers: Sequence[str]) -> str:
    shown = [f"{h} → {COLUMN_ALIASES[h]}" for h in chinese_headers(headers)[:3]]
    return ", ".join(shown)


def _is_date_column(header: str, name: str) -> bool:
    return name in _DATE_NAMES or name.endswith("_date") or any(
        h in header.casefold() for h in _DATE_HINTS)


def _infer(values: pd.Series, header: str, name: str) -> tuple[pd.Series, str]:
    """A column converted to what it clearly holds, and the kind it was read as."""
    missing = values.map(is_missing).to_numpy(dtype=bool)
    if missing.all():
        return as_text(values), "empty"
    present = values[~missing]
    if is_id_like(header, name) or any(is_code_like(c) for c in present):
        return as_text(values), "code"
    dated, bad = dates_of(values, serial=False)
    if not bad.any():
        return dated, "date"
    if _is_date_column(header, name):
        dated, bad = dates_of(values, serial=True)
        if not bad.any():
            return dated, "date"
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
    df: pd.DataFrame, kinds: Mapping[str, str], where: str, rep: ReadingReport
) -> pd.DataFrame:
    if not kinds:
        return df
    _require(df, list(kinds), where, rep)
    try:
        return _checked(df, kinds, where)
    except DataError as exc:
        raise DataError(_locate(str(exc), where, rep)) from None


def _checked(df: pd.DataFrame, kinds: Mapping[str, str], where: str) -> pd.DataFrame:
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
            dated, bad = dates_of(out[col], serial=True)
            if bad.any() or dated.isna().any():  # let the shared check word the message
                raw = out[col].astype(object).where(~out[col].map(is_missing), None)
                shown = dated.astype(object).where(~bad & dated.notna(), raw)
                dated = pd.to_datetime(v.date_column(out.assign(**{col: shown}), col,
                                                     source=where, id_column=id_column))
            out[col] = dated.astype("datetime64[ns]").to_numpy()
        elif kind == "str":
            out[col] = as_text(out[col])
    return out
