"""What a calibration produces (:class:`Calibration`) and the constants it works with: the model's
transition parameters and the observed moves counted for each, the measures of the back-test and
the thresholds of its verdict."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmsim.calibrate.history import _num
from crmsim.errors import DataError
from crmsim.io.writing import csv_bytes, write_files
from crmsim.sim.scenario import Scenario
from crmsim.terms import STAGES, label
from crmsim.terms.notes import Note

E, F, S, D, L = range(5)  # stage codes, in STATES order

#: The model's transition parameters and the observed moves (from, to) counted for each.
TRANSITION_PARAMETERS: dict[str, tuple[int, tuple[int, ...]]] = {
    "exploration_to_formation": (E, (F, S)),
    "exploration_to_decline": (E, (D, L)),
    "formation_to_stability": (F, (S,)),
    "formation_to_decline": (F, (D, L)),
    "stability_to_decline": (S, (D, L)),
    "decline_to_recovery": (D, (E, F, S)),
    "decline_to_lost": (D, (L,)),
}

#: What the back-test compares, month by month (columns of the simulation's monthly table).
FIT_MEASURES: tuple[str, ...] = (
    "revenue",
    "active_customers",
    *(f"customers_{s}" for s in STAGES),
)

#: Customers per account manager when the data name no managers (the bundled company: 600 / 15).
CUSTOMERS_PER_MANAGER = 40
#: Fewest customer-months in a stage for its rates and purchase levels to be estimated.
MIN_EXPOSURE = 20
#: Verdict thresholds of the back-test, per series: the share of months in which the history
#: lies inside the simulated 95% band. "good" at GOOD_FIT or more (a model that is right misses
#: its 95% band in about one month in twenty), "fair" at FAIR_FIT or more, else "poor". The
#: relative difference of the means is shown beside, not part of the verdict.
GOOD_FIT = 0.9
FAIR_FIT = 0.6
#: Replications of the pilot run at most (fewer when the back-test has fewer, at least 4): the
#: pilot reads the simulated new customers per month, to scale the scenario's lead rates to the
#: history's; with 4 its count was off by a few percent, and the acquisition with it.
PILOT_REPLICATIONS = 20
#: Bounds of the factor the pilot run multiplies every channel's lead rates by (observed new
#: customers per month over simulated): a history whose acquisition the model cannot approach
#: within a factor of two (a team far too small for its leads, say) gets lead rates at most
#: this far from those the pilot ran with. A history without new customers (a closed cohort)
#: gets none: its factor is zero.
ACQUISITION_FACTOR_RANGE = (0.5, 2.0)
#: A calibrated scenario (and its back-test) starts with the leads of this many months before
#: the start still in progress (``funnel.warm_start_months``), as the history's funnel had
#: them: longer than the longest sales cycles (enterprise, 90-180 days and a tail).
WARM_START_MONTHS = 12


@dataclass(frozen=True, eq=False)
class Calibration:
    """What :func:`calibrate` found: the scenario, the estimates and how well the model fits.

    Attributes
    ----------
    scenario : Scenario
        The calibrated scenario: the ``base`` scenario with the estimates, its book the company's
        customers active at ``as_of`` (source ``"tables"``), starting the day after ``as_of``.
    estimates : DataFrame
        One row per scenario parameter set from the data (or left at its default because the
        data could not inform it): ``parameter`` (dotted path in the scenario), ``estimate``,
        ``ci_low``, ``ci_high`` (95%; NaN where not meaningful), ``default`` (the base
        scenario's value), ``n`` (customer-months, customers or months behind the estimate),
        ``method`` (how: ``transition_counts``, ``ratio``, ``poisson_profile``, ``margin``,
        ``pilot_run``, ``default``) and ``used`` (True if the scenario holds the estimate).
    transitions : DataFrame
        Observed monthly moves between inferred stages (rows: from, columns: to, customer-months
        whose starting stage is observable), in :data:`~crmsim.terms.STATES` order.
    observed : DataFrame
        Figures of the history that are not parameters: ``measure``, ``value``, ``note``
        (customers, orders, months, annual loss observed and implied, new customers...).
    fit : DataFrame
        The back-test, month by month: ``month`` (1 = first simulated month), ``date`` (month
        start), ``measure`` (one of :data:`FIT_MEASURES`), ``actual``, ``simulated`` (mean of the
        replications), ``low``, ``high`` (2.5% and 97.5% of the replications), ``difference``
        (actual - simulated), ``relative_difference`` (difference / simulated) and ``inside``.
    fit_summary : DataFrame
        Per measure: ``actual_mean``, ``simulated_mean``, ``relative_difference`` (of the
        means), ``mean_abs_error`` (mean of |actual - simulated| / actual), ``inside_share``
        (share of months inside the simulated range) and ``verdict`` (``good``: inside_share
        >= :data:`GOOD_FIT`; ``fair``: >= :data:`FAIR_FIT`; else ``poor``), plus a
        ``revenue_total`` row whose ``low``/``high`` are the range of the simulated totals
        (inside_share 1 or 0).
    panel : DataFrame
        The stage history: ``customer_id``, ``month_end``, ``stage``, ``revenue`` and ``orders``
        (in the month that ends there) and ``observable``.
    book : DataFrame
        The customers of the calibrated scenario's book (its ``customers`` table).
    alive : DataFrame or None
        With ``alive=True``: per customer, the stage at ``as_of`` and the BG/NBD probability
        of being alive (:func:`probability_alive`).
    alive_agreement : DataFrame or None
        Customers by stage at ``as_of`` (rows) and BG/NBD verdict (``probably_alive`` when the
        probability is at least 0.5, else ``probably_gone``), with the mean probability.
    notes : list of Note
        What the reader must know: censoring, proxies, defaults kept, where the fit is poor. Each
        note renders in English or Chinese (``note.text(lang)``).
    meta : dict
        ``as_of``, ``history_start``, ``fit_start``, ``months``, ``rows``, ``customers``,
        ``seed``, ``replications``, ``crmsim_version``, ``source``.
    """

    scenario: Scenario
    estimates: pd.DataFrame
    transitions: pd.DataFrame
    observed: pd.DataFrame
    fit: pd.DataFrame
    fit_summary: pd.DataFrame
    panel: pd.DataFrame
    book: pd.DataFrame
    alive: pd.DataFrame | None
    alive_agreement: pd.DataFrame | None
    notes: list[Note] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def scenario_files(self, path: str | os.PathLike[str]) -> dict[str, Path]:
        """Where :meth:`write_scenario` puts the scenario and its book: ``scenario``
        (*path*), ``customers`` and ``managers`` (CSV files beside it, named after it)."""
        path = Path(path)
        return {
            "scenario": path,
            "customers": path.with_name(f"{path.stem}_customers.csv"),
            "managers": path.with_name(f"{path.stem}_managers.csv"),
        }

    def scenario_toml(self, path: str | os.PathLike[str] = "scenario.toml") -> str:
        """The TOML text :meth:`write_scenario` writes to *path*: a commented header saying
        where the scenario came from, then every parameter; the book's tables are named as
        CSV files beside *path* (relative paths, read relative to the TOML file)."""
        from crmsim.sim.scenario.toml import dumps

        files = self.scenario_files(path)
        data = self.scenario.to_dict()
        data["book"]["customers"] = None
        data["book"]["managers"] = None
        data["book"]["customers_path"] = files["customers"].name
        data["book"]["managers_path"] = files["managers"].name
        m = self.meta
        estimated = sorted({p.split(".")[0] for p in
                            self.estimates.loc[self.estimates["used"], "parameter"]})  # fmt: skip
        header = [
            f"# crmsim scenario calibrated from {m['source']} ({m['rows']:,} rows, "
            f"{m['customers']:,} customers, {m['history_start'].date()} .. {m['as_of'].date()})",
            f"# by crmsim {m['crmsim_version']} (crmsim calibrate), as of {m['as_of'].date()}, "
            f"seed {m['seed']}, {m['replications']} back-test replications.",
            f"# The book (the {len(self.book):,} customers active on {m['as_of'].date()} and "
            "their account managers) is in",
            f"#   {files['customers'].name} and {files['managers'].name}, beside this file.",
            f"# Estimated from the history: sections {', '.join(estimated)} (see the "
            "calibration report",
            "#   for intervals, the back-test and notes); every other parameter is the base "
            "scenario's.",
            "",
        ]
        return "\n".join(header) + dumps(data)

    def write_scenario(
        self, path: str | os.PathLike[str], *, overwrite: bool = False
    ) -> dict[str, Path]:
        """Write the scenario as TOML and its book as two CSV files beside it.

        Nothing is written if any of the three files exists and *overwrite* is False.
        ``Scenario.from_toml(path)`` reads the scenario back.

        Returns
        -------
        dict
            The paths written, as :meth:`scenario_files`.

        Raises
        ------
        crmsim.errors.DataError
            A file exists and *overwrite* is False (the message names it).
        """
        files = self.scenario_files(path)
        existing = [p for p in files.values() if p.exists()]
        if existing and not overwrite:
            raise DataError(label("calibrate.error.output_exists", "en").format(
                path=str(existing[0])))  # fmt: skip
        text = self.scenario_toml(path)
        files["scenario"].parent.mkdir(parents=True, exist_ok=True)
        customers = self.scenario.book.customers
        managers = self.scenario.book.managers
        # all three files at once, the scenario last; a failure leaves none of them changed,
        # and ids from the user's file that a spreadsheet would run as formulas are escaped
        write_files({
            files["customers"]: csv_bytes(customers, date_format="%Y-%m-%d", lineterminator="\n"),
            files["managers"]: csv_bytes(managers, date_format="%Y-%m-%d", lineterminator="\n"),
            files["scenario"]: text.encode("utf-8"),
        })  # fmt: skip
        return files

    def note_texts(self, lang: str | None = None) -> list[str]:
        """The notes as sentences in *lang* (``"en"``, ``"zh"`` or ``"both"``)."""
        return [n.text(lang) for n in self.notes]

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """The estimates with labelled columns: parameter, estimate, 95% interval, the value
        in the scenario, the default, n and how it was estimated."""
        est = self.estimates
        interval = [
            "" if np.isnan(lo) else f"{_num(lo)} – {_num(hi)}"
            for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)
        ]
        return pd.DataFrame(
            {
                label("calibrate.col.parameter", lang): est["parameter"],
                label("calibrate.col.estimate", lang): [_num(x) for x in est["estimate"]],
                label("calibrate.col.interval", lang): interval,
                label("calibrate.col.value", lang): [_num(x) for x in est["value"]],
                label("calibrate.col.default", lang): [_num(x) for x in est["default"]],
                label("calibrate.col.n", lang): est["n"],
                label("calibrate.col.method", lang): [
                    label(f"calibrate.method.{m}", lang) for m in est["method"]
                ],
            }
        )
