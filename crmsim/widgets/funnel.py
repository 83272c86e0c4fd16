"""Lesson 06 app: what a better development step is worth (客户开发流程, domain.md §5).

:func:`funnel_explorer` puts a slider on the pass probability of each of the nine development
steps. For the chosen probabilities it shows the closed-form answer (the share of an average lead
still in after each step: the running product of the pass probabilities) next to the simulated
one: conversion and new customers of the classroom company, with the paired difference to the
default probabilities and its confidence interval.

Speed: the classroom company (300 customers, 10 managers) over 12 months, 3 replications on
common random numbers; the default is simulated once when the app is built and every setting seen
is cached, so a slider change costs three short runs (about 1 s on a shared 2-core machine).
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np
import pandas as pd
from IPython.display import display

from crmsim.plots._labels import kpi_label
from crmsim.plots.simulation import plot_funnel
from crmsim.sim.scenario import Scenario
from crmsim.terms import label, resolve_language
from crmsim.widgets._app import App, show_figure
from crmsim.widgets._simstudy import PairedStudy, classroom_scenario

#: KPIs the funnel app compares.
FUNNEL_KPIS: tuple[str, ...] = ("conversion", "new_customers")


def step_probabilities(scenario: Scenario) -> dict[str, float]:
    """The pass probability of each development step of *scenario*, in step order.

    Examples
    --------
    >>> p = step_probabilities(Scenario())
    >>> list(p)[:2], p["find"]
    (['find', 'contact'], 0.75)
    """
    return {s.name: float(s.pass_probability) for s in scenario.funnel.steps}


def closed_form_funnel(probabilities: dict[str, float]) -> pd.DataFrame:
    """Share of an average lead still in the funnel after each step (running product).

    Parameters
    ----------
    probabilities : dict step -> pass probability
        In step order.

    Returns
    -------
    DataFrame
        ``step, pass_probability, reach`` where ``reach`` is the product of the pass
        probabilities up to and including the step; the last ``reach`` is the conversion.

    Examples
    --------
    >>> closed_form_funnel({"a": 0.5, "b": 0.4})["reach"].round(3).tolist()
    [0.5, 0.2]
    """
    p = pd.Series(probabilities, dtype=float)
    if ((p < 0) | (p > 1)).any() or p.isna().any():
        bad = p[(p < 0) | (p > 1) | p.isna()].index[0]
        raise ValueError(f"pass probability of step {bad!r} must be within 0-1; got {p[bad]}")
    return pd.DataFrame({"step": p.index, "pass_probability": p.values,
                         "reach": np.cumprod(p.values)})  # fmt: skip


def funnel_explorer(
    scenario: Scenario | None = None,
    *,
    replications: int = 3,
    seed: int = 2024,
    lang: str | None = None,
) -> App:
    """Sliders on the nine step pass probabilities → closed form and simulation with intervals.

    Parameters
    ----------
    scenario : Scenario, optional
        The company and its default funnel; default the classroom company over 12 months.
    replications : int
        Replications per setting (common random numbers with the default).
    seed : int
        Seed of the study.
    lang : str, optional
        Language of the labels ("en", "zh", "both"; default the current language).

    Returns
    -------
    App
        ``app.result`` is a dict: ``steps`` (per step: default and chosen pass probability and
        closed-form reach), ``closed_form`` (default and chosen conversion), ``kpis``
        (conversion and new customers: default, chosen, paired difference with its interval),
        ``funnel`` (the simulated funnel tables of both settings). ``app.study`` is the
        :class:`~crmsim.widgets._simstudy.PairedStudy` holding the cached runs.
    """
    base = classroom_scenario(12) if scenario is None else scenario
    study = PairedStudy(replications, seed)
    default = step_probabilities(base)
    lang_ = resolve_language(lang)
    controls = {
        step: W.FloatSlider(value=p, min=0.05, max=1.0, step=0.05, readout_format=".2f",
                            description=label(step, lang_),
                            style={"description_width": "150px"},
                            layout=W.Layout(width="420px"))  # fmt: skip
        for step, p in default.items()
    }
    study.runs(base)

    def compute(**chosen: float) -> dict:
        closed_default = closed_form_funnel(default)
        closed_chosen = closed_form_funnel(chosen)
        changes = {f"funnel.steps.{s}.pass_probability": round(float(v), 6)
                   for s, v in chosen.items() if not math.isclose(v, default[s])}  # fmt: skip
        changed = base.with_(changes) if changes else base
        kpis = study.versus(changed, base, list(FUNNEL_KPIS))
        steps = pd.DataFrame({
            "step": list(default),
            "p_default": closed_default["pass_probability"].values,
            "p_chosen": closed_chosen["pass_probability"].values,
            "reach_default": closed_default["reach"].values,
            "reach_chosen": closed_chosen["reach"].values,
        })
        closed = {"default": float(closed_default["reach"].iloc[-1]),
                  "chosen": float(closed_chosen["reach"].iloc[-1])}  # fmt: skip
        funnel = study.stacked({"funnel_app.default": base, "funnel_app.chosen": changed},
                               "funnel")  # fmt: skip
        return {"steps": steps, "closed_form": closed, "kpis": kpis, "funnel": funnel,
                "changes": changes}  # fmt: skip

    def render(result: dict, out: W.Output) -> None:
        display(steps_view(result["steps"], lang_))
        display(kpi_view(result["kpis"], result["closed_form"], lang_))
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 4))
        plot_funnel(result["funnel"], ax=ax, lang=lang_)
        show_figure(fig)

    def layout(ctrls: dict) -> W.Widget:
        items = list(ctrls.values())
        return W.HBox([W.VBox(items[:5]), W.VBox(items[5:])])

    app = App(
        controls, compute, render, title=label("funnel_app.title", lang_), layout=layout, lang=lang_
    )
    app.study = study  # the cached runs, for tests and benchmarks
    return app


def steps_view(steps: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The per-step table of :func:`funnel_explorer` with labelled headers and step names."""
    lang = resolve_language(lang)
    view = steps.copy()
    view["step"] = [label(s, lang) for s in view["step"]]
    names = {c: label(f"funnel_app.{c}", lang) for c in view.columns}
    return view.rename(columns=names).set_index(names["step"]).round(3)


def kpi_view(kpis: pd.DataFrame, closed_form: dict[str, float],
             lang: str | None = None) -> pd.DataFrame:
    """The KPI table of :func:`funnel_explorer`: closed form and simulation, labelled."""
    lang = resolve_language(lang)
    rows = [[closed_form["default"], closed_form["chosen"],
             closed_form["chosen"] - closed_form["default"], "—"]]  # fmt: skip
    index = [label("funnel_app.closed_form", lang)]
    for k in kpis.index:
        r = kpis.loc[k]
        rows.append([r["reference"], r["scenario"], r["difference"],
                     f"{r['ci_low']:.3f} … {r['ci_high']:.3f}"])  # fmt: skip
        index.append(kpi_label(k, lang))
    columns = [label(k, lang) for k in ("funnel_app.default", "funnel_app.chosen",
                                         "simapp.difference", "simapp.ci")]  # fmt: skip
    table = pd.DataFrame(rows, index=pd.Index(index, name=label("simapp.kpi", lang)),
                         columns=columns)  # fmt: skip
    return table.round(3)


__all__ = ["FUNNEL_KPIS", "closed_form_funnel", "funnel_explorer", "step_probabilities"]
