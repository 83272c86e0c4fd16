"""Lesson 01 app: run a cohort of customers through the relationship lifecycle.

The customer relationship lifecycle (客户关系生命周期) moves a relationship through
exploration (考察期), formation (形成期) and stability (稳定期); decline (退化期) can start from
any of them, and a declining relationship recovers or ends (customer lost, 客户流失).
:func:`cohort_stage_mix` runs a cohort that starts in one stage through the simulation's own
monthly mechanics (:mod:`crmsim.sim.engine.lifecycle`), and :func:`lifecycle_explorer` puts it
behind four controls.

What the controls do, in the simulation's terms:

- **service level** (0-1): the share of the maintenance contacts the customers need that they get,
  and the share of their service requests resolved on time;
- **CRM adoption** (0-1, :mod:`crmsim.sim.scenario.crm`): each month the account managers close
  ``diffusion_rate × adoption`` of the gap between their skill and the top performers' skill
  (what the best do becomes everyone's template), and spend ``time_cost × adoption`` of their
  time recording, which lowers the contacts made;
- satisfaction moves toward the target set by contacts, skill and on-time service
  (:func:`~crmsim.sim.engine.lifecycle.satisfaction_target`), and shifts the monthly
  probabilities of moving up or down (:func:`~crmsim.sim.engine.lifecycle.service_multipliers`);
  the stage moves are drawn by :func:`~crmsim.sim.engine.lifecycle.move_stages`.

Because every customer of the cohort gets the same service, the expected stage mix is an exact
Markov chain over the five states (one transition matrix per month); the app draws the simulated
cohort (seeded) and the expected mix together, so the class sees both the law and the luck.
Complaints, praise, manager turnover and handovers are left out: they belong to the full model
(:func:`crmsim.simulate`, lessons 07-08).

It is a simulation app, kept fast by a classroom-sized cohort (200 customers by default) and the
vectorised monthly step: one recomputation takes well under the 1 s target (see
``benchmarks/bench_widgets.py``).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from matplotlib.ticker import PercentFormatter

from crmsim.plots.lifecycle import STAGE_COLOURS
from crmsim.sim.engine.lifecycle import (
    move_stages,
    satisfaction_target,
    service_multipliers,
    up_down_probabilities,
)
from crmsim.sim.scenario.crm import CrmParams
from crmsim.sim.scenario.lifecycle import DOWN_TARGET, UP_TARGET, LifecycleParams
from crmsim.terms import STAGES, STATES, label, resolve_language
from crmsim.widgets._app import App, show_figure

#: Skill of the cohort's account managers at the start, and of the team's top performers
#: (the bundled company's managers range from about 0.5 to 0.95).
DEFAULT_SKILL = 0.6
DEFAULT_TOP_SKILL = 0.9


def _check_unit(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"parameter {name!r} must be a number in [0, 1]; got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"parameter {name!r} must be in [0, 1]; got {value!r}")
    return number


def _check_count(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"parameter {name!r} must be a whole number >= {minimum}; got {value!r}")
    return int(value)


def cohort_stage_mix(
    start_stage: str = "exploration",
    service_level: float = 0.8,
    crm_adoption: float = 0.3,
    months: int = 36,
    customers: int = 200,
    seed: int = 1,
    *,
    skill: float = DEFAULT_SKILL,
    top_skill: float = DEFAULT_TOP_SKILL,
    lifecycle: LifecycleParams | None = None,
    crm: CrmParams | None = None,
) -> dict[str, pd.DataFrame]:
    """Run a cohort that starts in one stage through the lifecycle, month by month.

    Parameters
    ----------
    start_stage : {"exploration", "formation", "stability", "decline"}, default "exploration"
        Stage every customer of the cohort starts in.
    service_level : float in [0, 1], default 0.8
        Share of the needed maintenance contacts made, and of service requests resolved on time.
    crm_adoption : float in [0, 1], default 0.3
        CRM adoption (see the module notes for what it changes).
    months : int >= 1, default 36
        Months to run.
    customers : int >= 1, default 200
        Size of the simulated cohort.
    seed : int, default 1
        Seed of the uniforms that draw the stage moves. The same seed gives the same draws
        whatever the other settings (common random numbers), so moving a slider changes the
        cohort only through the mechanics.
    skill, top_skill : float in [0, 1]
        Starting skill of the cohort's managers and the skill of the team's top performers.
    lifecycle, crm : parameters, optional
        :class:`~crmsim.sim.scenario.lifecycle.LifecycleParams` and
        :class:`~crmsim.sim.scenario.crm.CrmParams`; default the simulation's defaults.

    Returns
    -------
    dict of DataFrame
        - ``"mix"``: the simulated cohort, one row per month 0..months, one column per state
          (:data:`crmsim.terms.STATES`) holding the share of the cohort in it (rows sum to 1);
        - ``"expected"``: the same shares from the exact Markov chain;
        - ``"service"``: per month, the ``satisfaction``, manager ``skill`` and ``coverage``
          (contacts made / needed) the cohort received.

    Examples
    --------
    >>> out = cohort_stage_mix("stability", months=12, customers=50, seed=3)
    >>> out["mix"].shape, bool(np.allclose(out["expected"].sum(axis=1), 1.0))
    ((13, 5), True)
    >>> float(out["expected"].loc[0, "stability"])
    1.0
    """
    if start_stage not in STAGES:
        raise ValueError(f"parameter 'start_stage' must be one of {list(STAGES)}; "
                         f"got {start_stage!r}")
    service_level = _check_unit("service_level", service_level)
    crm_adoption = _check_unit("crm_adoption", crm_adoption)
    skill = _check_unit("skill", skill)
    top_skill = _check_unit("top_skill", top_skill)
    months = _check_count("months", months, 1)
    customers = _check_count("customers", customers, 1)
    lc = LifecycleParams() if lifecycle is None else lifecycle
    crm = CrmParams() if crm is None else crm

    rng = np.random.default_rng(seed)
    uniforms = rng.random((months, customers))
    p_up, p_down = up_down_probabilities(lc)
    stage = np.full(customers, STAGES.index(start_stage), dtype=np.int64)
    expected = np.zeros(len(STATES))
    expected[STAGES.index(start_stage)] = 1.0
    sat = lc.initial_satisfaction
    mix_rows = [np.bincount(stage, minlength=len(STATES)) / customers]
    exp_rows = [expected.copy()]
    service_rows = [(sat, skill, np.nan)]
    coverage = service_level * (1.0 - crm.time_cost * crm_adoption)
    for month in range(months):
        target = float(satisfaction_target(
            lc, np.array([coverage]), np.array([skill]), np.array([service_level]),
            np.array([0.0]), np.array([0.0]),
        )[0])
        sat = lc.satisfaction_memory * sat + (1.0 - lc.satisfaction_memory) * target
        mu, md = service_multipliers(lc, np.array([sat]))
        up, down = p_up * mu[0], p_down * md[0]
        # the cohort, drawn as the simulation draws each customer's move
        stage = move_stages(stage, uniforms[month], up[stage], down[stage])
        mix_rows.append(np.bincount(stage, minlength=len(STATES)) / customers)
        # the exact expectation: the same move rule as a transition matrix
        expected = expected @ _transition_matrix(up, down)
        exp_rows.append(expected.copy())
        service_rows.append((sat, skill, coverage))
        skill += crm.diffusion_rate * crm_adoption * (top_skill - skill)
    index = pd.RangeIndex(months + 1, name="month")
    return {
        "mix": pd.DataFrame(mix_rows, columns=list(STATES), index=index),
        "expected": pd.DataFrame(exp_rows, columns=list(STATES), index=index),
        "service": pd.DataFrame(service_rows, columns=["satisfaction", "skill", "coverage"],
                                index=index),
    }


def _transition_matrix(up: np.ndarray, down: np.ndarray) -> np.ndarray:
    """5×5 matrix of :func:`move_stages` for per-state probabilities *up* and *down*."""
    total = up + down
    scale = np.where(total > 1.0, 1.0 / np.maximum(total, 1e-300), 1.0)
    up, down = up * scale, down * scale
    n = len(STATES)
    matrix = np.zeros((n, n))
    for state in range(n):
        matrix[state, UP_TARGET[state]] += up[state]
        matrix[state, DOWN_TARGET[state]] += down[state]
        matrix[state, state] += 1.0 - up[state] - down[state]
    return matrix


def plot_cohort(result: dict[str, pd.DataFrame], ax: plt.Axes | None = None,
                lang: str | None = None) -> plt.Axes:
    """Stacked areas of the simulated cohort's stage mix, dashed lines for the expected mix.

    Parameters
    ----------
    result : dict
        A result of :func:`cohort_stage_mix`.
    ax : Axes, optional
        Axes to draw on; a new figure (9 × 4.5 in) when omitted.
    lang : {"en", "zh", "both"}, optional
        Language of the title, axes and legend; default the kit's current language.

    Returns
    -------
    Axes
    """
    lang = resolve_language(lang)
    mix, expected = result["mix"], result["expected"]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    months = mix.index.to_numpy()
    ax.stackplot(months, *(mix[s].to_numpy() for s in STATES),
                 colors=[STAGE_COLOURS[s] for s in STATES],
                 labels=[label(s, lang) for s in STATES], alpha=0.9)
    edges = expected.cumsum(axis=1)
    for i, state in enumerate(STATES[:-1]):
        ax.plot(months, edges[state].to_numpy(), color="black", linestyle="--", linewidth=1,
                label=label("lifecycle_app.expected", lang) if i == 0 else None)
    ax.set_xlim(months[0], months[-1])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(label("lifecycle_app.month", lang))
    ax.set_ylabel(label("lifecycle_app.share", lang))
    ax.set_title(label("lifecycle_app.chart_title", lang))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=10)
    return ax


def lifecycle_explorer(
    start_stage: str = "exploration",
    service_level: float = 0.8,
    crm_adoption: float = 0.3,
    months: int = 36,
    customers: int = 200,
    seed: int = 1,
    lang: str | None = None,
) -> App:
    """An app that runs a cohort through the lifecycle and shows its stage mix over time.

    Controls: ``start_stage`` (any of the four stages — decline can start anywhere),
    ``service_level``, ``crm_adoption`` and ``months``. The cohort size and the seed are fixed
    when the app is made. Speed: a classroom cohort (200 customers) and the vectorised monthly
    step of the simulation keep one update well under 1 s.

    Parameters
    ----------
    start_stage, service_level, crm_adoption, months, customers, seed
        Starting values; see :func:`cohort_stage_mix`.
    lang : {"en", "zh", "both"}, optional
        Language of labels, chart and messages; default the kit's current language.

    Returns
    -------
    App
        ``app.result`` is the dict of :func:`cohort_stage_mix` for the current settings.
    """
    lang = resolve_language(lang)
    # check the fixed settings now, so a bad one fails here and not on every click
    cohort_stage_mix(start_stage, service_level, crm_adoption, 1, customers, seed)
    style = {"description_width": "initial"}
    unit = dict(min=0.0, max=1.0, step=0.05, readout_format=".0%", continuous_update=False,
                style=style)
    controls = {
        "start_stage": W.Dropdown(options=[(label(s, lang), s) for s in STAGES],
                                  value=start_stage,
                                  description=label("lifecycle_app.start_stage", lang),
                                  style=style),
        "service_level": W.FloatSlider(value=float(service_level),
                                       description=label("lifecycle_app.service_level", lang),
                                       **unit),
        "crm_adoption": W.FloatSlider(value=float(crm_adoption),
                                      description=label("lifecycle_app.crm_adoption", lang),
                                      **unit),
        "months": W.IntSlider(value=int(months), min=6, max=60, step=6,
                              continuous_update=False,
                              description=label("lifecycle_app.months", lang), style=style),
    }

    def compute(start_stage: str, service_level: float, crm_adoption: float,
                months: int) -> dict[str, pd.DataFrame]:
        return cohort_stage_mix(start_stage, service_level, crm_adoption, months,
                                customers=customers, seed=seed)

    def render(result: dict[str, pd.DataFrame], out: W.Output) -> None:
        ax = plot_cohort(result, lang=lang)
        show_figure(ax.figure)
        display(HTML(summary_text(result, lang)))

    return App(controls, compute, render, title=label("lifecycle_app.title", lang), lang=lang)


def summary_text(result: dict[str, pd.DataFrame], lang: str | None = None) -> str:
    """One sentence on where the cohort stands in its last month (simulated and expected)."""
    lang = resolve_language(lang)
    last = result["mix"].iloc[-1]
    expected = result["expected"].iloc[-1]
    service = result["service"].iloc[-1]
    return label("lifecycle_app.summary", lang).format(
        months=int(result["mix"].index[-1]),
        active=1.0 - last["lost"], expected_active=1.0 - expected["lost"],
        stability=last["stability"], decline=last["decline"],
        satisfaction=service["satisfaction"],
    )
