"""Exercises with immediate, specific feedback on each student's own data, and instructor tools.

For students (in the notebooks of ``exercises/``)::

    from crmsim.exercises import ____, progress
    from crmsim.exercises.sets import ex02_abc as ex
    data = ex.setup(student_id="2024001")    # your own small company
    q1, q2, q3, q4, q5 = ex.questions()
    abc_classes = ____                       # your answer
    q1.check()                               # q1.hint(), q1.hint(2), q1.solution()
    q3.ask()                                 # your own case and lettered options

For instructors: ``crmsim exercises student|solutions|validate|grade|merge|export`` (see
:mod:`crmsim.exercises.cli`). Grading runs each notebook isolated (:mod:`.sandbox`,
:mod:`.runner`), collects its answers as plain data (:mod:`.harness`, :mod:`.answers`) and checks
them outside the student's kernel (:mod:`.submission`, :mod:`.grading`); the gradebook and the
feedback pages are views of the results (:mod:`.gradebook`, :mod:`.feedback`).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module it is loaded from on first use, so that ``crmsim --help`` (which
#: registers the ``exercises`` command) does not import pandas.
_LAZY: dict[str, str] = {
    "____": "crmsim.exercises.core",
    "Feedback": "crmsim.exercises.core",
    "NearMiss": "crmsim.exercises.core",
    "Question": "crmsim.exercises.core",
    "is_blank": "crmsim.exercises.core",
    "StudentData": "crmsim.exercises.data",
    "student_data": "crmsim.exercises.data",
    "progress": "crmsim.exercises.progress",
}

__all__ = [
    "____", "Feedback", "NearMiss", "Question", "StudentData", "is_blank", "progress",
    "student_data",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crmsim.exercises' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
