"""Answers as plain data: what a student's notebook hands the grader, and nothing else.

The grader never trusts the student's kernel with a check. The kernel only *produces* answers,
turned by :func:`encode` into JSON-ready records — numbers and text as JSON, tables as CSV text,
a function as the results of calls on inputs the grader chose — and the grader turns them back
with :func:`decode` in its own process, where crmsim's checks run. Nothing is ever pickled, so a
record cannot carry code; one that is malformed or too large decodes to an opaque value that the
checks report as the wrong type.

Each record is a dict with a type tag ``t``::

    {"t": "blank"}                                   the ____ placeholder
    {"t": "int" | "float", "v": 0.25, "py": "float64"}
    {"t": "bool", "v": true}      {"t": "str", "v": "text"}      {"t": "none"}
    {"t": "series", "csv": "...", "dtype": "float64"}            index and one column
    {"t": "frame", "csv": "...", "dtypes": {...}}                the index as column "__index__"
    {"t": "mapping", "items": [["C0001", "A"], ...]}
    {"t": "array", "py": "ndarray", "size": 1, "values": [0.3]}
    {"t": "list", "py": "list", "items": [...]}
    {"t": "function", "blank": false, "calls": [{"value": {...}} | {"error": "..."} | null]}
    {"t": "other", "py": "Figure"}                               anything else: its type name
"""

from __future__ import annotations

import io
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_TEXT", "Opaque", "decode", "encode"]

#: Largest text (a string answer or a table's CSV) a record may carry, in characters.
MAX_TEXT = 2_000_000
#: Largest number of items of a mapping, list or array kept in a record.
MAX_ITEMS = 100_000
_INDEX = "__index__"


@dataclass(frozen=True)
class Opaque:
    """A value the grader cannot (or will not) rebuild: only its type name is known."""

    py_name: str

    def __repr__(self) -> str:
        return f"<{self.py_name}>"


# --------------------------------------------------------------------------- encoding (kernel)


def _float(value: float) -> float | str:
    return value if math.isfinite(value) else repr(value)


def _scalar(value: Any) -> Any:
    """A JSON scalar for a table cell or mapping value, else the type name in angle brackets."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _float(float(value))
    if type(value).__name__ == "bool_":
        return bool(value)
    return f"<{type(value).__name__}>"


def encode(value: Any) -> dict[str, Any]:
    """*value* as a JSON-ready record (run in the student's kernel; never raises)."""
    try:
        return _encode(value)
    except Exception:  # a value whose own methods fail is just "something else"
        return {"t": "other", "py": type(value).__name__}


def _encode(value: Any) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    from crmsim.exercises.core import is_blank

    py = type(value).__name__
    if type(value).__name__ == "_Blank":
        return {"t": "blank"}
    if callable(value) and not isinstance(value, type) and hasattr(value, "__code__"):
        return {"t": "function", "blank": is_blank(value), "py": py, "calls": []}
    if value is None:
        return {"t": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value), "py": py}
    if isinstance(value, numbers.Integral):
        return {"t": "int", "v": int(value), "py": py}
    if isinstance(value, numbers.Real):
        return {"t": "float", "v": _float(float(value)), "py": py}
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return {"t": "other", "py": "str (too long)"}
        return {"t": "str", "v": str(value)}
    if isinstance(value, pd.Series):
        frame = pd.DataFrame({"value": value.to_numpy()}, index=value.index.map(str))
        text = frame.to_csv(index_label=_INDEX, lineterminator="\n")
        if len(text) > MAX_TEXT:
            return {"t": "other", "py": "Series (too large)"}
        return {"t": "series", "csv": text, "dtype": str(value.dtype), "py": py}
    if isinstance(value, pd.DataFrame):
        frame = value.copy()
        frame.index = frame.index.map(str)
        frame.columns = [str(c) for c in frame.columns]
        text = frame.to_csv(index_label=_INDEX, lineterminator="\n")
        if len(text) > MAX_TEXT:
            return {"t": "other", "py": "DataFrame (too large)"}
        dtypes = {str(c): str(t) for c, t in value.dtypes.items()}
        return {
            "t": "frame",
            "csv": text,
            "dtypes": dtypes,
            "py": py,
            "index_name": None if value.index.name is None else str(value.index.name),
        }
    if isinstance(value, Mapping):
        items = [[str(k), _scalar(v)] for k, v in list(value.items())[:MAX_ITEMS]]
        return {"t": "mapping", "items": items, "py": py}
    if isinstance(value, np.ndarray):
        flat = value.ravel()[:MAX_ITEMS]
        return {
            "t": "array",
            "py": py,
            "size": int(value.size),
            "values": [_scalar(v) for v in flat],
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)[:MAX_ITEMS]
        if isinstance(value, (set, frozenset)):
            items = sorted(items, key=str)
        return {"t": "list", "py": py, "items": [_scalar(v) for v in items]}
    return {"t": "other", "py": py}


