"""Reading and writing scenarios as TOML files.

Reading uses the standard library's :mod:`tomllib` (``tomli`` on Python 3.10), writing uses
``tomli_w``. ``None`` values mean "default" and are left out of the file; floats are written so
that a file read back gives exactly the same numbers, and the same scenario always gives the same
text (sections in the scenario's fixed order).

Relative ``book.customers_path``/``book.managers_path`` in a file are read relative to the file.
"""

from __future__ import annotations

import datetime as _dt
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from crmsim.errors import ParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _plain(value: Any, where: str) -> Any:
    """*value* with None entries dropped, checked to be writable as TOML."""
    if isinstance(value, Mapping):
        return {
            str(k): _plain(v, f"{where}.{k}" if where else str(k))
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    if isinstance(value, pd.DataFrame):
        raise ParameterError(
            f"parameter '{where}' holds a table given as a DataFrame, which cannot be written "
            f"to TOML; save it as CSV and set '{where}_path' instead"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"parameter '{where}' must be finite to be written; got {value}")
    if isinstance(value, bool | int | float | str):
        return value
    raise ParameterError(f"parameter '{where}' of type {type(value).__name__} cannot be written")


def dumps(data: Mapping[str, Any]) -> str:
    """TOML text for a nested dict (``None`` values are left out: they mean "default").

    Examples
    --------
    >>> print(dumps({"months": 12, "crm": {"adoption": 0.5}}).strip())
    months = 12
    <BLANKLINE>
    [crm]
    adoption = 0.5
    """
    return tomli_w.dumps(_plain(data, ""))


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text into a dict, raising ParameterError on a syntax error. TOML dates and
    times (``start_date = 2025-01-01``, unquoted) become ISO text, as the parameters hold them.
    """
    try:
        return _iso_dates(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"scenario TOML could not be read: {exc}") from exc


def _iso_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, _dt.date | _dt.time):  # datetime is a date too
        return value.isoformat()
    return value


def read_file(path: str | Path) -> dict[str, Any]:
    """The nested dict of a scenario file, with relative data paths made relative to the file.

    Raises :class:`~crmsim.errors.ParameterError` naming the file when it is missing, not UTF-8
    or not valid TOML. Relative ``book.customers_path``/``book.managers_path`` are read relative
    to the file's folder.
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"scenario file not found: {str(path)!r}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # TOML is UTF-8; tolerate a BOM from Windows editors
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"scenario file {str(path)!r} is not UTF-8 (byte {exc.start}); TOML files must be "
            "UTF-8: save it again as UTF-8 (e.g. a GBK file from a Chinese Windows editor)"
        ) from exc
    try:
        data = loads(text)
    except ParameterError as exc:
        raise ParameterError(f"scenario file {str(path)!r}: {exc}") from None
    book = data.get("book")
    if isinstance(book, dict):
        for key in ("customers_path", "managers_path"):
            value = book.get(key)
            if isinstance(value, str) and value and not Path(value).is_absolute():
                _refuse_outside_link(path, key, value)
                book[key] = str(path.parent / value)
    return data


def _refuse_outside_link(scenario: Path, key: str, value: str) -> None:
    """A relative data path of a scenario file must not be a symbolic link out of the
    scenario's folder: a shared scenario could otherwise read (and quote in an error) any file
    of the machine, such as a system file behind a link named customers.csv."""
    folder = scenario.parent.resolve()
    target = scenario.parent / value
    linked = any(p.is_symlink() for p in [target, *target.parents] if p != scenario.parent
                 and len(p.parts) > len(scenario.parent.parts))  # fmt: skip
    if linked and not target.resolve().is_relative_to(folder):
        raise ParameterError(
            f"scenario file {str(scenario)!r}: book.{key} {value!r} is a symbolic link to a file "
            "outside the scenario's folder, which is not followed; copy the table next to the "
            "scenario file, or give its full path"
        )
