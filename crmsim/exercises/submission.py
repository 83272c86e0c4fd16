"""Grade one submitted file: read it, identify it, run it isolated, check its answers, score.

:func:`grade_file` never writes the file. It reads it (not a notebook, not JSON: reported), finds
the exercise set (file name, else the notebook's metadata) and the student id, reads from the
file itself where it looked at a solution or at the answer key (:mod:`crmsim.exercises.scan`),
runs a private copy in a sandbox (:mod:`crmsim.exercises.sandbox`) where the notebook only
produces answers as plain data, cell by cell, and then checks them in this process with this
crmsim, in the student's language, and scores them with the set's policy. The result is a plain
dict (see :mod:`crmsim.exercises.gradebook`): no timings, no paths outside the submissions
folder, so the same file always gives the same result.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crmsim.exercises import gradebook
from crmsim.exercises.sandbox import (
    Isolation,
    Limits,
    isolation,
    job_workdir,
    limit_values,
    run_job,
)

__all__ = ["GradeOptions", "failed_result", "grade_file", "grading_secret", "identify"]

#: Statuses of a submitted file, worst first (the CSV's ``status`` column).
FILE_STATUSES = (
    "failed",
    "not_a_notebook",
    "unreadable",
    "unidentified",
    "died",
    "timeout",
    "errors",
    "graded",
)
#: Seconds a kernel may take to start (outside the notebook's own time budget).
START_SECONDS = 60.0
#: Seconds the harness may take to collect the answers after a cell (at most the notebook's own
#: time budget).
COLLECT_SECONDS = 20.0


@dataclass(frozen=True)
class GradeOptions:
    """How to run each notebook: ``timeout`` (seconds for its cells), ``isolation`` (see
    :func:`crmsim.exercises.sandbox.isolation`), ``lang`` (feedback language when a notebook
    chose none), ``secret`` (for the unseen inputs; default :func:`grading_secret`), ``limits``
    (default :meth:`Limits.for_timeout`) and ``hide``: folders the sandbox covers even when
    they lie inside a folder it mounts (the submissions folder always is)."""

    timeout: float = 60.0
    isolation: Isolation | None = None
    lang: str = "en"
    secret: bytes = b""
    limits: Limits | None = field(default=None)
    hide: tuple[Path, ...] = ()


# --------------------------------------------------------------------------- secret


def grading_secret() -> bytes:
    """The grader's secret: ``CRMSIM_GRADING_SECRET``, else ``~/.crmsim/grading-secret`` (made
    once, readable by its owner only). The unseen inputs of function questions are drawn from
    it, so they are the same at every grading on this machine and unknown to students."""
    given = os.environ.get("CRMSIM_GRADING_SECRET")
    if given:
        return given.encode("utf-8")
    path = Path.home() / ".crmsim" / "grading-secret"
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = os.urandom(32).hex().encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes().strip()
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
        return secret


def _token(secret: bytes, set_name: str, student: str) -> str:
    return hmac.new(secret, f"{set_name}:{student}".encode(), hashlib.sha256).hexdigest()[:16]


# --------------------------------------------------------------------------- finding files


def _set_names() -> dict[str, str]:
    from crmsim.exercises.sets import NAMES, get_set

    names = {}
    for module in NAMES:
        s = get_set(module)
        names[s.notebook] = s.name
        names[s.name] = s.name
    return names


def identify(path: Path, root: Path) -> tuple[str | None, str | None]:
    """(set name, student id) from a file's path: the set from a notebook stem in the file name
    (``02_abc``); the id from the rest of the file name, else from the folder holding it."""
    stem = path.stem
    found = None
    for key, name in sorted(_set_names().items(), key=lambda kv: -len(kv[0])):
        if key in stem:
            found, stem = name, stem.replace(key, "")
            break
    student = re.sub(r"^[\s_\-.]+|[\s_\-.]+$", "", stem) or None
    rel = path.relative_to(root)
    if student is None and len(rel.parts) > 1:
        student = rel.parts[-2]
    return found, student


# --------------------------------------------------------------------------- one file


def _base(rel: str, digest: str) -> dict[str, Any]:
    return {
        "file": rel,
        "sha256": digest,
        "student_id": "",
        "set": "",
        "status": "graded",
        "score": None,
        "total": None,
        "pending": None,
        "lang": "",
        "notes": [],
        "student_notes": [],
        "questions": [],
    }


def _finish(result: dict[str, Any], status: str) -> dict[str, Any]:
    result["status"] = status
    return result


def _set_total(result: dict[str, Any], set_name: str | None) -> None:
    """A file of a known set scores 0 of the set's points until graded otherwise."""
    result["set"] = set_name or ""
    if set_name:
        from crmsim.exercises.sets import get_set

        result["total"] = get_set(set_name).points
        result["score"] = 0.0


