"""The simulation engine, in parts named after the story of one replication.

========== ==================================================================================
records    named records: growable numpy column tables (customers, managers, leads), the lead
           in the funnel, the month's tally and the month-end flows
effects    :class:`StructureEffects`: every effect of the account-manager structure, in one place
book       set-up of the book and the team; skills; fit; allocation of managers
turnover   managers leaving and joining; defection and handover
service    service requests at the farming desks (computed queues) or the operations pool
funnel     leads walking the development steps on the hunting desks
month_end  revenue, maintenance, satisfaction, lifecycle, pay; CRM and deferred-pay effects
tables     the tidy result tables
tasks      :class:`Task`, the small driver of SimPy generators used for leads
model      :class:`Simulation`, which wires the parts together
========== ==================================================================================
"""

from crmsim.sim.engine.effects import StructureEffects
from crmsim.sim.engine.model import Simulation
from crmsim.sim.engine.records import MONTH

__all__ = ["MONTH", "Simulation", "StructureEffects"]
