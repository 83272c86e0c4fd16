"""What a submitted notebook shows about itself, read from its JSON without running it.

- :func:`answer_cells`: which cells assign each question's answer variable (to tell "the answer
  cell raised a SyntaxError" from "not attempted");
- :func:`solution_use`: where the notebook looked at a solution — ``qN.solution()`` in its code,
  the answer key (``.expected(...)``, ``solution_code``...) in its code, or a solution's text in
  the outputs saved with it (a solution shown and the call deleted afterwards). Comments do not
  count: the generated check cells hold ``# q1.solution()`` as a reminder.

This is evidence the grader trusts because it reads the submitted file itself, not what the
student's kernel reports.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["SolutionUse", "answer_cells", "code_of", "solution_use", "strip_comments"]

_SOLUTION = re.compile(r"\bq(\d+)\s*\.\s*solution\s*\(")
_ANY_SOLUTION = re.compile(r"\.\s*solution\s*\(")
_KEY = re.compile(r"\.\s*(expected|solution_code|solution_for|near_misses|alternatives)\b")
_QUESTION = (re.compile(r"\bq(\d+)\s*\."), re.compile(r"\.question\s*\(\s*(\d+)\s*\)"))
_QUESTIONS_INDEX = re.compile(r"\bquestions(?:\(\s*\))?\s*\[\s*(\d+)\s*\]")


@dataclass(frozen=True)
class SolutionUse:
    """One piece of evidence: ``question`` (number, or 0 when it cannot be attributed), the
    ``cell`` (1-based) and ``how`` (``"solution()"``, ``"answer key"``, ``"saved output"``)."""

    question: int
    cell: int
    how: str


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(s) for s in source)
    return source if isinstance(source, str) else ""


def strip_comments(source: str) -> str:
    """*source* without its comments (and with IPython's ``%``/``!`` lines left out)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    code = "\n".join(lines) + "\n"
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type != tokenize.COMMENT
        ]
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(re.sub(r"#.*$", "", line) for line in lines)


def code_of(notebook: dict[str, Any]) -> list[tuple[int, str]]:
    """(1-based cell number, code without comments) of each code cell."""
    out = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            out.append((number, strip_comments(_source(cell))))
    return out


def answer_cells(notebook: dict[str, Any], variables: Iterable[str]) -> dict[str, list[int]]:
    """Variable -> the cells (1-based) that assign it (``var = ...`` or ``def var(``)."""
    patterns = {
        v: re.compile(
            rf"^\s*(?:{re.escape(v)}\s*(?:[:+\-*/]?=(?!=))|def\s+"
            rf"{re.escape(v)}\s*\()",
            re.M,
        )
        for v in variables
    }
    found: dict[str, list[int]] = {v: [] for v in patterns}
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        for var, pattern in patterns.items():
            if pattern.search(source):
                found[var].append(number)
    return found


def _questions_named(code: str) -> set[int]:
    numbers = set()
    for pattern in _QUESTION:
        numbers |= {int(n) for n in pattern.findall(code)}
    numbers |= {int(n) + 1 for n in _QUESTIONS_INDEX.findall(code)}
    return numbers


def _output_text(cell: dict[str, Any]) -> str:
    parts = []
    for out in cell.get("outputs", []) or []:
        if not isinstance(out, dict):
            continue
        if isinstance(out.get("text"), (str, list)):
            parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
        data = out.get("data")
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, (str, list)):
                    parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def solution_use(
    notebook: dict[str, Any], titles: Iterable[str], variables: dict[str, int]
) -> list[SolutionUse]:
    """Evidence that the notebook looked at a solution or at the answer key.

    Parameters
    ----------
    notebook : dict
        The notebook, read as JSON.
    titles : iterable of str
        The solution's title in every language (what ``q.solution()`` prints first).
    variables : dict
        Answer variable -> question number, to attribute an answer-key use to the question
        whose answer the same cell assigns.
    """
    found: list[SolutionUse] = []
    assigned = answer_cells(notebook, variables)
    by_cell: dict[int, set[int]] = {}
    for var, cells in assigned.items():
        for c in cells:
            by_cell.setdefault(c, set()).add(variables[var])
    titles = [t for t in titles if t]
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        code = strip_comments(_source(cell))
        named = {int(n) for n in _SOLUTION.findall(code)}
        for q in sorted(named):
            found.append(SolutionUse(q, number, "solution()"))
        if _ANY_SOLUTION.search(_SOLUTION.sub("", code)):
            for q in sorted(_questions_named(code) - named) or [0]:
                found.append(SolutionUse(q, number, "solution()"))
        if _KEY.search(code):
            for q in sorted(_questions_named(code) | by_cell.get(number, set())) or [0]:
                found.append(SolutionUse(q, number, "answer key"))
        text = _output_text(cell)
        if any(title in text for title in titles):
            source = _source(cell)
            for q in sorted(_questions_named(source)) or [0]:
                found.append(SolutionUse(q, number, "saved output"))
    return found
