"""Dates in users' files, read by one policy everywhere (the reading report, the checks of
:mod:`crmsim._validation`, the lifecycle rules and the calibration).

Forms read without doubt: ``2024-03-05``, ``2024/3/5``, ``2024.3.5``, ``2024年3月5日`` (each
optionally with a time), Excel date cells, and Excel serial day numbers such as ``45356`` when
the column is known to hold dates.

Day-first and month-first forms (``05/03/2024``, ``5.3.2024``, ``03-05-2024``) are read per
column, never guessed cell by cell: a cell whose first number is above 12 (``13/03/2024``)
shows the column is day first, one whose second number is above 12 (``03/13/2024``) shows it is
month first. A column with such evidence is read that way, and the reading report says which
cell decided. A column without evidence (every cell could be either) is *ambiguous* and is
not read as dates unless the user says the order (``--dayfirst`` / ``--monthfirst``, or
``dayfirst=True`` / ``False``); a column with evidence both ways is refused as *mixed*.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmsim.io.clean import _cells, clean_text, number_or_none

__all__ = [
    "EXCEL_EPOCH",
    "EXCEL_SERIAL_RANGE",
    "DateReading",
    "date_or_none",
    "dates_of",
    "order_advice",
    "parse_dates",
]

#: First day of Excel's (1900) day count: serial 1 is 1900-01-01, 45356 is 2024-03-05.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serial day numbers accepted as dates (1900-01-01 .. 9999-12-31).
EXCEL_SERIAL_RANGE: tuple[int, int] = (1, 2_958_465)

_TIME = r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?$"
_DATE = re.compile(
    r"^(?P<year>\d{4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)\s*(?P<day>\d{1,2})"
    r"\s*日?" + _TIME
)
# day/month/year or month/day/year: the order is decided per column
_DMY = re.compile(r"^(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})" + _TIME)
_PARTS = ("year", "month", "day", "hour", "minute", "second")


def order_advice(cli: bool = True) -> str:
    """How a user says the order of day and month."""
    if cli:
        return "give --dayfirst or --monthfirst"
    return "pass dayfirst=True (day/month/year) or dayfirst=False (month/day/year)"


def date_or_none(
    value: Any, *, serial: bool = False, dayfirst: bool | None = None
) -> pd.Timestamp | None:
    """The date a cell holds, or None.

    ``serial=True`` also reads numbers (and numeric text) as Excel serial day numbers. A
    day/month/year form is read only when the order is known: given by *dayfirst*, or shown by
    the cell itself (a number above 12); ``05/03/2024`` alone is not guessed.

    >>> date_or_none("2022年1月3日"), date_or_none("2024/3/6")
    (Timestamp('2022-01-03 00:00:00'), Timestamp('2024-03-06 00:00:00'))
    >>> date_or_none(45356, serial=True), date_or_none("45356")
    (Timestamp('2024-03-05 00:00:00'), None)
    >>> date_or_none("13/03/2024"), date_or_none("05/03/2024"), date_or_none("05/03/2024", dayfirst=True)
    (Timestamp('2024-03-13 00:00:00'), None, Timestamp('2024-03-05 00:00:00'))
    """  # noqa: E501
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp
    if isinstance(value, str):
        text = clean_text(value)
        match = _DATE.match(text)
        if match is not None:
            return _stamp({k: int(v) for k, v in match.groupdict().items() if v is not None})
        match = _DMY.match(text)
        if match is not None:
            found = match.groupdict()
            parts = {k: int(v) for k, v in found.items() if v is not None and k != "sep"}
            a, b = parts.pop("a"), parts.pop("b")
            first = _stamp({**parts, "day": a, "month": b})
            second = _stamp({**parts, "day": b, "month": a})
            if dayfirst is True:
                return first
            if dayfirst is False:
                return second
            if a == b or (first is None) != (second is None):
                return first if first is not None else second
            return None
        if not serial:
            return None
    if not serial:
        return None
    number = number_or_none(value)
    if number is None or not EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + pd.to_timedelta(number, unit="D")


def _stamp(parts: dict[str, int]) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(**parts)
    except ValueError:  # 2024-02-30
        return None


@dataclass
class DateReading:
    """A column read as dates.

    Attributes
    ----------
    dates : pandas.Series
        datetime64[ns], NaT where a cell is missing, not a date, or undecided.
    bad : numpy.ndarray of bool
        Cells that hold something but were not read as a date (undecided ones included).
    undecided : numpy.ndarray of bool
        Day/month/year cells left unread because the column's order is ambiguous or mixed.
    order : {"day", "month"} or None
        The order day/month/year cells were read in (None: there were none, or every one read
        the same both ways, or the column is ambiguous or mixed).
    evidence : str or None
        The cell that decided the order (or, for an ambiguous column, an example cell).
    problem : {"ambiguous", "mixed"} or None
    other : str or None
        For a mixed column, a cell that shows the other order.
    """

    dates: pd.Series
    bad: np.ndarray
    undecided: np.ndarray
    order: str | None = None
    evidence: str | None = None
    problem: str | None = None
    other: str | None = None

    def message(self, column: str, source: str | None = None, cli: bool = True) -> str:
        """Why the column's day/month/year dates were not read (for a problem), or ''."""
        where = f"{source}: " if source else ""
        if self.problem == "ambiguous":
            return (
                f"{where}column {column!r} holds dates such as {self.evidence!r} that read "
                f"either day first or month first, and no date in the column decides (none has "
                f"a day above 12); {order_advice(cli)}"
            )
        if self.problem == "mixed":
            return (
                f"{where}column {column!r} mixes day-first dates ({self.evidence!r}) and "
                f"month-first dates ({self.other!r}); write them one way (e.g. 2024-03-05), or "
                f"{order_advice(cli)} to read the ones that fit"
            )
        return ""


