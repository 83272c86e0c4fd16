"""Exercise set 10: implementing CRM (CRM实施步骤), with a sweep over the adoption level.

Lesson: ``notebooks/10_crm_rollout.ipynb``. Data: ``data.base`` (the student's company with
some manager turnover, so recorded customer knowledge matters), ``data.levels`` (CRM adoption
levels 0, 0.5 and 1: the phases of a rollout) and ``data.seed``. Tiny runs: 80 customers,
4 managers, 12 months, 2 replications per level. Question 2 computes the change in net
contribution; the decision of question 4 is made on customer value created, the kit's yardstick
(crmsim.sim.decision.RANK_ON), which also counts the customers a level keeps after the year.
"""

from __future__ import annotations

from typing import Any

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells

NAME = "ex10_rollout"
REPLICATIONS = 2
LEVELS = (0.0, 0.5, 1.0)

#: Options of question 1: the first of the six implementation steps.
FIRST_OPTIONS: dict[str, str] = {
    "plan": "set the business plan and goals (satisfaction, a shorter sales cycle, a higher "
    "close rate)",
    "team": "build the CRM team, with a representative from each department",
    "vendor": "choose a vendor",
}
#: Options of question 3: what to deploy first.
PHASE_OPTIONS: dict[str, str] = {
    "needed": "the most-needed functions, tested by one user group, with a training plan",
    "big_bang": "every function for every user at once, so that adoption is high from day one",
    "reports": "the reports senior managers asked for, before the salespeople's tools",
}
#: Options of question 4: the adoption levels.
LEVEL_OPTIONS: dict[str, str] = {
    "0.0": "0.0: no CRM",
    "0.5": "0.5: half of the work recorded",
    "1.0": "1.0: full adoption",
}


def _prepare(data: StudentData) -> dict[str, Any]:
    from crmsim.sim import Scenario

    rng = data.rng
    base = (
        Scenario.synthetic(80, 4, months=12)
        .with_("book.seed", int(rng.integers(1, 100_000)))
        .with_("turnover.monthly_hazard", 0.03)
    )
    return {"base": base, "levels": list(LEVELS), "seed": int(rng.integers(1, 100_000))}


def _means(data: StudentData) -> Any:
    from crmsim.sim import sweep

    def run() -> Any:
        table = sweep(
            data.base,
            {"crm.adoption": list(data.levels)},
            replications=REPLICATIONS,
            seed=data.seed,
            workers=1,
            progress=False,
        )
        return table.groupby("crm.adoption").mean(numeric_only=True)

    return data.memo("sweep", run)


def _gain(
    data: StudentData, low: float = 0.0, high: float = 1.0, kpi: str = "net_contribution"
) -> float:
    """Mean *kpi* at adoption *high* minus at *low*."""
    means = _means(data)[kpi]
    return float(means[high] - means[low])


def _best(data: StudentData, kpi: str = "value_created") -> str:
    return f"{float(_means(data)[kpi].idxmax()):.1f}"


_SWEEP = (
    'table = crmsim.sweep(data.base, {"crm.adoption": data.levels}, replications=2, '
    "seed=data.seed, workers=1, progress=False)\n"
    'means = table.groupby("crm.adoption").mean(numeric_only=True)\n'
)

q1 = Question(
    NAME,
    1,
    "first_step",
    "choice",
    lambda d: "plan",
    solution_code='first_step = q1.letter("plan")',
    near_misses=(NearMiss("team", lambda d: "team"), NearMiss("vendor", lambda d: "vendor")),
    options=tuple(FIRST_OPTIONS),
    option_text=FIRST_OPTIONS,
)
q2 = Question(
    NAME,
    2,
    "contribution_gain",
    "number",
    _gain,
    solution_code=(
        _SWEEP + 'contribution_gain = means.loc[1.0, "net_contribution"] '
        '- means.loc[0.0, "net_contribution"]'
    ),
    near_misses=(
        NearMiss("reversed", lambda d: -_gain(d)),
        NearMiss("half", lambda d: _gain(d, 0.0, 0.5)),
        NearMiss("revenue", lambda d: _gain(d, kpi="revenue")),
    ),
    decimals=0,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "first_phase",
    "choice",
    lambda d: "needed",
    solution_code='first_phase = q3.letter("needed")',
    near_misses=(
        NearMiss("big_bang", lambda d: "big_bang"),
        NearMiss("reports", lambda d: "reports"),
    ),
    options=tuple(PHASE_OPTIONS),
    option_text=PHASE_OPTIONS,
)
q4 = Question(
    NAME,
    4,
    "adoption_level",
    "choice",
    _best,
    solution_code=(
        _SWEEP + "adoption_level = q4.letter(f'{means[\"value_created\"].idxmax():.1f}')"
    ),
    near_misses=(
        NearMiss("net_contribution", lambda d: _best(d, "net_contribution")),
        NearMiss("revenue", lambda d: _best(d, "revenue")),
    ),
    options=tuple(LEVEL_OPTIONS),
    option_text=LEVEL_OPTIONS,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_level",
    "text",
    lambda d: None,
    solution_code=(
        'why_level = """Recording costs the managers\' time and licences cost money, while the '
        "knowledge it keeps saves customers when a manager leaves; value created weighs both, "
        "the customers kept included. I would aim at the level that creates the most customer "
        "value in my simulation, but with two replications the levels are close, so I would "
        "start with the most-needed functions and one user group, as step 6 says, and check "
        'retention and handovers before extending."""'
    ),
    hints=1,
    points=2,
)


CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (interpret): where does a CRM rollout start?\n\n"
            "Which of your options below is the **first** of the six steps of implementing CRM? "
            'Answer with its **letter**, e.g. `first_step = "b"`.'
        ),
        "first_step = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): what recorded knowledge is worth\n\n"
            "Your company loses a manager now and then (`data.base`). Run it at each CRM "
            "adoption level of `data.levels` with `crmsim.sweep` (`replications=2, "
            "seed=data.seed, workers=1, progress=False`) and average the replications per level. "
            "How much higher is the mean net contribution (KPI `net_contribution`, CNY) at full "
            "adoption (1.0) than without CRM (0.0)? (Negative if it is lower.) Give the amount to "
            "the nearest CNY or more precisely."
        ),
        "contribution_gain = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): the first phase of deployment\n\n"
            "Step 6 develops and deploys the system in phases. What goes first? Answer with the "
            "**letter** of your option."
        ),
        "first_phase = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): how far to roll out in the first year?\n\n"
            "Recording takes managers' time and licences cost money; the customers it keeps are "
            "worth something after the year too. On your simulation, which adoption level of "
            "`data.levels` creates the most customer value (the highest mean of KPI "
            "`value_created`: the 12 months' net contribution, discounted, plus the customer "
            "equity left at the end, minus the equity at the start)? Answer with the **letter** "
            "of your option. (With two replications the levels' differences are mostly within "
            "chance; question 5 asks what you make of that.)"
        ),
        "adoption_level = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): the rollout plan\n\n"
            "In two to four sentences: how far would you roll out CRM in the first year, and in "
            "which order? Your instructor grades this answer by hand."
        ),
        'why_level = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="10_rollout",
    title="Exercises 10: implementing CRM (CRM实施步骤)",
    lesson="notebooks/10_crm_rollout.ipynb",
    questions=[q1, q2, q3, q4, q5],
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
