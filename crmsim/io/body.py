"""The rows below a table's header: which are data, and the cells of each column.

Chunks of rows (from :func:`crmsim.io.sources.csv_body` or an Excel sheet) are folded into a
:class:`Body`, a chunk at a time, so a file of millions of rows is never held as millions of
Python objects: each column keeps its distinct cells once and, per row, a small integer code.
Whether a row is blank, a repeated header or a totals row, and later what a column holds, is
worked out on the distinct cells and carried to the rows by their codes, which gives exactly
the answer a cell-by-cell pass would, in time proportional to the distinct cells.

Rows left out, each said in the reading report: blank rows (counted), the header repeated inside
the data (page breaks of a printed export), totals and subtotals anywhere (合计, 小计, 总计,
汇总, Total, Subtotal, and Excel's "East Total" subtotal rows), and rows hidden in the workbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmsim.errors import DataError
from crmsim.io.clean import clean_text, number_or_none
from crmsim.io.headers import clean_header
from crmsim.io.report import ReadingReport, RejectedRow
from crmsim.terms.notes import Note

__all__ = ["TOTAL_WORDS", "Body", "totals_word"]

#: Cell texts that mark a totals or subtotals row (compared without case, spaces or a colon).
TOTAL_WORDS: frozenset[str] = frozenset(
    {"合计", "总计", "总合计", "累计", "小计", "汇总", "总汇总", "合 计", "总 计", "小 计",
     "total", "totals", "grand total", "sum", "subtotal", "sub-total", "sub total"}
)  # fmt: skip
# Excel's Data > Subtotal writes "<group> Total" (English) or "<group> 汇总" (Chinese) rows
_SUFFIX = re.compile(r"^.{1,40}?(?:\s(?:total|subtotal)|\s?(?:合计|小计|总计|汇总))$", re.I)
_CANDIDATE = re.compile(r"合|小|总|汇|累|[Tt][Oo][Tt][Aa][Ll]|[Ss][Uu][Mm]")


def totals_word(cell: object) -> tuple[str, bool] | None:
    """(the cell's text, whether it is a totals word on its own) if the cell marks a totals
    row, else None. ``False`` means a subtotal label such as "East Total", which counts only
    when it is the row's only text."""
    if not isinstance(cell, str) or len(cell) > 48 or not _CANDIDATE.search(cell):
        return None
    text = clean_text(cell).rstrip(":：").strip()
    if text.casefold() in TOTAL_WORDS:
        return text, True
    if _SUFFIX.match(text):
        return text, False
    return None


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (
        isinstance(cell, float) and cell != cell)  # fmt: skip


_WHITE = re.compile(r"\x00\s*(?=\x00)")


def _flags(values: np.ndarray, header: str | None) -> tuple[np.ndarray, dict, list]:
    """For distinct cells *values*: which are empty, which mark a totals row (position ->
    :func:`totals_word`), which equal *header* (folded). Worked on the cells' joined text
    with regular expressions (C speed), then checked cell by cell only where one matched."""
    n = len(values)
    texts = values.tolist()
    try:  # the usual case: every cell is text
        joined = "\x00" + "\x00".join(texts) + "\x00"
        missing, at = np.zeros(n, dtype=bool), np.arange(n)
    except TypeError:  # a short row's missing fields (NaN) among them
        missing = pd.isna(values)
        at = np.flatnonzero(~missing)
        texts = values[at].tolist()
        try:
            joined = "\x00" + "\x00".join(texts) + "\x00"
        except TypeError:  # not all text: cell by cell
            joined = None
    if joined is None or joined.count("\x00") != len(texts) + 1:
        empty = np.fromiter((_empty(v) for v in values), dtype=bool, count=n)
        marks = {k: m for k, v in enumerate(values) if (m := totals_word(v)) is not None}
        hits = [k for k, v in enumerate(values) if header is not None and isinstance(v, str)
                and v.strip().casefold() == header]  # fmt: skip
        return empty, marks, hits
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths + 1) - lengths  # where each cell's text begins in `joined`

    def cells(pattern: re.Pattern[str], offset: int = 0) -> np.ndarray:
        found = np.fromiter((m.start() + offset for m in pattern.finditer(joined)),
                            dtype=np.int64)  # fmt: skip
        return np.unique(np.searchsorted(starts, found, side="right") - 1)

    empty = missing.copy()
    empty[at[cells(_WHITE, 1)]] = True
    marks = {}
    for k in cells(_CANDIDATE).tolist():
        mark = totals_word(texts[k])
        if mark is not None:
            marks[int(at[k])] = mark
    hits = []
    if header:
        for k in cells(re.compile(re.escape(header[:12]), re.I)).tolist():
            if texts[k].strip().casefold() == header:
                hits.append(int(at[k]))
    return empty, marks, hits


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)`` for an array of objects: codes and
    distinct cells in order of first appearance, every missing cell (None, NaN) one distinct
    NaN. pandas first looks for missing cells in a separate pass over every cell; here the
    hashing pass marks them (-1) and the NaN is put in at its first appearance."""
    codes, uniques = pd.factorize(values)
    missing = codes < 0
    if missing.any():
        first = int(np.argmax(missing))
        na_code = int(codes[:first].max()) + 1 if first else 0  # distinct cells seen before
        codes = np.where(codes >= na_code, codes + 1, codes)
        codes[missing] = na_code
        uniques = np.insert(np.asarray(uniques, dtype=object), na_code, np.nan)
    return codes, uniques


@dataclass
class _Column:
    """One column's distinct cells and, per kept row, the code of its cell."""

    dedupe: bool
    match: str | None = None  # header text: codes of cells equal to it go to `matches`
    matches: set = field(default_factory=set)
    index: dict = field(default_factory=dict)
    uniques: list = field(default_factory=list)
    empty: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)  # code -> totals_word() of cells marking totals
    codes: list = field(default_factory=list)

    def _new(self, value: object) -> None:
        code = len(self.uniques)
        self.uniques.append(value)
        self.empty.append(_empty(value))
        mark = totals_word(value)
        if mark is not None:
            self.marks[code] = mark
        if self.match is not None and isinstance(value, str) and \
                value.strip().casefold() == self.match:  # fmt: skip
            self.matches.add(code)

    def encode(self, cells: np.ndarray) -> np.ndarray:
        """Codes of *cells* (new distinct cells are added)."""
        if not self.dedupe:  # typed Excel cells: 1, 1.0 and True must stay apart
            start = len(self.uniques)
            for value in cells.tolist():
                self._new(value)
            return np.arange(start, start + len(cells), dtype=np.int32)
        # text cells (a CSV file): the chunk's distinct cells joined to the column's so far in
        # one hashing pass (first appearance keeps the earlier codes), the new ones flagged by
        # a few regular-expression scans over their joined text
        local, distinct = _factorize(cells)
        known = len(self.uniques)
        both = np.concatenate([self.uniques, distinct]) if known else distinct
        codes, everything = _factorize(both)
        new = np.asarray(everything[known:], dtype=object)
        self.uniques = np.asarray(everything, dtype=object)
        empty, marks, matches = _flags(new, self.match)
        self.empty = np.concatenate([np.asarray(self.empty, dtype=bool), empty])
        self.marks.update({known + k: mark for k, mark in marks.items()})
        self.matches.update(known + k for k in matches)
        return codes[known:].astype(np.int32)[local]


