"""Lesson 09 app: commission at signing or pay deferred on satisfaction (domain.md §8)?

:func:`incentive_explorer` chooses the pay scheme and the deferred share and compares the result
with commission at signing on the same seeds (common random numbers): customer satisfaction,
new customers, retention of the initial book, revenue and the managers' pay, each with the 95%
confidence interval of the paired difference. Under commission the share slider has no effect
(nothing is deferred).

Speed: the classroom company (300 customers, 10 managers) over 12 months, 3 replications; the
commission reference is simulated once when the app is built and every setting is cached, so a
change costs three short runs.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import display

from crmsim.plots.simulation import plot_monthly
from crmsim.sim.scenario import Scenario
from crmsim.terms import SCHEMES, label, resolve_language
from crmsim.widgets._app import App, show_figure
from crmsim.widgets._simstudy import PairedStudy, classroom_scenario, versus_view

#: KPIs the incentive app compares.
INCENTIVE_KPIS: tuple[str, ...] = ("mean_satisfaction", "new_customers", "retention", "revenue",
                                   "pay")  # fmt: skip


def incentive_scenario(base: Scenario, scheme: str, deferred_share: float) -> Scenario:
    """*base* paid under *scheme*; the deferred share only matters for ``"deferred"``.

    Examples
    --------
    >>> s = incentive_scenario(Scenario(months=12), "deferred", 0.4)
    >>> s.incentives.scheme, s.incentives.deferred_share
    ('deferred', 0.4)
    """
    if scheme == "commission":
        return base.with_("incentives.scheme", "commission")
    return base.with_({"incentives.scheme": scheme,
                       "incentives.deferred_share": round(float(deferred_share), 6)})  # fmt: skip


def incentive_explorer(
    scenario: Scenario | None = None,
    *,
    replications: int = 3,
    seed: int = 2024,
    lang: str | None = None,
) -> App:
    """Pay scheme and deferred share → satisfaction, new customers, retention, pay vs commission.

    Parameters
    ----------
    scenario : Scenario, optional
        The company; default the classroom company over 12 months.
    replications : int
        Replications per setting (the same seeds as the commission reference).
    seed : int
        Seed of the study.
    lang : str, optional
        Language of the labels ("en", "zh", "both"; default the current language).

    Returns
    -------
    App
        Controls ``scheme`` and ``deferred_share``. ``app.result`` is a dict: ``kpis`` (commission,
        chosen scheme, paired difference with interval, per KPI of :data:`INCENTIVE_KPIS`) and
        ``monthly`` (monthly tables of both). ``app.study`` holds the cached runs.
    """
    base = classroom_scenario(12) if scenario is None else scenario
    reference = incentive_scenario(base, "commission", 0.0)
    study = PairedStudy(replications, seed)
    lang_ = resolve_language(lang)
    style = {"description_width": "160px"}
    controls = {
        "scheme": W.Dropdown(options=[(label(s, lang_), s) for s in SCHEMES], value="deferred",
                             description=label("incentive_app.scheme", lang_), style=style),
        "deferred_share": W.FloatSlider(value=0.25, min=0.0, max=0.5, step=0.05,
                                        readout_format=".2f", style=style,
                                        description=label("incentive_app.share", lang_)),
    }  # fmt: skip
    study.runs(reference)

    def compute(scheme: str, deferred_share: float) -> dict:
        chosen = incentive_scenario(base, scheme, deferred_share)
        kpis = study.versus(chosen, reference, list(INCENTIVE_KPIS))
        monthly = study.stacked({"incentive_app.reference": reference,
                                 "incentive_app.chosen": chosen}, "monthly")  # fmt: skip
        return {"kpis": kpis, "monthly": monthly}

    def render(result: dict, out: W.Output) -> None:
        display(versus_view(result["kpis"], "incentive_app.reference", "incentive_app.chosen",
                            lang_))  # fmt: skip
        fig, ax = plt.subplots(figsize=(8, 4))
        plot_monthly(result["monthly"], "mean_satisfaction", ax=ax, lang=lang_)
        show_figure(fig)

    app = App(controls, compute, render, title=label("incentive_app.title", lang_), lang=lang_)
    app.study = study
    return app


__all__ = ["INCENTIVE_KPIS", "incentive_explorer", "incentive_scenario"]
