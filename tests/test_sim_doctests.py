"""Run the Examples sections of crmsim.sim's docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "allocation", "book", "credit", "crm", "desk", "experiments", "funnel", "incentives",
    "lifecycle", "queueing", "scenario", "stats", "streams", "structures", "toml_io", "turnover",
    "kpis", "engine.records", "engine.effects", "engine.tasks", "engine.month_end",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"crmsim.sim.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
