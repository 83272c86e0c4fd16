"""Where a table's cells come from: a CSV file read in bounded memory, or an Excel sheet.

A CSV file is never held whole: its encoding is checked block by block (UTF-8, then GB18030,
with a check that the result is probable text: Big5 read as GB18030 decodes without an error
but gives rare characters, kana and box-drawing signs), its first rows are parsed with
:mod:`csv` to find the delimiter and the header, and the rows below the header are read by
pandas' C parser in chunks of :data:`CHUNK_ROWS` rows (:func:`csv_body`).

An Excel sheet (at most about a million rows) is read with openpyxl; the sheet's XML is also
scanned for hidden rows and for formula cells saved without a value (a workbook written by a
program and never opened in Excel), which openpyxl alone reports as empty cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from crmsim.errors import DataError, ParameterError
from crmsim.io.sniff import ENCODINGS, sniff_delimiter

__all__ = ["CHUNK_ROWS", "CsvHead", "ExcelSheet", "check_regular_file", "csv_body", "csv_head",
           "excel_sheet"]  # fmt: skip

#: Rows of a CSV body parsed at a time (bounds the memory of reading a large file).
CHUNK_ROWS = 500_000
#: Bytes of a CSV file looked at to find the delimiter and the header.
HEAD_BYTES = 1 << 20
_BLOCK = 1 << 22


def check_regular_file(path: Path, source: str) -> int:
    """The size of *path*, refusing what is not a regular file (a FIFO, a device, a socket:
    reading one could block forever or never end)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{str(path)!r} is a folder, not a table file")
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{source}: not a regular file (a pipe, device or socket); save the "
                        "table to a file first")  # fmt: skip
    return info.st_size


# ------------------------------------------------------------------ encodings
def _common_characters() -> frozenset[str]:
    """The most used Chinese characters, simplified (GB2312 level 1, 3,755) and traditional
    (Big5's frequent characters, 5,401), and common CJK punctuation."""
    chars = set("，。、；：？！“”‘’（）《》【】—…·￥％")
    for encoding, leads, trails in (("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
                                    ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F),
                                                                 *range(0xA1, 0xFF)])):
        for hi in leads:
            for lo in trails:
                try:
                    chars.add(bytes([hi, lo]).decode(encoding))
                except UnicodeDecodeError:
                    pass
    return frozenset(chars)


_COMMON: frozenset[str] | None = None
_WIDE = re.compile(r"[^\x00-\x7f\u00a0-\u00ff\u2010-\u2027\u3000-\u303f\uff01-\uff5e\ufeff]")


@dataclass
class _Plausibility:
    """Counts of the non-Latin characters seen, and how many are common Chinese."""

    wide: int = 0
    common: int = 0
    example: str = ""

    def add(self, text: str) -> None:
        global _COMMON
        if _COMMON is None:
            _COMMON = _common_characters()
        found = _WIDE.findall(text)
        if found:
            self.wide += len(found)
            rare = [c for c in found if c not in _COMMON]
            self.common += len(found) - len(rare)
            if rare and not self.example:
                at = text.index(rare[0])
                self.example = text[max(0, at - 6): at + 6].replace("\n", " ")

    @property
    def improbable(self) -> bool:
        return self.wide >= 6 and self.common < 0.8 * self.wide


