"""The textbook's fits (domain.md §7) emerge from the mechanics, one company per fit.

Each scenarios/fit_*.toml describes a company the textbook pairs with one structure. The four
structures are simulated on it over the same replications (common random numbers); the
textbook's structure must come first on net contribution over the file's horizon, and its paired
95% interval against the runner-up must exclude zero. Nothing in the engine knows these files:
the ranking comes from the company profile (crmsim.sim.scenario.company) meeting each structure's
mechanisms (crmsim.sim.scenario.structures).
"""

from pathlib import Path

import numpy as np
import pytest

from crmsim.sim.experiments import compare
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci
from crmsim.terms import STRUCTURES

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FITS = {
    "fit_small_distributor": "extended_roles",
    "fit_broad_business": "dedicated_post",
    "fit_large_multiline": "dedicated_department",
    "fit_key_accounts": "department_with_operations",
}
REPLICATIONS = 6


def ranking(scenario: Scenario, replications: int = REPLICATIONS, seed: int = 11):
    """Mean net contribution per structure (best first) and the paired CI best - runner-up."""
    options = {name: scenario.with_("structure", name) for name in STRUCTURES}
    runs = compare(options, replications=replications, seed=seed, workers=2, progress=False).runs
    table = runs.pivot(index="replication", columns="scenario", values="net_contribution")
    means = table.mean().sort_values(ascending=False)
    best, runner_up = means.index[:2]
    return means, mean_ci(table[best] - table[runner_up], 0.95)


@pytest.mark.parametrize("name", sorted(FITS))
def test_textbook_structure_comes_first(name):
    scenario = Scenario.from_toml(SCENARIOS / f"{name}.toml")
    assert scenario.structure.name == FITS[name]  # the file names its own fit
    means, ci = ranking(scenario)
    assert means.index[0] == FITS[name], (
        f"{name}: expected {FITS[name]} first; net contribution (M CNY): "
        f"{(means / 1e6).round(2).to_dict()}"
    )
    assert ci["ci_low"] > 0, f"{name}: paired 95% CI vs {means.index[1]}: {ci}"
    assert np.isfinite(means).all()
