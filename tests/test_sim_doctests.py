"""Run the Examples sections of every docstring in crmsim.sim (also when only tests/ is run)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import crmsim.sim

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(crmsim.sim.__path__, prefix="crmsim.sim.")
)


def test_the_walk_finds_both_homes():
    assert "crmsim.sim.scenario.funnel" in MODULES and "crmsim.sim.engine.funnel" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