def detect_encoding(path: Path, encoding: str | None, source: str) -> tuple[str, str | None]:
    """(encoding to read *path* with, a note key when the choice needs saying or None).

    With *encoding* given, the file must decode with it. Otherwise a UTF-16 byte-order mark
    (Excel's "Unicode text") is honoured; else UTF-8 (with or without a mark), then GB18030,
    then Big5, the first that decodes the whole file into probable text.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ParameterError(
                f"parameter 'encoding' must be a known text encoding such as 'utf-8' or "
                f"'gb18030'; got {encoding!r}",
                cli=f"option --encoding: {encoding!r} is not a known text encoding; use e.g. "
                "utf-8, gb18030 or big5",
            ) from None
        error = _decodes(path, encoding)
        if error is not None:
            byte, row = error
            advice = f"try one of {list(ENCODINGS)} or leave the encoding out to detect it"
            raise DataError(
                f"{source}: cannot be decoded as {encoding!r} (byte {byte}, row {row}); {advice}",
                cli=f"{source}: cannot be decoded as {encoding!r} (byte {byte}, row {row}); "
                "leave out --encoding to detect it, or give another (utf-8, gb18030, big5)",
            )
        return encoding, None
    with path.open("rb") as stream:
        start = stream.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    mojibake = ""
    for candidate in ("utf-8-sig", "gb18030", "big5"):
        checks = _Plausibility()
        if _decodes(path, candidate, checks) is not None:
            continue
        if candidate == "utf-8-sig":  # valid UTF-8 is never an accident
            return ("utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"), None
        if not checks.improbable:
            return candidate, ("reading.note.big5" if candidate == "big5" else None)
        if candidate == "gb18030":
            mojibake = checks.example
    tried_text = ", ".join(map(repr, ("utf-8-sig", "gb18030", "big5")))
    shown = f"; read as GB18030 it gives improbable text such as {mojibake!r}" if mojibake else ""
    raise DataError(
        f"{source}: could not tell the file's encoding (tried {tried_text}{shown}); pass "
        "encoding='big5', 'gb18030' or 'utf-8' if you know it, or re-save the file as UTF-8 CSV",
        cli=f"{source}: could not tell the file's encoding (tried {tried_text}{shown}); give it "
        "with --encoding (e.g. --encoding big5 for traditional Chinese, gb18030, utf-8), or "
        "re-save the file as UTF-8 CSV",
    )


def _decodes(
    path: Path, encoding: str, checks: _Plausibility | None = None
) -> tuple[int, int] | None:
    """None if the whole file decodes with *encoding*, else (byte, row) of the first error."""
    decoder = codecs.getincrementaldecoder(encoding)()
    done, rows = 0, 1
    with path.open("rb") as stream:
        while True:
            block = stream.read(_BLOCK)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                at = max(0, exc.start - _buffered(decoder))  # position in this block
                return done + at + 1, rows + block[:at].count(b"\n")
            if checks is not None and text and not block.isascii():
                checks.add(text)
            if not block:
                return None
            done += len(block)
            rows += block.count(b"\n")


def _buffered(decoder: codecs.IncrementalDecoder) -> int:
    """Bytes an incremental decoder holds from the previous block (an unfinished character)."""
    try:
        state = decoder.getstate()[0]
    except (AttributeError, TypeError, IndexError):
        return 0
    return len(state) if isinstance(state, bytes) else 0


# ------------------------------------------------------------------ CSV
@dataclass
class CsvHead:
    """The first rows of a CSV file, parsed: enough to find the delimiter and the header."""

    encoding: str
    delimiter: str
    rows: list[list[object]]
    ends: list[int]  # character offset (in the decoded head) after each row
    text: str
    whole: bool  # the head is the whole file
    note: str | None = None
    codec: str = ""  # the encoding of the rows below the byte-order mark
    bom: int = 0  # bytes of the byte-order mark

    def body_offset(self, row: int) -> int:
        """Byte offset in the file of the start of row *row* (0-based, < len(rows)+1)."""
        chars = self.ends[row - 1] if row > 0 else 0
        return self.bom + len(self.text[:chars].encode(self.codec))


def csv_head(path: Path, encoding: str | None, source: str) -> CsvHead:
    """Decode the start of *path*, choose the delimiter and parse the first rows."""
    enc, note = detect_encoding(path, encoding, source)
    with path.open("rb") as stream:
        data = stream.read(HEAD_BYTES + 1)
    whole = len(data) <= HEAD_BYTES
    data = data[:HEAD_BYTES]
    if b"\x00" in data and not enc.startswith("utf-16"):
        raise DataError(f"{source}: not a text file (it holds NUL bytes); save the table as CSV "
                        "or .xlsx")  # fmt: skip
    decoder = codecs.getincrementaldecoder(enc)()
    text = decoder.decode(data, final=whole)
    text = text.removeprefix("\ufeff")  # UTF-16's byte-order mark
    head = CsvHead(enc, sniff_delimiter(text), [], [], text, whole, note, enc, 0)
    if enc == "utf-8-sig":
        head.codec, head.bom = "utf-8", 3
    elif enc == "utf-16":
        big = data.startswith(codecs.BOM_UTF16_BE)
        head.codec, head.bom = ("utf-16-be" if big else "utf-16-le"), 2
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=head.delimiter)
    try:
        for row in reader:
            head.rows.append(list(row))
            head.ends.append(consumed)
    except csv.Error as exc:
        if whole:
            raise DataError(f"{source}: cannot be read as CSV near line {reader.line_num}: {exc}"
                            ) from None
    if not whole and head.rows:  # the last row may be cut by the end of the head
        head.rows.pop()
        head.ends.pop()
    if whole and head.rows and text.count('"') % 2 and _open_quote(text, head.delimiter):
        line = _quote_line(text, head.delimiter)
        raise DataError(f'{source}: a quote (") opened on line {line} is never closed, so the '
                        "rest of the file reads as one cell; close it or remove it")  # fmt: skip
    return head


def _open_quote(text: str, delimiter: str) -> bool:
    """Whether a quoted field is still open at the end of *text*."""
    open_ = False
    at_start = True
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if open_:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    open_ = False
        elif ch == '"' and at_start:
            open_ = True
        at_start = ch in (delimiter, "\n", "\r") if not open_ else False
        i += 1
    return open_


def _quote_line(text: str, delimiter: str) -> int:
    """The line on which the quote left open at the end of *text* was opened."""
    open_, at_start, line, opened = False, True, 1, 1
    for i, ch in enumerate(text):
        if open_:
            if ch == '"' and not (i + 1 < len(text) and text[i + 1] == '"'):
                open_ = False
        elif ch == '"' and at_start:
            open_, opened = True, line
        if ch == "\n":
            line += 1
        at_start = ch in (delimiter, "\n", "\r") and not open_
    return opened


def csv_body(
    path: Path, head: CsvHead, start_row: int, width: int, source: str
) -> Iterator[pd.DataFrame]:
    """The rows of *path* from row *start_row* (0-based) on, in chunks of at most
    :data:`CHUNK_ROWS` rows: DataFrames of text (``""`` for an empty field, columns
    ``0..width-1``, more if a row is wider; a row with fewer fields is padded with ``""``).
    The chunks' index counts rows from *start_row*."""
    if head.whole:  # a small file: the head holds every row already
        rows = head.rows[start_row:]
        wide = max([width, *(len(r) for r in rows)])
        padded = [r + [""] * (wide - len(r)) for r in rows]
        for first in range(0, len(padded), CHUNK_ROWS):
            part = padded[first: first + CHUNK_ROWS]
            yield pd.DataFrame(part, columns=range(wide), dtype=object,
                               index=range(first, first + len(part)))  # fmt: skip
        return
    offset = head.body_offset(start_row)
    codec = head.codec
    while True:
        try:
            yield from _pandas_chunks(path, offset, codec, head.delimiter, width, source)
            return
        except _Wider as exc:  # a row wider than any so far: read again with room for it
            if exc.width <= width:
                raise DataError(f"{source}: cannot be read as CSV ({exc.text})") from None
            width = exc.width


