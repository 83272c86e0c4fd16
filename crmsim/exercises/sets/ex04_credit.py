"""Exercise set 04: 6C credit analysis (6C分析) and credit grades, on the student's customers.

Lesson: ``notebooks/04_credit_6c.ipynb``. Data: ``data.credit``, one row per customer with the
six 1-5 scores (``character`` ... ``continuity``), ``avg_days_late`` and ``monthly_sales`` (the
average monthly purchases of 2024, CNY); ``data.focus`` names one customer who asks for more
credit; ``data.evidence``, the piece of evidence question 3 asks about (drawn from the id).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData, seed_of
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.exercises.texts import case_text
from crmsim.methods.credit import DEFAULT_CUTOFFS, DEFAULT_POLICIES, credit_score
from crmsim.terms import GRADES, SIX_C

NAME = "ex04_credit"

#: Evidence a salesperson may hold about a customer, and the C it measures best (question 3).
EVIDENCE: dict[str, str] = {
    "its record of paying invoices on time over the last three years": "character",
    "how well its managers run the business and manage cash flow": "capacity",
    "its cash in the bank and its ability to raise funds from banks or owners": "capital",
    "the warehouse and vans it can pledge as security": "collateral",
    "the state of its local market and of the economy it works in": "condition",
    "its prospects of still operating in five years (succession, lease, licences)": "continuity",
}
#: The C each one is most often confused with (question 3's near miss).
CONFUSED: dict[str, str] = {
    "character": "capacity",
    "capacity": "character",
    "capital": "collateral",
    "collateral": "capital",
    "condition": "continuity",
    "continuity": "condition",
}


def _prepare(data: StudentData) -> dict[str, Any]:
    import numpy as np

    credit = data.customers[["customer_id", *SIX_C, "avg_days_late"]].reset_index(drop=True)
    tx = data.transactions
    in_2024 = tx[pd.to_datetime(tx["date"]).dt.year == 2024]
    monthly = (in_2024.groupby("customer_id")["amount"].sum() / 12).round(2)
    credit["monthly_sales"] = credit["customer_id"].map(monthly).fillna(0.0).to_numpy()
    focus = str(credit["customer_id"].iloc[int(data.rng.integers(len(credit)))])
    rng = np.random.default_rng([seed_of(data.student_id), 104])
    evidence = list(EVIDENCE)[int(rng.integers(0, len(EVIDENCE)))]
    return {"credit": credit, "focus": focus, "evidence": evidence}


def _scored(data: StudentData) -> pd.DataFrame:
    return data.memo("scored", lambda: credit_score(data.credit, monthly_sales="monthly_sales"))


def _accept(data: StudentData) -> bool:
    scores = _scored(data)["score"]
    on_cutoff = scores.isin(DEFAULT_CUTOFFS).any()
    focus = _scored(data).set_index("customer_id").loc[data.focus]
    return bool(on_cutoff and focus["grade"] in ("A", "B", "C") and focus["credit_limit"] > 0)


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


def _focus_limit(data: StudentData, shift: int = 0, months: float | None = None) -> float:
    """The focus customer's credit limit (CNY); *shift* grades better; or *months* of sales."""
    grade = _grades(data)[data.focus]
    better = GRADES[max(GRADES.index(grade) - shift, 0)]
    sales = float(data.credit.set_index("customer_id").loc[data.focus, "monthly_sales"])
    factor = DEFAULT_POLICIES[better].credit_limit_months if months is None else months
    return float(factor * sales)


def _annual_limit(data: StudentData) -> float:
    return 12 * _focus_limit(data)


#: Question 3's case; translations: exercise_text.ex04_credit.q3.case and, for each piece of
#: evidence, exercise_text.ex04_credit.q3.case.<the C it measures>. ``data.evidence`` keeps the
#: English sentence (the reference solution reads it).
CASE = (
    "A salesperson knows {evidence} (`data.evidence`). Which of the six Cs does this measure "
    "best?"
)


def _evidence_text(data: StudentData) -> str:
    key = f"{NAME}.q3.case"
    evidence = case_text(f"{key}.{EVIDENCE[data.evidence]}", data.evidence)
    return case_text(key, CASE, evidence=evidence)


