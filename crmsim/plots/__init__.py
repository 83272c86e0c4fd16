"""Every chart of the kit: each ``plot_x(table, ax=None, lang=None)`` takes its table and an
optional ``ax`` and returns the Axes.

- the methods: ``pareto`` (Pareto chart, Lorenz curve), ``pyramid``, ``credit``, ``lifecycle``,
  ``relationship_map`` (re-exported here);
- ``simulation``: results of runs and comparisons (monthly KPIs with bands, stage mix, funnel,
  utilisation, paired differences);
- ``whatif``: the manager's report (options over time, the forest of differences, concentration,
  the tornado of a sensitivity study);
- ``calibration``: the back-test of a calibrated scenario.

Every text on a chart comes from the translation table (``crmsim.terms``) in the session
language (:func:`crmsim.set_language`) or the ``lang=`` of the call; Chinese charts use the
bundled Noto Sans CJK font, registered with matplotlib by :func:`use_cjk_font` at the first
Chinese chart (call it yourself to put Chinese on a chart of your own).
"""

from crmsim.plots._fonts import use_cjk_font
from crmsim.plots.credit import plot_credit_radar, plot_grade_distribution
from crmsim.plots.lifecycle import plot_lifecycle_history, plot_stage_mix
from crmsim.plots.pareto import plot_lorenz, plot_pareto
from crmsim.plots.pyramid import plot_pyramid, plot_pyramid_quadrants
from crmsim.plots.relationship_map import plot_relationship_map

__all__ = [
    "plot_credit_radar", "plot_grade_distribution", "plot_lifecycle_history", "plot_stage_mix",
    "plot_lorenz", "plot_pareto", "plot_pyramid", "plot_pyramid_quadrants",
    "plot_relationship_map", "use_cjk_font",
]
