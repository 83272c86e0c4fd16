"""Exercise set 05: the customer relationship map (客户关系图), on the student's own map.

Lesson: ``notebooks/05_relationship_map.ipynb``. Data: ``data.map``, the sales team's map with
a seeded selection of its customers and every need still undecided; ``data.strategic``, the
need items the organisation's strategy values; ``data.renames``, the result name of each.
"""

from __future__ import annotations

from typing import Any

from crmsim.exercises.core import NearMiss, Question, caller_namespace
from crmsim.exercises.data import StudentData
from crmsim.exercises.sets._base import Cell, ExerciseSet, answer_cells
from crmsim.methods.relationship_map import RelationshipMap

NAME = "ex05_relationship_map"

#: Options of question 4: names for what "timely supply" becomes in step 4.
RESULT_OPTIONS: dict[str, str] = {
    "a": "deliver supplies on time",
    "b": "on-time delivery rate",
    "c": "timely supply",
}
#: The four steps of the map (question 3's options).
STEPS = ("1", "2", "3", "4")


def _bundled_map() -> dict[str, Any]:
    from crmsim.datasets import load_relationship_map_data

    return load_relationship_map_data()


def _prepare(data: StudentData) -> dict[str, Any]:
    full = _bundled_map()
    rng = data.rng
    customers = list(full["customers"])
    external = [c for c in customers if c["kind"] == "external"]
    internal = [c for c in customers if c["kind"] == "internal"]
    keep_ext = rng.choice(len(external), size=int(rng.integers(2, len(external) + 1)),
                          replace=False)
    keep_int = rng.choice(len(internal), size=int(rng.integers(1, len(internal) + 1)),
                          replace=False)
    chosen = [external[i] for i in sorted(keep_ext)] + [internal[i] for i in sorted(keep_int)]
    kept = sorted({n["item"] for c in chosen for n in c["needs"] if n["valuable"]})
    renames = {n["item"]: n["dimension"] for c in chosen for n in c["needs"] if n["valuable"]}
    dropped = kept[int(rng.integers(len(kept)))] if len(kept) > 2 else None
    strategic = [item for item in kept if item != dropped]
    undecided = {
        "team": full["team"], "organisation_goal": full.get("organisation_goal", ""),
        "customers": [
            {"id": c["id"], "name": c["name"], "kind": c["kind"],
             "needs": [{"item": n["item"], "valuable": None, "dimension": None}
                       for n in c["needs"]]}
            for c in chosen
        ],
    }
    data.memo("map_dict", lambda: undecided)
    return {
        "map": RelationshipMap.from_dict(undecided),
        "strategic": set(strategic),
        "renames": {item: renames[item] for item in strategic},
    }


def _fresh(data: StudentData) -> RelationshipMap:
    return RelationshipMap.from_dict(data.memo("map_dict", lambda: data.map.to_dict()))


def _count_kind(data: StudentData, kind: str | None) -> float:
    table = _fresh(data).customers_table()
    return float(len(table) if kind is None else (table["kind"] == kind).sum())


def _finished(data: StudentData) -> RelationshipMap:
    return _fresh(data).filter(data.strategic).rename(data.renames)


def _n_dimensions(data: StudentData) -> float:
    return float(len(_finished(data).dimensions(strict=True)))


def _n_kept_needs(data: StudentData) -> float:
    return float(_finished(data).needs_table()["valuable"].sum())


def _n_items(data: StudentData) -> float:
    return float(_fresh(data).needs_table()["item"].nunique())


def _accept(data: StudentData) -> bool:
    values = {_n_dimensions(data), _n_kept_needs(data), _n_items(data)}
    kinds = {_count_kind(data, "internal"), _count_kind(data, "external"),
             _count_kind(data, None)}
    return len(values) == 3 and len(kinds) == 3


def _result_option(data: StudentData) -> str:
    full = _bundled_map()
    name = next(n["dimension"] for c in full["customers"] for n in c["needs"]
                if n["item"] == "timely supply" and n["valuable"])
    return next(key for key, text in RESULT_OPTIONS.items() if text == name)


