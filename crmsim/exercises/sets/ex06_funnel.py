"""Exercise set 06: the customer development funnel (客户开发流程), on the student's own simulation.

Lesson: ``notebooks/06_finding_customers.ipynb``. Data: ``data.leads`` (one row per lead of a
small seeded simulation: channel, arrival month, outcome ``won`` / ``lost`` / ``cold`` /
``open``) and ``data.funnel`` (entries, passes and losses per channel and funnel step).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.sim.kpis import conversion

NAME = "ex06_funnel"

#: Options of question 3: why leads still open are left out of the rate.
WHY_OPTIONS: dict[str, str] = {
    "unfinished": "open leads have not ended yet: counting them as not won pulls the rate down",
    "always_lost": "open leads are always lost in the end, so they add nothing",
    "channel": "open leads come from the cheapest channel and would distort the mix",
}


def _scenario_seed(data: StudentData) -> tuple[int, int]:
    rng = data.rng
    return int(rng.integers(1, 2**31)), int(rng.integers(1, 2**31))


def _prepare(data: StudentData) -> dict[str, Any]:
    from crmsim.sim import Scenario
    from crmsim.sim.experiments import simulate

    book_seed, run_seed = _scenario_seed(data)
    # each student's own company: its size and team as well as its book and luck
    size, team = 80 + book_seed % 51, 3 + run_seed % 3
    scenario = Scenario.synthetic(size, team, months=9).with_("book.seed", book_seed % 100_000)
    result = simulate(scenario, seed=run_seed)
    return {"leads": result.leads, "funnel": result.funnel, "scenario": scenario}


def _accept(data: StudentData) -> bool:
    leads = data.leads
    ended = leads[leads["outcome"] != "open"]
    return bool((leads["outcome"] == "open").any() and (ended["outcome"] == "won").sum() >= 2)


def _all_leads(data: StudentData) -> float:
    return float((data.leads["outcome"] == "won").mean())


def _ended_leads(data: StudentData) -> float:
    ended = data.leads[data.leads["outcome"] != "open"]
    return float((ended["outcome"] == "won").mean())


def _contact_rate(data: StudentData) -> float:
    step = data.funnel[data.funnel["step"] == "contact"]
    return float(step["passes"].sum() / step["entries"].sum())


def _contact_mean_rate(data: StudentData) -> float:
    step = data.funnel[data.funnel["step"] == "contact"]
    return float(step["pass_rate"].mean())


def _by_channel(data: StudentData) -> pd.Series:
    return pd.Series(
        {channel: conversion(group) for channel, group in data.leads.groupby("channel")}
    )


def _best_channel(data: StudentData) -> str:
    rates = _by_channel(data).dropna()
    return str(rates.sort_values(ascending=False, kind="stable").index[0])


def _most_leads(data: StudentData) -> str:
    return str(data.leads["channel"].value_counts().sort_index().idxmax())


CHANNELS = ("referral", "market_research", "telemarketing", "lead_platform")

q1 = Question(
    NAME,
    1,
    "conversion_rate",
    "number",
    lambda d: conversion(d.leads),
    solution_code=(
        "from crmsim.sim.kpis import conversion\nconversion_rate = conversion(data.leads)"
    ),
    near_misses=(
        NearMiss("all_leads", _all_leads),
        NearMiss("ended_leads", _ended_leads),
        NearMiss("percent", lambda d: 100 * conversion(d.leads), tolerance=0.05, credit=0.5),
    ),
    decimals=3,
    points=2,
)
q2 = Question(
    NAME,
    2,
    "contact_rate",
    "number",
    _contact_rate,
    solution_code=(
        'contact = data.funnel[data.funnel["step"] == "contact"]\n'
        'contact_rate = contact["passes"].sum() / contact["entries"].sum()'
    ),
    near_misses=(
        NearMiss("mean_of_rates", _contact_mean_rate),
        NearMiss("percent", lambda d: 100 * _contact_rate(d), tolerance=0.05, credit=0.5),
    ),
    decimals=3,
    points=2,
)
q3 = Question(
    NAME,
    3,
    "why_ended",
    "choice",
    lambda d: "unfinished",
    solution_code='why_ended = q3.letter("unfinished")',
    near_misses=(
        NearMiss("always_lost", lambda d: "always_lost"),
        NearMiss("channel", lambda d: "channel"),
    ),
    options=tuple(WHY_OPTIONS),
    option_text=WHY_OPTIONS,
)
q4 = Question(
    NAME,
    4,
    "best_channel",
    "choice",
    _best_channel,
    solution_code=(
        "import pandas as pd\n"
        "from crmsim.sim.kpis import conversion\n"
        'rates = pd.Series({ch: conversion(g) for ch, g in data.leads.groupby("channel")})\n'
        "best_channel = q4.letter(rates.idxmax())"
    ),
    near_misses=(NearMiss("most_leads", _most_leads),),
    options=CHANNELS,
    points=2,
)
q5 = Question(
    NAME,
    5,
    "why_channel",
    "text",
    lambda d: None,
    solution_code=(
        'why_channel = """I would buy leads from the channel that converts best, because each '
        "lead costs money and the best channel turns more of them into customers. With only a "
        "few ended leads per channel the rates are uncertain, so I would check the cost per "
        'won customer and test the choice again after a few months."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    Cell("code", "data.leads.head()"),
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): the funnel's conversion rate\n\n"
            "`data.leads` holds every lead of your company's 9 simulated months. Some are still "
            "`open` when the run stops. Compute the conversion rate (转化率) the way crmsim does: "
            "won over leads, counting only the arrival months whose leads have **all ended** "
            "(`crmsim.sim.kpis.conversion`). Give a share between 0 and 1 to at least 3 decimals "
            "(e.g. 0.063)."
        ),
        "conversion_rate = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): the contact step\n\n"
            "`data.funnel` has, per channel and step of the nine-step funnel, the leads that "
            "entered the step and those that passed it. What share of all leads that entered the "
            "`contact` step (接触) passed it, over every channel together? Give a share between 0 "
            "and 1 to at least 3 decimals."
        ),
        "contact_rate = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): why leave open leads out?\n\n"
            "Why is a conversion rate computed on ended leads only? Your options are listed below "
            '(in your own order); answer with the **letter** of one, e.g. `why_ended = "b"`.'
        ),
        "why_ended = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): which channel deserves more leads?\n\n"
            "You can buy more leads from one channel. Which channel turns its leads into customers "
            "best (the highest conversion rate, computed per channel as in question 1)? Answer "
            "with the **letter** of your option."
        ),
        "best_channel = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): buy the leads?\n\n"
            "In two to four sentences: would you buy more leads from that channel, and what else "
            "would you check first? Your instructor grades this answer by hand."
        ),
        'why_channel = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="06_funnel",
    title="Exercises 06: the customer development funnel (客户开发流程)",
    lesson="notebooks/06_finding_customers.ipynb",
    questions=[q1, q2, q3, q4, q5],
    cells=CELLS,
    prepare=_prepare,
    accept=_accept,
    n_customers=5,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
