"""Exercise set 05: the customer relationship map (客户关系图), on the student's own map.

Lesson: ``notebooks/05_relationship_map.ipynb``. Data: ``data.map``, the sales team's map with
a seeded selection of its customers (under ids of the student's own, ``E17``, ``I42``...) and
every need still undecided; ``data.strategic``, the need items the organisation's strategy
values; ``data.renames``, the result name of each; ``data.activity``, the piece of work question
3 asks about (drawn from the student's id).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData, seed_of
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.exercises.texts import case_text
from crmsim.methods.relationship_map import RelationshipMap

NAME = "ex05_relationship_map"

#: Options of question 4: what "timely supply" becomes in step 4.
RESULT_OPTIONS: dict[str, str] = {
    "result": "on-time delivery rate",
    "activity": "deliver supplies on time",
    "unchanged": "timely supply",
}
#: The four steps of the map (question 3's options).
STEPS: dict[str, str] = {
    "1": "step 1: identify the team's customers",
    "2": "step 2: list what each customer needs",
    "3": "step 3: filter from the organisation's point of view",
    "4": "step 4: rename the kept needs as results",
}
#: Pieces of work question 3 asks about, and their step.
ACTIVITIES: dict[str, str] = {
    "drawing the retail stores and the finance department on the map": "1",
    "listing every group inside and outside the firm that the team serves": "1",
    "asking each customer group in a brainstorming session what it needs from the team": "2",
    "running a Delphi round with store managers about what they expect from the team": "2",
    "leaving out 'answering questions' because it matters little to the firm's strategy": "3",
    "keeping only the needs that create value for the organisation's goals": "3",
    "turning 'timely supply' into 'on-time delivery rate'": "4",
    "naming each kept need as a result that can be measured": "4",
}


def _bundled_map() -> dict[str, Any]:
    from crmsim.datasets import load_relationship_map_data

    return load_relationship_map_data()


def _prepare(data: StudentData) -> dict[str, Any]:
    full = _bundled_map()
    rng = data.rng
    customers = list(full["customers"])
    external = [c for c in customers if c["kind"] == "external"]
    internal = [c for c in customers if c["kind"] == "internal"]
    keep_ext = rng.choice(
        len(external), size=int(rng.integers(2, len(external) + 1)), replace=False
    )
    keep_int = rng.choice(
        len(internal), size=int(rng.integers(1, len(internal) + 1)), replace=False
    )
    chosen = [external[i] for i in sorted(keep_ext)] + [internal[i] for i in sorted(keep_int)]
    # the student's own customer ids: a letter for the kind and a number drawn from the id
    codes = rng.choice(np.arange(10, 100), size=len(chosen), replace=False)
    own = {c["id"]: f"{c['id'][0]}{code}" for c, code in zip(chosen, codes, strict=True)}
    kept = sorted({n["item"] for c in chosen for n in c["needs"] if n["valuable"]})
    renames = {n["item"]: n["dimension"] for c in chosen for n in c["needs"] if n["valuable"]}
    dropped = kept[int(rng.integers(len(kept)))] if len(kept) > 2 else None
    strategic = [item for item in kept if item != dropped]
    undecided = {
        "team": full["team"],
        "organisation_goal": full.get("organisation_goal", ""),
        "customers": [
            {
                "id": own[c["id"]],
                "name": c["name"],
                "kind": c["kind"],
                "needs": [
                    {"item": n["item"], "valuable": None, "dimension": None} for n in c["needs"]
                ],
            }
            for c in chosen
        ],
    }
    data.memo("map_dict", lambda: undecided)
    pick = np.random.default_rng([seed_of(data.student_id), 105])
    activity = list(ACTIVITIES)[int(pick.integers(0, len(ACTIVITIES)))]
    return {
        "map": RelationshipMap.from_dict(undecided),
        "strategic": set(strategic),
        "renames": {item: renames[item] for item in strategic},
        "activity": activity,
    }


def _fresh(data: StudentData) -> RelationshipMap:
    return RelationshipMap.from_dict(data.memo("map_dict", lambda: data.map.to_dict()))


def _map_ids(data: StudentData) -> list[str]:
    return [str(c["id"]) for c in data.memo("map_dict", lambda: data.map.to_dict())["customers"]]


def _per_customer(table: pd.DataFrame, column: str) -> pd.Series:
    return table.set_index("customer_id")[column].astype("float64")


def _needs(data: StudentData) -> pd.Series:
    return _per_customer(_fresh(data).customers_table(), "n_needs")


def _kept(data: StudentData) -> pd.Series:
    return _per_customer(_fresh(data).filter(data.strategic).customers_table(), "n_kept")


def _dropped(data: StudentData) -> pd.Series:
    return _per_customer(_fresh(data).filter(data.strategic).customers_table(), "n_dropped")


def _accept(data: StudentData) -> bool:
    return bool((_kept(data) != _needs(data)).any() and (_kept(data) != _dropped(data)).any())


#: Question 3's case; translations: exercise_text.ex05_relationship_map.q3.case and, for each
#: activity, exercise_text.ex05_relationship_map.q3.case.<its place in ACTIVITIES, from 1>.
#: ``data.activity`` keeps the English text (the reference solution reads it).
CASE = (
    "The team is {activity} (`data.activity`). Which of the four steps of the relationship map "
    "is that?"
)


def _activity_text(data: StudentData) -> str:
    key = f"{NAME}.q3.case"
    number = list(ACTIVITIES).index(data.activity) + 1
    activity = case_text(f"{key}.{number}", data.activity)
    return case_text(key, CASE, activity=activity)


q1 = Question(
    NAME,
    1,
    "needs_per_customer",
    "values",
    _needs,
    solution_code=(
        'needs_per_customer = data.map.customers_table().set_index("customer_id")["n_needs"]'
    ),
    column="n_needs",
    ids=_map_ids,
    points=2,
    partial=0.5,
)
q2 = Question(
    NAME,
    2,
    "kept_per_customer",
    "values",
    _kept,
    solution_code=(
        "team_map = crmsim.RelationshipMap.from_dict(data.map.to_dict())  # a copy\n"
        "team_map.filter(data.strategic)\n"
        'kept_per_customer = team_map.customers_table().set_index("customer_id")["n_kept"]'
    ),
    near_misses=(
        NearMiss("no_filter", _needs),
        NearMiss("dropped", _dropped),
    ),
    column="n_kept",
    ids=_map_ids,
    points=2,
    partial=0.5,
)
q3 = Question(
    NAME,
    3,
    "activity_step",
    "choice",
    lambda d: ACTIVITIES[d.activity],
    solution_code=(
        "# 1 identify customers, 2 list their needs, 3 filter by strategy, 4 rename as results\n"
        'steps = {"leaving out": "3", "keeping only": "3", "into": "4", "result": "4",\n'
        '         "map": "1", "serves": "1", "needs": "2", "expect": "2"}\n'
        "activity_step = q3.letter(next(s for k, s in steps.items() if k in data.activity))"
    ),
    near_misses=(NearMiss("rename", lambda d: "4" if ACTIVITIES[d.activity] == "3" else "3"),),
    options=tuple(STEPS),
    option_text=STEPS,
    case=_activity_text,
)
q4 = Question(
    NAME,
    4,
    "result_name",
    "choice",
    lambda d: "result",
    solution_code='result_name = q4.letter("result")',
    near_misses=(
        NearMiss("activity", lambda d: "activity"),
        NearMiss("unchanged", lambda d: "unchanged"),
    ),
    options=tuple(RESULT_OPTIONS),
    option_text=RESULT_OPTIONS,
)
q5 = Question(
    NAME,
    5,
    "why_dimensions",
    "text",
    lambda d: None,
    solution_code=(
        'why_dimensions = """Naming each kept need as a result (a rate or an amount) makes it '
        "measurable, so the team can be evaluated on what it delivers to its customers rather "
        "than on how busy it is. Needs that matter little to the organisation's strategy were "
        'left out in step 3, so the team is not rewarded for them."""'
    ),
    hints=1,
    points=2,
)