# --------------------------------------------------------------------------- decoding (grader)


def _number(value: Any) -> float:
    if isinstance(value, str):
        return float(value)  # "nan", "inf", "-inf"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _read_csv(text: Any) -> Any:
    import pandas as pd

    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise ValueError("table text missing or too large")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if _INDEX not in frame.columns:
        raise ValueError("table without its index column")
    return frame.set_index(_INDEX)


def _column(values: Any, dtype: str) -> Any:
    import pandas as pd

    if dtype == "bool":
        return values.map({"True": True, "False": False})
    if dtype.startswith(("int", "uint", "float", "Int", "Float")):
        return pd.to_numeric(values.replace("", "nan"), errors="coerce")
    return values.astype(object)


def decode(record: Any) -> Any:
    """The value of a record made by :func:`encode` (run by the grader; never raises: a record
    it cannot rebuild gives an :class:`Opaque` value)."""
    try:
        return _decode(record)
    except Exception:
        name = record.get("py") if isinstance(record, dict) else None
        return Opaque(str(name) if isinstance(name, str) else "unreadable answer")


def _decode(record: dict[str, Any]) -> Any:
    import pandas as pd

    from crmsim.exercises.core import Call, Calls, ____

    kind = record["t"]
    if kind == "blank":
        return ____
    if kind == "none":
        return None
    if kind == "bool":
        return bool(record["v"]) if isinstance(record["v"], bool) else Opaque("bool")
    if kind == "int":
        if not isinstance(record["v"], int) or isinstance(record["v"], bool):
            raise ValueError("int")
        return int(record["v"])
    if kind == "float":
        return _number(record["v"])
    if kind == "str":
        if not isinstance(record["v"], str) or len(record["v"]) > MAX_TEXT:
            raise ValueError("str")
        return record["v"]
    if kind == "series":
        frame = _read_csv(record["csv"])
        if list(frame.columns) != ["value"]:
            raise ValueError("series columns")
        series = _column(frame["value"], str(record.get("dtype", "object")))
        series.index = list(frame.index)
        return series.rename(None)
    if kind == "frame":
        frame = _read_csv(record["csv"])
        dtypes = record.get("dtypes") or {}
        for column in frame.columns:
            frame[column] = _column(frame[column], str(dtypes.get(column, "object")))
        frame.index = pd.Index(list(frame.index), name=record.get("index_name"))
        return frame
    if kind == "mapping":
        items = record["items"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ValueError("mapping")
        return {str(k): v for k, v in items}
    if kind == "array":
        import numpy as np

        values = np.asarray(
            [
                _number(v) if not isinstance(v, str) or v in ("nan", "inf", "-inf") else v
                for v in record["values"]
            ]
        )
        return _Array(values, int(record["size"]))
    if kind == "list":
        return _List(record["items"], str(record.get("py", "list")))
    if kind == "function":
        calls = []
        for call in record.get("calls") or []:
            if call is None:
                calls.append(None)
            elif "error" in call:
                calls.append(Call(error=str(call["error"])[:2000]))
            else:
                calls.append(Call(value=decode(call["value"])))
        return Calls(tuple(calls), blank=bool(record.get("blank")))
    if kind == "other":
        return Opaque(str(record["py"])[:100])
    raise ValueError(f"unknown record type {kind!r}")


class _Array:
    """An array answer rebuilt: only its size and values matter to the checks."""

    py_name = "ndarray"

    def __init__(self, values: Any, size: int) -> None:
        self.values = values
        self.size = size

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        return self.values if dtype is None else self.values.astype(dtype)

    def __len__(self) -> int:
        return self.size


class _List(list):
    """A list, tuple or set answer rebuilt, keeping the name of its type."""

    def __init__(self, items: list[Any], py_name: str) -> None:
        super().__init__(items)
        self.py_name = py_name
