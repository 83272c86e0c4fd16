"""Reading and writing scenarios as TOML files.

Reading uses the standard library's :mod:`tomllib` (``tomli`` on Python 3.10). Writing uses the
tiny writer below, enough for scenarios: nested tables, strings, booleans, integers, floats and
lists of them. Floats are written with ``repr`` so that a file read back gives exactly the same
numbers, and the same scenario always gives the same text (sections in a fixed order).

Relative ``book.customers_path``/``book.managers_path`` in a file are read relative to the file.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim.errors import ParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(f"parameter '{where}' must be finite to be written; got {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    if isinstance(value, pd.DataFrame):
        raise ParameterError(
            f"parameter '{where}' holds a table given as a DataFrame, which cannot be written "
            f"to TOML; save it as CSV and set '{where}_path' instead"
        )
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
    lines: list[str] = []
    _table(data, [], lines)
    return "\n".join(lines).strip() + "\n"


def _table(data: Mapping[str, Any], path: list[str], lines: list[str]) -> None:
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, Mapping) and v is not None]
    tables = [(k, v) for k, v in data.items() if isinstance(v, Mapping)]
    if path and (scalars or not tables):
        lines.append("")
        lines.append("[" + ".".join(_key(p) for p in path) + "]")
    for key, value in scalars:
        lines.append(f"{_key(key)} = {_value(value, '.'.join([*path, key]))}")
    for key, value in tables:
        _table(value, [*path, key], lines)


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text into a dict, raising ParameterError on a syntax error."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"scenario TOML could not be read: {exc}") from exc


def load_scenario(path_or_text: str | Path) -> Any:
    """Read a :class:`~crmsim.sim.scenario.Scenario` from a TOML file or TOML text.

    A string containing a newline is taken as TOML text, anything else as a file path.
    """
    from crmsim.sim.scenario import Scenario

    base: Path | None = None
    if isinstance(path_or_text, str) and "\n" in path_or_text:
        data = loads(path_or_text)
    else:
        path = Path(path_or_text)
        if not path.is_file():
            raise ParameterError(f"scenario file not found: {str(path)!r}")
        data = loads(path.read_text(encoding="utf-8"))
        base = path.parent
    book = data.get("book")
    if base is not None and isinstance(book, dict):
        for key in ("customers_path", "managers_path"):
            value = book.get(key)
            if isinstance(value, str) and value and not Path(value).is_absolute():
                book[key] = str(base / value)
    return Scenario.from_dict(data)