CELLS: list[Cell] = [
    *answer_cells(
        q1,
        (
            "## Question 1 (compute): what each customer needs\n\n"
            "A relationship map lists a team's external customers (外部客户) and internal "
            "customers "
            "(内部客户) and what each needs from the team (step 2). How many needs does each "
            "customer on your map `data.map` list? Give `needs_per_customer` as a Series indexed "
            "by the map's `customer_id`."
        ),
        "needs_per_customer = ____",
    ),
    *answer_cells(
        q2,
        (
            "## Question 2 (compute): what survives the filter\n\n"
            "Do step 3 on a copy of your map: keep the needs whose item is in `data.strategic`. "
            "How many needs does each customer keep? Give `kept_per_customer` as a Series indexed "
            "by the map's `customer_id`."
        ),
        "kept_per_customer = ____",
    ),
    *answer_cells(
        q3,
        (
            "## Question 3 (interpret): which step is it?\n\n"
            "The cell below describes a piece of the team's work (yours alone). Which of the four "
            "steps is it? Answer with the **letter** of your option, e.g. "
            '`activity_step = "b"`.'
        ),
        "activity_step = ____",
    ),
    *answer_cells(
        q4,
        (
            "## Question 4 (decide): name the dimension\n\n"
            "The need 'timely supply' is kept. Which name should it get as an evaluation "
            "dimension? Answer with the **letter** of your option."
        ),
        "result_name = ____",
    ),
    *answer_cells(
        q5,
        (
            "## Question 5 (decide, in words): why results, not activities?\n\n"
            "In two to four sentences: why does step 4 name the kept needs as results, and what "
            "does the team gain from the filter of step 3? Your instructor grades this answer by "
            "hand."
        ),
        'why_dimensions = """____"""',
    ),
]

SET = ExerciseSet(
    name=NAME,
    notebook="05_relationship_map",
    title="Exercises 05: the customer relationship map (客户关系图)",
    lesson="notebooks/05_relationship_map.ipynb",
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
