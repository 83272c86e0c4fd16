"""The gradebook: grades as tables an instructor and an LMS can read, written safely.

The grader (:mod:`crmsim.exercises.grading`) produces one *result* per submitted file (a plain
dict, kept in ``<out>_results.json``); everything else is a view of the results:

- :func:`grades_table` — ``grades.csv``: one row per file, with the points of each question and
  its status, the score, the total and the instructor's notes;
- :func:`manual_table` — ``<out>_manual.csv``: the free-text answers ("interpret", "decide") to
  grade by hand; fill in ``points`` (and ``comment``) and :func:`merge_manual` puts them back;
- :func:`lms_table` — a CSV that Moodle's or Canvas's gradebook imports (one row per student,
  one column per exercise set);

Every CSV is written by :func:`write_csv`: a cell a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` (OWASP's advice
on CSV injection); files are written under a temporary name and then moved into place, so a
reader never sees half a file; and an existing file is replaced only when asked (``force``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim.io.writing import FORMULA_STARTS, escape_cell
from crmsim.io.writing import write_text as _atomic_text

__all__ = [
    "MAX_QUESTIONS", "OutputExists", "escape_cell", "grades_table", "lms_table", "manual_table",
    "merge_manual", "read_results", "write_csv", "write_results", "write_text",
]  # fmt: skip

#: Question columns in the CSV (sets have 4-6 questions).
MAX_QUESTIONS = 6
#: The LMS formats :func:`lms_table` writes.
LMS = ("moodle", "canvas")


class OutputExists(FileExistsError):
    """An output file exists and ``force`` was not given."""


# --------------------------------------------------------------------------- safe writing


def check_writable(paths: Iterable[Path], force: bool) -> None:
    """Raise :class:`OutputExists` naming the first of *paths* that exists, unless *force*."""
    if force:
        return
    for path in paths:
        if path.exists():
            raise OutputExists(f"{str(path)!r} exists; pass --force to replace it")


def write_text(path: Path, text: str, force: bool = False) -> Path:
    """Write *text* (UTF-8) to *path* atomically (:func:`crmsim.io.writing.write_text`: a
    temporary file in the same folder, then a move). An existing *path* is replaced only with
    *force*."""
    path = Path(path)
    check_writable([path], force)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _atomic_text(path, text)


def csv_text(table: pd.DataFrame, header: bool = True) -> str:
    """*table* as CSV text with every cell escaped (see :func:`escape_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow([escape_cell(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        writer.writerow([escape_cell(_cell(v)) for v in row])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return fmt_points(value)
    return value


def write_csv(path: Path, table: pd.DataFrame, force: bool = False) -> Path:
    """Write *table* as an escaped CSV file, atomically (see :func:`write_text`)."""
    return write_text(path, csv_text(table), force)


def fmt_points(value: float | None) -> str:
    """Points as text: ``2``, ``1.5``, ``0.33`` (at most two decimals), empty for None."""
    if value is None:
        return ""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------- results


def write_results(path: Path, results: Sequence[dict[str, Any]], force: bool = False) -> Path:
    """Keep every result (the input of merge, regrade and export) as JSON."""
    ordered = sorted(results, key=lambda r: r["file"])
    text = json.dumps(
        {"version": 1, "results": ordered}, ensure_ascii=False, indent=1, sort_keys=True
    )
    return write_text(path, text + "\n", force)


def read_results(path: Path) -> list[dict[str, Any]]:
    """The results kept by :func:`write_results`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        results = data["results"]
        if not isinstance(results, list):
            raise TypeError("results is not a list")
        return results
    except FileNotFoundError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{str(path)!r} is not a crmsim results file ({exc})") from None


# --------------------------------------------------------------------------- grades.csv


def grades_table(results: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per file: ``file, student_id, set, status, score, total, pending, q1..q6`` (the
    points earned), ``q1_status..q6_status`` and ``notes``.

    ``score`` counts the points of the hand-graded answers once they are merged; ``pending``
    is the points still to be graded by hand; ``total`` is the set's points whatever happened
    (empty only when the set is unknown).
    """
    rows = []
    for r in sorted(results, key=lambda r: r["file"]):
        row: dict[str, Any] = {
            "file": r["file"],
            "student_id": r.get("student_id") or "",
            "set": r.get("set") or "",
            "status": r["status"],
            "score": r.get("score"),
            "total": r.get("total"),
            "pending": r.get("pending") or None,
        }
        for i in range(1, MAX_QUESTIONS + 1):
            row[f"q{i}"] = None
            row[f"q{i}_status"] = ""
        for q in r.get("questions", []):
            row[f"q{q['number']}"] = q.get("points")
            row[f"q{q['number']}_status"] = q["status"]
        row["notes"] = "; ".join(r.get("notes", []))
        rows.append(row)
    columns = [
        "file",
        "student_id",
        "set",
        "status",
        "score",
        "total",
        "pending",
        *[f"q{i}" for i in range(1, MAX_QUESTIONS + 1)],
        *[f"q{i}_status" for i in range(1, MAX_QUESTIONS + 1)],
        "notes",
    ]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- manual grading


def manual_table(results: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The answers graded by hand: ``file, student_id, set, question, max_points, answer,
    points, comment`` (``points`` and ``comment`` for the instructor to fill in; an answer
    already graded keeps its points and comment)."""
    rows = []
    for r in sorted(results, key=lambda r: r["file"]):
        for q in r.get("questions", []):
            if not q.get("by_hand") or q["status"] not in ("submitted", "graded"):
                continue
            rows.append(
                {
                    "file": r["file"],
                    "student_id": r.get("student_id") or "",
                    "set": r.get("set") or "",
                    "question": f"q{q['number']}",
                    "max_points": q["max"],
                    "answer": q.get("answer") or "",
                    "points": q.get("points") if q["status"] == "graded" else None,
                    "comment": q.get("comment") or "",
                }
            )
    columns = ["file", "student_id", "set", "question", "max_points", "answer", "points", "comment"]
    return pd.DataFrame(rows, columns=columns)


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def merge_manual(results: list[dict[str, Any]], manual: Path) -> list[str]:
    """Put the points and comments of a filled-in manual file into *results* (changed in
    place, scores recomputed); return what could not be merged, one line each."""
    table = pd.read_csv(manual, dtype=str, keep_default_na=False)
    needed = {"file", "question", "points", "comment"}
    if not needed <= set(table.columns):
        raise ValueError(
            f"{str(manual)!r} is not a manual-grading file: it needs the columns "
            f"{sorted(needed)}; it has {list(table.columns)}"
        )
    by_file = {r["file"]: r for r in results}
    problems = []
    for line, row in enumerate(table.to_dict("records"), start=2):
        file, question = _unescape(row["file"]), _unescape(row["question"])
        text = row["points"].strip()
        if not text:
            continue
        result = by_file.get(file)
        entry = (
            None
            if result is None
            else next(
                (
                    q
                    for q in result.get("questions", [])
                    if f"q{q['number']}" == question and q.get("by_hand")
                ),
                None,
            )
        )
        if entry is None:
            problems.append(f"line {line}: no hand-graded {question} in {file!r}")
            continue
        try:
            points = float(text)
        except ValueError:
            problems.append(f"line {line}: points {text!r} is not a number")
            continue
        if not 0 <= points <= float(entry["max"]):
            problems.append(f"line {line}: points {text} outside 0..{fmt_points(entry['max'])}")
            continue
        entry["points"] = points
        entry["status"] = "graded"
        entry["comment"] = _unescape(row["comment"])
    for result in results:
        rescore(result)
    return problems


def rescore(result: dict[str, Any]) -> None:
    """Recompute a result's ``score`` and ``pending`` from its questions."""
    questions = result.get("questions", [])
    if not questions:
        return
    result["score"] = round(sum(q.get("points") or 0.0 for q in questions), 4)
    result["pending"] = round(
        sum(q["max"] for q in questions if q.get("by_hand") and q["status"] == "submitted"), 4
    )


# --------------------------------------------------------------------------- LMS


def lms_table(
    grades: pd.DataFrame, lms: str, titles: dict[str, str], points: dict[str, float]
) -> tuple[pd.DataFrame, list[str]]:
    """A table Moodle's or Canvas's gradebook imports, from a grades table.

    One row per student id, one column per exercise set (titled by *titles*); a student with
    several files for a set gets the best score (and a line in the returned notes). Rows
    without a student id are left out (also noted).

    - ``"moodle"`` (Grades > Import > CSV file): columns ``ID number`` then one per set; map
      ``ID number`` to the user field "ID number" and each set column to a new or existing
      grade item on import.
    - ``"canvas"`` (Grades > Import): the columns of Canvas's own export, ``Student, ID, SIS
      User ID, SIS Login ID, Section``, then one per set (a new column creates the assignment);
      the student id goes to ``SIS User ID``; the second row is ``Points Possible``.
    """
    if lms not in LMS:
        raise ValueError(f"parameter 'lms' must be one of {LMS}; got {lms!r}")
    notes: list[str] = []
    graded = grades[grades["set"].astype(str) != ""].copy()
    missing = graded[graded["student_id"].astype(str) == ""]
    for file in missing["file"]:
        notes.append(f"{file}: no student id, left out")
    graded = graded[graded["student_id"].astype(str) != ""]
    graded["score_value"] = pd.to_numeric(graded["score"], errors="coerce").fillna(0.0)
    sets = sorted(set(graded["set"]))
    best: dict[tuple[str, str], float] = {}
    for (student, set_name), group in graded.groupby(["student_id", "set"], sort=True):
        if len(group) > 1:
            notes.append(
                f"{student} {set_name}: {len(group)} files "
                f"({', '.join(group['file'])}); the best score is exported"
            )
        best[(str(student), str(set_name))] = float(group["score_value"].max())
    students = sorted({s for s, _ in best})
    rows = []
    for student in students:
        row: dict[str, Any] = {}
        if lms == "moodle":
            row["ID number"] = student
        else:
            row.update(
                {"Student": "", "ID": "", "SIS User ID": student, "SIS Login ID": "", "Section": ""}
            )
        for set_name in sets:
            value = best.get((student, set_name))
            row[titles.get(set_name, set_name)] = None if value is None else fmt_points(value)
        rows.append(row)
    if lms == "canvas":
        possible = {
            "Student": "Points Possible",
            "ID": "",
            "SIS User ID": "",
            "SIS Login ID": "",
            "Section": "",
        }
        possible.update({titles.get(s, s): fmt_points(points.get(s, 0.0)) for s in sets})
        rows.insert(0, possible)
    head = (
        ["ID number"]
        if lms == "moodle"
        else ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    )
    return pd.DataFrame(rows, columns=[*head, *[titles.get(s, s) for s in sets]]), notes
