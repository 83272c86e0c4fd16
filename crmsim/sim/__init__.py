"""The simulation: customers through the development funnel and the relationship lifecycle,
served by account managers under one of the four structures (SimPy).

Start with :class:`Scenario` (its defaults describe the bundled company as it is organised today),
run it with :func:`simulate`, and compare organisational choices with :func:`compare`,
:func:`replicate` and :func:`sweep`. :func:`structure_comparison` is the ready-made study of the
four structures that ``crmsim demo`` reports.

============== ===============================================================================
scenario/      the parameters, one module per section (what a user sets, with units, defaults
               and checks) and scenario files
engine/        the mechanics, one module per part of the story (what the model does with each
               section): ``scenario/funnel.py`` says what the funnel is, ``engine/funnel.py``
               walks leads through it
experiments    one run, replications, comparisons on common random numbers, sweeps
result, kpis   the tidy result tables of a run and the one registry of headline KPIs
stats          confidence intervals; ``streams``: seeded random streams; ``queueing``: the
               closed forms (Erlang C) the service model is tested against
studies        ready-made studies (the four structures, one scenario) with tables for people
whatif         a manager's options (scenario files, ``--set``, ``--vary``) and their comparison
sensitivity    which parameters move the answer, one at a time
decision       the recommendation that weighs several KPIs, ranked on customer value created
plausibility   the guard: is a scenario one the model was built for (before and after a run)
uncertainty    how much the answer depends on the teaching values (probabilistic sensitivity)
fits           the textbook's fits (domain.md §7) checked on company profiles of every kind
============== ===============================================================================

Nothing here draws a chart or writes a page: :mod:`crmsim.plots` and :mod:`crmsim.report` read
the results. (``crmsim.sim.plot_monthly`` and its siblings are kept as names for notebooks written
before the charts moved; they load :mod:`crmsim.plots.simulation` on first use.)

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
from crmsim.sim.scenario.structures import STRUCTURE_NAMES

#: Names loaded on first use (PEP 562): the charts (kept here by name; they live in plots/) and
#: the studies.
_LAZY = {
    "plot_differences": "crmsim.plots.simulation", "plot_funnel": "crmsim.plots.simulation",
    "plot_monthly": "crmsim.plots.simulation", "plot_stage_mix": "crmsim.plots.simulation",
    "plot_utilisation": "crmsim.plots.simulation", "scenario_study": "crmsim.sim.studies",
    "structure_comparison": "crmsim.sim.studies",
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
