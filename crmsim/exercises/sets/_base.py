"""What every exercise set is made of: questions, the data they need, notebook cells, and the
grading policy (points per question, partial credit, what looking at a solution costs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmsim.exercises.checks import close, differing_values
from crmsim.exercises.core import Question, caller_namespace, is_blank
from crmsim.exercises.data import DEMO_ID, StudentData, student_data

__all__ = ["ACTIVE", "Cell", "ExerciseSet"]

#: The set and student of the last ``setup`` call in this process (read by the grader).
ACTIVE: dict[str, Any] = {}


@dataclass(frozen=True)
class Cell:
    """A notebook cell of a set.

    ``kind`` is "markdown", "code", "answer" (the student's code with ``____``, replaced by the
    question's ``solution_code`` in the solution notebook), "ask" (``qN.ask()``: the student's
    own case and lettered options) or "check" (``qN.check()``).
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
    solution_credit : float
        The share of a question's points kept when the student looked at its solution
        (``q.solution()``, or the answer key in the notebook's code); 0 by default.
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
    solution_credit: float = 0.0
    _cache: dict[str, StudentData] = field(default_factory=dict, repr=False)

    @property
    def points(self) -> float:
        """The set's total points (hand-graded questions included)."""
        return float(sum(q.points for q in self.questions))

    def data(self, student_id: str) -> StudentData:
        """The student's data for this set (cached per id).

        A sample on which a question cannot tell a known mistake from the right answer is
        redrawn (see :meth:`discriminates`), as is one the set's ``accept`` refuses.
        """
        if student_id not in self._cache:
            self._cache[student_id] = student_data(
                student_id, self.n_customers, prepare=self.prepare, accept=self._usable
            )
        return self._cache[student_id]

    def _usable(self, data: StudentData) -> bool:
        return (self.accept is None or self.accept(data)) and self.discriminates(data)

    def discriminates(self, data: StudentData) -> bool:
        """True when, on *data*, every known mistake of every number (or per-customer number)
        question gives an answer the check tells from every right one: further than twice the
        tolerance, so that a rounded wrong method is never taken for the right answer."""
        for q in self.questions:
            if q.kind not in ("number", "values"):
                continue
            rights = [q.expected(data), *(alt(data) for alt in q.alternatives)]
            for near in q.near_misses:
                if near.make is None:
                    continue
                wrong = near.make(data)
                for right in rights:
                    if q.kind == "number" and close(float(wrong), right, 2 * q.abs_tol):
                        return False
                    if q.kind == "values" and not differing_values(wrong, right, 2 * q.abs_tol):
                        return False
        return True

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

    def unseen_data(self, token: str, n: int = 2) -> list[StudentData]:
        """Further datasets the grader calls a student's function on: drawn from *token*, which
        the grader derives from its own secret, so no student has seen them."""
        return [self.data(f"unseen:{token}:{i}") for i in range(1, n + 1)]

    def __iter__(self):
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)


def answer_cells(question: Question, prompt: str, template: str) -> Sequence[Cell]:
    """The cells of a question: its prompt, the student's own case and options (for a choice or
    a drawn case), the answer cell and the check cell."""
    ask = question.kind == "choice" or question.case is not None
    return (
        Cell("markdown", prompt, question.number),
        *((Cell("ask", "", question.number),) if ask else ()),
        Cell("answer", template, question.number),
        Cell("check", "", question.number),
    )
