"""Read users' own customer and sales tables (CSV or Excel) into tidy DataFrames.

Course participants bring exports from their own systems: CSV files saved by a Chinese-locale
Excel (GBK/GB18030), UTF-8 files with or without a byte-order mark, or ``.xlsx`` workbooks, often
with Chinese headers such as 客户编号 or 销售额. :func:`read_table` reads all of them the same way,
renames the headers to the kit's column names on request, keeps identifiers as text (so "0012"
stays "0012") and checks the columns with :mod:`crmsim._validation`, so an error names the file,
the column, the row and what was expected::

    sales_2024.csv: column 'amount' must be >= 0; found -3.0 at row 7 (id C0042)

The user's file is only ever read, never written.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError, ParameterError
from crmsim.terms import COLUMN_ALIASES

__all__ = ["ENCODINGS", "KINDS", "SUPPORTED_EXTENSIONS", "read_table"]

#: File types :func:`read_table` understands.
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".csv", ".xlsx", ".xlsm")

#: Encodings tried, in order, when ``encoding=None``: UTF-8 (with or without a byte-order mark),
#: then GB18030, the superset of GBK/GB2312 used by Chinese-locale Excel.
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")

#: Column kinds accepted in ``schema``/``columns`` and what each checks.
KINDS: dict[str, str] = {
    "id": "identifier read as text, unique and never missing",
    "number": "numeric, no missing values",
    "nonnegative": "numeric, no missing values, >= 0",
    "date": "a date such as 2024-03-31, 2024/3/31 or 2024年3月31日",
    "int1to5": "whole number from 1 to 5 (e.g. a 6C score)",
    "str": "text (missing values allowed)",
}

_KIT_NAMES = frozenset(COLUMN_ALIASES.values())
_ID_HINTS = ("编号", "代码", "号码", "订单号")
_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_NUMBER_NOISE = re.compile(r"(?<=\d),(?=\d{3})|^[\s¥￥]+|\s+$")


def read_table(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    rename: Mapping[str, str] | str | None = None,
    sheet_name: int | str = 0,
    encoding: str | None = None,
    schema: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a CSV or Excel table, rename its headers and check its columns.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``, ``.xlsx`` or ``.xlsm`` file. The file is read, never modified.
    columns : sequence of str or dict, optional
        Kit column names (after renaming) to keep, in this order; every one must exist. A dict
        ``{column: kind}`` both selects the columns and checks them like ``schema``.
    rename : dict, "auto" or None, optional
        ``{"客户编号": "customer_id", ...}`` renames the given headers (each must exist);
        ``"auto"`` applies :data:`crmsim.terms.COLUMN_ALIASES` (Chinese headers such as 客户编号,
        销售额) and turns headers like ``"Customer ID"`` into kit names such as ``customer_id``.
        Headers are always stripped of surrounding spaces and stray byte-order marks.
    sheet_name : int or str, default 0
        Worksheet of an Excel file (position or name); ignored for CSV.
    encoding : str, optional
        Text encoding of a CSV file. ``None`` tries :data:`ENCODINGS` in order.
    schema : dict, optional
        ``{column: kind}`` with kinds from :data:`KINDS`: ``"id"``, ``"number"``,
        ``"nonnegative"``, ``"date"``, ``"int1to5"``, ``"str"``. Checked columns are converted:
        numbers to float64, dates to datetime64[ns], 1-5 scores to int64, ids and text to str.

    Returns
    -------
    pandas.DataFrame
        The table. ``df.attrs["source"]`` holds the path, ``df.attrs["encoding"]`` the encoding
        that decoded a CSV file (``"utf-8"``, ``"utf-8-sig"`` when a byte-order mark was present,
        ``"gb18030"``, or the one you passed; ``None`` for Excel). Identifier-like columns (kind
        ``"id"``, names ending in ``_id``, headers containing 编号/代码) are read as text.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    crmsim.errors.DataError
        Unsupported file type, undecodable or empty file, no data rows, two headers mapping to
        the same column, a missing column or a value that breaks the schema. The message starts
        with the file name.
    crmsim.errors.ParameterError
        An unknown kind, ``rename`` value, encoding name or ``sheet_name`` type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "sales.csv"
    ...     _ = f.write_text("客户编号,销售额\\n0012,350.5\\n0013,80\\n", encoding="gbk")
    ...     df = read_table(f, rename="auto", schema={"customer_id": "id", "amount": "nonnegative"})
    >>> df["customer_id"].tolist(), df["amount"].tolist(), df.attrs["encoding"]
    (['0012', '0013'], [350.5, 80.0], 'gb18030')
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
    if isinstance(sheet_name, bool) or not isinstance(sheet_name, (int, str)):
        raise ParameterError(
            f"parameter 'sheet_name' must be one sheet's position (int) or name (str); "
            f"got {sheet_name!r}"
        )

    data = p.read_bytes()  # the only access to the file: read-only, all at once
    if not data.strip():
        raise DataError(f"{source}: the file is empty")

    if ext == ".csv":
        text, used = _decode(data, encoding, source)
        header = _csv_header(text, source)
        names = _target_names(header, rename, source)
        as_text = _id_positions(header, names, kinds)
        df = _parse_csv(text, names, as_text, source)
    else:
        used = None
        df = _parse_excel(data, sheet_name, rename, kinds, source)

    if len(df) == 0:
        raise DataError(f"{source}: no data rows (only a header row was found)")
    if keep is not None:
        v.require_columns(df, keep, source=source)
        df = df[list(keep)]
    df = _apply_schema(df, kinds, source)
    df.attrs["source"] = str(p)
    df.attrs["encoding"] = used
    if ext != ".csv":
        df.attrs["sheet_name"] = sheet_name
    return df


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


def _decode(data: bytes, encoding: str | None, source: str) -> tuple[str, str]:
    """Decode *data*; return (text, name of the encoding that worked)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ParameterError(
                f"parameter 'encoding' must be a known text encoding such as 'utf-8' or "
                f"'gb18030'; got {encoding!r}"
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{source}: cannot be decoded as {encoding!r} (byte {exc.start + 1}); "
                f"try encoding=None to detect it, or one of {list(ENCODINGS)}"
            ) from None
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig":
            return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        return text, enc
    raise DataError(
        f"{source}: could not decode the file with any of the encodings tried "
        f"({', '.join(map(repr, ENCODINGS))}); pass encoding=... if you know it, or re-save "
        f"the file as UTF-8 CSV"
    )


