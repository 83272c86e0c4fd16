"""Exercise set 01: the relationship lifecycle (客户关系生命周期), on the student's customers.

Lesson: ``notebooks/01_relationships_and_lifecycle.ipynb``. Data: ``data.transactions``, the
order lines of the student's customers up to 2024-12-31; ``data.described``, the orders of one
more customer described in words in question 3 (drawn from the student's id).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import AS_OF, StudentData, seed_of
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.exercises.texts import case_text
from crmsim.methods.lifecycle import infer_stage
from crmsim.terms import STATES

NAME = "ex01_lifecycle"

#: The shorter half-year rule of crmsim.methods.lifecycle's docstring (a near miss here).
HALF_YEAR = {
    "window_months": 6,
    "exploration_months": 6,
    "growth_ratio": 1.2,
    "stability_months": 18,
    "recency_decline_months": 3,
}
#: Monthly-spend multipliers of 2024 against earlier years for the described customer.
_RATIOS = (0.4, 0.6, 0.8, 1.0, 1.0, 1.2, 1.5, 2.0)
#: Months without an order before 2024-12-31 for the described customer.
_GAPS = (0, 0, 1, 2, 3, 4, 5, 6, 8, 10)


#: The described customer's case (question 3), with its parts; translations are the catalog
#: messages exercise_text.ex01_lifecycle.q3.case[.<part>] (crmsim.exercises.texts.case_text).
CASE = (
    "Customer X first bought in {first} and has bought every month since, the last time in "
    "{last}. It spent {spend}. (Its orders are in `data.described`.)"
)
CASE_SPEND = "{amount} CNY a month"
CASE_SPEND_CHANGED = "{before} CNY a month before 2024 and {after} CNY a month in 2024"
#: How a month is written in the case: a Babel date pattern ("March 2024").
CASE_MONTH = "MMMM y"


def _described(data: StudentData) -> pd.DataFrame:
    """One more customer, drawn from the student's id: its orders (monthly, one amount before
    2024 and one in 2024)."""
    import numpy as np

    rng = np.random.default_rng([seed_of(data.student_id), 101])
    start = pd.Timestamp("2019-01-15") + pd.DateOffset(months=int(rng.integers(0, 71)))
    last = max(start, pd.Timestamp("2024-12-15") - pd.DateOffset(months=int(rng.choice(_GAPS))))
    base = float(rng.integers(8, 31) * 50)
    ratio = float(rng.choice(_RATIOS))
    months = pd.date_range(start, last, freq="MS") + pd.Timedelta(days=14)
    if len(months) == 0:
        months = pd.DatetimeIndex([start])
    amount = [base if d.year < 2024 else round(base * ratio, 2) for d in months]
    return pd.DataFrame({"customer_id": "X", "date": months, "amount": amount})


def _described_text(data: StudentData) -> str:
    """The described customer in words, in the session's language (read from its orders)."""
    from babel.dates import format_date

    orders = data.described
    dates = pd.to_datetime(orders["date"])
    before = orders.loc[dates.dt.year < 2024, "amount"]
    during = orders.loc[dates.dt.year == 2024, "amount"]
    key = f"{NAME}.q3.case"
    if before.empty or during.empty or float(before.iloc[0]) == float(during.iloc[0]):
        amount = float((during if before.empty else before).iloc[0])
        spend = case_text(f"{key}.spend", CASE_SPEND, amount=f"{amount:,.0f}")
    else:
        spend = case_text(f"{key}.spend_changed", CASE_SPEND_CHANGED,
                          before=f"{float(before.iloc[0]):,.0f}",
                          after=f"{float(during.iloc[0]):,.0f}")
    pattern = case_text(f"{key}.month", CASE_MONTH)
    return case_text(key, CASE, first=format_date(dates.iloc[0].date(), pattern, locale="en"),
                     last=format_date(dates.iloc[-1].date(), pattern, locale="en"), spend=spend)


def _prepare(data: StudentData) -> dict[str, Any]:
    return {"described": _described(data)}


def _table(data: StudentData, rules: dict | None = None) -> pd.DataFrame:
    key = ("stages", tuple(sorted((rules or {}).items())))
    return data.memo(key, lambda: infer_stage(data.transactions, as_of=AS_OF, rules=rules))


def _stages(data: StudentData, rules: dict | None = None) -> pd.Series:
    return _table(data, rules).set_index("customer_id")["stage"]


def _accept(data: StudentData) -> bool:
    stages = _table(data)["stage"]
    return bool(
        (stages == "decline").sum() >= 2
        and (stages == "lost").sum() >= 1
        and (stages == "stability").sum() >= 1
        and _call_first(data) != _call_first(data, among=None)
    )


