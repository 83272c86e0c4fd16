"""Exercise set 03: the customer pyramid (金字塔理论), on the student's customers.

Lesson: ``notebooks/03_customer_pyramid.ipynb``. Data: ``data.values``, one row per customer with
``current_value`` (当前价值, 2024 sales) and ``growth_potential`` (增值潜力, the room left in the
customer's annual wallet), from :func:`crmsim.customer_value`; ``data.described_levels``, the
(current, potential) levels of the customer question 3 describes (drawn from the student's id).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import AS_OF, StudentData, seed_of
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.exercises.texts import case_text
from crmsim.methods.pyramid import PYRAMID_TIERS, TIER_LEVELS, customer_pyramid
from crmsim.methods.value import customer_value

NAME = "ex03_pyramid"

#: How question 3 describes a customer at each (current value, growth potential) level.
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("high", "high"): "buys a lot from you today and still has a large annual wallet left to win",
    ("high", "low"): "buys a lot from you today, and most of its annual wallet is already yours",
    ("low", "high"): "buys little from you today but has a large annual wallet left to win",
    ("low", "low"): "buys little from you today and has little left to win",
}


def _prepare(data: StudentData) -> dict[str, Any]:
    import numpy as np

    value = customer_value(data.transactions, as_of=AS_OF, customers=data.customers)
    table = value[["customer_id", "current_value", "growth_potential"]].copy()
    table[["current_value", "growth_potential"]] = table[
        ["current_value", "growth_potential"]
    ].round(2)
    rng = np.random.default_rng([seed_of(data.student_id), 103])
    levels = list(DESCRIPTIONS)[int(rng.integers(0, len(DESCRIPTIONS)))]
    return {"values": table.reset_index(drop=True), "described_levels": levels}


def _pyramid(data: StudentData, split: str = "median", swap: bool = False) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        v = data.values
        cur, pot = (
            ("growth_potential", "current_value") if swap else ("current_value", "growth_potential")
        )
        if split == "mean":
            return customer_pyramid(
                v,
                current=cur,
                potential=pot,
                split="threshold",
                current_threshold=float(v[cur].mean()),
                potential_threshold=float(v[pot].mean()),
            )
        return customer_pyramid(v, current=cur, potential=pot)

    return data.memo(("pyramid", split, swap), compute)


def _tiers(data: StudentData, split: str = "median", swap: bool = False) -> pd.Series:
    return _pyramid(data, split, swap).set_index("customer_id")["tier"]


def _accept(data: StudentData) -> bool:
    median, mean = _tiers(data), _tiers(data, "mean")
    count = (median == "platinum").sum()
    return bool(
        count >= 2
        and count != (mean == "platinum").sum()
        and _iron_potential(data) != _iron_potential(data, "mean")
    )


def _tier_value(
    data: StudentData, tier: str, split: str = "median", column: str = "current_value"
) -> float:
    table = _pyramid(data, split)
    return float(table.loc[table["tier"] == tier, column].sum())


def _iron_potential(data: StudentData, split: str = "median") -> float:
    table = _pyramid(data, split)
    return float(table.loc[table["tier"] == "iron", "growth_potential"].sum())


def _described_tier(data: StudentData, swap: bool = False) -> str:
    levels = tuple(data.described_levels)
    if swap:
        levels = levels[::-1]
    return next(t for t, lv in TIER_LEVELS.items() if tuple(lv) == levels)


#: Question 3's case; translations: exercise_text.ex03_pyramid.q3.case and, for each
#: description, exercise_text.ex03_pyramid.q3.case.<current>_<potential>.
CASE = "A customer {description}. Which tier of the textbook's pyramid is it in?"


def _described_text(data: StudentData) -> str:
    levels = tuple(data.described_levels)
    key = f"{NAME}.q3.case"
    description = case_text(f"{key}.{'_'.join(levels)}", DESCRIPTIONS[levels])
    return case_text(key, CASE, description=description)


q1 = Question(
    NAME,
    1,
    "tiers",
    "labels",
    _tiers,
    solution_code='tiers = crmsim.customer_pyramid(data.values).set_index("customer_id")["tier"]',
    near_misses=(
        NearMiss("mean", lambda d: _tiers(d, "mean")),
        NearMiss("swapped", lambda d: _tiers(d, swap=True)),
    ),
    column="tier",
    allowed=PYRAMID_TIERS,
    points=2,
    partial=0.5,
)
q2 = Question(
    NAME,
    2,
    "platinum_value",
    "number",
    lambda d: _tier_value(d, "platinum"),
    solution_code=(
        "pyramid = crmsim.customer_pyramid(data.values)\n"
        'platinum_value = pyramid.loc[pyramid["tier"] == "platinum", "current_value"].sum()'
    ),
    near_misses=(
        NearMiss("mean", lambda d: _tier_value(d, "platinum", "mean")),
        NearMiss("potential", lambda d: _tier_value(d, "platinum", column="growth_potential")),
    ),
    decimals=0,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "described_tier",
    "choice",
    _described_tier,
    solution_code=(
        'levels = {"platinum": ("high", "high"), "gold": ("high", "low"),\n'
        '          "iron": ("low", "high"), "lead": ("low", "low")}\n'
        "tier = next(t for t, lv in levels.items() if lv == tuple(data.described_levels))\n"
        "described_tier = q3.letter(tier)"
    ),
    near_misses=(NearMiss("swapped", lambda d: _described_tier(d, swap=True)),),
    options=PYRAMID_TIERS,
    case=_described_text,
)
q4 = Question(
    NAME,
    4,
    "iron_potential",
    "number",
    _iron_potential,
    solution_code=(
        "pyramid = crmsim.customer_pyramid(data.values)\n"
        'iron_potential = pyramid.loc[pyramid["tier"] == "iron", "growth_potential"].sum()'
    ),
    near_misses=(NearMiss("mean", lambda d: _iron_potential(d, "mean")),),
    decimals=0,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_iron",
    "text",
    lambda d: None,
    solution_code=(
        'why_iron = """The iron customers hold the growth potential: they buy little today but '
        "have a large wallet left to win, so cross- and up-selling there can raise sales most. "
        "If the potential is far above the yearly cost of a manager, freeing one for them pays; "
        'if not, I would keep the manager on the platinum customers."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): place your customers in the pyramid\n\n"
            "Split current value (当前价值) and growth potential (增值潜力) of `data.values` into "
            "high and low the textbook way crmsim uses by default, and give each customer its "
            "tier: platinum (铂金客户), gold (黄金客户), iron (铁质客户) or lead (铅质客户). Give "
            "`tiers` as a Series indexed by `customer_id`."
        ),
        "tiers = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): what the platinum customers are worth today\n\n"
            "What is the total current value (当前价值, CNY) of your platinum customers? Give the "
            "amount to the nearest CNY or more precisely."
        ),
        "platinum_value = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): place a described customer\n\n"
            "The cell below describes a customer in words (yours alone; its levels are in "
            "`data.described_levels`). Which tier is it in? Answer with the **letter** of your "
            'option, e.g. `described_tier = "b"`.'
        ),
        "described_tier = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): where to develop buying potential\n\n"
            "You can free one account manager to develop customers' buying potential (cross- and "
            "up-selling). The textbook sends such effort to the iron customers. How much growth "
            "potential (CNY a year, total) sits in your iron tier? This is the prize the manager "
            "works for: compare it with the cost of a manager in `crmsim.datasets."
            "load_account_managers()` before deciding. Give the amount to the nearest CNY or more "
            "precisely."
        ),
        "iron_potential = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): free a manager for the iron tier?\n\n"
            "In two to four sentences: would you free an account manager to develop your iron "
            "customers? Say what you compared. Your instructor grades this answer by hand."
        ),
        'why_iron = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="03_pyramid",
    title="Exercises 03: the customer pyramid (金字塔理论)",
    lesson="notebooks/03_customer_pyramid.ipynb",
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
