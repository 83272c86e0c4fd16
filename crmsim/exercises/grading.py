"""Grade a folder of submitted exercise notebooks, without a server, Docker or a database.

Each notebook runs in its own kernel (nbclient) with a time budget, in a scratch folder, from an
in-memory copy: submissions are never modified. After the student's cells, one more cell asks
crmsim which set and student id ``setup`` saw and re-checks every answer on that student's data
(a function is also called on further data derived from the id). Whatever goes wrong with one
submission — not JSON, not a notebook, a cell that raises, a loop that never ends, a renamed
file — is written in its row's ``notes``, and the batch goes on.

Results are one row per submission, sorted by file, with no timings in them, so grading the same
folder twice gives the same CSV.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["GradeResult", "execute", "grade", "grade_notebook", "kernel_report"]

#: Marks the grader's line in the report cell's output.
MARK = "CRMSIM-GRADING-REPORT:"

_CELL_FILE = re.compile(r"\(\S+\.py, line (\d+)\)")

#: Question columns in the CSV (sets have 4-6 questions).
MAX_QUESTIONS = 6

_REPORT_CELL = (
    "from crmsim.exercises.grading import kernel_report as __crmsim_report\n"
    "print(__crmsim_report(globals()))"
)


# --------------------------------------------------------------------------- in the kernel


def kernel_report(namespace: dict[str, Any]) -> str:
    """Run in the student's kernel after their cells: the grader's line, :data:`MARK` + JSON
    with the set, the id given to ``setup`` and each question's outcome and message."""
    from crmsim.exercises.core import _UNDEFINED
    from crmsim.exercises.sets import get_set
    from crmsim.exercises.sets._base import ACTIVE

    if not ACTIVE:
        return MARK + json.dumps({"setup": False})
    exercise_set = get_set(ACTIVE["set"])
    data = ACTIVE["data"]
    extra = exercise_set.extra_data(data)
    outcomes = []
    for q in exercise_set.questions:
        answer = namespace.get(q.var, _UNDEFINED)
        try:
            fb = q.evaluate(answer, data, extra if q.kind == "function" else ())
            outcomes.append({"question": q.name, "status": fb.status, "message": fb.message})
        except Exception as exc:  # a broken answer object must not stop the report
            outcomes.append({"question": q.name, "status": "incorrect",
                             "message": f"the check failed: {type(exc).__name__}: {exc}"})
    return MARK + json.dumps({
        "setup": True, "set": exercise_set.name, "student_id": ACTIVE["student_id"],
        "data_id": data.student_id, "questions": outcomes,
    })


# --------------------------------------------------------------------------- executing


