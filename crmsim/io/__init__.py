"""Read users' own customer and sales tables (CSV or Excel) into tidy DataFrames.

Course participants bring exports from Excel, WPS and CRM systems: CSV files in GBK/GB18030 or
UTF-8 (with or without a byte-order mark), separated by commas, semicolons, tabs or pipes;
``.xlsx`` workbooks with a report title above the table or a two-row merged header; Chinese
headers such as 客户编号 or 销售额; numbers written ``¥1,200`` or ``12%``; dates written
``2022年1月3日`` or as Excel serial numbers; blank rows and a 合计 (totals) row at the bottom.
:func:`read_table` reads all of them, and with ``report=True`` also returns a
:class:`ReadingReport` saying how (encoding, delimiter, sheet, header row, rows read and
dropped, original header → kit name). Errors name the file, sheet, row and column::

    sales_2024.csv: column 'amount' must be >= 0; found -3.0 at row 7 (file row 8, id C0042)

The user's file is only ever read, never written.

Modules: :mod:`~crmsim.io.reading` (read_table), :mod:`~crmsim.io.sniff` (encoding, delimiter,
header rows), :mod:`~crmsim.io.clean` (number and date cells), :mod:`~crmsim.io.headers`
(renaming, finding a column by the user's name for it), :mod:`~crmsim.io.report`.
"""

from crmsim.io.clean import number_or_none
from crmsim.io.dates import date_or_none
from crmsim.io.headers import auto_name, resolve_column
from crmsim.io.reading import KINDS, SUPPORTED_EXTENSIONS, TOTAL_WORDS, read_table
from crmsim.io.report import ColumnReading, ReadingReport, RejectedRow
from crmsim.io.sniff import DELIMITERS, ENCODINGS
from crmsim.terms.notes import Note

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "KINDS",
    "SUPPORTED_EXTENSIONS",
    "TOTAL_WORDS",
    "ColumnReading",
    "Note",
    "ReadingReport",
    "RejectedRow",
    "auto_name",
    "date_or_none",
    "number_or_none",
    "read_table",
    "resolve_column",
]
