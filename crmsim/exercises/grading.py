"""Grade a folder of submitted exercise notebooks; write the gradebook, results and feedback.

:func:`grade` finds every file under the submissions folder (notebooks and the rest, which are
reported, not skipped), grades each with :func:`crmsim.exercises.submission.grade_file` —
isolated runs, checks outside the student's kernel, the set's scoring policy — a few at a time,
notes duplicates and identical files, and writes the views of the results
(:mod:`crmsim.exercises.gradebook`, :mod:`crmsim.exercises.feedback`). ``only=`` regrades some
students and keeps the others' results. :func:`validate` checks instructor notebooks the way
nbgrader's ``validate`` does.

Results contain no timings and no paths outside the submissions folder, so grading the same
folder twice gives the same files.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim.exercises import gradebook
from crmsim.exercises.sandbox import Isolation, isolation
from crmsim.exercises.submission import (
    GradeOptions,
    failed_result,
    grade_file,
    grading_secret,
    identify,
)

__all__ = ["GradeOptions", "grade", "grade_file", "grading_secret", "submissions", "validate"]

#: Folders never looked into for submissions.
_SKIP_DIRS = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".git"}


def submissions(folder: str | Path) -> tuple[list[Path], list[Path]]:
    """(notebooks, other files) under *folder*, each sorted; hidden files and checkpoint
    folders left out."""
    root = Path(folder)
    notebooks, others = [], []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).parts
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel) or not path.is_file():
            continue
        (notebooks if path.suffix.lower() == ".ipynb" else others).append(path)
    return notebooks, others


def _grade_task(args: tuple[str, str, GradeOptions]) -> dict[str, Any]:
    path, root, options = args
    try:
        return grade_file(path, root, options)
    except Exception as exc:  # the batch goes on whatever one submission does
        rel = Path(path).relative_to(root).as_posix()
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            digest = ""
        return failed_result(rel, digest, exc)


# --------------------------------------------------------------------------- a folder


def _duplicates(results: list[dict[str, Any]]) -> None:
    """Note files of the same student and set, and files with identical content."""
    by_student: dict[tuple[str, str], list[str]] = {}
    by_digest: dict[str, list[str]] = {}
    for r in results:
        if r.get("student_id") and r.get("set"):
            by_student.setdefault((r["student_id"], r["set"]), []).append(r["file"])
        if r.get("sha256"):
            by_digest.setdefault(r["sha256"], []).append(r["file"])
    for r in results:
        r["notes"] = [n for n in r["notes"] if not n.startswith(("duplicate:", "identical "))]
        same = [
            f for f in by_student.get((r.get("student_id"), r.get("set")), []) if f != r["file"]
        ]
        if same:
            r["notes"].append(
                f"duplicate: {r['student_id']} also submitted {', '.join(same)} for {r['set']}"
            )
        twins = [f for f in by_digest.get(r.get("sha256"), []) if f != r["file"]]
        if twins:
            r["notes"].append(f"identical content to {', '.join(twins)}")


def outputs_of(out: Path, feedback_dir: Path | None = None) -> dict[str, Path]:
    """The files ``grade`` writes for *out*: the CSV, the results, the manual-grading file and
    the feedback folder."""
    out = Path(out)
    return {
        "csv": out,
        "results": out.with_name(f"{out.stem}_results.json"),
        "manual": out.with_name(f"{out.stem}_manual.csv"),
        "feedback": Path(feedback_dir) if feedback_dir else out.with_name(f"{out.stem}_feedback"),
    }


def _titles() -> dict[str, str]:
    from crmsim.exercises.sets import all_sets

    return {s.name: s.title for s in all_sets()}


def write_outputs(
    results: list[dict[str, Any]], out: Path, feedback_dir: Path | None = None, force: bool = False
) -> pd.DataFrame:
    """Write the CSV, the results, the manual-grading file and the feedback pages."""
    from crmsim.exercises.feedback import feedback_html, feedback_names

    paths = outputs_of(out, feedback_dir)
    if not force:
        gradebook.check_writable(paths.values(), force)
    table = gradebook.grades_table(results)
    manual = gradebook.manual_table(results)
    titles = _titles()
    folder = paths["feedback"]
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=_parent(folder)))
    try:
        names = feedback_names([r["file"] for r in results])
        for r in results:
            text = feedback_html(r, titles.get(r.get("set"), r.get("set") or "?"))
            (staging / names[r["file"]]).write_text(text, encoding="utf-8")
        gradebook.write_results(paths["results"], results, force=True)
        gradebook.write_csv(paths["manual"], manual, force=True) if len(manual) else (
            paths["manual"].unlink(missing_ok=True)
        )
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
            staging.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(folder)
        gradebook.write_csv(paths["csv"], table, force=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return table


def _parent(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder.parent


def grade(
    folder: str | Path,
    out: str | Path | None = None,
    feedback_dir: str | Path | None = None,
    timeout: float = 60.0,
    workers: int = 2,
    progress: bool = False,
    sandbox: str = "auto",
    lang: str = "en",
    force: bool = False,
    only: Sequence[str] | None = None,
    on_isolation: Callable[[Isolation], None] | None = None,
) -> pd.DataFrame:
    """Grade every file under *folder*; write the gradebook, the results and the feedback.

    Parameters
    ----------
    folder : path
        The submissions: ``s001_02_abc.ipynb`` or ``s001/02_abc.ipynb`` (the student id from
        the file name or folder is a fallback for the id given to ``setup``). Files that are not
        notebooks are reported, not skipped.
    out : path, optional
        The CSV to write (default: nothing written). Next to it go ``<stem>_results.json`` (all
        results), ``<stem>_manual.csv`` (answers to grade by hand) and ``<stem>_feedback/``
        (one HTML page per file, in the student's language).
    feedback_dir : path, optional
        Another folder for the feedback pages.
    timeout : float
        Seconds each notebook's cells may run.
    workers : int
        Notebooks graded at once (each in its own sandbox; the grader waits on them in
        threads).
    progress : bool
        Show a progress bar (tqdm) on stderr.
    sandbox : {"auto", "require", "off"}
        Isolation (see :func:`crmsim.exercises.sandbox.isolation`).
    lang : str
        Feedback language for notebooks that chose none.
    force : bool
        Replace existing output files (never done otherwise).
    only : sequence of str, optional
        Regrade only the files of these student ids (or these file paths, relative to
        *folder*): the other results are read back from the existing results file, which must
        exist; the outputs are then rewritten.
    on_isolation : callable, optional
        Called once with the isolation in force (the command line prints it).

    Returns
    -------
    DataFrame
        The gradebook (:func:`crmsim.exercises.gradebook.grades_table`); its ``attrs`` hold
        ``isolation`` (what protected the machine) and ``problems``.
    """
    from tqdm.auto import tqdm

    from crmsim.terms import LANGUAGES

    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"submissions folder {str(root)!r} does not exist")
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"parameter 'workers' must be a positive integer; got {workers!r}")
    if not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"parameter 'timeout' must be > 0 seconds; got {timeout!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"parameter 'lang' must be one of {LANGUAGES}; got {lang!r}")
    previous: list[dict[str, Any]] = []
    if only is not None:
        if out is None:
            raise ValueError("regrading (only=...) needs out=: the gradebook to update")
        previous = gradebook.read_results(outputs_of(Path(out))["results"])
    elif out is not None and not force:
        gradebook.check_writable(outputs_of(Path(out), feedback_dir).values(), force)
    info = isolation(sandbox)
    if on_isolation is not None:
        on_isolation(info)
    options = GradeOptions(
        timeout=float(timeout), isolation=info, lang=lang, secret=grading_secret()
    )
    notebooks, others = submissions(root)
    files = sorted([*notebooks, *others])
    if only is not None:
        wanted = set(only)
        old_ids = {r["file"]: r.get("student_id") for r in previous}
        files = [
            p
            for p in files
            if p.relative_to(root).as_posix() in wanted
            or old_ids.get(p.relative_to(root).as_posix()) in wanted
            or identify(p, root)[1] in wanted
        ]
        if not files:
            raise ValueError(f"no submission of {sorted(wanted)} under {str(root)!r}")
    tasks = [(str(p), str(root), options) for p in files]
    results: list[dict[str, Any]] = []
    bar = tqdm(total=len(tasks), desc="grading", unit="file", disable=not progress)
    if workers == 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(_grade_task(task))
            bar.update()
    else:
        # threads: each waits on its notebook's sandbox; the checks themselves are short
        with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            for future in as_completed([pool.submit(_grade_task, t) for t in tasks]):
                results.append(future.result())
                bar.update()
    bar.close()
    if only is not None:
        redone = {r["file"] for r in results}
        results += [r for r in previous if r["file"] not in redone]
    results.sort(key=lambda r: r["file"])
    _duplicates(results)
    if out is not None:
        table = write_outputs(results, Path(out), feedback_dir, force=force or only is not None)
    else:
        table = gradebook.grades_table(results)
    table.attrs["isolation"] = info.describe()
    table.attrs["results"] = results
    return table


# --------------------------------------------------------------------------- validate


def validate(
    paths: Sequence[str | Path], invert: bool = False, timeout: float = 60.0, sandbox: str = "auto"
) -> list[tuple[str, bool, str]]:
    """Check instructor notebooks the way nbgrader's ``validate`` does.

    By default each notebook must pass: every automatically checked question right and every
    text answer written. With *invert* each must fail: no question right (a blank copy).

    Returns
    -------
    list of (file, ok, why)
    """
    info = isolation(sandbox)
    options = GradeOptions(timeout=float(timeout), isolation=info, secret=grading_secret())
    outcome = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"notebook {str(path)!r} does not exist")
        result = grade_file(path, path.parent, options)
        questions = result.get("questions", [])
        if result["status"] in ("unreadable", "unidentified", "not_a_notebook", "failed"):
            outcome.append((str(path), False, "; ".join(result["notes"]) or result["status"]))
            continue
        if invert:
            passing = [q for q in questions if q["status"] in ("correct", "partial", "submitted")]
            ok = not passing
            why = (
                "every question fails, as a blank copy should"
                if ok
                else "these pass although the copy should be blank: "
                + ", ".join(f"q{q['number']} ({q['status']})" for q in passing)
            )
        else:
            failing = [
                q for q in questions if q["status"] != ("submitted" if q["by_hand"] else "correct")
            ]
            ok = not failing and result["status"] == "graded"
            why = (
                "every question passes"
                if ok
                else "; ".join(
                    [
                        *(f"q{q['number']} {q['status']}: {q['message']}" for q in failing),
                        *result["notes"],
                    ]
                )
            )
        outcome.append((str(path), ok, why))
    return outcome
