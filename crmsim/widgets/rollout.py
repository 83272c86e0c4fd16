"""Lesson 10 app: planning a CRM rollout (CRM实施步骤, domain.md §10).

:func:`rollout_planner` is a planning sheet and a simulation side by side. The class writes its
plan for each of the six implementation steps in a text area (the app keeps the plan as a table
and marks which steps are filled in); two sliders set the CRM adoption (CRM采用程度) reached by the
first phase (one user group, the most-needed functions) and by the full rollout. The scenario has
no adoption *month*, so a phase is represented by the adoption level the company works at:
each level is simulated against no CRM on the same seeds (common random numbers), with the 95%
interval of the paired difference in net contribution (licences and recording time included),
retention, satisfaction and defections.

Speed: the classroom company (300 customers, 10 managers) over 12 months, 3 replications; every
adoption level is simulated once and cached, so typing in the plan costs no simulation and a
slider change at most three short runs.
"""

from __future__ import annotations

import ipywidgets as W
import pandas as pd
from IPython.display import display

from crmsim.sim.scenario import Scenario
from crmsim.terms import label, resolve_language
from crmsim.widgets._app import App
from crmsim.widgets._simstudy import PairedStudy, classroom_scenario, versus_view

#: The six implementation steps (label keys rollout_app.step1 … step6).
ROLLOUT_STEPS: tuple[str, ...] = tuple(f"step{i}" for i in range(1, 7))

#: KPIs the rollout app compares.
ROLLOUT_KPIS: tuple[str, ...] = ("net_contribution", "crm_cost", "retention", "mean_satisfaction",
                                 "defections")  # fmt: skip


def plan_table(notes: dict[str, str], lang: str | None = None) -> pd.DataFrame:
    """The class's plan: one row per implementation step, its notes and whether it is filled in.

    Examples
    --------
    >>> t = plan_table({"step1": "satisfaction +10%", "step2": "  "}, "en")
    >>> t["filled"].tolist()
    [True, False, False, False, False, False]
    """
    lang = resolve_language(lang)
    rows = [{"step": label(f"rollout_app.{s}", lang), "notes": str(notes.get(s, "")).strip(),
             "filled": bool(str(notes.get(s, "")).strip())} for s in ROLLOUT_STEPS]  # fmt: skip
    return pd.DataFrame(rows)


def rollout_planner(
    scenario: Scenario | None = None,
    *,
    replications: int = 3,
    seed: int = 2024,
    lang: str | None = None,
) -> App:
    """Six text areas for the plan, two adoption sliders for the phases, simulated against no CRM.

    Parameters
    ----------
    scenario : Scenario, optional
        The company; default the classroom company over 12 months.
    replications : int
        Replications per adoption level (the same seeds for every level).
    seed : int
        Seed of the study.
    lang : str, optional
        Language of the labels ("en", "zh", "both"; default the current language).

    Returns
    -------
    App
        Controls ``step1`` … ``step6`` (text), ``phase1`` and ``phase2`` (adoption 0–1).
        ``app.result`` is a dict: ``plan`` (:func:`plan_table`), ``phase1`` and ``phase2``
        (each against no CRM: reference, scenario, paired difference with interval). A first
        phase set above the full rollout gives a message, not a result. ``app.study`` holds the
        cached runs.
    """
    base = classroom_scenario(12) if scenario is None else scenario
    no_crm = base.with_("crm.adoption", 0.0)
    study = PairedStudy(replications, seed)
    lang_ = resolve_language(lang)
    style = {"description_width": "220px"}
    controls: dict[str, W.Widget] = {
        s: W.Textarea(value="", placeholder=label(f"rollout_app.hint{s[-1]}", lang_),
                      description=label(f"rollout_app.{s}", lang_), style=style,
                      layout=W.Layout(width="640px", height="48px"))
        for s in ROLLOUT_STEPS
    }  # fmt: skip
    for key, value in (("phase1", 0.5), ("phase2", 1.0)):
        controls[key] = W.FloatSlider(value=value, min=0.0, max=1.0, step=0.1,
                                      readout_format=".1f", style=style,
                                      description=label(f"rollout_app.{key}", lang_))  # fmt: skip
    study.runs(no_crm)

    def compute(phase1: float, phase2: float, **notes: str) -> dict:
        if phase1 > phase2:
            raise ValueError(label("rollout_app.order", lang_))
        out: dict = {"plan": plan_table(notes, lang_)}
        for key, level in (("phase1", phase1), ("phase2", phase2)):
            sc = base.with_("crm.adoption", round(float(level), 6))
            out[key] = study.versus(sc, no_crm, list(ROLLOUT_KPIS))
        return out

    def render(result: dict, out: W.Output) -> None:
        plan = result["plan"].rename(columns={"step": label("rollout_app.title", lang_),
                                              "notes": label("rollout_app.notes", lang_),
                                              "filled": label("rollout_app.done", lang_)})
        display(plan)
        display(versus_view(result["phase1"], "rollout_app.no_crm", "rollout_app.phase1_name",
                            lang_))
        display(versus_view(result["phase2"], "rollout_app.no_crm", "rollout_app.phase2_name",
                            lang_))  # fmt: skip

    app = App(controls, compute, render, title=label("rollout_app.title", lang_), lang=lang_)
    app.study = study
    return app


__all__ = ["ROLLOUT_KPIS", "ROLLOUT_STEPS", "plan_table", "rollout_planner"]
