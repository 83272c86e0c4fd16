"""Plotting functions: each takes its table and an optional ``ax`` and returns the Axes."""

from crmsim.plots.credit import plot_credit_radar, plot_grade_distribution
from crmsim.plots.lifecycle import plot_lifecycle_history, plot_stage_mix
from crmsim.plots.pareto import plot_lorenz, plot_pareto
from crmsim.plots.pyramid import plot_pyramid, plot_pyramid_quadrants
from crmsim.plots.relationship_map import plot_relationship_map

__all__ = [
    "plot_credit_radar", "plot_grade_distribution", "plot_lifecycle_history", "plot_stage_mix",
    "plot_lorenz", "plot_pareto", "plot_pyramid", "plot_pyramid_quadrants",
    "plot_relationship_map",
]
