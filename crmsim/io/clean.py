"""Cell cleaning: numbers and dates the way spreadsheets and CRM exports write them.

Each cleaner takes one cell (text from a CSV file, or a number / date / text object from an Excel
sheet) and returns the value or ``None`` when the cell is not of that kind; the column converters
apply them to a whole column, vectorised where pandas can do the work.

- numbers: ``1,200``, ``¥1,250.00``, ``￥80``, ``12.5%`` (= 0.125), ``(300)`` (accounting
  negative = -300), ``1200元``, full-width digits ``１２００`` (Unicode NFKC);
- dates: ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` (optionally with a time),
  Excel date cells, and Excel serial day numbers such as ``45356`` (= 2024-03-05) when the
  column is known to hold dates.

Dates are read by :mod:`crmsim.io.dates` (one policy for the whole kit: day-first and
month-first forms such as ``05/03/2024`` are decided per column, never guessed cell by cell);
see ``crmsim.io.dates.date_or_none`` and ``dates_of``.
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
    "numbers_of",
    "as_text",
    "cell_text",
]

#: Cell texts read as "no value" in number and date columns (an empty cell always is).
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "#N/A", "N/A", "NA", "n/a", "NaN", "nan", "null", "NULL", "None", "none"}
)

_CURRENCY_PREFIXES = ("RMB", "CNY", "¥", "$", "€", "£")
_CURRENCY_SUFFIXES = ("元", "RMB", "CNY")
_PLAIN_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_LEADING_ZERO = re.compile(r"^0\d+$")
_NOT_WHOLE = re.compile(r"[.eE]")


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
        text = value.strip()
        return not text or (len(text) <= 4 and clean_text(text) in MISSING_MARKERS)
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
        if text[:1] in ("+", "-") and not sign:
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


# ------------------------------------------------------------------ whole columns
def _norm(text: str) -> str:
    return text.strip() if text.isascii() else clean_text(text)


def _cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str | None], np.ndarray]:
    """(cells as objects, which are text, their NFKC-stripped text, which are missing).

    Plain list comprehensions: on object columns they are several times faster than the
    pandas ``.str`` accessor."""
    cells = values.to_numpy(dtype=object)
    is_str = np.fromiter((type(c) is str for c in cells), dtype=bool, count=len(cells))
    norm = [_norm(c) if type(c) is str else None for c in cells]
    markers = MISSING_MARKERS
    missing = np.fromiter(
        ((n in markers) if n is not None else (c is None or c != c)
         for c, n in zip(cells, norm, strict=True)),
        dtype=bool, count=len(cells),
    )
    return cells, is_str, norm, missing


def numbers_of(values: pd.Series) -> tuple[pd.Series, np.ndarray, bool]:
    """Parse a column of cells as numbers.

    Returns
    -------
    numbers : pandas.Series
        float64 (NaN where missing or not a number), or int64 when every cell is a whole
        number written without a decimal point, exponent or percent sign.
    bad : numpy.ndarray of bool
        Cells that hold something that is not a number.
    percent : bool
        Whether any cell carried a percent sign.
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype("float64"), values.notna().to_numpy(), False
    if pd.api.types.is_numeric_dtype(values):
        return values.reset_index(drop=True), np.zeros(len(values), dtype=bool), False
    cells, is_str, norm, missing = _cells(values)
    out = np.full(len(cells), np.nan)
    todo = is_str & ~missing
    todo_at = np.flatnonzero(todo)
    if todo.any():
        fast = pd.to_numeric(pd.Series([norm[i] for i in todo_at], dtype=object),
                             errors="coerce").to_numpy(dtype="float64")
        out[todo] = fast
        slow = todo_at[np.isnan(fast)]
        for i in slow:  # thousands separators, currency and percent signs, accounting negatives
            parsed = number_or_none(cells[i])
            out[i] = np.nan if parsed is None else parsed
    others = np.flatnonzero(~is_str & ~missing)
    for i in others:
        parsed = number_or_none(cells[i])
        out[i] = np.nan if parsed is None else parsed
    bad = np.isnan(out) & ~missing
    percent = any(norm[i].endswith("%") for i in todo_at)
    numbers = pd.Series(out, dtype="float64")
    whole = (
        not missing.any()
        and not bad.any()
        and not percent
        and bool(np.isfinite(out).all())  # inf and nan are no whole numbers
        and bool(np.all(out == np.round(out)))
        and not any(_NOT_WHOLE.search(norm[i]) for i in todo_at)
        and all(isinstance(cells[i], (int, np.integer)) for i in others)
    )
    return (numbers.astype("int64") if whole else numbers), bad, percent


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (pandas ``str`` dtype); empty cells missing. Numbers and dates from
    an Excel sheet become their usual text (12.0 → "12", a date → "2024-03-05")."""
    cells = values.to_numpy(dtype=object)
    text = [
        (c.strip() or None) if type(c) is str else None if is_missing(c) else cell_text(c)
        for c in cells
    ]
    return pd.Series(text, dtype=object).astype("str")


def cell_text(value: object) -> str:
    """A cell shown as text: whole floats without ``.0``, dates as ``2024-03-05``."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()
    return str(value)