def execute(
    nb: Any, timeout: float = 60.0, cwd: str | Path | None = None, report: bool = False
) -> tuple[Any, dict[str, Any]]:
    """Execute notebook *nb* (an nbformat node, changed in place) in a fresh kernel.

    The whole notebook gets *timeout* seconds; a cell still running then is interrupted and the
    remaining student cells are skipped. With *report*, the grader's report cell is appended
    and run last (with its own 60 s), even after a timeout.

    Returns
    -------
    (nb, info)
        ``info`` has ``errors`` (list of "cell N: Error: message"), ``timed_out`` (bool) and,
        with *report*, ``report`` (the parsed JSON, or None).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbclient.util import run_sync
    from nbformat.v4 import new_code_cell

    start = time.monotonic()
    student_cells = list(nb.cells)
    if report:
        nb.cells.append(new_code_cell(_REPORT_CELL))
    info: dict[str, Any] = {"errors": [], "timed_out": False, "report": None}
    workdir = Path(cwd) if cwd else Path(tempfile.mkdtemp(prefix="crmsim-grade-"))
    env = dict(os.environ)
    env.setdefault("CRMSIM_PROGRESS", str(workdir / "progress.json"))
    env.setdefault("MPLBACKEND", "Agg")

    def remaining(cell: Any) -> int:
        return max(1, int(round(timeout - (time.monotonic() - start))))

    client = NotebookClient(nb, timeout=int(timeout), kernel_name="python3", allow_errors=True,
                            timeout_func=remaining, resources={"metadata": {"path": str(workdir)}})
    try:
        with client.setup_kernel(env=env, cwd=str(workdir)):
            for index, cell in enumerate(student_cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() - start >= timeout:
                    info["timed_out"] = True
                    break
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    info["timed_out"] = True
                    run_sync(client.km.interrupt_kernel)()
                    time.sleep(1.0)
                    break
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        # IPython names a cell's code "<hash>.py": keep only the line
                        evalue = _CELL_FILE.sub(r"(line \1)", str(out.get("evalue")))
                        info["errors"].append(f"cell {index + 1}: {out.get('ename')}: {evalue}")
            if report:
                client.timeout_func = None
                client.timeout = 60
                last = nb.cells[-1]
                client.execute_cell(last, len(nb.cells) - 1)
                info["report"] = _parse_report(last)
    except (DeadKernelError, CellTimeoutError, RuntimeError) as exc:
        info["errors"].append(f"kernel: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return nb, info


def _parse_report(cell: Any) -> dict[str, Any] | None:
    for out in cell.get("outputs", []):
        text = out.get("text", "") if out.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(MARK):
                return json.loads(line[len(MARK):])
    return None


# --------------------------------------------------------------------------- one submission


@dataclass
class GradeResult:
    """One submission's grade: the CSV row and the student's feedback text."""

    row: dict[str, Any]
    feedback: str


def _set_names() -> dict[str, str]:
    from crmsim.exercises.sets import all_sets

    names = {}
    for s in all_sets():
        names[s.notebook] = s.name
        names[s.name] = s.name
    return names


def _identify(path: Path, root: Path) -> tuple[str | None, str | None]:
    """(set name, student id) from the file's path: the set from a notebook stem in the file
    name (``02_abc``), the id from the sub-folder or from the rest of the file name."""
    stem = path.stem
    found = None
    for key, name in sorted(_set_names().items(), key=lambda kv: -len(kv[0])):
        if key in stem:
            found, stem = name, stem.replace(key, "")
            break
    rel = path.relative_to(root)
    if len(rel.parts) > 1:
        student = rel.parts[0]
    else:
        student = re.sub(r"^[\s_\-.]+|[\s_\-.]+$", "", stem) or None
    return found, student


def grade_notebook(path: str | Path, root: str | Path | None = None,
                   timeout: float = 60.0) -> GradeResult:
    """Grade one submitted notebook (never written to)."""
    import nbformat

    path = Path(path)
    root = Path(root) if root else path.parent
    rel = path.relative_to(root).as_posix()
    set_name, file_id = _identify(path, root)
    notes: list[str] = []
    row: dict[str, Any] = {"file": rel, "student_id": file_id or "", "set": set_name or "",
                           "status": "", "score": 0, "total": 0}
    for i in range(1, MAX_QUESTIONS + 1):
        row[f"q{i}"] = ""

    def finish(status: str, lines: Iterable[str] = ()) -> GradeResult:
        row["status"] = status
        row["notes"] = "; ".join(notes)
        head = [f"# Feedback: {row['student_id'] or rel} · {row['set'] or '?'}",
                "", f"File: {rel}", f"Status: {status}", f"Score: {row['score']}/{row['total']}"]
        if notes:
            head += ["", "Notes:", *[f"- {n}" for n in notes]]
        return GradeResult(dict(row), "\n".join([*head, "", *lines]) + "\n")

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        notes.append(f"unreadable: not valid JSON ({type(exc).__name__}: {exc})")
        return finish("unreadable")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several kinds of error for a broken notebook
        notes.append(f"unreadable: not a notebook ({type(exc).__name__}: "
                     f"{str(exc).splitlines()[0] if str(exc) else ''})")
        return finish("unreadable")
    meta_set = nb.metadata.get("crmsim", {}).get("exercise_set")
    if set_name is None:
        if meta_set in _set_names().values():
            set_name = meta_set
            notes.append(f"renamed: the file name names no exercise set; graded as {meta_set} "
                         "from the notebook's metadata")
        else:
            notes.append("renamed: neither the file name nor the notebook's metadata names an "
                         "exercise set")
            return finish("unidentified")
    elif meta_set and meta_set != set_name:
        notes.append(f"the file name says {set_name} but the notebook is {meta_set}; "
                     f"graded as {meta_set}")
        set_name = meta_set
    row["set"] = set_name
    from crmsim.exercises.sets import get_set

    questions = get_set(set_name).questions
    row["total"] = len(questions)

    with tempfile.TemporaryDirectory(prefix="crmsim-grade-") as work:
        _, info = execute(nb, timeout=timeout, cwd=work, report=True)
    if info["timed_out"]:
        notes.append(f"timeout: the notebook ran longer than {timeout:g} s (a loop that never "
                     "ends?); answers given before it were graded")
    if info["errors"]:
        notes.append("raises: " + " | ".join(info["errors"][:3]))
    report = info["report"]
    if report is None:
        notes.append("no grading report (the kernel did not answer)")
        return finish("failed")
    if not report["setup"]:
        notes.append("the setup cell did not run: nothing to grade")
        for q in questions:
            row[q.name] = "not_attempted"
        return finish("graded")
    given = report["student_id"]
    if given:
        if file_id and given != file_id:
            notes.append(f"id mismatch: setup says {given!r}, the file name says {file_id!r}")
        row["student_id"] = given
    elif file_id:
        notes.append(f"no student id in setup (demo data used); id {file_id!r} from the file name")
    lines = []
    for outcome in report["questions"]:
        row[outcome["question"]] = outcome["status"]
        lines.append(f"- {outcome['question']}: {outcome['status']} — {outcome['message']}")
    row["score"] = sum(o["status"] == "correct" for o in report["questions"])
    status = "timeout" if info["timed_out"] else ("errors" if info["errors"] else "graded")
    return finish(status, lines)


# --------------------------------------------------------------------------- a folder


def _grade_task(args: tuple[str, str, float]) -> GradeResult:
    path, root, timeout = args
    try:
        return grade_notebook(path, root, timeout)
    except Exception as exc:  # the batch goes on whatever one submission does
        rel = Path(path).relative_to(root).as_posix()
        row = {"file": rel, "student_id": "", "set": "", "status": "failed", "score": 0,
               "total": 0, **{f"q{i}": "" for i in range(1, MAX_QUESTIONS + 1)},
               "notes": f"grader error: {type(exc).__name__}: {exc}"}
        return GradeResult(row, f"# Feedback: {rel}\n\nThe grader failed: {exc}\n")


def submissions(folder: str | Path) -> list[Path]:
    """The ``.ipynb`` files under *folder*, sorted (checkpoints left out)."""
    root = Path(folder)
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def grade(
    folder: str | Path,
    out: str | Path | None = None,
    feedback_dir: str | Path | None = None,
    timeout: float = 60.0,
    workers: int = 2,
    progress: bool = False,
) -> pd.DataFrame:
    """Grade every notebook under *folder*; write the CSV and a feedback file per submission.

    Parameters
    ----------
    folder : path
        The submissions: ``s001_02_abc.ipynb`` or ``s001/02_abc.ipynb`` (the student id from
        the file name or folder is a fallback for the id given to ``setup``).
    out : path, optional
        Where to write the CSV (default: not written).
    feedback_dir : path, optional
        Where to write one ``<file>.md`` of feedback per submission (default: next to *out*, in
        ``<out stem>_feedback/``).
    timeout : float
        Seconds each notebook may run.
    workers : int
        Notebooks graded at once (each in its own process and kernel).
    progress : bool
        Show a progress bar (tqdm) on stderr.

    Returns
    -------
    DataFrame
        One row per submission, sorted by file: ``file``, ``student_id``, ``set``, ``status``
        (graded, errors, timeout, unreadable, unidentified, failed), ``score``, ``total``,
        ``q1`` ... ``q6`` (correct, incorrect, not_attempted, or empty) and ``notes``.
    """
    from tqdm.auto import tqdm

    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"submissions folder {str(root)!r} does not exist")
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"parameter 'workers' must be a positive integer; got {workers!r}")
    if not timeout > 0:
        raise ValueError(f"parameter 'timeout' must be > 0 seconds; got {timeout!r}")
    files = submissions(root)
    tasks = [(str(p), str(root), float(timeout)) for p in files]
    results: list[GradeResult] = []
    bar = tqdm(total=len(tasks), desc="grading", unit="notebook", disable=not progress)
    if workers == 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(_grade_task(task))
            bar.update()
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            for future in as_completed([pool.submit(_grade_task, t) for t in tasks]):
                results.append(future.result())
                bar.update()
    bar.close()
    results.sort(key=lambda r: r.row["file"])
    columns = ["file", "student_id", "set", "status", "score", "total",
               *[f"q{i}" for i in range(1, MAX_QUESTIONS + 1)], "notes"]
    table = pd.DataFrame([r.row for r in results], columns=columns)
    if out is not None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False, lineterminator="\n")
        fb_dir = Path(feedback_dir) if feedback_dir else out.with_name(f"{out.stem}_feedback")
        fb_dir.mkdir(parents=True, exist_ok=True)
        for r in results:
            name = r.row["file"].replace("/", "__").removesuffix(".ipynb") + ".md"
            (fb_dir / name).write_text(r.feedback, encoding="utf-8")
    return table
