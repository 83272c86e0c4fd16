"""Input checks shared by every crmsim function that accepts a table or a parameter.

Validation happens once, at the boundary, here. Each check raises :class:`~crmsim.errors.DataError`
or :class:`~crmsim.errors.ParameterError` with a message that names the source, the column or
parameter, the value(s) found and what was expected, e.g.::

    customers.csv: column 'amount' must be numeric and >= 0; found -12.5 at row 7 (id C0042)

Rows are reported 1-based as a spreadsheet user counts data rows (row 1 = first data row).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmsim.errors import DataError, ParameterError

_MAX_SHOWN = 5


def _where(source: str | None) -> str:
    return f"{source}: " if source else ""


def _rows_text(
    df: pd.DataFrame,
    mask: np.ndarray,
    values: pd.Series,
    id_column: str | None,
    show_values: bool = True,
) -> str:
    """Describe up to five offending rows: 'found -12.5 at row 7 (id C0042), ...', or without
    the values (for empty cells): 'at row 2 (id C0002), row 5'."""
    positions = np.flatnonzero(mask)
    parts = []
    for pos in positions[:_MAX_SHOWN]:
        value = values.iloc[pos]
        if isinstance(value, np.generic):  # show 6.0, not np.float64(6.0)
            value = value.item()
        text = f"{value!r} at row {pos + 1}" if show_values else f"row {pos + 1}"
        if id_column is not None and id_column in df.columns:
            text += f" (id {df[id_column].iloc[pos]})"
        parts.append(text)
    more = len(positions) - _MAX_SHOWN
    suffix = f" and {more} more row(s)" if more > 0 else ""
    return ("found " if show_values else "at ") + ", ".join(parts) + suffix


def require_dataframe(data: Any, *, name: str = "data") -> pd.DataFrame:
    """Return *data* if it is a DataFrame, else raise a DataError naming *name*."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{name} must be a pandas DataFrame; got {type(data).__name__}")
    return data