# ------------------------------------------------------------------ headers
def _clean_header(value: object, position: int) -> str:
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    text = text.replace("\ufeff", "").strip()
    return text or f"Unnamed: {position}"


def _csv_header(text: str, source: str) -> list[str]:
    for row in csv.reader(io.StringIO(text)):
        if any(cell.strip() for cell in row):
            return [_clean_header(h, i) for i, h in enumerate(row)]
    raise DataError(f"{source}: the file is empty (no header row)")


def _auto_name(header: str) -> str:
    if header in COLUMN_ALIASES:
        return COLUMN_ALIASES[header]
    folded = re.sub(r"[\s\-]+", "_", header.strip().casefold())
    if folded in _KIT_NAMES:
        return folded
    for alias, name in COLUMN_ALIASES.items():
        if alias.casefold() == header.casefold():
            return name
    return header


def _target_names(
    header: list[str], rename: Mapping[str, str] | str | None, source: str
) -> list[str]:
    """Kit names of the header cells, checking that no two end up the same."""
    if rename is None:
        names = list(header)
    elif isinstance(rename, str):
        if rename != "auto":
            raise ParameterError(
                f"parameter 'rename' must be a dict {{header: column}}, 'auto' or None; "
                f"got {rename!r}"
            )
        names = [_auto_name(h) for h in header]
    elif isinstance(rename, Mapping):
        mapping = {_clean_header(k, 0): str(val) for k, val in rename.items()}
        missing = [k for k in mapping if k not in header]
        if missing:
            raise DataError(
                f"{source}: cannot rename {', '.join(map(repr, missing))}: no such header; "
                f"headers: {', '.join(map(repr, header))}"
            )
        names = [mapping.get(h, h) for h in header]
    else:
        raise ParameterError(
            f"parameter 'rename' must be a dict {{header: column}}, 'auto' or None; "
            f"got {type(rename).__name__}"
        )
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, []).append(i)
    for name, where in positions.items():
        if len(where) > 1:
            raw = [header[i] for i in where]
            cols = " and ".join(str(i + 1) for i in where)
            if len(set(raw)) == 1:
                raise DataError(
                    f"{source}: header {raw[0]!r} appears more than once (columns {cols}); "
                    f"give each column its own header"
                )
            raise DataError(
                f"{source}: headers {' and '.join(map(repr, raw))} (columns {cols}) both map to "
                f"column {name!r}; rename or delete one of them"
            )
    return names


