"""Lesson 08 app: a star salesperson (业务尖子) leaves — against the counterfactual where he stays.

:func:`star_departure_explorer` lets the class choose the month the most skilled account manager
leaves, the CRM adoption level and the account-manager structure. For that setting it simulates the
company twice on the same seeds (common random numbers): once with the star leaving, once with the
star staying, and shows the paired difference in revenue, customers and defections with its 95%
confidence interval (domain.md §9).

Speed: the classroom company (300 customers, 10 managers) over 12 months, 3 replications per
setting; every scenario seen is cached, so a change costs at most six short runs (both arms of the
new setting) and a return to an earlier setting costs none.
"""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
from IPython.display import display

from crmsim.plots.simulation import plot_monthly
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.structures import STRUCTURE_NAMES
from crmsim.terms import label, resolve_language
from crmsim.widgets._app import App, show_figure
from crmsim.widgets._simstudy import PairedStudy, classroom_scenario, versus_view

#: KPIs the star app compares.
STAR_KPIS: tuple[str, ...] = ("revenue", "net_contribution", "active_customers_end",
                              "lost_customers", "defections")  # fmt: skip


def star_scenarios(base: Scenario, month: int, adoption: float,
                   structure: str) -> dict[str, Scenario]:
    """The two arms of the star experiment: ``stays`` (no star leaves) and ``leaves``.

    Raises ``ValueError`` when *month* is not within the horizon.

    Examples
    --------
    >>> arms = star_scenarios(Scenario(months=12), 4, 0.5, "dedicated_post")
    >>> arms["stays"].turnover.star_leaves_month, arms["leaves"].turnover.star_leaves_month
    (0, 4)
    """
    if not 1 <= int(month) <= base.months:
        raise ValueError(label("star_app.bad_month").format(months=base.months))
    setting = base.with_({"structure": structure, "crm.adoption": round(float(adoption), 6),
                          "turnover.star_leaves_month": 0})  # fmt: skip
    return {"stays": setting, "leaves": setting.with_("turnover.star_leaves_month", int(month))}


def star_departure_explorer(
    scenario: Scenario | None = None,
    *,
    replications: int = 3,
    seed: int = 2024,
    lang: str | None = None,
) -> App:
    """Month the star leaves, CRM adoption, structure → damage against the star staying.

    Parameters
    ----------
    scenario : Scenario, optional
        The company; default the classroom company over 12 months.
    replications : int
        Replications per arm (the same seeds in both arms).
    seed : int
        Seed of the study.
    lang : str, optional
        Language of the labels ("en", "zh", "both"; default the current language).

    Returns
    -------
    App
        Controls ``month``, ``adoption``, ``structure``. ``app.result`` is a dict: ``kpis``
        (star stays, star leaves, paired difference with interval, per KPI of
        :data:`STAR_KPIS`) and ``monthly`` (monthly tables of both arms). ``app.study`` holds
        the cached runs.
    """
    base = classroom_scenario(12) if scenario is None else scenario
    study = PairedStudy(replications, seed)
    lang_ = resolve_language(lang)
    style = {"description_width": "160px"}
    controls = {
        "month": W.IntSlider(value=min(4, base.months), min=1, max=base.months,
                             description=label("star_app.month", lang_), style=style),
        "adoption": W.FloatSlider(value=float(base.crm.adoption), min=0.0, max=1.0, step=0.1,
                                  readout_format=".1f", style=style,
                                  description=label("star_app.adoption", lang_)),
        "structure": W.Dropdown(options=[(label(s, lang_), s) for s in STRUCTURE_NAMES],
                                value=base.structure.name, style=style,
                                description=label("star_app.structure", lang_)),
    }  # fmt: skip

    def compute(month: int, adoption: float, structure: str) -> dict:
        arms = star_scenarios(base, month, adoption, structure)
        kpis = study.versus(arms["leaves"], arms["stays"], list(STAR_KPIS))
        monthly = study.stacked({"star_app.stays": arms["stays"],
                                 "star_app.leaves": arms["leaves"]}, "monthly")  # fmt: skip
        return {"kpis": kpis, "monthly": monthly, "month": month}

    def render(result: dict, out: W.Output) -> None:
        display(versus_view(result["kpis"], "star_app.stays", "star_app.leaves", lang_))
        fig, ax = plt.subplots(figsize=(8, 4))
        plot_monthly(result["monthly"], "revenue", ax=ax, lang=lang_)
        ax.axvline(result["month"], color="grey", linestyle=":")
        show_figure(fig)

    app = App(controls, compute, render, title=label("star_app.title", lang_), lang=lang_)
    app.study = study
    return app


__all__ = ["STAR_KPIS", "star_departure_explorer", "star_scenarios"]
