"""Exercise set 09: incentives and the three elements of CRM capability (客户关系管理三要素).

Lesson: ``notebooks/09_incentives_and_crm_elements.ipynb``. Data: ``data.options`` (the
student's company under commission paid at signing and under deferred pay, 25% of pay paid a
year later by the customer's satisfaction) and ``data.seed``. Tiny runs: 60-120 customers,
3-6 managers (drawn from the id), 12 months, 2 replications.
"""

from __future__ import annotations

from typing import Any

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells

NAME = "ex09_incentives"
REPLICATIONS = 2
SCHEMES = ("commission", "deferred")
#: The three elements of CRM capability (questions 3 and 4).
ELEMENTS = ("orientation", "configuration", "information")


def _prepare(data: StudentData) -> dict[str, Any]:
    from crmsim.sim import Scenario

    rng = data.rng
    # each student's own company: its size, team and book (so a classmate's numbers are not yours)
    size, team = int(rng.integers(60, 121)), int(rng.integers(3, 7))
    base = Scenario.synthetic(size, team, months=12).with_(
        "book.seed", int(rng.integers(1, 100_000))
    )
    options = {"commission": base, "deferred": base.with_("incentives.scheme", "deferred")}
    return {"options": options, "seed": int(rng.integers(1, 100_000))}


def _comparison(data: StudentData) -> Any:
    from crmsim.sim import compare

    return data.memo(
        "comparison",
        lambda: compare(
            data.options, replications=REPLICATIONS, seed=data.seed, workers=1, progress=False
        ),
    )


def _mean(data: StudentData, kpi: str, scenario: str) -> float:
    s = _comparison(data).summary
    return float(s[(s["kpi"] == kpi) & (s["scenario"] == scenario)]["mean"].iloc[0])


def _change(data: StudentData, kpi: str) -> float:
    return _mean(data, kpi, "deferred") - _mean(data, kpi, "commission")


def _best(data: StudentData, kpi: str) -> str:
    return max(SCHEMES, key=lambda s: (_mean(data, kpi, s), s == "commission"))


_COMPARE = (
    "comparison = crmsim.compare(data.options, replications=2, seed=data.seed, workers=1, "
    "progress=False)\n"
    'means = comparison.summary.set_index(["kpi", "scenario"])["mean"]\n'
)

q1 = Question(
    NAME,
    1,
    "revenue_change",
    "number",
    lambda d: _change(d, "revenue"),
    solution_code=(
        _COMPARE + 'revenue_change = means["revenue", "deferred"] - means["revenue", "commission"]'
    ),
    near_misses=(
        NearMiss("reversed", lambda d: -_change(d, "revenue")),
        NearMiss("net_contribution", lambda d: _change(d, "net_contribution")),
    ),
    decimals=0,
    points=2,
)
q2 = Question(
    NAME,
    2,
    "satisfaction_change",
    "number",
    lambda d: _change(d, "mean_satisfaction"),
    solution_code=(
        _COMPARE + 'satisfaction_change = means["mean_satisfaction", "deferred"] '
        '- means["mean_satisfaction", "commission"]'
    ),
    near_misses=(
        NearMiss("reversed", lambda d: -_change(d, "mean_satisfaction")),
        NearMiss(
            "percent", lambda d: 100 * _change(d, "mean_satisfaction"), tolerance=0.005, credit=0.5
        ),
    ),
    decimals=4,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "pay_element",
    "choice",
    lambda d: "configuration",
    solution_code='pay_element = q3.letter("configuration")',
    near_misses=(
        NearMiss("orientation", lambda d: "orientation"),
        NearMiss("information", lambda d: "information"),
    ),
    options=ELEMENTS,
)
q4 = Question(
    NAME,
    4,
    "last_element",
    "choice",
    lambda d: "information",
    solution_code='last_element = q4.letter("information")',
    near_misses=(NearMiss("configuration", lambda d: "configuration"),),
    options=ELEMENTS,
)
q5 = Question(
    NAME,
    5,
    "scheme_for_loyalty",
    "choice",
    lambda d: _best(d, "mean_satisfaction"),
    solution_code=(
        _COMPARE + 'sat = means["mean_satisfaction"]\nscheme_for_loyalty = q5.letter(sat.idxmax())'
    ),
    near_misses=(NearMiss("new_customers", lambda d: _best(d, "new_customers")),),
    options=SCHEMES,
)
q6 = Question(
    NAME,
    6,
    "why_scheme",
    "text",
    lambda d: None,
    solution_code=(
        'why_scheme = """Paying part of the pay a year after the contract, by the customer\'s '
        "satisfaction then, makes salespeople care about the customer after signing, not only "
        "about the sale. In my simulation deferred pay raises satisfaction a little and changes "
        'revenue little, so for a loyalty goal I would choose it."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    Cell(
        "markdown",
        (
            "`data.options` holds your company under two pay schemes: `commission`, paid when the "
            "contract is signed, and `deferred`, where 25% of pay comes a year after the contract, "
            "by the customer's satisfaction then (延期支付)."
        ),
    ),
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): revenue under deferred pay\n\n"
            "Simulate both schemes with `crmsim.compare` (`replications=2, seed=data.seed, "
            "workers=1, progress=False`). By how much does the mean revenue (KPI `revenue`, CNY) "
            "change under deferred pay (deferred minus commission)? Give the amount to the nearest "
            "CNY or more precisely."
        ),
        "revenue_change = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): satisfaction under deferred pay\n\n"
            "By how much does the customers' mean satisfaction at the end (KPI "
            "`mean_satisfaction`, on a 0-1 scale) change under deferred pay (deferred minus "
            "commission)? Give it to at least 4 decimals (the change is a few hundredths at most)."
        ),
        "satisfaction_change = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): where does pay belong?\n\n"
            "The three elements of CRM capability are orientation (定位), configuration (架构) and "
            "information (信息). Which element does the pay scheme belong to? Answer with the "
            "**letter** of your option."
        ),
        "pay_element = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (interpret): which element comes last?\n\n"
            "Which of the three elements should a firm consider **last**? Answer with the "
            "**letter** of your option."
        ),
        "last_element = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide): a pay scheme for loyal customers\n\n"
            "Your director's goal is to keep customers satisfied rather than to sign one-off "
            "sales. "
            "On your simulation, which scheme serves that goal (the higher mean satisfaction)? "
            "Answer with the **letter** of your option."
        ),
        "scheme_for_loyalty = ____",
    ),
    *answer_cells(
        q6,
        (
            "## Question 6 (decide, in words): the pay scheme and the three elements\n\n"
            "In two to four sentences: which scheme would you recommend, and why does it belong to "
            "configuration rather than to information? Your instructor grades this answer by hand."
        ),
        'why_scheme = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="09_incentives",
    title="Exercises 09: incentives and the three elements of CRM (客户关系管理三要素)",
    lesson="notebooks/09_incentives_and_crm_elements.ipynb",
    questions=[q1, q2, q3, q4, q5, q6],
    cells=CELLS,
    prepare=_prepare,
    n_customers=5,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