def _is_id_like(header: str, name: str) -> bool:
    low = name.casefold()
    return (
        low == "id"
        or low.endswith("_id")
        or low.endswith(" id")
        or header.upper().endswith("ID")
        or any(hint in header for hint in _ID_HINTS)
    )


def _id_positions(header: list[str], names: list[str], kinds: Mapping[str, str]) -> set[int]:
    return {
        i
        for i, (h, n) in enumerate(zip(header, names, strict=True))
        if kinds.get(n) == "id" or _is_id_like(h, n)
    }


# ------------------------------------------------------------------ parsing
def _parse_csv(text: str, names: list[str], as_text: set[int], source: str) -> pd.DataFrame:
    keys = [f"__c{i}" for i in range(len(names))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                header=0,
                names=keys,
                dtype={keys[i]: "str" for i in as_text},
                index_col=False,
                skip_blank_lines=True,
            )
    except pd.errors.ParserWarning:
        raise DataError(
            f"{source}: some rows have more fields than the header has columns "
            f"({len(names)}); check for unquoted commas inside values"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{source}: cannot be read as CSV: {exc}") from None
    df.columns = names
    return df


def _parse_excel(
    data: bytes,
    sheet_name: int | str,
    rename: Mapping[str, str] | str | None,
    kinds: Mapping[str, str],
    source: str,
) -> pd.DataFrame:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise DataError(f"{source}: not a readable Excel workbook ({exc})") from None
    with book:
        sheets = book.sheet_names
        if isinstance(sheet_name, int) and not 0 <= sheet_name < len(sheets) or (
            isinstance(sheet_name, str) and sheet_name not in sheets
        ):
            raise DataError(
                f"{source}: no worksheet {sheet_name!r}; worksheets: "
                f"{', '.join(map(repr, sheets))} (give a name or a position from 0)"
            )
        top = pd.read_excel(book, sheet_name=sheet_name, header=None, nrows=1, dtype=str)
        if top.shape[0] == 0:
            raise DataError(f"{source}: worksheet {sheet_name!r} is empty")
        header = [_clean_header(h, i) for i, h in enumerate(top.iloc[0].tolist())]
        names = _target_names(header, rename, source)
        keys = [f"__c{i}" for i in range(len(names))]
        as_text = _id_positions(header, names, kinds)
        df = pd.read_excel(
            book, sheet_name=sheet_name, header=0, names=keys,
            dtype={keys[i]: "str" for i in as_text},
        )
    df.columns = names
    return df


# ------------------------------------------------------------------ schema
def _apply_schema(df: pd.DataFrame, kinds: Mapping[str, str], source: str) -> pd.DataFrame:
    if not kinds:
        return df
    v.require_columns(df, list(kinds), source=source)
    id_column = next((c for c, k in kinds.items() if k == "id"), None)
    if id_column is None:
        id_column = next((c for c in df.columns if _is_id_like(str(c), str(c))), None)
    out = df.copy()
    # identifiers first, so later messages can point at rows by id
    for col in [c for c, k in kinds.items() if k == "id"]:
        out[col] = out[col].astype("str")
        v.unique_column(out, col, source=source)
    for col, kind in kinds.items():
        if kind in ("number", "nonnegative", "int1to5"):
            checked = out.assign(**{col: _strip_number_text(out[col])})
            values = v.numeric_column(
                checked,
                col,
                source=source,
                id_column=id_column,
                allow_negative=kind != "nonnegative",
                minimum=1 if kind == "int1to5" else None,
                maximum=5 if kind == "int1to5" else None,
                integer=kind == "int1to5",
            )
            out[col] = values.astype("int64") if kind == "int1to5" else values
        elif kind == "date":
            raw = out[col]
            if not pd.api.types.is_datetime64_any_dtype(raw):
                raw = raw.astype("str").str.replace(_CN_DATE, r"\1-\2-\3", regex=True)
                raw = raw.where(out[col].notna())
            parsed = v.date_column(out.assign(**{col: raw}), col, source=source,
                                   id_column=id_column)
            out[col] = parsed.astype("datetime64[ns]")
        elif kind == "str":
            out[col] = out[col].astype("str")
    return out


def _strip_number_text(values: pd.Series) -> pd.Series:
    """Drop thousands separators and a leading ¥ from numbers typed as text ("¥1,250.00")."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values
    text = values.astype("str").str.replace(_NUMBER_NOISE, "", regex=True)
    return text.where(values.notna())
