"""Writing files safely: every file the kit writes goes through here.

- :func:`atomic_write` / :func:`write_text` / :func:`write_bytes`: the content goes to a
  temporary file in the same folder, is flushed to disk, then moved over the target in one step
  (``os.replace``), so a full disk, a read-only folder or Ctrl-C leaves the earlier file (or no
  file), never a half-written one.
- :func:`write_csv`: a table as CSV, atomically, with every cell a spreadsheet would run as a
  formula made inert (OWASP's advice on CSV injection: a cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading single quote), while real numbers,
  negative ones included, stay numbers. Report tables, calibrated books, grades and any other
  CSV the kit writes use it: a customer id ``=HYPERLINK(...)`` from a user's file or a student
  id ``@SUM(...)`` in a notebook is shown as text when an instructor opens the file in Excel.

Examples
--------
>>> import pandas as pd
>>> escape_cell("=1+2"), escape_cell("-5"), escape_cell("-x"), escape_cell("@A1")
("'=1+2", '-5', "'-x", "'@A1")
>>> safe_table(pd.DataFrame({"id": ["=cmd", "C1"], "v": [-1.5, 2.0]}))["id"].tolist()
["'=cmd", 'C1']
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "atomic_write",
    "csv_bytes",
    "escape_cell",
    "safe_table",
    "write_bytes",
    "write_csv",
    "write_files",
    "write_text",
]

#: First characters that make a spreadsheet treat a cell as a formula (or a DDE command).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# a number as a spreadsheet reads it: such a cell is data even when it starts with + or -
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)*|\.\d+)(?:[eE][+-]?\d+)?%?$")


def escape_cell(value: Any) -> Any:
    """*value* made inert for a spreadsheet: text starting with ``= + - @``, a tab or a carriage
    return gets a leading single quote, unless it is a plain number (``-5``, ``+3.2``). Other
    values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of *table* whose text cells, column names and index labels are escaped with
    :func:`escape_cell` (numbers, dates and booleans are untouched)."""
    out = table.copy()
    for k in range(out.shape[1]):
        column = out.iloc[:, k]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            cells = column.to_numpy(dtype=object)
            starts = np.fromiter(
                (isinstance(c, str) and c.startswith(FORMULA_STARTS) for c in cells),
                dtype=bool,
                count=len(cells),
            )
            if starts.any():
                out.isetitem(
                    k, pd.Series([escape_cell(c) for c in cells], index=out.index, dtype=object)
                )
    out.columns = _escaped_index(out.columns)
    out.index = _escaped_index(out.index)
    return out


def _escaped_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_escaped_index(level) for level in index.levels])
    textual = index.dtype == object or isinstance(index.dtype, pd.StringDtype)
    if textual and any(isinstance(x, str) and x.startswith(FORMULA_STARTS) for x in index):
        return pd.Index([escape_cell(x) for x in index], name=escape_cell(index.name))
    return index


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary file beside *path* for writing (binary); on success it replaces *path*
    in one step, on any error (or Ctrl-C) it is removed and *path* is left as it was.

    The folder must exist. The new file gets the usual permissions (umask), not the 0600 of a
    temporary file.
    """
    target = Path(path)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write *data* to *path* atomically (see :func:`atomic_write`); returns the path."""
    with atomic_write(path) as stream:
        stream.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write *text* to *path* atomically (see :func:`atomic_write`); returns the path."""
    return write_bytes(path, text.encode(encoding))


def write_files(files: Mapping[str | os.PathLike[str], bytes]) -> list[Path]:
    """Write several files as one step: each to a temporary name beside its target first, then
    all moved into place in the given order (put the file that marks the set complete, such as a
    report's page, last). If any write fails, the temporary files are removed and no target is
    touched. The folders must exist. Returns the paths."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            target = Path(path)
            handle, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            staged.append((tmp, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return [target for _, target in staged]


def csv_bytes(
    table: pd.DataFrame, *, index: bool = False, encoding: str = "utf-8", **options: Any
) -> bytes:
    """*table* as the bytes of a CSV file, formula-like text escaped (:func:`safe_table`);
    *options* go to :meth:`DataFrame.to_csv`. A text cell holding a carriage return (which
    the csv module would leave unquoted when lines end with ``\n``, splitting the row for any
    reader) makes every text cell quoted."""
    safe = safe_table(table)
    if "quoting" not in options and _has_return(safe):
        options["quoting"] = csv.QUOTE_NONNUMERIC
    return safe.to_csv(index=index, **options).encode(encoding)


def _has_return(table: pd.DataFrame) -> bool:
    for k in range(table.shape[1]):
        column = table.iloc[:, k]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            if any(isinstance(c, str) and "\r" in c for c in column.to_numpy(dtype=object)):
                return True
    return False


def write_csv(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    index: bool = False,
    encoding: str = "utf-8",
    **options: Any,
) -> Path:
    """Write *table* as CSV to *path*: formula-like text escaped (:func:`safe_table`), the file
    replaced in one step (:func:`atomic_write`). *options* go to :meth:`DataFrame.to_csv`
    (``date_format``, ``float_format``...); lines end with ``\\n`` unless given."""
    options.setdefault("lineterminator", "\n")
    return write_bytes(path, csv_bytes(table, index=index, encoding=encoding, **options))
