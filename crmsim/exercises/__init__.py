"""Exercises with immediate, specific feedback on each student's own data, and instructor tools.

For students (in the notebooks of ``exercises/``)::

    from crmsim.exercises import ____, progress
    from crmsim.exercises.sets import ex02_abc as ex
    data = ex.setup(student_id="2024001")    # your own small company
    q1, q2, q3, q4 = ex.questions()
    abc_classes = ____                       # your answer
    q1.check()                               # q1.hint(), q1.hint(2), q1.solution()

For instructors: ``crmsim exercises student OUT_DIR``, ``crmsim exercises solutions OUT_DIR`` and
``crmsim exercises grade SUBMISSIONS_DIR --out grades.csv`` (see :mod:`crmsim.exercises.cli`).
"""

from crmsim.exercises.core import Feedback, NearMiss, Question, ____, is_blank
from crmsim.exercises.data import StudentData, student_data
from crmsim.exercises.progress import progress

__all__ = [
    "____", "Feedback", "NearMiss", "Question", "StudentData", "is_blank", "progress",
    "student_data",
]
