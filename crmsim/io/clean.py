"""Cell cleaning: numbers and dates the way spreadsheets and CRM exports write them.

Each cleaner takes one cell (text from a CSV file, or a number / date / text object from an Excel
sheet) and returns the value or ``None`` when the cell is not of that kind; the column converters
apply them to a whole column, vectorised where pandas can do the work.

- numbers: ``1,200``, ``¥1,250.00``, ``￥80``, ``12.5%`` (= 0.125), ``(300)`` (accounting
  negative = -300), ``1200元``, full-width digits ``１２００`` (Unicode NFKC);
- dates: ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` (optionally with a time),
  Excel date cells, and Excel serial day numbers such as ``45356`` (= 2024-03-05) when the
  column is known to hold dates.

Day-first and month-first forms such as ``05/03/2024`` are ambiguous and are not guessed.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MISSING_MARKERS",
    "clean_text",
    "is_code_like",
    "is_missing",
    "number_or_none",
    "date_or_none",
    "numbers_of",
    "dates_of",
]

#: Cell texts read as "no value" in number and date columns (an empty cell always is).
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "#N/A", "N/A", "NA", "n/a", "NaN", "nan", "null", "NULL", "None", "none"}
)

#: First day of Excel's (1900) day count: serial 1 is 1900-01-01, 45356 is 2024-03-05.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serial day numbers accepted as dates (1900-01-01 .. 9999-12-31).
EXCEL_SERIAL_RANGE: tuple[int, int] = (1, 2_958_465)

_CURRENCY_PREFIXES = ("RMB", "CNY", "¥", "$", "€", "£")
_CURRENCY_SUFFIXES = ("元", "RMB", "CNY")
_PLAIN_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_WHOLE = re.compile(r"^[+-]?\d+$")
_LEADING_ZERO = re.compile(r"^0\d+$")
_DATE = re.compile(
    r"^(?P<year>\d{4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)\s*(?P<day>\d{1,2})"
    r"\s*日?"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?$"
)


def clean_text(value: str) -> str:
    """NFKC-normalise and strip a cell's text: full-width digits, letters and signs become
    their ordinary forms (``"１２，３４５"`` → ``"12,345"``, ``"￥"`` → ``"¥"``).

    >>> clean_text(" ￥１，２００ ")
    '¥1,200'
    """
    return unicodedata.normalize("NFKC", value).strip()


def is_missing(value: Any) -> bool:
    """True for an empty cell: None, NaN/NaT, or text in :data:`MISSING_MARKERS`."""
    if value is None:
        return True
    if isinstance(value, str):
        return clean_text(value) in MISSING_MARKERS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_code_like(value: Any) -> bool:
    """True for text that is a code, not a quantity: digits with a leading zero (``"0012"``)
    or 16 or more digits (account and card numbers lose digits as floats).

    >>> is_code_like("0012"), is_code_like("12"), is_code_like("0.5")
    (True, False, False)
    """
    if not isinstance(value, str):
        return False
    text = clean_text(value)
    return bool(_LEADING_ZERO.match(text)) or (text.isdigit() and len(text) >= 16)


def _number_text(value: str) -> tuple[str, bool, bool] | None:
    """(plain numeric text with sign, is percent, is accounting negative) or None."""
    text = clean_text(value)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    sign = ""
    for _ in range(2):  # a sign and a currency sign, in either order: -¥5, ¥-5
        if text[:1] in "+-" and not sign:
            sign, text = text[0], text[1:].strip()
        for prefix in _CURRENCY_PREFIXES:
            if text.upper().startswith(prefix):
                text = text[len(prefix):].strip()
                break
    for suffix in _CURRENCY_SUFFIXES:
        if text.upper().endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    if _GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    if not _PLAIN_NUMBER.match(text):
        return None
    if negative and sign:
        return None  # "(-5)" is not a form anyone writes on purpose
    return sign + text, percent, negative


def number_or_none(value: Any) -> float | None:
    """The number a cell holds, or None if it holds something else (or nothing).

    >>> number_or_none("¥1,250.00"), number_or_none("12.5%"), number_or_none("(300)")
    (1250.0, 0.125, -300.0)
    >>> number_or_none("0012"), number_or_none("１２００"), number_or_none("n/a")
    (12.0, 1200.0, None)
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return None if math.isnan(number) else number
    if not isinstance(value, str):
        return None
    parsed = _number_text(value)
    if parsed is None:
        return None
    text, percent, negative = parsed
    number = float(text)
    if negative:
        number = -number
    if percent:
        number /= 100.0
    return number


def date_or_none(value: Any, *, serial: bool = False) -> pd.Timestamp | None:
    """The date a cell holds, or None.

    ``serial=True`` also reads numbers (and numeric text) as Excel serial day numbers.

    >>> date_or_none("2022年1月3日"), date_or_none("2024/3/6")
    (Timestamp('2022-01-03 00:00:00'), Timestamp('2024-03-06 00:00:00'))
    >>> date_or_none(45356, serial=True), date_or_none("45356")
    (Timestamp('2024-03-05 00:00:00'), None)
    """
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp
    if isinstance(value, str):
        text = clean_text(value)
        match = _DATE.match(text)
        if match is not None:
            parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
            try:
                return pd.Timestamp(**parts)
            except ValueError:  # 2024-02-30
                return None
        if not serial:
            return None
    if not serial:
        return None
    number = number_or_none(value)
    if number is None or not EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + pd.to_timedelta(number, unit="D")


# ------------------------------------------------------------------ whole columns
def _as_object(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), None)


def numbers_of(values: pd.Series) -> tuple[pd.Series, np.ndarray, bool]:
    """Parse a column of cells as numbers.

    Returns
    -------
    numbers : pandas.Series
        float64 (NaN where missing or not a number), or int64 when every cell is a whole
        number written without a decimal point or percent sign.
    bad : numpy.ndarray of bool
        Cells that hold something that is not a number.
    percent : bool
        Whether any cell carried a percent sign.
    """
    cells = _as_object(values)
    missing = cells.map(is_missing).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype("float64")
        whole = pd.api.types.is_integer_dtype(values)
        return (numbers.astype("int64") if whole else numbers), np.zeros(len(values), bool), False
    # fast path: plain numbers (the usual case)
    text = pd.Series([c if isinstance(c, str) else None for c in cells], index=values.index,
                     dtype=object)
    numbers = cells.map(number_or_none)
    bad = numbers.isna().to_numpy() & ~missing
    floats = numbers.astype("float64")
    percent = bool(text.map(lambda t: isinstance(t, str) and t.rstrip().endswith(("%", "％")))
                   .any())
    whole = (
        not missing.any()
        and not percent
        and all(
            (isinstance(c, (int, np.integer)) and not isinstance(c, bool))
            or (isinstance(c, str) and _WHOLE.match(_plain(c) or "x") is not None)
            for c in cells
        )
    )
    if whole and not bad.any():
        return floats.astype("int64"), bad, percent
    return floats, bad, percent


def _plain(text: str) -> str | None:
    parsed = _number_text(text)
    return None if parsed is None else parsed[0]


def dates_of(values: pd.Series, *, serial: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of cells as dates: (datetime64[ns] Series with NaT, bad-cell mask)."""
    cells = _as_object(values)
    missing = cells.map(is_missing).to_numpy(dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]"), np.zeros(len(values), bool)
    parsed = cells.map(lambda c: None if is_missing(c) else date_or_none(c, serial=serial))
    bad = parsed.isna().to_numpy() & ~missing
    out = pd.to_datetime(parsed.where(parsed.notna(), None)).astype("datetime64[ns]")
    return out, bad