class _Wider(Exception):
    def __init__(self, width: int, text: str) -> None:
        super().__init__(text)
        self.width, self.text = width, text


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_QUOTE = re.compile(r"EOF inside string starting (?:at|with) (?:row|line) (\d+)")


def _pandas_chunks(
    path: Path, offset: int, codec: str, delimiter: str, width: int, source: str
) -> Iterator[pd.DataFrame]:
    with path.open("rb") as stream:
        stream.seek(offset)
        reader = pd.read_csv(
            stream, sep=delimiter, header=None, names=range(width), dtype=object,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, encoding=codec,
            quotechar='"', doublequote=True, chunksize=CHUNK_ROWS, engine="c",
            index_col=False,
        )  # fmt: skip
        done = 0
        try:
            for chunk in reader:
                chunk.index = range(done, done + len(chunk))
                done += len(chunk)
                yield chunk  # a short row's missing fields are NaN: empty cells
        except pd.errors.ParserError as exc:
            text = str(exc)
            wider = _FIELDS.search(text)
            if wider is not None:
                raise _Wider(int(wider.group(3)), text) from None
            quote = _EOF_QUOTE.search(text)
            if quote is not None:
                raise DataError(
                    f'{source}: a quote (") opened {int(quote.group(1)) + 1} row(s) below the '
                    "header is never closed, so the rest of the file reads as one cell; close "
                    "it or remove it"
                ) from None
            raise DataError(f"{source}: cannot be read as CSV ({_one_line(text)})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ Excel
@dataclass
class ExcelSheet:
    """The cells of one worksheet and what its XML says beyond them."""

    name: str
    sheets: list[str]
    grid: list[list[object]]
    hidden: set[int] = field(default_factory=set)  # sheet row numbers (1-based)
    formulas: dict[int, list[str]] = field(default_factory=dict)  # row -> cells without value


def excel_sheet(path: Path, sheet_name: int | str, source: str) -> ExcelSheet:
    """Read one worksheet of *path* (never modifying it)."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise DataError(f"{source}: not a readable Excel workbook ({exc})") from None
    try:
        sheets = book.sheetnames
        if isinstance(sheet_name, int) and not 0 <= sheet_name < len(sheets) or (
            isinstance(sheet_name, str) and sheet_name not in sheets
        ):
            raise DataError(
                f"{source}: no worksheet {sheet_name!r}; worksheets: "
                f"{', '.join(map(repr, sheets))} (give a name or a position from 0)",
                cli=f"{source}: no worksheet {sheet_name!r}; worksheets: "
                f"{', '.join(map(repr, sheets))} (choose one with --sheet NAME)",
            )
        name = sheets[sheet_name] if isinstance(sheet_name, int) else sheet_name
        sheet = book[name]
        if not hasattr(sheet, "iter_rows"):
            raise DataError(f"{source}: sheet {name!r} is a chart, not a table")
        sheet.reset_dimensions()  # some exporters write a wrong sheet size
        grid = [[_excel_value(c) for c in row] for row in sheet.iter_rows(min_row=1, min_col=1)]
        part = getattr(sheet, "_worksheet_path", None)
    finally:
        book.close()
    out = ExcelSheet(name, list(sheets), grid)
    if part:
        _scan_xml(path, part, out)
    return out


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


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _scan_xml(path: Path, part: str, out: ExcelSheet) -> None:
    """Hidden rows and formula cells saved without a value, from the sheet's XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(part.lstrip("/"))
    except (KeyError, OSError, zipfile.BadZipFile):
        return
    for match in _ROW_TAG.finditer(xml):
        attrs = match.group(1)
        if _HIDDEN.search(attrs):
            number = _ROW_NUMBER.search(attrs)
            if number is not None:
                out.hidden.add(int(number.group(1)))
    if b"<f" not in xml and b":f" not in xml:
        return
    for match in _CELL.finditer(xml):
        inner = match.group(2) or b""
        if (b"<f" in inner or b":f>" in inner or b":f " in inner) and not re.search(
                rb"<(?:\w+:)?v\b[^>]*>[^<]", inner):
            ref = _CELL_REF.search(match.group(1))
            if ref is not None:
                row = int(ref.group(2))
                out.formulas.setdefault(row, []).append((ref.group(1) + ref.group(2)).decode())
