"""The reading report: how a user's file was read, returned with the table.

``read_table(path, report=True)`` returns ``(table, report)``. The report says which encoding,
delimiter, worksheet and header row were used, how many rows were read, which rows were dropped
and why (blank rows, a totals row, a repeated header), how every column was named and read
(original header → kit name, text / code / number / date), and any notes. Its words come from
``crmsim.terms`` (keys ``reading.*``), in English, Chinese or both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmsim.terms import label
from crmsim.terms.notes import Note

__all__ = ["ColumnReading", "Note", "ReadingReport", "RejectedRow"]


@dataclass(frozen=True)
class RejectedRow:
    """A row of the file that is not in the table: its row number in the file and why."""

    row: int
    reason: Note


@dataclass(frozen=True)
class ColumnReading:
    """How one column was read.

    ``position`` is 1-based; ``header`` is the header as written in the file (two header rows
    joined with " / "); ``name`` the column's name in the table; ``kind`` one of ``"text"``,
    ``"code"`` (text kept exactly, e.g. leading zeros), ``"number"``, ``"percent"``, ``"date"``,
    ``"empty"``.
    """

    position: int
    header: str
    name: str
    kind: str


@dataclass
class ReadingReport:
    """What :func:`crmsim.read_table` did with a file.

    Attributes
    ----------
    source : str
        The file's path.
    encoding, delimiter : str or None
        Text encoding and field separator of a CSV file (None for Excel).
    sheet : str or None
        Worksheet name of an Excel file (None for CSV).
    header_rows : tuple of int
        Row number(s) in the file of the header (1-based, as a spreadsheet counts); two numbers
        for a two-row header.
    header_detected : bool
        True if the header row was found automatically, False if given with ``header_row=``.
    rows_read : int
        Data rows in the returned table.
    rejected : list of RejectedRow
        Rows below the header that were dropped, with the reason.
    columns : list of ColumnReading
        Every column kept, in order.
    notes : list of Note
        Further remarks (rows above the header, blank rows, a suggestion to rename headers).
    """

    source: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_rows: tuple[int, ...] = (1,)
    header_detected: bool = True
    rows_read: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    columns: list[ColumnReading] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    _rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    #: columns read as text that hold ids in scientific notation (column -> an example)
    scientific: dict[str, str] = field(default_factory=dict, repr=False)
    #: columns of day/month/year dates whose order the column does not show (column -> how
    #: they were read: a crmsim.io.dates.DateReading, with the message to give)
    undecided_dates: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def data_rows(self) -> list[int]:
        """The row number in the file of every row of the table, in order."""
        return self._rows.tolist()

    @property
    def mapping(self) -> dict[str, str]:
        """Original header → column name in the table. A two-row header appears both whole
        ("销售情况 / 销售额") and as its lower cell ("销售额")."""
        out = {c.header: c.name for c in self.columns}
        for c in self.columns:
            if " / " in c.header:
                out.setdefault(c.header.rsplit(" / ", 1)[1], c.name)
        return out

    def file_row(self, data_row: int) -> int | None:
        """The row number in the file of the table's *data_row*-th row (1-based)."""
        if 1 <= data_row <= len(self._rows):
            return int(self._rows[data_row - 1])
        return None

    # ------------------------------------------------------------------ display
    def delimiter_name(self, lang: str | None = None) -> str:
        """The delimiter in words and as written, e.g. ``"semicolon ';'"``."""
        if self.delimiter is None:
            return ""
        word = _DELIMITERS.get(self.delimiter, "other")
        return f"{label('reading.delimiter.' + word, lang)} {self.delimiter!r}"

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """One row per item: encoding, delimiter, sheet, header row, rows read, rows dropped."""
        header = ", ".join(map(str, self.header_rows))
        how = "reading.header.detected" if self.header_detected else "reading.header.given"
        items = [("reading.file", self.source)]
        if self.sheet is None:
            items += [
                ("reading.encoding", self.encoding or ""),
                ("reading.delimiter", self.delimiter_name(lang)),
            ]
        else:
            items.append(("reading.sheet", self.sheet))
        items += [
            ("reading.header_row", f"{header} ({label(how, lang)})"),
            ("reading.rows_read", f"{self.rows_read:,}"),
            ("reading.rows_rejected", f"{len(self.rejected):,}"),
        ]
        return pd.DataFrame(
            {label("reading.item", lang): [label(k, lang) for k, _ in items],
             label("reading.value", lang): [v for _, v in items]}
        )

    def columns_table(self, lang: str | None = None) -> pd.DataFrame:
        """The column mapping: position, original header, column name, how it was read."""
        return pd.DataFrame(
            {
                label("reading.position", lang): [c.position for c in self.columns],
                label("reading.header", lang): [c.header for c in self.columns],
                label("reading.column", lang): [c.name for c in self.columns],
                label("reading.kind", lang): [
                    label(f"reading.kind.{c.kind}", lang) for c in self.columns
                ],
            }
        )

    def rejected_table(self, lang: str | None = None) -> pd.DataFrame:
        """Rows dropped: row number in the file and the reason."""
        return pd.DataFrame(
            {
                label("reading.row", lang): [r.row for r in self.rejected],
                label("reading.reason", lang): [r.reason.text(lang) for r in self.rejected],
            }
        )

    def note_texts(self, lang: str | None = None) -> list[str]:
        """The notes as sentences in *lang*."""
        return [n.text(lang) for n in self.notes]

    def __str__(self) -> str:
        lines = [f"{a}: {b}" for a, b in self.summary("en").itertuples(index=False)]
        lines += [f"  {c.position}. {c.header!r} -> {c.name!r} ({c.kind})" for c in self.columns]
        lines += [f"  row {r.row}: {r.reason.text('en')}" for r in self.rejected]
        lines += [f"  note: {t}" for t in self.note_texts("en")]
        return "\n".join(lines)


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