def _stable_share(data: StudentData, column: str = "spend_recent") -> float:
    table = _table(data)
    spend = table[column]
    return float(spend[table["stage"] == "stability"].sum() / spend.sum())


def _stable_customers(data: StudentData) -> float:
    return float((_table(data)["stage"] == "stability").mean())


def _described_stage(data: StudentData, rules: dict | None = None) -> str:
    return str(infer_stage(data.described, as_of=AS_OF, rules=rules)["stage"].iloc[0])


def _call_first(
    data: StudentData, among: str | None = "decline", by: str = "spend_previous"
) -> str:
    table = _table(data)
    mine = table if among is None else table[table["stage"] == among]
    mine = mine.sort_values([by, "customer_id"], ascending=[False, True])
    return str(mine["customer_id"].iloc[0])


q1 = Question(
    NAME,
    1,
    "stages",
    "labels",
    _stages,
    solution_code=(
        'table = crmsim.infer_stage(data.transactions, as_of="2024-12-31")\n'
        'stages = table.set_index("customer_id")["stage"]'
    ),
    near_misses=(NearMiss("half_year", lambda d: _stages(d, HALF_YEAR)),),
    column="stage",
    allowed=STATES,
    points=2,
    partial=0.5,
)
q2 = Question(
    NAME,
    2,
    "stable_spend_share",
    "number",
    _stable_share,
    solution_code=(
        'table = crmsim.infer_stage(data.transactions, as_of="2024-12-31")\n'
        'stable = table["stage"] == "stability"\n'
        'stable_spend_share = table.loc[stable, "spend_recent"].sum() '
        '/ table["spend_recent"].sum()'
    ),
    near_misses=(
        NearMiss("customers", _stable_customers),
        NearMiss("previous", lambda d: _stable_share(d, "spend_previous")),
        NearMiss("percent", lambda d: 100 * _stable_share(d), tolerance=0.05, credit=0.5),
    ),
    decimals=3,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "described_stage",
    "choice",
    _described_stage,
    solution_code=(
        'stage = crmsim.infer_stage(data.described, as_of="2024-12-31")["stage"].iloc[0]\n'
        "described_stage = q3.letter(stage)"
    ),
    near_misses=(NearMiss("half_year", lambda d: _described_stage(d, HALF_YEAR)),),
    options=STATES,
    case=_described_text,
)
q4 = Question(
    NAME,
    4,
    "call_first",
    "id",
    _call_first,
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
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_call",
    "text",
    lambda d: None,
    solution_code=(
        'why_call = """A declining customer still buys from us, so the relationship can be '
        "recovered before it ends; a lost one has already gone and costs more to win back. I "
        "would open by asking what changed in its business and whether our service fell short, "
        'then offer a concrete fix."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): which stage is each customer in?\n\n"
            "Infer each of your customers' lifecycle stage — exploration (考察期), formation "
            "(形成期), stability (稳定期), decline (退化期) or lost (客户流失) — on 2024-12-31 "
            "with crmsim's default rules. Give `stages` as a Series indexed by `customer_id`."
        ),
        "stages = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): how much of the business rests on stable relationships?\n\n"
            "What share of your customers' spending in the last 12 months (`spend_recent`, as "
            "`crmsim.infer_stage` reports it) comes from customers in the stability stage? Give a "
            "number between 0 and 1 to at least 3 decimals (e.g. 0.412); more decimals are fine."
        ),
        "stable_spend_share = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): read a relationship\n\n"
            "The cell below describes one more customer (yours alone). On 2024-12-31, in which "
            "stage is it by crmsim's default rules? Work it out from the rules or run "
            "`crmsim.infer_stage` on `data.described`, then answer with the **letter** of your "
            'option, e.g. `described_stage = "b"` (`q3.letter("decline")` gives the letter of '
            "an option)."
        ),
        "described_stage = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): whom to call first?\n\n"
            "A declining relationship can still be recovered. Your account manager can call one "
            "customer this week. Among your customers in **decline**, choose the one whose "
            "relationship was largest before it started to fall: the largest spend in the previous "
            "12-month window (`spend_previous`). Give its `customer_id` as a string."
        ),
        "call_first = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): why that call?\n\n"
            "In two to four sentences: why call a declining customer rather than a lost one, and "
            "what would you say first? Your instructor grades this answer by hand."
        ),
        'why_call = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="01_lifecycle",
    title="Exercises 01: the customer relationship lifecycle (客户关系生命周期)",
    lesson="notebooks/01_relationships_and_lifecycle.ipynb",
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
