"""crmsim: a teaching and simulation kit for customer relationship management.

The textbook methods (:mod:`crmsim.methods`), their charts (:mod:`crmsim.plots`), the bundled
company (:mod:`crmsim.datasets`) and the reader for users' own files (:func:`read_table`) are
re-exported here, with the simulation's entry points (:class:`Scenario`, :func:`simulate`,
:func:`replicate`, :func:`compare`, :func:`sweep`; the rest is in :mod:`crmsim.sim`),
:func:`calibrate` (a scenario estimated from a transaction history; :mod:`crmsim.calibrate`)
and the manager's what-if comparisons (:func:`build_options`, :func:`run_whatif`,
:func:`run_uncertainty` for how much the answer depends on the assumptions,
:func:`check_scenario` for the plausibility guard,
:func:`sensitivity` in :mod:`crmsim.sim`; :func:`write_report`, :func:`write_sensitivity_report`
in :mod:`crmsim.report`), so ``import crmsim`` is all a notebook needs.

Where things live (each folder imports only the folders above it in this list)::

    terms/      the vocabulary as code; the translation catalogs as data (terms/locale/)
    io/         reading users' files (sniffing, header rows, encodings) and the reading report
    datasets/   the bundled company, the CDNOW loader, the generator
    methods/    the textbook methods in pure pandas
    sim/        scenario/ (the parameters) · engine/ (the mechanics) · experiments, KPIs,
                statistics, random streams, studies, what-if options, sensitivity, decision
    calibrate/  a scenario estimated from a transaction history
    plots/      every chart
    report/     the page builder and every page
    app/        the faces: the command line and its commands (demo, analyze, compare, ...)
    widgets/    one app per lesson, and the managers' dashboard
    exercises/  questions, checks, student copies and grading

Names are loaded on first use (PEP 562 module ``__getattr__``): ``import crmsim`` itself stays
light, and matplotlib, networkx, pandas or SciPy are imported only when a name that needs them
is first used.
"""

from __future__ import annotations

import importlib
from typing import Any

from crmsim._version import __version__
from crmsim.errors import CrmsimError, DataError, ParameterError
from crmsim.terms import get_language, label, language, localize, set_language

_METHODS = (
    "ABC_CLASSES", "abc_classify", "abc_excluded", "abc_summary",
    "concentration_summary", "gini", "lorenz_curve", "share_reaching", "top_share",
    "DEFAULT_POLICIES", "GRADES", "SIX_C", "CreditPolicy", "character_from_repayment",
    "credit_grade", "credit_policy", "credit_score", "grade_summary",
    "STATES", "LifecycleRules", "infer_stage", "stage_history", "stage_mix",
    "PYRAMID_TIERS", "STRATEGIES", "customer_pyramid", "profitability_pyramid", "pyramid_summary",
    "RelationshipMap", "customer_value",
)  # fmt: skip
_PLOTS = (
    "plot_credit_radar", "plot_grade_distribution", "plot_lifecycle_history", "plot_stage_mix",
    "plot_lorenz", "plot_pareto", "plot_pyramid", "plot_pyramid_quadrants",
    "plot_relationship_map", "use_cjk_font",
)  # fmt: skip
_SIM = (
    "Scenario", "simulate", "replicate", "compare", "sweep", "summarise", "structure_comparison",
)  # fmt: skip
_CALIBRATE = ("calibrate", "Calibration", "probability_alive")
#: The manager's what-if comparisons: options and runs (sim/), their pages (report/).
_WHATIF: dict[str, str] = {
    "build_options": "crmsim.sim.whatif", "run_whatif": "crmsim.sim.whatif",
    "sensitivity": "crmsim.sim.sensitivity", "write_report": "crmsim.report.manager",
    "write_sensitivity_report": "crmsim.report.sensitivity",
    "run_uncertainty": "crmsim.sim.uncertainty", "check_scenario": "crmsim.sim.plausibility",
}  # fmt: skip

#: Public name -> the module it is loaded from on first use (kept equal to the subpackages'
#: ``__all__`` by tests/test_app_cli.py).
_LAZY: dict[str, str] = {
    "read_table": "crmsim.io",
    "ReadingReport": "crmsim.io",
    **dict.fromkeys(_METHODS, "crmsim.methods"),
    **dict.fromkeys(_PLOTS, "crmsim.plots"),
    **dict.fromkeys(_SIM, "crmsim.sim"),
    **dict.fromkeys(_CALIBRATE, "crmsim.calibrate"),
    **_WHATIF,
}

__all__ = [
    "__version__", "datasets", "read_table", "ReadingReport",
    "label", "set_language", "get_language", "language", "localize",
    "CrmsimError", "DataError", "ParameterError",
    *_METHODS, *_PLOTS, *_SIM, *_CALIBRATE, *_WHATIF,
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name == "datasets":
        return importlib.import_module("crmsim.datasets")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'crmsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
