"""Exercise set 02: ABC classification (ABC分类法) and the 80/20 rule, on the student's customers.

Lesson: ``notebooks/02_abc_and_pareto.ipynb``. Data: ``data.sales``, one row per customer with
its 2024 sales (``amount``, CNY).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.methods.abc import abc_classify, abc_summary
from crmsim.methods.concentration import share_reaching, top_share

NAME = "ex02_abc"


def _prepare(data: StudentData) -> dict[str, Any]:
    tx = data.transactions
    in_2024 = tx[pd.to_datetime(tx["date"]).dt.year == 2024]
    amount = in_2024.groupby("customer_id")["amount"].sum()
    sales = pd.DataFrame({"customer_id": data.ids})
    sales["amount"] = sales["customer_id"].map(amount).fillna(0.0).round(2).to_numpy()
    return {"sales": sales}


def _accept(data: StudentData) -> bool:
    return int((data.sales["amount"] > 0).sum()) >= 20


def _classes(data: StudentData, boundary: str = "including") -> pd.Series:
    table = abc_classify(data.sales, value="amount", boundary=boundary)
    return table.set_index("customer_id")["class"]


def _by_count(data: StudentData) -> pd.Series:
    """The near miss: the same ranking cut at 80% / 90% of the *customers*, not of the value."""
    table = abc_classify(data.sales, value="amount")
    cum_count = table["rank"] / len(table)
    classes = np.where(cum_count <= 0.8, "A", np.where(cum_count <= 0.9, "B", "C"))
    return pd.Series(classes, index=table["customer_id"].to_numpy())


def _share_a(data: StudentData) -> float:
    return float(abc_summary(abc_classify(data.sales, value="amount")).loc["A", "share_of_value"])


def _share_a_customers(data: StudentData) -> float:
    summary = abc_summary(abc_classify(data.sales, value="amount"))
    return float(summary.loc["A", "share_of_customers"])


def _crossing_class(data: StudentData) -> str:
    """The class crmsim gives the customer that carries the cumulative share past 80%
    (the textbook example 50 / 35 / 10 / 5)."""
    example = pd.DataFrame({"customer_id": ["w", "x", "y", "z"], "amount": [50, 35, 10, 5]})
    table = abc_classify(example)
    crossing = table[(table["cum_share"] > 0.8) & (table["cum_share"] - table["share"] < 0.8)]
    return str(crossing["class"].iloc[0])


def _before_class(data: StudentData) -> str:
    return "A"


q1 = Question(
    NAME, 1, "abc_classes", "labels", _classes,
    solution_code=(
        'table = crmsim.abc_classify(data.sales, value="amount")\n'
        'abc_classes = table.set_index("customer_id")["class"]'
    ),
    near_misses=(
        NearMiss("by_count", _by_count),
        NearMiss("boundary", lambda d: _classes(d, boundary="before")),
    ),
    column="class", allowed=("A", "B", "C"),
)
q2 = Question(
    NAME, 2, "share_a", "number", _share_a,
    solution_code=(
        'summary = crmsim.abc_summary(crmsim.abc_classify(data.sales, value="amount"))\n'
        'share_a = summary.loc["A", "share_of_value"]'
    ),
    near_misses=(
        NearMiss("customers", _share_a_customers),
        NearMiss("percent", lambda d: 100 * _share_a(d)),
    ),
    tolerance=0.005,
)
q3 = Question(
    NAME, 3, "crossing_class", "choice", _crossing_class,
    solution_code='crossing_class = "B"',
    near_misses=(NearMiss("before", _before_class),),
    options=("A", "B", "C"),
)
q4 = Question(
    NAME, 4, "share_for_80", "number",
    lambda d: share_reaching(d.sales["amount"], 0.8),
    solution_code='share_for_80 = crmsim.share_reaching(data.sales["amount"], 0.8)',
    near_misses=(
        NearMiss("top_share", lambda d: top_share(d.sales["amount"], 0.2)),
        NearMiss("percent", lambda d: 100 * share_reaching(d.sales["amount"], 0.8)),
    ),
    tolerance=0.005,
)

CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (compute): classify your customers\n\n"
        "Put each customer of `data.sales` in class A, B or C by its 2024 sales, with the "
        "textbook cut-offs (A up to 80% of cumulative sales, B up to 90%, C the rest) and "
        "crmsim's default boundary rule. Give `abc_classes` as a Series indexed by "
        "`customer_id` (a DataFrame with columns `customer_id` and `class` works too)."
    ), "abc_classes = ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): how much do the A customers bring?\n\n"
        "What share of your customers' total 2024 sales comes from class A? Give a number "
        "between 0 and 1 (e.g. 0.8, not 80)."
    ), "share_a = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): the boundary customer\n\n"
        "Sales of four customers are 50, 35, 10 and 5. The second customer carries the "
        "cumulative share from 50% to 85%, past the 80% line. In which class does crmsim put it "
        "by default? Answer `\"A\"`, `\"B\"` or `\"C\"`."
    ), "crossing_class = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): does your company follow the 80/20 rule?\n\n"
        "The 80/20 rule says about 20% of customers bring 80% of sales. What share of your "
        "customers (top ranked first) is needed to reach 80% of 2024 sales? Give a share "
        "between 0 and 1. If it is far above 0.2, concentrating key-account managers on a few "
        "customers protects less of the business than the rule suggests."
    ), "share_for_80 = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="02_abc",
    title="Exercises 02: ABC classification (ABC分类法) and the 80/20 rule",
    lesson="notebooks/02_abc_and_pareto.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, prepare=_prepare, accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
