"""Exercise set 08: star salespeople (业务尖子) and what CRM does when one leaves.

Lesson: ``notebooks/08_star_salespeople.ipynb``. Data: ``data.managers`` (the managers of one
seeded simulated run of the student's company, nobody leaving), ``data.options`` (three
scenarios: ``star_stays``, ``star_leaves`` in month 3, ``star_leaves_crm`` with full CRM
adoption) and ``data.seed``. Tiny runs: 80 customers, 4 managers, 9 months, 2 replications.
"""

from __future__ import annotations

from typing import Any

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells

NAME = "ex08_star_salespeople"
REPLICATIONS = 2

#: Options of question 3: how CRM reduces the risk of a star leaving.
HOW_OPTIONS: dict[str, str] = {
    "knowledge": "customer knowledge is kept in the system, so a successor takes the customers "
    "over quickly and fewer of them follow the star",
    "stay": "a CRM system makes stars stay, because their work is recorded",
    "replace": "a CRM system replaces account managers, so nobody's leaving matters",
}
#: Options of question 5.
ADOPT_OPTIONS: dict[str, str] = {
    "yes": "yes: with full CRM adoption the company earns more when the star leaves",
    "no": "no: the licences and recording time cost more than the customers they keep",
}


def _prepare(data: StudentData) -> dict[str, Any]:
    from crmsim.sim import Scenario, simulate

    rng = data.rng
    base = (
        Scenario.synthetic(80, 4, months=9)
        .with_("book.seed", int(rng.integers(1, 100_000)))
        .with_("turnover.monthly_hazard", 0.0)
    )
    leaves = base.with_("turnover.star_leaves_month", 3)
    options = {
        "star_stays": base,
        "star_leaves": leaves,
        "star_leaves_crm": leaves.with_("crm.adoption", 1.0),
    }
    seed = int(rng.integers(1, 100_000))
    managers = simulate(base, seed=seed).managers
    return {"managers": managers, "options": options, "seed": seed}


def _comparison(data: StudentData) -> Any:
    from crmsim.sim import compare

    return data.memo(
        "comparison",
        lambda: compare(
            data.options, replications=REPLICATIONS, seed=data.seed, workers=1, progress=False
        ),
    )


def _star_share(data: StudentData) -> float:
    m = data.managers
    return float(m.loc[m["skill_start"].idxmax(), "share_of_sales"])


def _star_customer_share(data: StudentData) -> float:
    m = data.managers
    return float(m.loc[m["skill_start"].idxmax(), "customers_start"] / m["customers_start"].sum())


def _mean(data: StudentData, kpi: str, scenario: str) -> float:
    s = _comparison(data).summary
    return float(s[(s["kpi"] == kpi) & (s["scenario"] == scenario)]["mean"].iloc[0])


def _leaving_cost(data: StudentData, kpi: str = "revenue") -> float:
    """What the star's leaving costs: the mean *kpi* when the star stays minus when it leaves."""
    return _mean(data, kpi, "star_stays") - _mean(data, kpi, "star_leaves")


def _crm_gain(data: StudentData, kpi: str = "net_contribution") -> float:
    return _mean(data, kpi, "star_leaves_crm") - _mean(data, kpi, "star_leaves")


def _adopt(data: StudentData) -> str:
    return "yes" if _crm_gain(data) > 0 else "no"


_COMPARE = (
    "comparison = crmsim.compare(data.options, replications=2, seed=data.seed, workers=1, "
    "progress=False)\n"
    "s = comparison.summary\n"
    'means = s.set_index(["kpi", "scenario"])["mean"]\n'
)

