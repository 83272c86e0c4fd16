"""Exercise set 04: 6C credit analysis (6C分析) and credit grades, on the student's customers.

Lesson: ``notebooks/04_credit_6c.ipynb``. Data: ``data.credit``, one row per customer with the
six 1-5 scores (``character`` ... ``continuity``) and ``avg_days_late``; ``data.focus`` names one
customer who asks for longer payment terms.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.methods.credit import (
    DEFAULT_CUTOFFS,
    DEFAULT_POLICIES,
    character_from_repayment,
    credit_score,
)
from crmsim.terms import GRADES, SIX_C

NAME = "ex04_credit"


def _prepare(data: StudentData) -> dict[str, Any]:
    credit = data.customers[["customer_id", *SIX_C, "avg_days_late"]].reset_index(drop=True)
    focus = str(credit["customer_id"].iloc[int(data.rng.integers(len(credit)))])
    return {"credit": credit, "focus": focus}


def _scored(data: StudentData) -> pd.DataFrame:
    return data.memo("scored", lambda: credit_score(data.credit))


def _accept(data: StudentData) -> bool:
    scores = _scored(data)["score"]
    on_cutoff = scores.isin(DEFAULT_CUTOFFS).any()
    focus_grade = _scored(data).set_index("customer_id").loc[data.focus, "grade"]
    return bool(on_cutoff and focus_grade in ("B", "C", "D"))


def _score_args(data: StudentData) -> tuple:
    return (data.credit.set_index("customer_id")[list(SIX_C)],)


def _scores(data: StudentData) -> pd.Series:
    return _scored(data).set_index("customer_id")["score"]


def _off_scale(answer: pd.Series, data: StudentData) -> bool:
    return bool(((answer < 1) | (answer > 5)).any())


def _grades(data: StudentData) -> pd.Series:
    return _scored(data).set_index("customer_id")["grade"]


def _strict_grades(data: StudentData) -> pd.Series:
    """The near miss: a score exactly on a cut-off given the worse grade (> instead of >=)."""
    score = _scores(data).to_numpy()
    a, b, c = DEFAULT_CUTOFFS
    grades = np.select([score > a, score > b, score > c], ["A", "B", "C"], default="D")
    return pd.Series(grades, index=_scores(data).index)


def _focus_terms(data: StudentData, shift: int = 0) -> float:
    grade = _grades(data)[data.focus]
    better = GRADES[max(GRADES.index(grade) - shift, 0)]
    return float(DEFAULT_POLICIES[better].payment_terms_days)


q1 = Question(
    NAME, 1, "six_c_score", "function", _scores,
    solution_code=(
        "def six_c_score(scores):\n"
        "    # one row per customer, the six 1-5 scores as columns: the equal-weight mean\n"
        "    return scores.mean(axis=1)"
    ),
    returns="values", args=_score_args,
    near_misses=(NearMiss("off_scale", test=_off_scale),),
)
q2 = Question(
    NAME, 2, "grades", "labels", _grades,
    solution_code='grades = crmsim.credit_score(data.credit).set_index("customer_id")["grade"]',
    near_misses=(NearMiss("strict", _strict_grades),),
    column="grade", allowed=GRADES,
)
q3 = Question(
    NAME, 3, "repayment_c", "choice", lambda d: str(character_from_repayment([0]).name),
    solution_code='repayment_c = "character"',
    near_misses=(NearMiss("capacity", lambda d: "capacity"),),
    options=SIX_C,
)
q4 = Question(
    NAME, 4, "terms_days", "number", _focus_terms,
    solution_code=(
        "table = crmsim.credit_score(data.credit).set_index(\"customer_id\")\n"
        "terms_days = table.loc[data.focus, \"payment_terms_days\"]"
    ),
    near_misses=(NearMiss("better_grade", lambda d: _focus_terms(d, shift=1)),),
    tolerance=0.0,
)

CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (compute, a function): the 6C score\n\n"
        "Write a function `six_c_score(scores)` that takes a DataFrame indexed by "
        "`customer_id` with the six columns character (品德), capacity (能力), capital (资本), "
        "collateral (抵押物品), condition (经济状况) and continuity (连续性), each scored 1-5, "
        "and returns each customer's equal-weight 6C score as a Series (same index). The check "
        "calls it on your customers; your instructor's grading also calls it on other data."
    ), "def six_c_score(scores):\n    return ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): credit grades\n\n"
        "Grade your customers A-D with crmsim's default cut-offs (A from 4.0, B from 3.0, C from "
        "2.0). Give `grades` as a Series indexed by `customer_id`."
    ), "grades = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): what does a repayment record measure?\n\n"
        "Which of the six Cs does a customer's record of paying on time measure best? Answer "
        f"one of {', '.join(map(repr, SIX_C))}."
    ), "repayment_c = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): a request for longer terms\n\n"
        "Customer `data.focus` asks you for 60-day payment terms. Under crmsim's default credit "
        "policies, how many days of payment terms does its credit grade allow? (If it is less "
        "than 60, the answer to the customer is no, or a better grade first.)"
    ), "terms_days = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="04_credit",
    title="Exercises 04: 6C credit analysis (6C分析) and credit grades",
    lesson="notebooks/04_credit_6c.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, prepare=_prepare, accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