def require_columns(
    df: pd.DataFrame, columns: Iterable[str], *, source: str | None = None
) -> None:
    """Raise if any of *columns* is missing, listing the missing and the available ones."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        available = ", ".join(map(repr, df.columns)) or "(none)"
        what = "column" if len(missing) == 1 else "columns"
        raise DataError(
            f"{_where(source)}missing {what} {', '.join(map(repr, missing))}; "
            f"available columns: {available}"
        )


def numeric_column(
    df: pd.DataFrame,
    column: str,
    *,
    source: str | None = None,
    id_column: str | None = None,
    allow_nan: bool = False,
    allow_negative: bool = True,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
) -> pd.Series:
    """Return ``df[column]`` as float64 after checking type, NaN and range.

    Strings that do not parse as numbers, NaN (unless ``allow_nan``), negatives (unless
    ``allow_negative``), values outside ``[minimum, maximum]`` and non-integers (when ``integer``)
    each raise a DataError naming the column, the rows and what was expected.
    """
    require_columns(df, [column], source=source)
    raw = df[column]
    if pd.api.types.is_bool_dtype(raw):
        raise DataError(f"{_where(source)}column {column!r} must be numeric; found booleans")
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.astype("float64")
        bad_type = np.zeros(len(raw), dtype=bool)
    else:
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad_type = (values.isna() & raw.notna()).to_numpy()
    if bad_type.any():
        raise DataError(
            f"{_where(source)}column {column!r} must be numeric; "
            + _rows_text(df, bad_type, raw, id_column)
        )
    nan = values.isna().to_numpy()
    if nan.any() and not allow_nan:
        raise DataError(
            f"{_where(source)}column {column!r} has missing values (empty cells) "
            + _rows_text(df, nan, raw, id_column, show_values=False)
        )
    v = values.to_numpy()
    with np.errstate(invalid="ignore"):
        inf = np.isinf(v)
        if inf.any():
            raise DataError(
                f"{_where(source)}column {column!r} must be finite; "
                + _rows_text(df, inf, values, id_column)
            )
        lo = minimum if minimum is not None else (None if allow_negative else 0.0)
        if lo is not None:
            below = v < lo
            if below.any():
                expected = ">= 0" if minimum is None else f">= {minimum:g}"
                raise DataError(
                    f"{_where(source)}column {column!r} must be {expected}; "
                    + _rows_text(df, below, values, id_column)
                )
        if maximum is not None:
            above = v > maximum
            if above.any():
                raise DataError(
                    f"{_where(source)}column {column!r} must be <= {maximum:g}; "
                    + _rows_text(df, above, values, id_column)
                )
        if integer:
            frac = ~np.isnan(v) & (v != np.round(v))
            if frac.any():
                raise DataError(
                    f"{_where(source)}column {column!r} must hold whole numbers; "
                    + _rows_text(df, frac, values, id_column)
                )
    return values


def non_missing_column(df: pd.DataFrame, column: str, *, source: str | None = None) -> None:
    """Raise if the id *column* is absent or has missing values, naming the first rows."""
    require_columns(df, [column], source=source)
    col = df[column]
    if col.isna().any():
        rows = (np.flatnonzero(col.isna().to_numpy())[:_MAX_SHOWN] + 1).tolist()
        raise DataError(f"{_where(source)}id column {column!r} has missing values at row(s) {rows}")


def unique_column(df: pd.DataFrame, column: str, *, source: str | None = None) -> None:
    """Raise if *column* has missing or duplicate values, naming the duplicates."""
    non_missing_column(df, column, source=source)
    col = df[column]
    dup = col.duplicated(keep=False).to_numpy()
    if dup.any():
        values = pd.unique(col[dup])[:_MAX_SHOWN]
        where = [
            f"{value!r} (row(s) {(np.flatnonzero((col == value).to_numpy()) + 1).tolist()})"
            for value in values.tolist()
        ]
        raise DataError(
            f"{_where(source)}id column {column!r} must be unique; duplicated value(s): "
            + ", ".join(where)
        )


def categorical_column(
    df: pd.DataFrame,
    column: str,
    allowed: Sequence[str],
    *,
    source: str | None = None,
    id_column: str | None = None,
) -> None:
    """Raise if *column* holds a value outside *allowed* (or is missing)."""
    require_columns(df, [column], source=source)
    col = df[column]
    bad = (~col.isin(list(allowed))).to_numpy()
    if bad.any():
        raise DataError(
            f"{_where(source)}column {column!r} must be one of {list(allowed)}; "
            + _rows_text(df, bad, col, id_column)
        )


def date_column(
    df: pd.DataFrame,
    column: str,
    *,
    source: str | None = None,
    id_column: str | None = None,
    dayfirst: bool | None = None,
    serial: bool = False,
) -> pd.Series:
    """Return *column* parsed as datetime64[ns] by the kit's one date policy
    (:mod:`crmsim.io.dates`), raising on a cell that is not a date, an empty cell, or
    day/month/year dates whose order the column does not show (unless *dayfirst* says it).
    ``serial=True`` also reads Excel serial day numbers. Nothing is ever dropped or guessed."""
    from crmsim.io.dates import parse_dates  # crmsim.io imports this module

    require_columns(df, [column], source=source)
    raw = df[column]
    reading = parse_dates(raw, serial=serial, dayfirst=dayfirst)
    if reading.problem is not None:
        raise DataError(reading.message(column, source, cli=False),
                        cli=reading.message(column, source, cli=True))  # fmt: skip
    parsed = reading.dates
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    bad = reading.bad | parsed.isna().to_numpy()
    if bad.any():
        shown = raw.reset_index(drop=True).astype(object).where(raw.notna().to_numpy(), None)
        raise DataError(
            f"{_where(source)}column {column!r} must hold dates (e.g. 2024-03-31); "
            + _rows_text(df, bad, shown.where(reading.bad, "(empty)"), id_column)
        )
    return pd.Series(parsed.to_numpy(), index=raw.index, name=raw.name)


# ---------------------------------------------------------------------------- parameters


def check_probability(name: str, value: Any) -> float:
    """Return *value* as float if it lies in [0, 1], else raise ParameterError naming *name*."""
    return check_number(name, value, minimum=0.0, maximum=1.0)


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
    integer: bool = False,
) -> float:
    """Validate a scalar parameter: a finite real number within the given bounds.

    Returns the value as a float, except that a whole number asked for with ``integer=True``
    and given as an int comes back as that exact int (a 20-digit seed keeps every digit); a
    float beyond 2**53 is refused there, as it has already lost digits.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"parameter {name!r} must be a number; got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ParameterError(f"parameter {name!r} must be finite; got {value!r}")
    if integer and v != int(v):
        raise ParameterError(f"parameter {name!r} must be a whole number; got {value!r}")
    exact = integer and isinstance(value, (int, np.integer))
    if integer and not exact and abs(v) > 2**53:
        raise ParameterError(
            f"parameter {name!r} must be a whole number written without a decimal point or "
            f"exponent; got {value!r}, a decimal number that has lost digits"
        )
    if minimum is not None:
        if strict_minimum and v <= minimum:
            raise ParameterError(f"parameter {name!r} must be > {minimum:g}; got {value!r}")
        if not strict_minimum and v < minimum:
            raise ParameterError(f"parameter {name!r} must be >= {minimum:g}; got {value!r}")
    if maximum is not None and v > maximum:
        raise ParameterError(f"parameter {name!r} must be <= {maximum:g}; got {value!r}")
    return int(value) if exact else v


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Raise ParameterError unless *value* is one of *choices*."""
    if value not in choices:
        raise ParameterError(f"parameter {name!r} must be one of {list(choices)}; got {value!r}")
    return value
