"""Exercise set 01: the relationship lifecycle (客户关系生命周期), on the student's customers.

Lesson: ``notebooks/01_relationships_and_lifecycle.ipynb``. Data: ``data.transactions``, the
order lines of the student's customers up to 2024-12-31.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import AS_OF, StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.methods.lifecycle import infer_stage, stage_mix
from crmsim.terms import STATES

NAME = "ex01_lifecycle"

#: The shorter half-year rule of crmsim.methods.lifecycle's docstring (a near miss here).
HALF_YEAR = {"window_months": 6, "exploration_months": 6, "growth_ratio": 1.2,
             "stability_months": 18, "recency_decline_months": 3}


def _table(data: StudentData, rules: dict | None = None) -> pd.DataFrame:
    key = ("stages", tuple(sorted((rules or {}).items())))
    return data.memo(key, lambda: infer_stage(data.transactions, as_of=AS_OF, rules=rules))


def _stages(data: StudentData, rules: dict | None = None) -> pd.Series:
    return _table(data, rules).set_index("customer_id")["stage"]


def _accept(data: StudentData) -> bool:
    stages = _table(data)["stage"]
    return bool((stages == "decline").sum() >= 2 and (stages == "lost").sum() >= 1
                and (stages == "stability").sum() >= 1
                and _call_first(data) != _call_first(data, among=None))


def _stability_share(data: StudentData) -> float:
    return float(stage_mix(_table(data)).set_index("stage").loc["stability", "share"])


def _stability_share_not_lost(data: StudentData) -> float:
    stages = _table(data)["stage"]
    return float((stages == "stability").sum() / (stages != "lost").sum())


def _described_customer() -> pd.DataFrame:
    """A customer since January 2022 who ordered every month until November 2024: 1,000 a
    month in 2023, 600 a month in 2024."""
    months = pd.date_range("2022-01-15", "2024-11-15", freq="MS") + pd.Timedelta(days=14)
    amount = [1000.0 if d.year < 2024 else 600.0 for d in months]
    return pd.DataFrame({"customer_id": "X", "date": months, "amount": amount})


def _described_stage(data: StudentData) -> str:
    return str(infer_stage(_described_customer(), as_of=AS_OF)["stage"].iloc[0])


def _call_first(
    data: StudentData, among: str | None = "decline", by: str = "spend_previous"
) -> str:
    table = _table(data)
    mine = table if among is None else table[table["stage"] == among]
    mine = mine.sort_values([by, "customer_id"],
                                                      ascending=[False, True])
    return str(mine["customer_id"].iloc[0])


q1 = Question(
    NAME, 1, "stages", "labels", _stages,
    solution_code=(
        'table = crmsim.infer_stage(data.transactions, as_of="2024-12-31")\n'
        'stages = table.set_index("customer_id")["stage"]'
    ),
    near_misses=(NearMiss("half_year", lambda d: _stages(d, HALF_YEAR)),),
    column="stage", allowed=STATES,
)
q2 = Question(
    NAME, 2, "stability_share", "number", _stability_share,
    solution_code=(
        'mix = crmsim.stage_mix(crmsim.infer_stage(data.transactions, as_of="2024-12-31"))\n'
        'stability_share = mix.set_index("stage").loc["stability", "share"]'
    ),
    near_misses=(
        NearMiss("not_lost", _stability_share_not_lost),
        NearMiss("percent", lambda d: 100 * _stability_share(d)),
    ),
    tolerance=0.005,
)
q3 = Question(
    NAME, 3, "described_stage", "choice", _described_stage,
    solution_code='described_stage = "decline"',
    near_misses=(NearMiss("lost", lambda d: "lost"), NearMiss("stability", lambda d: "stability")),
    options=STATES,
)
q4 = Question(
    NAME, 4, "call_first", "id", _call_first,
    solution_code=(
        'table = crmsim.infer_stage(data.transactions, as_of="2024-12-31")\n'
        'declining = table[table["stage"] == "decline"]\n'
        'call_first = declining.sort_values("spend_previous", ascending=False)'
        '["customer_id"].iloc[0]'
    ),
    near_misses=(
        NearMiss("any_stage", lambda d: _call_first(d, among=None)),
        NearMiss("lost", lambda d: _call_first(d, among="lost")),
    ),
)

CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (compute): which stage is each customer in?\n\n"
        "Infer each of your customers' lifecycle stage — exploration (考察期), formation "
        "(形成期), stability (稳定期), decline (退化期) or lost (客户流失) — on 2024-12-31 with "
        "crmsim's default rules. Give `stages` as a Series indexed by `customer_id`."
    ), "stages = ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): how many relationships are stable?\n\n"
        "What share of **all** your customers is in the stability stage? A number between 0 "
        "and 1."
    ), "stability_share = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): read a relationship\n\n"
        "A customer has bought every month since January 2022, the last time in November 2024. "
        "It spent 1,000 CNY a month in 2023 and 600 CNY a month in 2024. On 2024-12-31, in "
        f"which stage is it by crmsim's rules? Answer one of {', '.join(map(repr, STATES))}."
    ), "described_stage = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): whom to call first?\n\n"
        "A declining relationship can still be recovered. Your account manager can call one "
        "customer this week. Among your customers in **decline**, choose the one whose "
        "relationship was largest before it started to fall: the largest spend in the previous "
        "12-month window (`spend_previous`). Give its `customer_id` as a string."
    ), "call_first = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="01_lifecycle",
    title="Exercises 01: the customer relationship lifecycle (客户关系生命周期)",
    lesson="notebooks/01_relationships_and_lifecycle.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
