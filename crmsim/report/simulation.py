"""The sections a simulation study adds to a page: the demo's study of the four structures and
``crmsim simulate``'s study of one scenario (tables and charts; the studies themselves are run by
:mod:`crmsim.sim.studies`)."""

from __future__ import annotations

import pandas as pd

from crmsim.plots.figure import new_figure
from crmsim.plots.simulation import (
    plot_differences,
    plot_funnel,
    plot_monthly,
    plot_stage_mix,
    plot_utilisation,
)
from crmsim.report.page import Report
from crmsim.sim.experiments import Comparison
from crmsim.sim.scenario.structures import STRUCTURE_NAMES
from crmsim.sim.studies import ScenarioReport, StructureReport, structure_recommendation
from crmsim.terms import label


def _comparison_charts(rep: Report, comparison: Comparison, prefix: str) -> None:
    for column in ("revenue", "net_contribution"):
        fig, ax = new_figure()
        plot_monthly(comparison.monthly, column, ax=ax)
        ax.set_title(f"Monthly {column.replace('_', ' ')}: mean and 95% band")
        rep.figure(fig, f"{prefix}monthly_{column}",
                   f"Monthly {column.replace('_', ' ')} (CNY) per scenario; the band is the 95% "
                   "confidence interval of the mean over the replications.")  # fmt: skip
    fig, ax = new_figure()
    plot_stage_mix(comparison.monthly, ax=ax)
    rep.figure(fig, f"{prefix}stage_mix", "Customers per lifecycle stage in the last month "
               "(mean over the replications).")  # fmt: skip
    fig, ax = new_figure()
    plot_funnel(comparison.funnel, ax=ax)
    rep.figure(fig, f"{prefix}funnel", "Development funnel: share of leads that reach each "
               "of the nine steps (all channels and replications pooled).")  # fmt: skip
    fig, ax = new_figure()
    plot_utilisation(comparison.monthly, ax=ax)
    rep.figure(fig, f"{prefix}utilisation", "Account-manager utilisation: hours worked on "
               "customers over hours available for them, per month.")  # fmt: skip
    fig, ax = new_figure(8, 3.5)
    plot_differences(comparison.differences, "net_contribution", ax=ax)
    rep.figure(fig, f"{prefix}net_contribution_differences",
               "Paired difference in net contribution over the whole run (CNY) against the "
               "baseline, with its 95% confidence interval.")  # fmt: skip


def add_structure_section(rep: Report, study: StructureReport) -> list[tuple[str, pd.DataFrame]]:
    """Add the structure study to *rep*; return its (title, table) pairs for printing."""
    base = label(study.baseline, "both")
    rep.heading("Simulation: the four account-manager structures")
    rep.text(
        f"The bundled company was simulated for {study.months} months under each of the four "
        f"structures, {study.replications} replications each, with common random numbers: "
        "replication i of every structure sees the same customers, leads and luck wherever the "
        f"mechanics agree. The current structure is {base}. Figures are the mean over the "
        "replications ± the half-width of its 95% confidence interval."
    )
    rec = structure_recommendation(study)
    rep.answer(rec.headline, rec.points)
    tables = [
        (f"Simulated KPIs per structure over {study.months} months "
         f"(mean ± 95% CI, {study.replications} replications)", study.means),
        (f"Paired difference to the current structure ({label(study.baseline)}); "
         "* = the 95% CI excludes zero", study.differences),
    ]  # fmt: skip
    # every structure by its English and Chinese name in the page's tables
    both = {label(name, "en"): label(name, "both") for name in STRUCTURE_NAMES}
    for (title, table), csv in zip(tables, ("structure_kpis", "structure_differences"),
                                   strict=True):  # fmt: skip
        rep.table(table.rename(columns=both), caption=title, index=True)
        rep.data(getattr(study.comparison, "summary" if csv == "structure_kpis"
                         else "differences"), csv)  # fmt: skip
    rep.text(
        "Paired differences compare replication i of one structure with replication i of the "
        "current one, so the shared luck cancels and the interval is much narrower than the "
        "difference of two separate means would suggest.",
        note=True,
    )
    _comparison_charts(rep, study.comparison, "sim_")
    return tables


def add_scenario_section(rep: Report, study: ScenarioReport) -> list[tuple[str, pd.DataFrame]]:
    """Add one scenario's study to *rep*; return its (title, table) pairs for printing."""
    sc = study.scenario
    n = len(study.replications)
    rep.heading(f"Scenario: {sc.name}")
    rep.text(
        f"{sc.months} months, structure {label(sc.structure.name, 'both')}, allocation "
        f"{label(sc.allocation.rule, 'both')}, incentive scheme {sc.incentives.scheme}, CRM "
        f"adoption {sc.crm.adoption:g}; {n} replications. Scenario hash {sc.hash()[:12]}."
    )
    title = f"KPIs over {sc.months} months (mean ± 95% CI, {n} replications)"
    rep.table(study.means, caption=title, index=True)
    monthly = study.replications.monthly.assign(scenario=sc.name)
    funnel = study.replications.funnel.assign(scenario=sc.name)
    for column in ("revenue", "net_contribution", "active_customers"):
        fig, ax = new_figure()
        plot_monthly(monthly, column, by=None, ax=ax)
        ax.set_title(f"Monthly {column.replace('_', ' ')}: mean and 95% band")
        rep.figure(fig, f"monthly_{column}", f"Monthly {column.replace('_', ' ')}.")
    fig, ax = new_figure()
    plot_stage_mix(monthly, by=None, ax=ax)
    rep.figure(fig, "stage_mix", "Customers per lifecycle stage in the last month.")
    fig, ax = new_figure()
    plot_funnel(funnel, by=None, ax=ax)
    rep.figure(fig, "funnel", "Share of leads reaching each development step.")
    fig, ax = new_figure()
    plot_utilisation(monthly, by=None, ax=ax)
    rep.figure(fig, "utilisation", "Account-manager utilisation per month.")
    return [(title, study.means)]
