"""The output folder of a report: the check made before any work, and the writing itself.

:func:`check_output_folder` refuses, before a command simulates for minutes, a folder that
already holds a file a report writes (``index.html``, ``tables/*.csv``, named files), unless
``--force``; :class:`~crmsim.report.page.Report` checks its exact list of files again when it
writes. :func:`_publish` writes every file to a temporary name beside its target and then moves
them all into place, the page last, so a failure (full disk, read-only folder, Ctrl-C) leaves
the folder as it was. CSV tables are escaped against spreadsheet formulas
(:func:`crmsim.io.writing.safe_table`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import pandas as pd

from crmsim.errors import DataError
from crmsim.io.writing import csv_bytes as _csv_bytes
from crmsim.io.writing import write_files

__all__ = ["check_output_folder", "csv_bytes"]


def check_output_folder(
    out_dir: str | Path, *, overwrite: bool = False, files: Iterable[str] = ()
) -> Path:
    """Check that a report can be written into *out_dir*; return it as a Path.

    Without *overwrite*, the folder may exist but must not hold a file a report writes: its
    ``index.html``, a CSV table in ``tables/``, or any of *files* (paths relative to the
    folder). An ``index.html`` left incomplete by an interrupted run of an earlier version is
    not a report and does not count.

    Raises
    ------
    crmsim.errors.DataError
        *out_dir* is an existing file, or holds such a file and *overwrite* is False (the
        message names the files and suggests ``--force`` or another folder).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise DataError(
            f"output folder {str(out)!r} is an existing file, not a folder; "
            f"give a folder name with --out"
        )
    if overwrite or not out.is_dir():
        return out
    found = [name for name in ("index.html", *files) if (out / name).exists()]
    if "index.html" in found and _unfinished_page(out / "index.html"):
        found.remove("index.html")
    tables = out / "tables"
    if tables.is_dir():
        found += sorted(f"tables/{p.name}" for p in tables.iterdir() if p.suffix == ".csv")
    if found:
        _refuse(out, found)
    return out


def _refuse(out: Path, found: list[str]) -> NoReturn:
    shown = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
    raise DataError(
        f"output folder {str(out)!r} already holds a report's files ({shown}); "
        f"use --force to replace them, or choose another folder with --out"
    )


_PAGE_START = b"<!DOCTYPE html>\n<html lang="


def _unfinished_page(path: Path) -> bool:
    """An index.html this kit began and never finished (an earlier version wrote pages in
    place, so a full disk could cut one short)."""
    try:
        with path.open("rb") as stream:
            start = stream.read(len(_PAGE_START))
            stream.seek(max(0, path.stat().st_size - 64))
            end = stream.read()
    except OSError:
        return False
    return start == _PAGE_START and b"</html>" not in end


def _publish(out: Path, contents: dict[str, bytes]) -> Path:
    """Write every file of *contents* (path relative to *out* -> bytes) with
    :func:`crmsim.io.writing.write_files`, ``index.html`` last; folders this call created are
    removed again if the writing fails."""
    made = [d for d in (out, out / "tables") if not d.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        if any(name.startswith("tables/") for name in contents):
            (out / "tables").mkdir(exist_ok=True)
        write_files({out / name: data for name, data in contents.items()})
    except BaseException:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        raise
    return out / "index.html"


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A report table as the bytes of its CSV file: UTF-8, formula-like cells escaped
    (:func:`crmsim.io.writing.safe_table`)."""
    return _csv_bytes(table, lineterminator=os.linesep)