q1 = Question(
    NAME,
    1,
    "star_share",
    "number",
    _star_share,
    solution_code=(
        'm = data.managers\nstar_share = m.loc[m["skill_start"].idxmax(), "share_of_sales"]'
    ),
    near_misses=(
        NearMiss("customers", _star_customer_share),
        NearMiss("percent", lambda d: 100 * _star_share(d), tolerance=0.05, credit=0.5),
    ),
    decimals=3,
    points=2,
)
q2 = Question(
    NAME,
    2,
    "revenue_lost",
    "number",
    _leaving_cost,
    solution_code=(
        _COMPARE + 'revenue_lost = means["revenue", "star_stays"] - means["revenue", "star_leaves"]'
    ),
    near_misses=(
        NearMiss("net_contribution", lambda d: _leaving_cost(d, "net_contribution")),
        NearMiss("reversed", lambda d: -_leaving_cost(d)),
    ),
    decimals=0,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "how_crm_helps",
    "choice",
    lambda d: "knowledge",
    solution_code='how_crm_helps = q3.letter("knowledge")',
    near_misses=(NearMiss("stay", lambda d: "stay"), NearMiss("replace", lambda d: "replace")),
    options=tuple(HOW_OPTIONS),
    option_text=HOW_OPTIONS,
)
q4 = Question(
    NAME,
    4,
    "crm_gain",
    "number",
    _crm_gain,
    solution_code=(
        _COMPARE + 'crm_gain = means["net_contribution", "star_leaves_crm"] '
        '- means["net_contribution", "star_leaves"]'
    ),
    near_misses=(
        NearMiss(
            "baseline",
            lambda d: (
                _mean(d, "net_contribution", "star_leaves_crm")
                - _mean(d, "net_contribution", "star_stays")
            ),
        ),
        NearMiss("revenue", lambda d: _crm_gain(d, "revenue")),
    ),
    decimals=0,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "adopt_crm",
    "choice",
    _adopt,
    solution_code=(
        _COMPARE + 'gain = means["net_contribution", "star_leaves_crm"] '
        '- means["net_contribution", "star_leaves"]\n'
        'adopt_crm = q5.letter("yes" if gain > 0 else "no")'
    ),
    options=tuple(ADOPT_OPTIONS),
    option_text=ADOPT_OPTIONS,
)
q6 = Question(
    NAME,
    6,
    "why_crm",
    "text",
    lambda d: None,
    solution_code=(
        'why_crm = """When the star leaves, the customers it served are at risk because what '
        "the star knew about them leaves too. Full CRM adoption keeps that knowledge in the "
        "system, so a successor takes the customers over faster and fewer follow the star; in "
        'my simulation that is worth more than the licences and the recording time."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    Cell(
        "code",
        'data.managers[["manager_id", "tier", "skill_start", "customers_start", "share_of_sales"]]',
    ),
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): how much rests on the star?\n\n"
            "`data.managers` lists your company's account managers after 9 simulated months. The "
            "star is the most skilled manager (highest `skill_start`). What share of the "
            "company's sales (`share_of_sales`, between 0 and 1) does the star bring?"
        ),
        "star_share = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): what a star's leaving costs\n\n"
            "`data.options` holds three scenarios: the star stays, the star leaves in month 3, and "
            "the star leaves with full CRM adoption. Simulate them with `crmsim.compare` "
            "(`replications=2, seed=data.seed, workers=1, progress=False`). How much revenue (KPI "
            "`revenue`, CNY, mean over replications) does the company lose when the star leaves, "
            "compared with when the star stays? Give the amount to the nearest CNY or more "
            "precisely."
        ),
        "revenue_lost = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): how does CRM reduce the risk?\n\n"
            "Which of your options below says it best? Answer with the **letter** of one."
        ),
        "how_crm_helps = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (compute): what full CRM adoption is worth when the star leaves\n\n"
            "By how much does mean net contribution (CNY) rise when the star leaves with full CRM "
            "adoption (`star_leaves_crm`) compared with leaving without it (`star_leaves`)? "
            "Careful: `comparison.differences` is taken against the first scenario. Give the "
            "amount to the nearest CNY or more precisely."
        ),
        "crm_gain = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide): adopt CRM before the star leaves?\n\n"
            "On your simulation, does full CRM adoption pay for its licences and recording time "
            "(a higher net contribution) when the star leaves? Answer with the **letter** of your "
            "option."
        ),
        "adopt_crm = ____",
    ),
    *answer_cells(
        q6,
        (
            "## Question 6 (decide, in words): advise the director\n\n"
            "In two to four sentences: advise your director on adopting CRM before the star "
            "leaves, with the figures of your simulation. Your instructor grades this answer by "
            "hand."
        ),
        'why_crm = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="08_star_salespeople",
    title="Exercises 08: star salespeople (业务尖子) and CRM",
    lesson="notebooks/08_star_salespeople.ipynb",
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
