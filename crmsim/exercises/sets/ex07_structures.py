"""Exercise set 07: account-manager structures (客户经理的组织结构), backed by a simulation.

Lesson: ``notebooks/07_account_manager_structures.ipynb``. Data: ``data.company`` (the profile
of the student's company, as in ``scenarios/fit_*.toml``), ``data.options`` (the company
simulated under each of the four structures: name -> Scenario; the company has no account
management yet, ``company.current_structure = "none"``, so every structure pays its
reorganisation) and ``data.seed`` (the seed to compare them with). The simulation is tiny (80
customers, 4 managers, 9 months, 2 replications) so that it runs in a few seconds. The choice of
question 4 is made on customer value created, the kit's yardstick (crmsim.sim.decision.RANK_ON).
"""

from __future__ import annotations

from typing import Any

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.terms import STRUCTURES

NAME = "ex07_structures"
REPLICATIONS = 2
BASELINE = "extended_roles"


def _prepare(data: StudentData) -> dict[str, Any]:
    from crmsim.sim import Scenario

    rng = data.rng
    company = {"need_complexity": round(float(rng.uniform(0.0, 0.2)), 2), "business_lines": 1}
    base = (
        Scenario.synthetic(80, 4, months=9)
        .with_("book.seed", int(rng.integers(1, 100_000)))
        .with_("company.need_complexity", company["need_complexity"])
        .with_("company.current_structure", "none")
    )
    options = {name: base.with_("structure", name) for name in STRUCTURES}
    return {"company": company, "options": options, "seed": int(rng.integers(1, 100_000))}


def _comparison(data: StudentData) -> Any:
    from crmsim.sim import compare

    return data.memo(
        "comparison",
        lambda: compare(
            data.options, replications=REPLICATIONS, seed=data.seed, workers=1, progress=False
        ),
    )


def _difference(data: StudentData, kpi: str = "net_contribution") -> float:
    d = _comparison(data).differences
    row = d[(d["kpi"] == kpi) & (d["scenario"] == "dedicated_post")]
    return float(row["mean_difference"].iloc[0])


#: Options of question 2: what the confidence interval of the difference says.
CLEAR_OPTIONS: dict[str, str] = {
    "better": "yes: the whole interval is above zero, the dedicated post clearly earns more",
    "worse": "yes: the whole interval is below zero, the dedicated post clearly earns less",
    "unclear": "no: the interval includes zero, the runs cannot tell the two apart",
}


def _excludes_zero(data: StudentData) -> str:
    d = _comparison(data).differences
    row = d[(d["kpi"] == "net_contribution") & (d["scenario"] == "dedicated_post")].iloc[0]
    return "better" if row["ci_low"] > 0 else "worse" if row["ci_high"] < 0 else "unclear"


def _best(data: StudentData, kpi: str = "value_created") -> str:
    s = _comparison(data).summary
    means = s[s["kpi"] == kpi].set_index("scenario")["mean"]
    return str(means.idxmax())


_COMPARE = (
    "comparison = crmsim.compare(data.options, replications=2, seed=data.seed, workers=1, "
    "progress=False)\n"
)

