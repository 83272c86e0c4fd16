"""Exercise set 03: the customer pyramid (金字塔理论), on the student's customers.

Lesson: ``notebooks/03_customer_pyramid.ipynb``. Data: ``data.values``, one row per customer with
``current_value`` (当前价值, 2024 sales) and ``growth_potential`` (增值潜力, the room left in the
customer's annual wallet), from :func:`crmsim.customer_value`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import AS_OF, StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.methods.pyramid import PYRAMID_TIERS, TIER_LEVELS, customer_pyramid
from crmsim.methods.value import customer_value

NAME = "ex03_pyramid"


def _prepare(data: StudentData) -> dict[str, Any]:
    value = customer_value(data.transactions, as_of=AS_OF, customers=data.customers)
    table = value[["customer_id", "current_value", "growth_potential"]].copy()
    table[["current_value", "growth_potential"]] = table[
        ["current_value", "growth_potential"]].round(2)
    return {"values": table.reset_index(drop=True)}


def _pyramid(data: StudentData, split: str = "median", swap: bool = False) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        v = data.values
        cur, pot = ("growth_potential", "current_value") if swap else (
            "current_value", "growth_potential")
        if split == "mean":
            return customer_pyramid(v, current=cur, potential=pot, split="threshold",
                                    current_threshold=float(v[cur].mean()),
                                    potential_threshold=float(v[pot].mean()))
        return customer_pyramid(v, current=cur, potential=pot)

    return data.memo(("pyramid", split, swap), compute)


def _tiers(data: StudentData, split: str = "median", swap: bool = False) -> pd.Series:
    return _pyramid(data, split, swap).set_index("customer_id")["tier"]


def _accept(data: StudentData) -> bool:
    median, mean = _tiers(data), _tiers(data, "mean")
    count = (median == "platinum").sum()
    return bool(count >= 2 and count != (mean == "platinum").sum()
                and _iron_potential(data) != _iron_potential(data, "mean"))


def _count(data: StudentData, tier: str, split: str = "median") -> float:
    return float((_tiers(data, split) == tier).sum())


def _iron_potential(data: StudentData, split: str = "median") -> float:
    table = _pyramid(data, split)
    return float(table.loc[table["tier"] == "iron", "growth_potential"].sum())


def _low_high_tier(data: StudentData) -> str:
    return next(t for t, levels in TIER_LEVELS.items() if levels == ("low", "high"))


q1 = Question(
    NAME, 1, "tiers", "labels", _tiers,
    solution_code='tiers = crmsim.customer_pyramid(data.values).set_index("customer_id")["tier"]',
    near_misses=(
        NearMiss("mean", lambda d: _tiers(d, "mean")),
        NearMiss("swapped", lambda d: _tiers(d, swap=True)),
    ),
    column="tier", allowed=PYRAMID_TIERS,
)
q2 = Question(
    NAME, 2, "n_platinum", "number", lambda d: _count(d, "platinum"),
    solution_code=(
        'tiers = crmsim.customer_pyramid(data.values)["tier"]\n'
        'n_platinum = int((tiers == "platinum").sum())'
    ),
    near_misses=(NearMiss("mean", lambda d: _count(d, "platinum", "mean")),),
    tolerance=0.0,
)
q3 = Question(
    NAME, 3, "low_high_tier", "choice", _low_high_tier,
    solution_code='low_high_tier = "iron"',
    near_misses=(NearMiss("gold", lambda d: "gold"),),
    options=PYRAMID_TIERS,
)
q4 = Question(
    NAME, 4, "iron_potential", "number", _iron_potential,
    solution_code=(
        "pyramid = crmsim.customer_pyramid(data.values)\n"
        'iron_potential = pyramid.loc[pyramid["tier"] == "iron", "growth_potential"].sum()'
    ),
    near_misses=(NearMiss("mean", lambda d: _iron_potential(d, "mean")),),
    tolerance=0.5,
)

CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (compute): place your customers in the pyramid\n\n"
        "Split current value (当前价值) and growth potential (增值潜力) of `data.values` into "
        "high and low the textbook way crmsim uses by default, and give each customer its tier: "
        "platinum (铂金客户), gold (黄金客户), iron (铁质客户) or lead (铅质客户). Give `tiers` "
        "as a Series indexed by `customer_id`."
    ), "tiers = ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): how many platinum customers?\n\n"
        "How many of your customers are platinum? A whole number."
    ), "n_platinum = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): low now, high potential\n\n"
        "A customer buys little from you today but has a large annual wallet left to win. "
        f"Which tier is it in? Answer one of {', '.join(map(repr, PYRAMID_TIERS))}."
    ), "low_high_tier = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): where to develop buying potential\n\n"
        "You can free one account manager to develop customers' buying potential (cross- and "
        "up-selling). The textbook sends such effort to the iron customers. How much growth "
        "potential (CNY a year, total) sits in your iron tier? This is the prize the manager "
        "works for: compare it with the cost of a manager in `crmsim.datasets."
        "load_account_managers()` before deciding."
    ), "iron_potential = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="03_pyramid",
    title="Exercises 03: the customer pyramid (金字塔理论)",
    lesson="notebooks/03_customer_pyramid.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, prepare=_prepare, accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
