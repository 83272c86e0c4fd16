"""What every exercise set is made of: questions, the data they need, and notebook cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmsim.exercises.core import Question, caller_namespace, is_blank
from crmsim.exercises.data import DEMO_ID, StudentData, student_data

__all__ = ["ACTIVE", "Cell", "ExerciseSet"]

#: The set and student of the last ``setup`` call in this process (read by the grader).
ACTIVE: dict[str, Any] = {}


@dataclass(frozen=True)
class Cell:
    """A notebook cell of a set.

    ``kind`` is "markdown", "code", "answer" (the student's code with ``____``, replaced by the
    question's ``solution_code`` in the solution notebook) or "check" (``qN.check()``).
    """

    kind: str
    source: str = ""
    question: int = 0


@dataclass
class ExerciseSet:
    """One lesson's exercises.

    Parameters
    ----------
    name : str
        Module name, e.g. ``"ex02_abc"``.
    notebook : str
        Notebook stem in ``exercises/``, e.g. ``"02_abc"``.
    title : str
        Title of the notebook.
    lesson : str
        The lesson notebook it belongs to (path relative to the repository root).
    questions : list of Question
    cells : list of Cell
        The notebook between the setup cell and the progress cell.
    prepare, accept : callable, optional
        Passed to :func:`crmsim.exercises.data.student_data`.
    n_customers : int
        Size of each student's company.
    """

    name: str
    notebook: str
    title: str
    lesson: str
    questions: list[Question]
    cells: list[Cell]
    prepare: Callable[[StudentData], dict[str, Any]] | None = None
    accept: Callable[[StudentData], bool] | None = None
    n_customers: int = 40
    _cache: dict[str, StudentData] = field(default_factory=dict, repr=False)

    def data(self, student_id: str) -> StudentData:
        """The student's data for this set (cached per id)."""
        if student_id not in self._cache:
            self._cache[student_id] = student_data(
                student_id, self.n_customers, prepare=self.prepare, accept=self.accept
            )
        return self._cache[student_id]

    def setup(self, student_id: Any = None, namespace: dict[str, Any] | None = None) -> StudentData:
        """Make the student's data and bind the questions to it and to the notebook.

        Parameters
        ----------
        student_id : str
            The student's id. While it is still the ``____`` placeholder, the shared demo data
            (id ``"demo"``) is used.
        namespace : dict, optional
            Where ``q.check()`` looks up answers; default: the calling notebook's globals.
        """
        given = None if student_id is None or is_blank(student_id) else student_id
        if given is not None and (not isinstance(given, str) or not given.strip()):
            raise ValueError(
                f"parameter 'student_id' must be your id as a string, e.g. \"2024001\"; "
                f"got {student_id!r}"
            )
        sid = given.strip() if given else DEMO_ID
        data = self.data(sid)
        space = namespace if namespace is not None else caller_namespace()
        for question in self.questions:
            question.bind(data, space)
        ACTIVE.clear()
        ACTIVE.update({"set": self.name, "student_id": given, "data": data})
        return data

    def question(self, number: int) -> Question:
        """Question *number* (1-based)."""
        return self.questions[number - 1]

    def solution_for(self, number: int) -> str:
        """The reference code of question *number*."""
        return self.question(number).solution_code

    def extra_data(self, data: StudentData, n: int = 2) -> list[StudentData]:
        """Further datasets the grader runs a student's function on (derived from the id)."""
        return [self.data(f"{data.student_id}#grading{i}") for i in range(1, n + 1)]

    def __iter__(self):
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)


def answer_cells(question: Question, prompt: str, template: str) -> Sequence[Cell]:
    """The three cells of a question: its prompt, the answer cell and the check cell."""
    return (
        Cell("markdown", prompt, question.number),
        Cell("answer", template, question.number),
        Cell("check", "", question.number),
    )
