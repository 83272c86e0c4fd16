"""The main job: every method run on the bundled office-supplies company, written up as a report.

:func:`run_demo` computes the headline tables, draws the charts and writes ``index.html``; it
returns the tables so the command line can print them. Nothing here prints; the output is the same
from run to run (no timings, no random numbers without a fixed seed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from crmsim import datasets
from crmsim.methods.abc import abc_classify, abc_summary
from crmsim.methods.concentration import concentration_summary, lorenz_curve
from crmsim.methods.credit import credit_policy, credit_score, grade_summary
from crmsim.methods.lifecycle import infer_stage, stage_mix
from crmsim.methods.pyramid import (
    customer_pyramid,
    profitability_pyramid,
    pyramid_summary,
)
from crmsim.methods.value import customer_value
from crmsim.plots.credit import plot_credit_radar, plot_grade_distribution
from crmsim.plots.lifecycle import plot_lifecycle_history, plot_stage_mix
from crmsim.plots.pareto import plot_lorenz, plot_pareto
from crmsim.plots.pyramid import plot_pyramid, plot_pyramid_quadrants
from crmsim.plots.relationship_map import plot_relationship_map
from crmsim.report import Report, ReportOutput, check_output_folder, new_figure
from crmsim.report.simulation import add_structure_section
from crmsim.sim.plausibility import findings_text
from crmsim.sim.studies import (
    structure_comparison,
    structure_recommendation,
)
from crmsim.terms import label

#: The demo's stages, in order (their texts: ``demo.stage.<name>`` in crmsim.terms).
DEMO_STAGES: tuple[str, ...] = (
    "data", "abc", "pyramid", "credit", "map", "lifecycle", "simulation", "write",
)  # fmt: skip


def run_demo(
    out_dir: str | Path = "crmsim-demo",
    *,
    replications: int = 20,
    months: int = 36,
    seed: int = 2024,
    workers: int | None = None,
    progress: bool | Callable[[int, int], object] | None = None,
    on_stage: Callable[[int, int, str], object] | None = None,
    overwrite: bool = True,
) -> ReportOutput:
    """Run all methods on the bundled company, simulate the four account-manager structures,
    and write the report into *out_dir*.

    Parameters
    ----------
    out_dir
        Folder for ``index.html`` and the PNG charts (created if missing).
    replications, months, seed
        Size and seed of the structure comparison (defaults: 20 replications of 36 months).
    workers
        Processes for the simulation (default: one per core). Results do not depend on it.
    progress
        Progress of the simulation runs, as in :func:`crmsim.sim.experiments.compare`
        (default: a bar only when stderr is a terminal).
    on_stage
        Called as ``on_stage(i, n, text)`` when stage *i* of *n* starts (reading the data, each
        method, the simulation, writing), *text* naming the stage; the command line prints it.
    overwrite
        Replace a report already in *out_dir* (default True; the command line asks for
        ``--force``).

    Returns
    -------
    ReportOutput
        The headline tables (title, DataFrame) in the order the report shows them, and the path
        of ``index.html``.
    """

    def announce(key: str) -> None:
        if on_stage is not None:
            on_stage(DEMO_STAGES.index(key) + 1, len(DEMO_STAGES), label(f"demo.stage.{key}", "en"))

    check_output_folder(out_dir, overwrite=overwrite)
    announce("data")
    customers = datasets.load_customers()
    transactions = datasets.load_transactions()
    managers = datasets.load_account_managers()
    rmap = datasets.load_relationship_map()

    out = ReportOutput()
    rep = Report("crmsim demo: an office-supplies distributor, as of 2024-12-31")
    rep.text(
        f"The bundled synthetic company: {len(customers)} customers, {len(managers)} account "
        f"managers and {len(transactions):,} orders from {transactions['date'].min():%Y-%m-%d} "
        f"to {transactions['date'].max():%Y-%m-%d}. Every table below is computed by crmsim from "
        "those files; see datasets/README.md for how the data were made."
    )

    # -- customer value -------------------------------------------------------------------
    value = customer_value(transactions, as_of=datasets.AS_OF, customers=customers)

    # -- ABC ------------------------------------------------------------------------------
    announce("abc")
    rep.heading(f"{label('abc_method', 'both')} on the last 12 months' sales")
    abc = abc_classify(value, value="current_value", id="customer_id")
    out.add_table(
        rep,
        "ABC classes (current value, cut-offs 80% / 90%, crossing customer in the lower class)",
        abc_summary(abc),
        index=True,
    )
    fig, ax = new_figure()
    plot_pareto(abc, ax=ax)
    rep.figure(fig, "abc_pareto", "Pareto chart: customers by current value, cumulative share")

    # -- concentration --------------------------------------------------------------------
    rep.heading("Concentration and the double 80/20 rule")
    by_manager = (
        transactions.merge(customers[["customer_id", "manager_id"]], on="customer_id")
        .groupby("manager_id", as_index=False)["amount"]
        .sum()
    )
    profit = transactions.groupby("customer_id", as_index=False)["gross_profit"].sum()
    conc = pd.concat(
        [
            concentration_summary(value, value="current_value", id="customer_id").assign(
                entity="customers (current value)"
            ),
            concentration_summary(
                profit.query("gross_profit > 0"), value="gross_profit", id="customer_id"
            ).assign(entity="customers (3-year gross profit > 0)"),
            concentration_summary(by_manager, value="amount", id="manager_id").assign(
                entity="account managers (3-year sales)"
            ),
        ],
        ignore_index=True,
    )
    conc = conc[["entity"] + [c for c in conc.columns if c != "entity"]]
    out.add_table(rep, "Concentration: top shares, share of entities reaching 80%, Gini", conc)
    fig, ax = new_figure(6, 6)
    plot_lorenz(lorenz_curve(value["current_value"]), ax=ax, label="customers")
    plot_lorenz(lorenz_curve(by_manager["amount"]), ax=ax, label="account managers")
    rep.figure(fig, "lorenz", "Lorenz curves of customers' value and managers' sales")

    # -- pyramids --------------------------------------------------------------------------
    announce("pyramid")
    rep.heading(f"{label('pyramid_method', 'both')}: current value × growth potential")
    pyr = customer_pyramid(
        value,
        current="current_value",
        potential="growth_potential",
        id="customer_id",
        split="median",
    )
    pyr_summary = pyramid_summary(pyr, value="current_value")
    out.add_table(rep, "Customer pyramid (median split)", pyr_summary, index=True)
    fig, ax = new_figure(7, 5)
    plot_pyramid(pyr_summary, ax=ax)
    rep.figure(fig, "pyramid", "The textbook pyramid: customers and current value per tier")
    fig, ax = new_figure(7, 5)
    # log scales: a few very large customers would otherwise push the other 600 into a corner
    plot_pyramid_quadrants(pyr, ax=ax, log=True)
    rep.figure(fig, "pyramid_quadrants",
               "Current value against growth potential, median cuts (logarithmic scales)")
    prof = profitability_pyramid(profit, profit="gross_profit", id="customer_id")
    out.add_table(
        rep,
        "Profitability pyramid (Zeithaml, Rust & Lemon 2001) on 3-year gross profit",
        pyramid_summary(prof, value="gross_profit"),
        index=True,
    )

    # -- 6C credit -------------------------------------------------------------------------
    announce("credit")
    rep.heading(f"{label('credit_method', 'both')} and sales policy per grade")
    credit = credit_score(customers, id="customer_id")
    monthly = value.set_index("customer_id")["current_value"] / 12
    credit = credit_policy(credit, monthly_sales=monthly)
    out.add_table(rep, "Credit grades", grade_summary(credit), index=True)
    fig, ax = new_figure(6, 4)
    plot_grade_distribution(credit, ax=ax)
    rep.figure(fig, "credit_grades", "Customers per credit grade")
    example = credit.sort_values(["score", "customer_id"]).iloc[0]["customer_id"]
    fig, ax = new_figure(5.5, 5.5, polar=True)
    plot_credit_radar(credit, customer_id=example, ax=ax)
    rep.figure(fig, "credit_radar", f"6C profile of the weakest-scored customer, {example}")

    # -- relationship map -------------------------------------------------------------------
    announce("map")
    rep.heading(f"{label('relationship_map_method', 'both')} → evaluation dimensions")
    out.add_table(rep, "Evaluation dimensions of the office-supplies sales team", rmap.dimensions())
    fig, ax = new_figure(10, 8)
    plot_relationship_map(rmap, ax=ax)
    rep.figure(fig, "relationship_map", "Team, internal and external customers, and their needs")

    # -- lifecycle -------------------------------------------------------------------------
    announce("lifecycle")
    rep.heading(f"{label('lifecycle_method', 'both')} as of 2024-12-31")
    stages = infer_stage(transactions, as_of=datasets.AS_OF)
    mix = stage_mix(stages)
    out.add_table(rep, "Customers per lifecycle stage", mix, index=True)
    fig, ax = new_figure(6, 4)
    plot_stage_mix(mix, ax=ax)
    rep.figure(fig, "stage_mix", "Customers per lifecycle stage")
    for stage in ("formation", "decline"):
        cands = stages[stages["stage"] == stage].sort_values("customer_id")
        if len(cands):
            cid = cands.iloc[0]["customer_id"]
            fig, ax = new_figure(8, 3.5)
            plot_lifecycle_history(transactions, cid, as_of=datasets.AS_OF, ax=ax)
            rep.figure(fig, f"history_{stage}", f"Monthly spend of {cid}, now in {stage}")

    # -- simulation: the four structures ------------------------------------------------------
    announce("simulation")
    study = structure_comparison(replications, months, seed, workers=workers, progress=progress)
    out.tables.extend(add_structure_section(rep, study))
    rec = structure_recommendation(study)
    out.recommendation = rec.text()
    # the answer a manager looks for first, on the first screen (details in the last section),
    # with the yardstick it ranks on, after anything the plausibility guard found
    yardstick = rec.points[:1] if rec.rank_on == "value_created" else []
    rep.blocks.insert(1, ("answer", (label("demo.answer_question", "en"), rec.headline,
                                     yardstick)))  # fmt: skip
    out.warnings = findings_text(study.comparison.findings, "en",
                                 names={s: label(s, "en") for s in study.comparison.findings})
    for text in reversed(out.warnings):
        rep.blocks.insert(1, ("warning", text))

    announce("write")
    out.report_path = rep.write(out_dir, overwrite=overwrite)
    return out