q1 = Question(
    NAME, 1, "n_internal", "number", lambda d: _count_kind(d, "internal"),
    solution_code=(
        "table = data.map.customers_table()\n"
        'n_internal = int((table["kind"] == "internal").sum())'
    ),
    near_misses=(
        NearMiss("external", lambda d: _count_kind(d, "external")),
        NearMiss("all", lambda d: _count_kind(d, None)),
    ),
    tolerance=0.0,
)
q2 = Question(
    NAME, 2, "n_dimensions", "number", _n_dimensions,
    solution_code=(
        "team_map = crmsim.RelationshipMap.from_dict(data.map.to_dict())  # a copy\n"
        "team_map.filter(data.strategic).rename(data.renames)\n"
        "n_dimensions = len(team_map.dimensions())"
    ),
    near_misses=(
        NearMiss("pairs", _n_kept_needs),
        NearMiss("no_filter", _n_items),
    ),
    tolerance=0.0,
)
q3 = Question(
    NAME, 3, "filter_step", "choice",
    # a conceptual question: the step that filters from the organisation's point of view is
    # RelationshipMap.filter, the third of the four steps (add_customer, add_need, filter, rename)
    lambda d: "3",
    solution_code='filter_step = "3"',
    near_misses=(NearMiss("rename", lambda d: "4"), NearMiss("needs", lambda d: "2")),
    options=STEPS,
)
q4 = Question(
    NAME, 4, "result_name", "choice", _result_option,
    solution_code='result_name = "b"',
    near_misses=(NearMiss("activity", lambda d: "a"), NearMiss("unchanged", lambda d: "c")),
    options=tuple(RESULT_OPTIONS),
)

_OPTIONS_TEXT = "\n".join(f"- `\"{k}\"`: {v}" for k, v in RESULT_OPTIONS.items())

CELLS: list[Cell] = [
    *answer_cells(q1, (
        "## Question 1 (compute): the team's internal customers\n\n"
        "A relationship map lists a team's external customers (外部客户) and internal customers "
        "(内部客户). How many **internal** customers are on your map `data.map`?"
    ), "n_internal = ____"),
    *answer_cells(q2, (
        "## Question 2 (compute): from needs to evaluation dimensions\n\n"
        "Finish steps 3 and 4 on a copy of your map: keep the needs whose item is in "
        "`data.strategic`, then rename them as results with `data.renames`. How many evaluation "
        "dimensions does the team end up with?"
    ), "n_dimensions = ____"),
    *answer_cells(q3, (
        "## Question 3 (interpret): which step drops 'answering questions'?\n\n"
        "Customers value 'answering questions', but the team's map leaves it out because it "
        "matters little to the organisation's strategy. In which of the four steps (1 identify "
        "customers, 2 list their needs, 3 filter, 4 rename as results) is it dropped? Answer "
        "`\"1\"`, `\"2\"`, `\"3\"` or `\"4\"`."
    ), "filter_step = ____"),
    *answer_cells(q4, (
        "## Question 4 (decide): name the dimension\n\n"
        "The need 'timely supply' is kept. Which name should it get as an evaluation dimension?"
        f"\n\n{_OPTIONS_TEXT}"
    ), "result_name = ____"),
]

SET = ExerciseSet(
    name=NAME, notebook="05_relationship_map",
    title="Exercises 05: the customer relationship map (客户关系图)",
    lesson="notebooks/05_relationship_map.ipynb",
    questions=[q1, q2, q3, q4], cells=CELLS, prepare=_prepare, accept=_accept,
)


def setup(student_id: Any = None) -> StudentData:
    """Make your data for this set (see :meth:`ExerciseSet.setup`)."""
    return SET.setup(student_id, namespace=caller_namespace())


def questions() -> list[Question]:
    """The set's questions, in order."""
    return SET.questions