q1 = Question(
    NAME,
    1,
    "six_c_score",
    "function",
    _scores,
    solution_code=(
        "def six_c_score(scores):\n"
        "    # one row per customer, the six 1-5 scores as columns: the equal-weight mean\n"
        "    return scores.mean(axis=1)"
    ),
    returns="values",
    args=_score_args,
    near_misses=(NearMiss("off_scale", test=_off_scale),),
    points=2,
)
q2 = Question(
    NAME,
    2,
    "grades",
    "labels",
    _grades,
    solution_code='grades = crmsim.credit_score(data.credit).set_index("customer_id")["grade"]',
    near_misses=(NearMiss("strict", _strict_grades),),
    column="grade",
    allowed=GRADES,
    points=2,
    partial=0.5,
)
q3 = Question(
    NAME,
    3,
    "evidence_c",
    "choice",
    lambda d: EVIDENCE[d.evidence],
    solution_code=(
        "# repayment record -> character (the best proxy); management and cash flow -> "
        "capacity;\n"
        "# cash and funding -> capital; pledged assets -> collateral; the market -> condition;\n"
        "# the prospects of carrying on -> continuity\n"
        'measures = {"paying": "character", "run the business": "capacity", "cash": "capital",\n'
        '            "pledge": "collateral", "market": "condition", "prospects": "continuity"}\n'
        "evidence_c = q3.letter(next(c for k, c in measures.items() if k in data.evidence))"
    ),
    near_misses=(NearMiss("confused", lambda d: CONFUSED[EVIDENCE[d.evidence]]),),
    options=SIX_C,
    case=_evidence_text,
)
q4 = Question(
    NAME,
    4,
    "credit_limit",
    "number",
    _focus_limit,
    solution_code=(
        'table = crmsim.credit_score(data.credit, monthly_sales="monthly_sales")\n'
        'credit_limit = table.set_index("customer_id").loc[data.focus, "credit_limit"]'
    ),
    near_misses=(
        NearMiss("better_grade", lambda d: _focus_limit(d, shift=1)),
        NearMiss("annual", _annual_limit),
        NearMiss("one_month", lambda d: _focus_limit(d, months=1.0)),
    ),
    decimals=0,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_limit",
    "text",
    lambda d: None,
    solution_code=(
        'why_limit = """Its grade allows only this limit, so I would not grant more now: the '
        "grade rests on its 6C scores, and giving more credit than the policy allows raises "
        "the risk of bad debt and of longer days-sales-outstanding. I would offer to review the "
        'limit once its repayment record improves."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (compute, a function): the 6C score\n\n"
            "Write a function `six_c_score(scores)` that takes a DataFrame indexed by "
            "`customer_id` with the six columns character (品德), capacity (能力), capital (资本), "
            "collateral (抵押物品), condition (经济状况) and continuity (连续性), each scored 1-5, "
            "and returns each customer's equal-weight 6C score as a Series (same index). The check "
            "calls it on your customers; your instructor's grading also calls it on other data."
        ),
        "def six_c_score(scores):\n    return ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): credit grades\n\n"
            "Grade your customers A-D with crmsim's default cut-offs (A from 4.0, B from 3.0, C "
            "from 2.0). Give `grades` as a Series indexed by `customer_id`."
        ),
        "grades = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): what does a piece of evidence measure?\n\n"
            "The cell below names a piece of evidence a salesperson holds (yours alone). Which of "
            "the six Cs does it measure best? Answer with the **letter** of your option, e.g. "
            '`evidence_c = "b"`.'
        ),
        "evidence_c = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): a request for more credit\n\n"
            "Customer `data.focus` asks you for more credit. Under crmsim's default credit "
            "policies, what credit limit (CNY) does its grade allow, counting its average monthly "
            'purchases `data.credit["monthly_sales"]`? Give the amount to the nearest CNY or '
            "more precisely."
        ),
        "credit_limit = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): answer the customer\n\n"
            "In two to four sentences: what do you tell customer `data.focus`, and why? Your "
            "instructor grades this answer by hand."
        ),
        'why_limit = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="04_credit",
    title="Exercises 04: 6C credit analysis (6C分析) and credit grades",
    lesson="notebooks/04_credit_6c.ipynb",
    questions=[q1, q2, q3, q4, q5],
    cells=CELLS,
    prepare=_prepare,
    accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
