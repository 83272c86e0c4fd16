"""Finding out how a file is laid out: its encoding, its delimiter and where its header is.

- :func:`decode` tries UTF-8 (with or without a byte-order mark), then GB18030 (the superset of
  GBK/GB2312 written by Chinese-locale Excel and WPS).
- :func:`sniff_delimiter` asks :class:`csv.Sniffer` to choose among comma, semicolon, tab and
  pipe, looking only at lines that contain one of them (a report title line has none).
- :func:`find_header` picks the header row of a grid of cells: the first row that is at least
  half as wide as the table and holds only text (not numbers or dates), so title rows such as
  "客户销售报表 2024" and "导出时间: 2024-01-05" above it are skipped; a second text row that
  fills the gaps of a merged top row ("销售情况" over "金额 | 毛利") makes a two-row header.
"""

from __future__ import annotations

import codecs
import csv
import math
from collections.abc import Sequence

from crmsim.errors import DataError, ParameterError
from crmsim.io.clean import is_missing, number_or_none
from crmsim.io.dates import date_or_none

__all__ = ["DELIMITERS", "ENCODINGS", "decode", "find_header", "sniff_delimiter"]

#: Encodings tried, in order, when ``encoding=None``.
ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
#: Field separators :func:`sniff_delimiter` chooses among.
DELIMITERS: str = ",;\t|"
#: Rows looked at when sniffing the delimiter or finding the header.
SCAN_ROWS = 50


def decode(data: bytes, encoding: str | None, source: str) -> tuple[str, str]:
    """Decode *data*; return (text, name of the encoding that worked).

    The name is ``"utf-8"``, ``"utf-8-sig"`` (a byte-order mark was present), ``"gb18030"``, or
    *encoding* when given.
    """
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
            row = data[: exc.start].count(b"\n") + 1
            raise DataError(
                f"{source}: cannot be decoded as {encoding!r} (byte {exc.start + 1}, row "
                f"{row}); "
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


def sniff_delimiter(text: str) -> str:
    """The field separator of CSV *text*: one of :data:`DELIMITERS`, comma when unsure.

    >>> sniff_delimiter("id;amount\\n0012;1,5\\n0013;2\\n")
    ';'
    >>> sniff_delimiter("客户销售报表 2024\\n编号\\t金额\\n1\\t2\\n")
    '\\t'
    """
    lines = [line for line in text.splitlines()[: SCAN_ROWS * 4] if line.strip()]
    table_lines = [line for line in lines if any(d in line for d in DELIMITERS)]
    sample = "\n".join(table_lines[:SCAN_ROWS])
    if not sample:
        return ","
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:  # rows of uneven length: go by the first line of the table
        return max(DELIMITERS, key=lambda d: (table_lines[0].count(d), d == ","))


# ------------------------------------------------------------------ header rows
def _is_text(cell: object) -> bool:
    """A filled cell holding words, not a number or a date."""
    return (
        isinstance(cell, str)
        and not is_missing(cell)
        and number_or_none(cell) is None
        and date_or_none(cell) is None
    )


def _filled(row: Sequence[object]) -> list[int]:
    return [j for j, cell in enumerate(row) if not is_missing(cell)]


def find_header(rows: Sequence[Sequence[object]]) -> list[int]:
    """Positions (0-based) of the header row(s) among *rows* (lists of cells, ``None`` = empty).

    An all-blank grid gives ``[]``.

    >>> find_header([["客户销售报表 2024", None, None], ["编号", "名称", "金额"],
    ...              ["0012", "华信", "350"]])
    [1]
    >>> find_header([["客户", None, "销售", None], ["编号", "名称", "金额", "毛利"],
    ...              ["0012", "华信", "350", "20"]])
    [0, 1]
    """
    scan = list(rows[:SCAN_ROWS])
    widths = [len(_filled(r)) for r in scan]
    if not any(widths):
        return []
    width = max(widths)
    need = 1 if width == 1 else max(2, math.ceil(width / 2))
    first = None
    for i, row in enumerate(scan):
        filled = _filled(row)
        if len(filled) < need:
            # a merged top row ("客户信息 | | 销售情况 |") over a full header row
            below = scan[i + 1] if i + 1 < len(scan) else None
            if (len(filled) >= 2 and all(_is_text(row[j]) for j in filled)
                    and below is not None and len(_filled(below)) >= need
                    and _second_header(row, below)):
                return [i, i + 1]
            continue
        if first is None:
            first = i
        if all(_is_text(row[j]) for j in filled):
            return [i, i + 1] if _second_header(row, scan[i + 1] if i + 1 < len(scan) else None) \
                else [i]
    return [first if first is not None else widths.index(width)]


def _second_header(top: Sequence[object], below: Sequence[object] | None) -> bool:
    """Whether *below* is the lower half of a two-row header under *top*: text only, and it
    fills a gap that merged cells left in *top*."""
    if below is None:
        return False
    filled = _filled(below)
    if not filled or not all(_is_text(below[j]) for j in filled):
        return False
    top_filled = set(_filled(top))
    span = range(min(top_filled | set(filled)), max(top_filled | set(filled)) + 1)
    gaps = [j for j in span if j not in top_filled]
    return any(j in filled for j in gaps)


def combine_headers(top: Sequence[object], below: Sequence[object]) -> list[tuple[str, str]]:
    """(name, header as written) per column of a two-row header.

    A merged top cell covers the empty cells to its right; the lower cell names the column,
    the top one when the lower is empty. Names that would repeat get the top label in front.

    >>> combine_headers(["客户编号", "销售", None], [None, "金额", "毛利"])
    [('客户编号', '客户编号'), ('金额', '销售 / 金额'), ('毛利', '销售 / 毛利')]
    """
    width = max(len(top), len(below))
    top_filled: list[str] = []
    current = ""
    for j in range(width):
        cell = top[j] if j < len(top) else None
        if not is_missing(cell):
            current = str(cell).strip()
        top_filled.append(current)
    out: list[tuple[str, str]] = []
    for j in range(width):
        lower = below[j] if j < len(below) else None
        low = "" if is_missing(lower) else str(lower).strip()
        upper = top_filled[j]
        if low and upper and low != upper:
            out.append((low, f"{upper} / {low}"))
        else:
            out.append((low or upper, low or upper))
    names = [n for n, _ in out]
    for j, (name, written) in enumerate(out):
        if name and names.count(name) > 1 and top_filled[j] and top_filled[j] != name:
            out[j] = (f"{top_filled[j]} {name}", written)
    return out
