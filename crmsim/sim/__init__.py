"""The simulation: customers through the development funnel and the relationship lifecycle,
served by account managers under one of the four structures (SimPy).

Start with :class:`Scenario` (its defaults describe the bundled company as it is organised today),
run it with :func:`simulate`, and compare organisational choices with :func:`compare`,
:func:`replicate` and :func:`sweep`. :func:`structure_comparison` is the ready-made study of the
four structures that ``crmsim demo`` reports.

Examples
--------
>>> from crmsim.sim import Scenario, simulate
>>> result = simulate(Scenario.synthetic(50, 3, months=3), seed=1)
>>> result.monthly["month"].tolist()
[1, 2, 3]
"""

from crmsim.sim.experiments import (
    KPI_NAMES,
    Comparison,
    Replications,
    compare,
    replicate,
    simulate,
    summarise,
    sweep,
)
from crmsim.sim.result import SimulationResult
from crmsim.sim.scenario import Scenario
from crmsim.sim.structures import STRUCTURE_NAMES

#: Names loaded on first use (PEP 562): charts need matplotlib, studies the report machinery.
_LAZY = {
    "plot_differences": "crmsim.sim.plots", "plot_funnel": "crmsim.sim.plots",
    "plot_monthly": "crmsim.sim.plots", "plot_stage_mix": "crmsim.sim.plots",
    "plot_utilisation": "crmsim.sim.plots", "scenario_study": "crmsim.sim.report",
    "structure_comparison": "crmsim.sim.report",
}  # fmt: skip


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crmsim.sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "KPI_NAMES", "STRUCTURE_NAMES", "Comparison", "Replications", "Scenario", "SimulationResult",
    "compare", "plot_differences", "plot_funnel", "plot_monthly", "plot_stage_mix",
    "plot_utilisation", "replicate", "scenario_study", "simulate", "structure_comparison",
    "summarise", "sweep",
]  # fmt: skip