def _read_notebook(raw: bytes) -> dict[str, Any]:
    """The notebook as a JSON dict (version 4), or ValueError saying what is wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid JSON (not UTF-8 text: {exc.reason})") from None
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    if not isinstance(notebook, dict):
        raise ValueError("not a notebook (the JSON is not an object)")
    major = notebook.get("nbformat")
    if isinstance(major, int) and major < 4:
        import nbformat

        notebook = json.loads(nbformat.writes(nbformat.reads(text, as_version=4)))
    cells = notebook.get("cells")
    if not isinstance(cells, list) or not all(
        isinstance(c, dict)
        and isinstance(c.get("cell_type"), str)
        and isinstance(c.get("source", ""), (str, list))
        for c in cells
    ):
        raise ValueError("not a notebook (no list of cells with a type and a source)")
    return notebook


def grade_file(path: str | Path, root: str | Path, options: GradeOptions) -> dict[str, Any]:
    """Grade one submitted file (never written to); return its result (see the module doc)."""
    path, root = Path(path), Path(root)
    options = replace(options, hide=(*options.hide, root))
    rel = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    result = _base(rel, hashlib.sha256(raw).hexdigest())
    set_name, file_id = identify(path, root)
    result["student_id"] = file_id or ""
    _set_total(result, set_name)
    if path.suffix.lower() != ".ipynb":
        result["notes"].append(
            f"not a notebook ({path.suffix or 'no extension'}): not graded; "
            "ask the student for the .ipynb file"
        )
        result["student_notes"].append({"key": "not_a_notebook", "values": {}})
        return _finish(result, "not_a_notebook")
    try:
        notebook = _read_notebook(raw)
    except ValueError as exc:
        result["notes"].append(f"unreadable: {exc}")
        result["student_notes"].append({"key": "unreadable", "values": {}})
        return _finish(result, "unreadable")
    meta = notebook.get("metadata", {})
    meta_set = meta.get("crmsim", {}).get("exercise_set") if isinstance(meta, dict) else None
    meta_set = meta_set if isinstance(meta_set, str) else None
    if set_name is None:
        if meta_set in _set_names().values():
            set_name = meta_set
            result["notes"].append(
                f"renamed: the file name names no exercise set; graded as "
                f"{meta_set} from the notebook's metadata"
            )
        else:
            result["notes"].append(
                "renamed: neither the file name nor the notebook's metadata names an exercise set"
            )
            return _finish(result, "unidentified")
    elif meta_set and meta_set != set_name and meta_set in _set_names().values():
        result["notes"].append(
            f"the file name says {set_name} but the notebook is {meta_set}; graded as {meta_set}"
        )
        set_name = meta_set
    _set_total(result, set_name)
    return _grade_notebook(result, notebook, raw, set_name, file_id, options)


def _grade_notebook(
    result: dict[str, Any],
    notebook: dict[str, Any],
    raw: bytes,
    set_name: str,
    file_id: str | None,
    options: GradeOptions,
) -> dict[str, Any]:
    from crmsim.exercises import scan
    from crmsim.exercises.sets import get_set

    exercise_set = get_set(set_name)
    result["total"] = exercise_set.points
    variables = {q.var: q.number for q in exercise_set.questions}
    info = options.isolation or isolation("auto")
    secret = options.secret or grading_secret()
    token = _token(secret, set_name, file_id or result["file"])
    run = _run(raw, exercise_set, token, info, options)
    evidence = scan.solution_use(notebook, _solution_titles(), variables)
    cells = scan.answer_cells(notebook, variables)
    return _score(result, exercise_set, run, evidence, cells, file_id, token, options)


def _solution_titles() -> list[str]:
    from crmsim.terms import LANGUAGES, label

    return sorted({label("exercise.solution_title", lang) for lang in LANGUAGES})


@dataclass
class _Run:
    """What the sandboxed run of one notebook gave."""

    answers: dict[str, Any]
    setup: dict[str, Any]
    solutions: set[str]
    errors: dict[int, str]
    timeout_cell: int | None
    dead_cell: int | None
    problems: list[str]


def _run(raw: bytes, exercise_set: Any, token: str, info: Isolation, options: GradeOptions) -> _Run:
    """Run the notebook in its own job folder and gather the runner's events."""
    from crmsim.exercises.answers import encode

    functions = {}
    job_parent = Path(tempfile.mkdtemp(prefix="crmsim-grade-"))
    try:
        job = job_parent / "job"
        job.mkdir()
        (job / "submission.ipynb").write_bytes(raw)
        for q in exercise_set.questions:
            if q.kind != "function":
                continue
            names = []
            for i, data in enumerate(exercise_set.unseen_data(token), start=1):
                name = f"input_{q.var}_{i}.json"
                args = q.args(data) if q.args else (data,)
                (job / name).write_text(json.dumps([encode(a) for a in args]), encoding="utf-8")
                names.append(name)
            functions[q.var] = {"number": q.number, "inputs": names}
        spec = {"vars": [q.var for q in exercise_set.questions], "functions": functions}
        (job / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        limits = options.limits or Limits.for_timeout(options.timeout)
        (job / "job.json").write_text(
            json.dumps(
                {
                    "notebook": "submission.ipynb",
                    "spec": "spec.json",
                    "timeout": options.timeout,
                    "start_timeout": START_SECONDS,
                    "collect_timeout": min(COLLECT_SECONDS, options.timeout),
                    "workdir": job_workdir(info, job),
                    "limits": limit_values(limits),
                    "disk_bytes": limits.disk_bytes,
                }
            ),
            encoding="utf-8",
        )
        for p in (job, *job.iterdir()):  # readable by the sandbox's user (job_parent: 0700)
            p.chmod(0o755 if p.is_dir() else 0o644)
        wall = options.timeout + START_SECONDS + 2 * min(COLLECT_SECONDS, options.timeout)
        done = run_job(job, info, wall, hide=options.hide)
    finally:
        shutil.rmtree(job_parent, ignore_errors=True)
    return _events(done.records, done.killed, done.returncode, done.stderr)


def _events(
    records: Sequence[dict[str, Any]], killed: bool, returncode: int | None, stderr: str
) -> _Run:
    run = _Run({}, {}, set(), {}, None, None, [])
    finished = False
    for r in records:
        if not isinstance(r, dict) or not isinstance(r.get("cell", 0), int):
            continue  # the runner writes only well-formed events: anything else is ignored
        kind = r.get("type")
        if kind == "answers" and isinstance(r.get("data"), dict):
            data = r["data"]
            if isinstance(data.get("answers"), dict):
                run.answers.update(data["answers"])
            if isinstance(data.get("setup"), dict):
                run.setup = data["setup"]
            if isinstance(data.get("solutions"), list):
                run.solutions |= {str(s) for s in data["solutions"]}
        elif kind == "cell" and r.get("status") == "error":
            cell = int(r.get("cell", 0))
            evalue = re.sub(r"\(\S+\.py, line (\d+)\)", r"(line \1)", str(r.get("evalue", "")))
            run.errors[cell] = f"{r.get('ename', 'Error')}: {evalue}".strip()
        elif kind == "timeout":
            run.timeout_cell = int(r.get("cell", 0))
        elif kind == "dead":
            run.dead_cell = int(r.get("cell", 0))
            if r.get("error"):
                run.problems.append(f"the kernel could not start: {r['error']}")
        elif kind == "collect_error":
            run.problems.append(
                f"after cell {r.get('cell')}: answers not collected ({str(r.get('error'))[:200]})"
            )
        elif kind == "runner_error":
            run.problems.append(f"the runner failed: {r.get('error')}")
        elif kind == "done":
            finished = True
    if killed and not finished:
        run.problems.append("the run was stopped at its wall-clock limit")
        if run.timeout_cell is None and run.dead_cell is None:
            run.timeout_cell = -1
    elif not finished and run.dead_cell is None and run.timeout_cell is None:
        last = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        run.dead_cell = -1
        run.problems.append(
            f"the run ended early (exit status {returncode}{': ' + last[0] if last else ''})"
        )
    return run


def _score(
    result: dict[str, Any],
    exercise_set: Any,
    run: _Run,
    evidence: Sequence[Any],
    cells: dict[str, list[int]],
    file_id: str | None,
    token: str,
    options: GradeOptions,
) -> dict[str, Any]:
    from crmsim.exercises.answers import decode
    from crmsim.exercises.core import _UNDEFINED, Feedback, msg
    from crmsim.exercises.data import DEMO_ID
    from crmsim.terms import LANGUAGES, language

    notes, student_notes = result["notes"], result["student_notes"]
    lang = run.setup.get("lang") if run.setup.get("lang") in LANGUAGES else options.lang
    result["lang"] = lang
    notes += run.problems
    if run.errors:
        shown = [f"cell {c}: {e}" for c, e in sorted(run.errors.items())[:3]]
        notes.append("raises: " + " | ".join(shown))
        for c, e in sorted(run.errors.items())[:3]:
            student_notes.append({"key": "cell_error", "values": {"cell": c, "error": e}})
    if run.timeout_cell is not None:
        where = f" (in cell {run.timeout_cell})" if run.timeout_cell > 0 else ""
        notes.append(
            f"timeout: the notebook ran longer than {options.timeout:g} s{where} (a "
            "loop that never ends?); answers given before it were graded"
        )
        student_notes.append({"key": "timeout", "values": {"seconds": f"{options.timeout:g}"}})
    if run.dead_cell is not None:
        where = f" in cell {run.dead_cell}" if run.dead_cell > 0 else ""
        notes.append(
            f"died: the kernel stopped{where} (a crash or a memory limit?); answers "
            "given before it were graded"
        )
        student_notes.append({"key": "died", "values": {}})
    if not run.setup.get("ran"):
        notes.append("the setup cell did not run: nothing to grade")
        student_notes.append({"key": "no_setup", "values": {}})
    given = run.setup.get("student_id") if run.setup.get("ran") else None
    if given is not None and not (isinstance(given, str) and 0 < len(given.strip()) <= 200):
        notes.append(f"the notebook reported an unusable student id ({str(given)[:40]!r})")
        given = None
    if given:
        if file_id and given != file_id:
            notes.append(f"id mismatch: setup says {given!r}, the file name says {file_id!r}")
        result["student_id"] = given
    elif run.setup.get("ran") and file_id:
        notes.append(f"no student id in setup (demo data used); id {file_id!r} from the file name")
    if run.setup.get("ran") and run.setup.get("set") not in ("", exercise_set.name):
        notes.append(f"setup was run for {run.setup.get('set')}, not {exercise_set.name}")
    data = None
    if run.setup.get("ran"):
        try:
            data = exercise_set.data(given or DEMO_ID)
        except ValueError as exc:  # an id no data can be drawn for: nothing to check against
            notes.append(f"no data for student id {given!r}: {exc}")
    used = _solutions_used(exercise_set, evidence, run.solutions)
    for how in used.get(0, []):
        notes.append(
            f"answer key or solution used, not tied to one question ({how}): check by hand"
        )
    questions = []
    for q in exercise_set.questions:
        record = run.answers.get(q.var)
        answer = _UNDEFINED if record is None else decode(record)
        with language(lang):
            if data is None:
                fb = Feedback(q.name, "not_attempted", msg("not_attempted", var=q.var))
            else:
                extra = exercise_set.unseen_data(token) if q.kind == "function" else ()
                try:
                    fb = q.evaluate(answer, data, extra)
                except Exception as exc:  # an answer so odd the check itself fails: wrong
                    fb = Feedback(q.name, "incorrect", msg("unreadable_answer", var=q.var))
                    notes.append(
                        f"{q.name}: the check could not read the answer "
                        f"({type(exc).__name__}: {str(exc)[:100]})"
                    )
            raised = [run.errors[c] for c in cells.get(q.var, []) if c in run.errors]
            if fb.status == "not_attempted" and raised and answer is _UNDEFINED:
                fb = Feedback(q.name, "incorrect", msg("answer_cell_raised", error=raised[-1]))
        entry = {
            "number": q.number,
            "var": q.var,
            "kind": q.kind,
            "status": fb.status,
            "message": fb.message,
            "near_miss": fb.near_miss,
            "max": float(q.points),
            "by_hand": q.graded_by_hand,
            "solution_used": bool(used.get(q.number)),
        }
        if q.graded_by_hand:
            entry["points"] = 0.0 if fb.status == "not_attempted" else None
            if fb.status == "submitted":
                entry["answer"] = str(answer)[:10_000]
        else:
            credit = fb.credit
            if used.get(q.number):
                credit = min(credit, exercise_set.solution_credit)
                kept = f"{exercise_set.solution_credit:.0%}"
                notes.append(
                    f"{q.name}: solution looked at ({', '.join(used[q.number])}); "
                    f"{kept} of its points kept (the set's policy)"
                )
                student_notes.append(
                    {"key": "solution", "values": {"question": q.name, "kept": kept}}
                )
            entry["credit"] = round(credit, 4)
            entry["points"] = round(credit * q.points, 4)
        questions.append(entry)
    result["questions"] = questions
    gradebook.rescore(result)
    status = (
        "died"
        if run.dead_cell is not None
        else "timeout"
        if run.timeout_cell is not None
        else "errors"
        if run.errors
        else "graded"
    )
    return _finish(result, status)


def _solutions_used(
    exercise_set: Any, evidence: Sequence[Any], runtime: set[str]
) -> dict[int, list[str]]:
    """Question number (0: not attributable) -> how its solution was seen."""
    used: dict[int, list[str]] = {}
    numbers = {q.number for q in exercise_set.questions}
    for e in evidence:
        number = e.question if e.question in numbers else 0
        text = f"{e.how}, cell {e.cell}"
        if text not in used.setdefault(number, []):
            used[number].append(text)
    for key in sorted(runtime):
        set_name, _, q = key.rpartition(".")
        if set_name == exercise_set.name and q[1:].isdigit() and int(q[1:]) in numbers:
            used.setdefault(int(q[1:]), []).append("solution() shown while graded")
    return used


def failed_result(rel: str, digest: str, exc: BaseException) -> dict[str, Any]:
    result = _base(rel, digest)
    result["notes"].append(f"grader error: {type(exc).__name__}: {exc}")
    result["student_notes"].append({"key": "failed", "values": {}})
    return _finish(result, "failed")
