"""Charts of a calibration: the back-test of simulated against actual figures, month by month."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from crmsim.plots._labels import (
    chart_text,
    compact_formatter,
    finish,
    kpi_label,
    plot_language,
)
from crmsim.plots.lifecycle import STAGE_COLOURS
from crmsim.plots.simulation import _axes, _need
from crmsim.terms import STAGES


def plot_calibration_fit(
    fit: pd.DataFrame,
    measures: str | list[str] | tuple[str, ...] = "revenue",
    *,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """A calibration's back-test: actual values (points) against the simulated mean (line) and
    the simulated 95% range (band), one colour per measure.

    Parameters
    ----------
    fit : DataFrame
        :attr:`crmsim.calibrate.Calibration.fit` (``date``, ``measure``, ``actual``,
        ``simulated``, ``low``, ``high``).
    measures : str or list of str
        Measures to draw, e.g. ``"revenue"`` or the four ``customers_<stage>``.
    ax : Axes, optional
    lang : {"en", "zh", "both"}, optional

    Examples
    --------
    >>> fit = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "measure": ["revenue"] * 2, "actual": [10.0, 12.0], "simulated": [11.0, 11.0],
    ...     "low": [9.0, 9.0], "high": [13.0, 13.0]})
    >>> plot_calibration_fit(fit).get_title()
    'Monthly revenue: actual vs simulated'
    """
    _need(fit, ["date", "measure", "actual", "simulated", "low", "high"], "fit")
    lang = plot_language(lang)
    wanted = [measures] if isinstance(measures, str) else list(measures)
    ax = _axes(ax)
    stage_of = {f"customers_{s}": s for s in STAGES}
    handles = []
    for measure in wanted:
        part = fit[fit["measure"] == measure].sort_values("date")
        colour = STAGE_COLOURS.get(stage_of.get(measure, ""), "#3e6fb0")
        ax.fill_between(part["date"], part["low"], part["high"], color=colour, alpha=0.18,
                        linewidth=0)  # fmt: skip
        ax.plot(part["date"], part["simulated"], color=colour, linestyle="--")
        ax.plot(part["date"], part["actual"], color=colour, marker="o", linewidth=1.2)
        if len(wanted) > 1:
            handles.append(
                Patch(color=colour, label=chart_text(f"calibrate.measure.{measure}", lang))
            )
    grey = "#52606d"
    handles += [
        Line2D([], [], color=grey, marker="o", label=chart_text("calibrate.chart.actual", lang)),
        Line2D([], [], color=grey, linestyle="--",
               label=chart_text("calibrate.chart.simulated", lang)),
        Patch(color=grey, alpha=0.18, label=chart_text("calibrate.chart.range", lang)),
    ]  # fmt: skip
    revenue = wanted == ["revenue"]
    ax.set_title(chart_text("calibrate.chart.revenue" if revenue else "calibrate.chart.stages",
                            lang))  # fmt: skip
    ax.set_xlabel(chart_text("chart.month", lang))
    ax.set_ylabel(kpi_label("revenue", lang) if revenue
                  else chart_text("calibrate.col.customers", lang))  # fmt: skip
    ax.yaxis.set_major_formatter(compact_formatter(lang))
    ax.legend(handles=handles, fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    ax.tick_params(axis="x", labelrotation=30)
    return finish(ax, lang)
