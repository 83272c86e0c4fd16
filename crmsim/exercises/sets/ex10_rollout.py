"""Exercise set 10: implementing CRM (CRM实施步骤), with a sweep over the adoption level.

Lesson: ``notebooks/10_crm_rollout.ipynb``. Data: ``data.base`` (the student's company with
some manager turnover, so recorded customer knowledge matters), ``data.levels`` (CRM adoption
levels 0, 0.5 and 1: the phases of a rollout) and ``data.seed``. Tiny runs: 80 customers,
4 managers, 12 months, 2 replications per level.
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
    "a": "set the business plan and goals (satisfaction, a shorter sales cycle, a higher close "
         "rate)",
    "b": "build the CRM team, with a representative from each department",
    "c": "choose a vendor",
}
#: Options of question 3: what to deploy first.
PHASE_OPTIONS: dict[str, str] = {
    "a": "the most-needed functions, tested by one user group, with a training plan",
    "b": "every function for every user at once, so that adoption is high from day one",
    "c": "the reports senior managers asked for, before the salespeople's tools",
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
        table = sweep(data.base, {"crm.adoption": list(data.levels)}, replications=REPLICATIONS,
                      seed=data.seed, workers=1, progress=False)
        return table.groupby("crm.adoption").mean(numeric_only=True)

    return data.memo("sweep", run)


def _kept(data: StudentData, low: float = 0.0, high: float = 1.0) -> float:
    lost = _means(data)["lost_customers"]
    return float(lost[low] - lost[high])


def _best(data: StudentData, kpi: str = "net_contribution") -> float:
    return float(_means(data)[kpi].idxmax())


_SWEEP = (
    'table = crmsim.sweep(data.base, {"crm.adoption": data.levels}, replications=2, '
    "seed=data.seed, workers=1, progress=False)\n"
    'means = table.groupby("crm.adoption").mean(numeric_only=True)\n'
)

q1 = Question(
    NAME, 1, "first_step", "choice", lambda d: "a",
    solution_code='first_step = "a"',
    near_misses=(NearMiss("team", lambda d: "b"), NearMiss("vendor", lambda d: "c")),
    options=tuple(FIRST_OPTIONS),
)
q2 = Question(
    NAME, 2, "customers_kept", "number", _kept,
    solution_code=(
        _SWEEP
        + 'customers_kept = means.loc[0.0, "lost_customers"] - means.loc[1.0, "lost_customers"]'
    ),
    near_misses=(
        NearMiss("reversed", lambda d: -_kept(d)),
        NearMiss("half", lambda d: _kept(d, 0.0, 0.5)),
    ),
    tolerance=0.01,
)
q3 = Question(
    NAME, 3, "first_phase", "choice", lambda d: "a",
    solution_code='first_phase = "a"',
    near_misses=(NearMiss("big_bang", lambda d: "b"), NearMiss("reports", lambda d: "c")),
    options=tuple(PHASE_OPTIONS),
)
q4 = Question(
    NAME, 4, "adoption_level", "number", _best,
    solution_code=(
        _SWEEP
        + 'adoption_level = means["net_contribution"].idxmax()'
    ),
    near_misses=(NearMiss("revenue", lambda d: _best(d, "revenue")),),
    tolerance=0.0,
)


def _options(options: dict[str, str]) -> str:
    return "\n".join(f"- `\"{k}\"`: {v}" for k, v in options.items())


CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (interpret): where does a CRM rollout start?\n\n"
        "Which of these is the **first** of the six steps of implementing CRM?\n\n"
        f"{_options(FIRST_OPTIONS)}"
    ), "first_step = ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): customers kept by recorded knowledge\n\n"
        "Your company loses a manager now and then (`data.base`). Run it at each CRM "
        "adoption level of `data.levels` with `crmsim.sweep` (`replications=2, "
        "seed=data.seed, workers=1, progress=False`) and average the replications per level. "
        "How many fewer customers (KPI `lost_customers`) are lost at full adoption (1.0) than "
        "without CRM (0.0)?"
    ), "customers_kept = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): the first phase of deployment\n\n"
        "Step 6 develops and deploys the system in phases. What goes first?\n\n"
        f"{_options(PHASE_OPTIONS)}"
    ), "first_phase = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): how far to roll out in the first year?\n\n"
        "Recording takes managers' time and licences cost money. On your simulation, which "
        "adoption level of `data.levels` gives the highest mean net contribution over the "
        "12 months? Give the level as a number (0.0, 0.5 or 1.0)."
    ), "adoption_level = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="10_rollout",
    title="Exercises 10: implementing CRM (CRM实施步骤)",
    lesson="notebooks/10_crm_rollout.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, prepare=_prepare, n_customers=5,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
