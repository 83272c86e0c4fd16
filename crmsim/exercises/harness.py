"""The grader's harness in the student's kernel: it collects answers as data, it checks nothing.

After each of the student's cells the runner (:mod:`crmsim.exercises.runner`) evaluates
``collect(globals(), spec)`` in the kernel. It returns one JSON text with

- ``answers``: every answer variable the notebook defines, made plain data by
  :func:`crmsim.exercises.answers.encode`; a function is called here, on copies of the
  student's own data and of the inputs the grader wrote into the job folder (which the student
  has never seen), and only the results are kept;
- ``setup``: the exercise set and student id the notebook's ``setup`` cell gave, and the
  language it chose;
- ``solutions``: the questions whose ``solution()`` the notebook showed while the grader ran it.

Everything here runs in the student's process, so a notebook can change what it reports — but it
can only report answers: the grader checks them with its own crmsim, in its own process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["collect"]

#: Function results already computed, by (variable, code object identity): a function is called
#: again only when the notebook redefines it.
_DONE: dict[str, tuple[Any, dict[str, Any]]] = {}


def collect(namespace: dict[str, Any], spec_path: str) -> str:
    """The answers and setup facts of the notebook whose globals are *namespace*, as JSON."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    answers: dict[str, Any] = {}
    for var in spec["vars"]:
        if var not in namespace:
            continue
        value = namespace[var]
        if var in spec.get("functions", {}):
            answers[var] = _function(var, value, spec["functions"][var], Path(spec_path).parent)
        else:
            from crmsim.exercises.answers import encode

            answers[var] = encode(value)
    return json.dumps(
        {"answers": answers, "setup": _setup(), "solutions": _solutions()}, allow_nan=False
    )


def _setup() -> dict[str, Any]:
    try:
        from crmsim.exercises.sets._base import ACTIVE
        from crmsim.terms import get_language

        given = ACTIVE.get("student_id")
        return {
            "ran": bool(ACTIVE),
            "set": str(ACTIVE.get("set", "")),
            "student_id": given if isinstance(given, str) else None,
            "lang": get_language(),
        }
    except Exception:
        return {"ran": False}


def _solutions() -> list[str]:
    """Question keys whose solution the notebook showed (from the progress file of this run)."""
    try:
        path = Path(os.environ["CRMSIM_PROGRESS"])
        entries = json.loads(path.read_text(encoding="utf-8"))
        return sorted(
            {
                key
                for questions in entries.values()
                for key, entry in questions.items()
                if entry.get("solution")
            }
        )
    except Exception:
        return []


def _function(var: str, fn: Any, spec: dict[str, Any], job: Path) -> dict[str, Any]:
    from crmsim.exercises.answers import decode, encode
    from crmsim.exercises.core import Call, is_blank

    record = encode(fn)
    if record["t"] != "function" or record["blank"]:
        return record
    code = getattr(fn, "__code__", None)
    cached = _DONE.get(var)
    if cached is not None and cached[0] is fn and cached[1].get("code") is code:
        return cached[1]["record"]
    inputs: list[tuple[Any, ...] | None] = [_own_args(spec["number"])]
    for name in spec["inputs"]:
        args = json.loads((job / name).read_text(encoding="utf-8"))
        inputs.append(tuple(decode(a) for a in args))
    calls = []
    for args in inputs:
        if args is None or is_blank(fn):
            calls.append(None)
            continue
        call = Call.of(fn, args)
        calls.append(
            {"error": call.error} if call.error is not None else {"value": encode(call.value)}
        )
    record["calls"] = calls
    _DONE[var] = (fn, {"code": code, "record": record})
    return record


def _own_args(number: int) -> tuple[Any, ...] | None:
    """The arguments of question *number* on the student's own data (None before setup)."""
    from crmsim.exercises.sets import get_set
    from crmsim.exercises.sets._base import ACTIVE

    if not ACTIVE:
        return None
    question = get_set(ACTIVE["set"]).question(number)
    data = ACTIVE["data"]
    return tuple(question.args(data)) if question.args else (data,)