@dataclass
class Body:
    """The data rows of a table, gathered chunk by chunk (see the module docstring).

    Parameters
    ----------
    width : int
        Columns the header has; a non-empty cell to the right of them is an error.
    headers : list of str
        The header of each column (to recognise the header repeated in the data).
    first_row : int
        The file or sheet row number (1-based) of the first row below the header.
    where : str
        The file (and sheet) for messages.
    dedupe : bool
        Cells are text (a CSV file): keep each distinct text once.
    hidden : set of int
        Sheet rows hidden in the workbook (left out).
    """

    width: int
    headers: list[str]
    first_row: int
    where: str
    dedupe: bool
    delimiter: str | None = None
    hidden: set[int] = field(default_factory=set)
    columns: list[_Column] = field(init=False)
    rows: list[np.ndarray] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    blank: int = 0
    _header_folded: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self._header_folded = [h.casefold() for h in self.headers]
        self.columns = [_Column(self.dedupe, self._header_folded[j] if j == 0 else None)
                        for j in range(self.width)]  # fmt: skip
        self._extra = _Column(self.dedupe)

    # ------------------------------------------------------------------ rows
    def add(self, chunk: pd.DataFrame) -> None:
        """Fold in a chunk of rows (columns ``0..``; index = row offset below the header)."""
        n = len(chunk)
        if not n:
            return
        file_rows = self.first_row + chunk.index.to_numpy(dtype=np.int64)
        if file_rows[-1] < 2**31:
            file_rows = file_rows.astype(np.int32)
        values = [chunk.iloc[:, j].to_numpy(dtype=object) if j < chunk.shape[1]
                  else np.full(n, None, dtype=object) for j in range(self.width)]  # fmt: skip
        codes = [col.encode(v) for col, v in zip(self.columns, values, strict=True)]
        empties = [np.asarray(col.empty, dtype=bool)[c] for col, c in
                   zip(self.columns, codes, strict=True)]  # fmt: skip
        for j in range(self.width, chunk.shape[1]):  # beyond the header: must be empty
            extra = chunk.iloc[:, j].to_numpy(dtype=object)
            full = ~np.fromiter((_empty(c) for c in extra), dtype=bool, count=n)
            if full.any():
                i = int(np.flatnonzero(full)[0])
                sep = "" if self.delimiter is None else (
                    f"; check for unquoted {_delimiter_words(self.delimiter)} characters "
                    "inside values")  # fmt: skip
                raise DataError(
                    f"{self.where}: some rows have more fields than the header has columns "
                    f"({self.width}); first at row {file_rows[i]}, column {j + 1}{sep}"
                )
        blank = np.logical_and.reduce(empties) if empties else np.ones(n, bool)
        keep = ~blank
        self.blank += int(blank.sum())
        if self.hidden:
            hidden = np.isin(file_rows, np.fromiter(self.hidden, dtype=np.int64)) & keep
            for i in np.flatnonzero(hidden):
                self.rejected.append(RejectedRow(int(file_rows[i]), Note("reading.reason.hidden")))
            keep &= ~hidden
        self._drop_repeated_headers(values, codes, file_rows, keep)
        self._drop_totals(codes, empties, file_rows, keep)
        at = np.flatnonzero(keep)
        for col, c in zip(self.columns, codes, strict=True):
            col.codes.append(c[at])
        self.rows.append(file_rows[at])

    def _drop_repeated_headers(
        self, values: list[np.ndarray], codes: list[np.ndarray], file_rows: np.ndarray,
        keep: np.ndarray,
    ) -> None:
        if not self.width or not self.columns[0].matches:
            return
        like = np.isin(codes[0], np.fromiter(self.columns[0].matches, dtype=np.int64))
        for i in np.flatnonzero(like & keep):
            row = [clean_header(values[j][i], j).casefold() for j in range(self.width)]
            if row == self._header_folded:
                keep[i] = False
                self.rejected.append(RejectedRow(int(file_rows[i]),
                                                 Note("reading.reason.repeated_header")))

    def _drop_totals(self, codes: list[np.ndarray], empties: list[np.ndarray],
                     file_rows: np.ndarray, keep: np.ndarray) -> None:  # fmt: skip
        marks = [col.marks for col in self.columns]
        if not any(marks):
            return
        marked = np.zeros(len(keep), dtype=bool)
        for m, c in zip(marks, codes, strict=True):
            if m:
                marked |= np.isin(c, np.fromiter(m, dtype=np.int64))
        for i in np.flatnonzero(marked & keep):
            found = [m[int(c[i])] for m, c in zip(marks, codes, strict=True) if int(c[i]) in m]
            if not found:
                continue
            word, whole = next(((w, s) for w, s in found if s), found[0])
            if not whole:  # "East Total": a subtotal only when it is the row's only text
                texts = sum(
                    1 for col, c, e in zip(self.columns, codes, empties, strict=True)
                    if not e[i] and number_or_none(col.uniques[int(c[i])]) is None
                )  # fmt: skip
                if texts > 1:
                    continue
            keep[i] = False
            self.rejected.append(RejectedRow(int(file_rows[i]),
                                             Note("reading.reason.totals", {"word": word})))

    # ------------------------------------------------------------------ columns
    @property
    def data_rows(self) -> np.ndarray:
        """File or sheet row number of every kept row."""
        if len(self.rows) > 1:
            self.rows = [np.concatenate(self.rows)]
        return self.rows[0] if self.rows else np.zeros(0, dtype=np.int64)

    def column(self, j: int) -> tuple[pd.Series, np.ndarray]:
        """(distinct cells of kept rows in column *j*, each kept row's position among them)."""
        col = self.columns[j]
        codes = np.concatenate(col.codes) if col.codes else np.zeros(0, dtype=np.int32)
        col.codes = [codes]
        present = np.zeros(len(col.uniques), dtype=bool)
        present[codes] = True
        used = np.flatnonzero(present)
        if len(used) == len(col.uniques):
            position = codes
        else:  # cells seen only in rows left out (a totals row's 合计): not part of the column
            renumber = np.cumsum(present, dtype=np.int64) - 1
            position = renumber.astype(codes.dtype)[codes]
        cells = np.empty(len(used), dtype=object)
        cells[:] = [col.uniques[u] for u in used.tolist()] if isinstance(col.uniques, list) \
            else col.uniques[used]  # fmt: skip
        return pd.Series(cells, dtype=object), position

    def all_empty(self, j: int) -> bool:
        """Whether column *j* has no value in any kept row."""
        col = self.columns[j]
        empty = np.asarray(col.empty, dtype=bool)
        return all(bool(empty[c].all()) for c in col.codes)

    def finish(self, rep: ReadingReport) -> None:
        """Put the rows left out and the blank-row count into the reading report."""
        rep.rejected.extend(sorted(self.rejected, key=lambda r: r.row))
        if self.blank:
            rep.notes.append(Note("reading.note.blank_rows", {"count": self.blank}))


def _delimiter_words(delimiter: str) -> str:
    words = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    return f"{words.get(delimiter, 'other')} {delimiter!r}"


def grid_chunks(rows: Sequence[Sequence[object]], size: int) -> Iterable[pd.DataFrame]:
    """Rows of an Excel sheet as DataFrame chunks (short rows padded with None)."""
    longest = max((len(r) for r in rows), default=0)
    for first in range(0, len(rows), size):
        part = [list(r) + [None] * (longest - len(r)) for r in rows[first: first + size]]
        yield pd.DataFrame(part, columns=range(longest), dtype=object,
                           index=range(first, first + len(part)))  # fmt: skip