q1 = Question(
    NAME,
    1,
    "post_vs_extended",
    "number",
    _difference,
    solution_code=(
        _COMPARE + "d = comparison.differences\n"
        'row = d[(d["kpi"] == "net_contribution") & (d["scenario"] == "dedicated_post")]\n'
        'post_vs_extended = row["mean_difference"].iloc[0]'
    ),
    near_misses=(
        NearMiss("reversed", lambda d: -_difference(d)),
        NearMiss("revenue", lambda d: _difference(d, "revenue")),
    ),
    decimals=0,
    points=2,
)
q2 = Question(
    NAME,
    2,
    "clear_difference",
    "choice",
    _excludes_zero,
    solution_code=(
        _COMPARE + "d = comparison.differences\n"
        'row = d[(d["kpi"] == "net_contribution") & (d["scenario"] == "dedicated_post")]\n'
        'low, high = row["ci_low"].iloc[0], row["ci_high"].iloc[0]\n'
        'verdict = "better" if low > 0 else "worse" if high < 0 else "unclear"\n'
        "clear_difference = q2.letter(verdict)"
    ),
    options=tuple(CLEAR_OPTIONS),
    option_text=CLEAR_OPTIONS,
)
q3 = Question(
    NAME,
    3,
    "textbook_multiline",
    "choice",
    lambda d: "dedicated_department",
    solution_code='textbook_multiline = q3.letter("dedicated_department")',
    near_misses=(
        NearMiss("small", lambda d: "extended_roles"),
        NearMiss("operations", lambda d: "department_with_operations"),
    ),
    options=STRUCTURES,
)
q4 = Question(
    NAME,
    4,
    "chosen_structure",
    "choice",
    _best,
    solution_code=(
        _COMPARE + "s = comparison.summary\n"
        'value = s[s["kpi"] == "value_created"].set_index("scenario")["mean"]\n'
        "chosen_structure = q4.letter(value.idxmax())"
    ),
    near_misses=(NearMiss("revenue", lambda d: _best(d, "revenue")),),
    options=STRUCTURES,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_structure",
    "text",
    lambda d: None,
    solution_code=(
        'why_structure = """A company with simple repeat orders gains little from dedicated '
        "account managers: hiring and training them, and the lead and systems a post or a "
        "department brings, cost more than the extra sales, and simple needs keep the skill gap "
        "of people doing account work beside their jobs small. Extending existing roles is "
        "cheapest and fastest to start, which my simulation confirms: it creates the most "
        'customer value and earns the most net contribution."""'
    ),
    hints=1,
    points=2,
)

_NAMES = ", ".join(f'`"{n}"`' for n in STRUCTURES)

CELLS: list[Cell] = [
    Cell(
        "markdown",
        (
            "Your company is a small office-supplies distributor with a narrow range and simple "
            "repeat orders (`data.company` gives its need complexity, 0 = simple, 1 = every "
            "purchase a project). It is organising its account management for the first time: "
            "extended roles only ask existing staff for time, every other structure hires and "
            "trains its account managers. `data.options` holds the company under each of the four "
            f"structures ({_NAMES}): extending existing roles (扩大工作范围), a dedicated post "
            "(增设独立岗位), a dedicated department (增设独立部门) and a department with "
            "operations units (部门下设独立操作部门)."
        ),
    ),
    Cell("code", "data.company"),
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): a dedicated post against extended roles\n\n"
            "Simulate the four options over the same replications with `crmsim.compare` "
            "(`replications=2, seed=data.seed, workers=1, progress=False`; the first option, "
            "`extended_roles`, is the baseline). What is the mean paired difference in **net "
            "contribution** (CNY) of `dedicated_post` against `extended_roles`?"
        ),
        "post_vs_extended = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (interpret): is the difference clear?\n\n"
            "Does the 95% confidence interval of that difference exclude zero? Answer with the "
            "**letter** of your option. (With two replications an interval is wide; a class would "
            "run 20.)"
        ),
        "clear_difference = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): the textbook's fit for a large firm\n\n"
            "A large firm with rich management resources sells three business lines to the same, "
            "huge customer base, whose needs are complex; no customer group needs special "
            "expertise or confidentiality. Which structure does the textbook pair with it? "
            "Answer with the **letter** of your option."
        ),
        "textbook_multiline = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): choose your company's structure\n\n"
            "Which structure should your company adopt? Back the choice with your simulation, on "
            "the kit's yardstick: the structure with the highest mean **customer value created** "
            "(KPI `value_created`: the net contribution of the 9 months, discounted, plus the "
            "customer equity left at the end, minus the equity at the start — so customers kept or "
            "lost count beyond the horizon). Answer with the **letter** of your option."
        ),
        "chosen_structure = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): justify the choice\n\n"
            "In two to four sentences: why does that structure fit your company, in the textbook's "
            "terms (cost, training, fit) and by your simulation? Your instructor grades this "
            "answer by hand."
        ),
        'why_structure = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="07_structures",
    title="Exercises 07: account-manager structures (客户经理的组织结构)",
    lesson="notebooks/07_account_manager_structures.ipynb",
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
