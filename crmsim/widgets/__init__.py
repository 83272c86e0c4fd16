"""Interactive lesson apps (ipywidgets), one module per lesson.

Each app is a function returning an :class:`~crmsim.widgets._app.App`: explicit controls wired
with ``observe()``, a pure compute step (crmsim's methods or simulation) and a render step (crmsim's
plots). Methods, simulation and plots never import this package.
"""

from crmsim.widgets._app import App
from crmsim.widgets.abc import abc_explorer, boundary_customers
from crmsim.widgets.credit import credit_explorer, credit_policy_explorer
from crmsim.widgets.dashboard import Dashboard, dashboard
from crmsim.widgets.funnel import funnel_explorer
from crmsim.widgets.incentives import incentive_explorer
from crmsim.widgets.lifecycle import cohort_stage_mix, lifecycle_explorer
from crmsim.widgets.pyramid import pyramid_explorer
from crmsim.widgets.relationship_map import relationship_map_builder
from crmsim.widgets.rollout import rollout_planner
from crmsim.widgets.star import star_departure_explorer
from crmsim.widgets.structures import structure_explorer

__all__ = [
    "App",
    "Dashboard",
    "abc_explorer",
    "boundary_customers",
    "cohort_stage_mix",
    "credit_explorer",
    "credit_policy_explorer",
    "dashboard",
    "funnel_explorer",
    "incentive_explorer",
    "lifecycle_explorer",
    "pyramid_explorer",
    "relationship_map_builder",
    "rollout_planner",
    "star_departure_explorer",
    "structure_explorer",
]