def parse_dates(
    values: pd.Series, *, serial: bool = False, dayfirst: bool | None = None
) -> DateReading:
    """Read a column of cells as dates under the policy of this module (see its docstring).

    ``serial=True`` also reads numbers as Excel serial day numbers; *dayfirst* gives the order
    of day/month/year cells (None: decided by evidence in the column).

    >>> r = parse_dates(pd.Series(["1/12/2022", "13/12/2022", "2022-12-20"]))
    >>> r.order, r.evidence, r.dates.dt.strftime("%Y-%m-%d").tolist()
    ('day', '13/12/2022', ['2022-12-01', '2022-12-13', '2022-12-20'])
    >>> parse_dates(pd.Series(["03.02.2022", "2/3/2022"])).problem
    'ambiguous'
    """
    n = len(values)
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values.astype("datetime64[ns]").reset_index(drop=True)
        return DateReading(dates, np.zeros(n, bool), np.zeros(n, bool))
    cells, is_str, norm, missing = _cells(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    undecided = np.zeros(n, dtype=bool)
    reading = DateReading(pd.Series(dtype="datetime64[ns]"), np.zeros(n, bool), undecided)
    todo_at = np.flatnonzero(is_str & ~missing)
    if len(todo_at):  # fast path: ISO dates, as most systems export them
        iso = pd.to_datetime(pd.Series([norm[i] for i in todo_at], dtype=object),
                             format="%Y-%m-%d", errors="coerce").to_numpy(dtype="datetime64[ns]")
        done = ~np.isnat(iso)
        out[todo_at[done]] = iso[done]
        todo_at = todo_at[~done]
    if len(todo_at):
        texts = pd.Series([norm[i] for i in todo_at], dtype=object)
        ymd = texts.str.extract(_DATE)
        hit = ymd["year"].notna().to_numpy()
        if hit.any():
            out[todo_at[hit]] = _assemble(ymd[hit])
        rest = ~hit
        dmy = texts[rest].str.extract(_DMY)
        dmy_hit = dmy["year"].notna().to_numpy()
        if dmy_hit.any():
            at = todo_at[rest][dmy_hit]
            _day_month(dmy[dmy_hit], at, texts[rest][dmy_hit].tolist(), out, undecided,
                       reading, dayfirst)  # fmt: skip
            rest_at = todo_at[rest][~dmy_hit]
        else:
            rest_at = todo_at[rest]
        if serial:
            for i in rest_at:
                stamp = date_or_none(cells[i], serial=True)
                if stamp is not None:
                    out[i] = stamp.to_datetime64()
    for i in np.flatnonzero(~is_str & ~missing):
        stamp = date_or_none(cells[i], serial=serial)
        if stamp is not None:
            out[i] = stamp.to_datetime64()
    reading.dates = pd.Series(out, dtype="datetime64[ns]")
    reading.bad = np.isnat(out) & ~missing
    return reading


def _assemble(parts: pd.DataFrame) -> np.ndarray:
    """datetime64[ns] from year/month/day(/hour/minute/second) text columns (NaT if invalid)."""
    comps = parts.reindex(columns=list(_PARTS)).astype("float64")
    comps = comps.fillna({"hour": 0.0, "minute": 0.0, "second": 0.0})
    return pd.to_datetime(comps, errors="coerce").to_numpy(dtype="datetime64[ns]")


def _day_month(
    parts: pd.DataFrame,
    at: np.ndarray,
    texts: list[str],
    out: np.ndarray,
    undecided: np.ndarray,
    reading: DateReading,
    dayfirst: bool | None,
) -> None:
    """Read day/month/year cells (rows *at* of the column) in the column's order."""
    base = parts.drop(columns=["a", "b", "sep"])
    as_day_first = _assemble(base.assign(day=parts["a"], month=parts["b"]))
    as_month_first = _assemble(base.assign(day=parts["b"], month=parts["a"]))
    ok_d, ok_m = ~np.isnat(as_day_first), ~np.isnat(as_month_first)
    same = (parts["a"].astype(int) == parts["b"].astype(int)).to_numpy()
    day_evidence = np.flatnonzero(ok_d & ~ok_m)
    month_evidence = np.flatnonzero(ok_m & ~ok_d)
    if dayfirst is not None:
        order = "day" if dayfirst else "month"
    elif len(day_evidence) and len(month_evidence):
        reading.problem = "mixed"
        reading.evidence = texts[day_evidence[0]]
        reading.other = texts[month_evidence[0]]
        order = None
    elif len(day_evidence):
        order, reading.evidence = "day", texts[day_evidence[0]]
    elif len(month_evidence):
        order, reading.evidence = "month", texts[month_evidence[0]]
    elif (ok_d & ok_m & ~same).any():
        reading.problem = "ambiguous"
        reading.evidence = texts[int(np.flatnonzero(ok_d & ok_m & ~same)[0])]
        order = None
    else:  # every cell reads the same both ways (05/05/2024) or is no date at all
        out[at] = as_day_first
        return
    if order is None:
        undecided[at] = True
        return
    reading.order = order
    out[at] = as_day_first if order == "day" else as_month_first


def dates_of(
    values: pd.Series, *, serial: bool = False, dayfirst: bool | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of cells as dates: (datetime64[ns] Series with NaT, bad-cell mask).

    The policy of :func:`parse_dates`; cells of an ambiguous or mixed column are bad here
    (use :func:`parse_dates` to say why).
    """
    reading = parse_dates(values, serial=serial, dayfirst=dayfirst)
    return reading.dates, reading.bad
