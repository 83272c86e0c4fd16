"""Exercise set 02: ABC classification (ABC分类法) and the 80/20 rule, on the student's customers.

Lesson: ``notebooks/02_abc_and_pareto.ipynb``. Data: ``data.sales``, one row per customer with
its 2024 sales (``amount``, CNY); ``data.example``, five customers' sales for question 3, and
``data.asked``, the one question 3 asks about (both drawn from the student's id).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData, seed_of
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.exercises.texts import case_text
from crmsim.methods.abc import abc_classify
from crmsim.methods.concentration import share_reaching, top_share

NAME = "ex02_abc"
CLASSES = ("A", "B", "C")


def _example(data: StudentData) -> tuple[pd.DataFrame, str]:
    """Five customers' sales and the one asked about, drawn from the student's id (each class
    about as likely to be the answer)."""
    rng = np.random.default_rng([seed_of(data.student_id), 102])
    amounts = np.sort(rng.integers(1, 60, size=5) * 10)[::-1]
    example = pd.DataFrame({"customer_id": ["v", "w", "x", "y", "z"], "amount": amounts})
    classes = abc_classify(example).set_index("customer_id")["class"]
    present = sorted(set(classes))
    pick = present[int(rng.integers(0, len(present)))]
    members = sorted(classes[classes == pick].index)
    return example, members[int(rng.integers(0, len(members)))]


def _prepare(data: StudentData) -> dict[str, Any]:
    tx = data.transactions
    in_2024 = tx[pd.to_datetime(tx["date"]).dt.year == 2024]
    amount = in_2024.groupby("customer_id")["amount"].sum()
    sales = pd.DataFrame({"customer_id": data.ids})
    sales["amount"] = sales["customer_id"].map(amount).fillna(0.0).round(2).to_numpy()
    example, asked = _example(data)
    return {"sales": sales, "example": example, "asked": asked}


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


def _a_sales(data: StudentData, classes: pd.Series | None = None) -> float:
    classes = _classes(data) if classes is None else classes
    sales = data.sales.set_index("customer_id")["amount"]
    return float(sales[classes.reindex(sales.index) == "A"].sum())


def _asked_class(data: StudentData, boundary: str = "including") -> str:
    table = abc_classify(data.example, value="amount", boundary=boundary)
    return str(table.set_index("customer_id").loc[data.asked, "class"])


#: Question 3's case (translations: catalog messages exercise_text.ex02_abc.q3.case[.<part>]).
CASE = (
    "Five customers' sales (CNY, `data.example`): {pairs}. In which class does crmsim put "
    "customer {asked!r} (`data.asked`) with its default boundary rule?"
)
CASE_PAIR = "{customer} {amount}"
CASE_SEPARATOR = ", "


def _example_text(data: StudentData) -> str:
    key = f"{NAME}.q3.case"
    pairs = case_text(f"{key}.separator", CASE_SEPARATOR).join(
        case_text(f"{key}.pair", CASE_PAIR, customer=c, amount=f"{a:,}")
        for c, a in zip(data.example["customer_id"], data.example["amount"], strict=True)
    )
    return case_text(key, CASE, pairs=pairs, asked=data.asked)


def _top20(data: StudentData) -> float:
    return float(top_share(data.sales["amount"], 0.2))


q1 = Question(
    NAME,
    1,
    "abc_classes",
    "labels",
    _classes,
    solution_code=(
        'table = crmsim.abc_classify(data.sales, value="amount")\n'
        'abc_classes = table.set_index("customer_id")["class"]'
    ),
    near_misses=(
        NearMiss("by_count", _by_count),
        NearMiss("boundary", lambda d: _classes(d, boundary="before")),
    ),
    column="class",
    allowed=CLASSES,
    points=2,
    partial=0.5,
)
q2 = Question(
    NAME,
    2,
    "a_sales",
    "number",
    _a_sales,
    solution_code=(
        'table = crmsim.abc_classify(data.sales, value="amount")\n'
        'a_sales = table.loc[table["class"] == "A", "value"].sum()'
    ),
    near_misses=(
        NearMiss("by_count", lambda d: _a_sales(d, _by_count(d))),
        NearMiss("boundary", lambda d: _a_sales(d, _classes(d, boundary="before"))),
        NearMiss("total", lambda d: float(d.sales["amount"].sum())),
    ),
    decimals=0,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "asked_class",
    "choice",
    _asked_class,
    solution_code=(
        'table = crmsim.abc_classify(data.example, value="amount").set_index("customer_id")\n'
        'asked_class = q3.letter(table.loc[data.asked, "class"])'
    ),
    near_misses=(NearMiss("before", lambda d: _asked_class(d, boundary="before")),),
    options=CLASSES,
    case=_example_text,
)
q4 = Question(
    NAME,
    4,
    "top20_share",
    "number",
    _top20,
    solution_code=(
        'amounts = data.sales["amount"].sort_values(ascending=False)\n'
        "top20_share = amounts.iloc[:8].sum() / amounts.sum()"
    ),
    near_misses=(
        NearMiss("share_reaching", lambda d: share_reaching(d.sales["amount"], 0.8)),
        NearMiss("percent", lambda d: 100 * _top20(d), tolerance=0.05, credit=0.5),
    ),
    decimals=3,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_rule",
    "text",
    lambda d: None,
    solution_code=(
        'why_rule = """My top 20% of customers bring less (or more) than 80% of sales, so the '
        "80/20 rule is only a tendency here. If the share is well below 0.8, key-account "
        "managers who serve only the A customers would protect less of the business than the "
        'rule suggests, and B customers deserve attention too."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): classify your customers\n\n"
            "Put each customer of `data.sales` in class A, B or C by its 2024 sales, with the "
            "textbook cut-offs (A up to 80% of cumulative sales, B up to 90%, C the rest) and "
            "crmsim's default boundary rule. Give `abc_classes` as a Series indexed by "
            "`customer_id` (a DataFrame with columns `customer_id` and `class` works too)."
        ),
        "abc_classes = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): how much do the A customers buy?\n\n"
            "How much did your class A customers buy in 2024, in total (CNY)? Give the amount to "
            "the nearest CNY or more precisely."
        ),
        "a_sales = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): the boundary customer\n\n"
            "The cell below gives five customers' sales (yours alone) and asks about one of them. "
            "The customer that carries the cumulative share past a line needs a rule: in crmsim's "
            "default rule, is it in the class above or below the line? Answer with the **letter** "
            'of your option, e.g. `asked_class = "b"`.'
        ),
        "asked_class = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): does your company follow the 80/20 rule?\n\n"
            "The 80/20 rule says about 20% of customers bring 80% of sales. What share of your "
            "2024 sales do your top 20% of customers (your 8 largest of 40) bring? Give a share "
            "between 0 and 1 to at least 3 decimals."
        ),
        "top20_share = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): what the rule means for your company\n\n"
            "In two to four sentences: does your company follow the 80/20 rule, and what does "
            "that mean for concentrating key-account managers on the A customers? Your instructor "
            "grades this answer by hand."
        ),
        'why_rule = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="02_abc",
    title="Exercises 02: ABC classification (ABC分类法) and the 80/20 rule",
    lesson="notebooks/02_abc_and_pareto.ipynb",
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
