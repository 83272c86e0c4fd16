"""crmsim: a teaching and simulation kit for customer relationship management.

The textbook methods (:mod:`crmsim.methods`), their charts (:mod:`crmsim.plots`), the bundled
company (:mod:`crmsim.datasets`) and the reader for users' own files (:func:`read_table`) are
re-exported here, with the simulation's entry points (:class:`Scenario`, :func:`simulate`,
:func:`replicate`, :func:`compare`, :func:`sweep`; the rest is in :mod:`crmsim.sim`), so
``import crmsim`` is all a notebook needs.
"""

from crmsim import datasets  # noqa: E402
from crmsim._version import __version__
from crmsim.errors import CrmsimError, DataError, ParameterError  # noqa: E402
from crmsim.io import ReadingReport, read_table  # noqa: E402
from crmsim.methods import *  # noqa: E402,F403
from crmsim.methods import __all__ as _methods_all  # noqa: E402
from crmsim.plots import *  # noqa: E402,F403
from crmsim.plots import __all__ as _plots_all  # noqa: E402
from crmsim.sim import (  # noqa: E402
    Scenario,
    compare,
    replicate,
    simulate,
    structure_comparison,
    summarise,
    sweep,
)
from crmsim.terms import get_language, label, language, set_language  # noqa: E402

__all__ = [
    "__version__", "datasets", "read_table", "ReadingReport",
    "label", "set_language", "get_language", "language",
    "CrmsimError", "DataError", "ParameterError",
    *_methods_all, *_plots_all,
    "Scenario", "simulate", "replicate", "compare", "sweep", "summarise", "structure_comparison",
]
