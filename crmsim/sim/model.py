"""The simulation engine (kept for existing imports): see :mod:`crmsim.sim.engine`.

``from crmsim.sim.model import Simulation, MONTH`` keeps working; the parts of the model live in
:mod:`crmsim.sim.engine` (book, turnover, service, funnel, month_end, tables).
"""

from crmsim.sim.engine.funnel import ARRIVAL_COLUMNS, FUNNEL_COLUMNS
from crmsim.sim.engine.model import Simulation
from crmsim.sim.engine.records import MONTH
from crmsim.sim.engine.records import Lead as _Lead  # noqa: F401  (tests build a lead by hand)

__all__ = ["ARRIVAL_COLUMNS", "FUNNEL_COLUMNS", "MONTH", "Simulation"]
