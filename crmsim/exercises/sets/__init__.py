"""Exercise sets, one per lesson: each module holds its questions (with their reference solutions)
and the cells of its notebook, so the student notebook, the solution notebook and the checks come
from one source.

Sets 06-10 go with the simulation lessons; their data come from a small seeded simulation.
"""

from __future__ import annotations

import importlib

from crmsim.exercises.sets._base import Cell, ExerciseSet

__all__ = ["NAMES", "Cell", "ExerciseSet", "all_sets", "get_set"]

#: Module names of the sets, in lesson order.
NAMES: tuple[str, ...] = (
    "ex01_lifecycle",
    "ex02_abc",
    "ex03_pyramid",
    "ex04_credit",
    "ex05_relationship_map",
    "ex06_funnel",
    "ex07_structures",
    "ex08_star_salespeople",
    "ex09_incentives",
    "ex10_rollout",
)


def get_set(name: str) -> ExerciseSet:
    """The set called *name* (``"ex02_abc"``) or by its notebook stem (``"02_abc"``)."""
    for module in NAMES:
        exercise_set = importlib.import_module(f"crmsim.exercises.sets.{module}").SET
        if name in (module, exercise_set.notebook):
            return exercise_set
    raise ValueError(f"unknown exercise set {name!r}; expected one of {list(NAMES)}")


def all_sets() -> list[ExerciseSet]:
    """Every set, in lesson order."""
    return [get_set(name) for name in NAMES]
