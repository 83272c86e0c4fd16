"""What the dashboard runs and shows: the comparison, its tables, chart and downloads."""

from __future__ import annotations

import base64
import html
import io
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from crmsim.plots._fonts import use_cjk_font
from crmsim.plots.simulation import plot_differences, plot_monthly, scenario_label
from crmsim.report.manager import write_report
from crmsim.sim.experiments import Comparison
from crmsim.sim.kpis import display_label
from crmsim.sim.scenario import Scenario
from crmsim.sim.studies import difference_cells, estimate_cells
from crmsim.sim.whatif import WhatIf, run_whatif
from crmsim.terms import (
    resolve_language,
)
from crmsim.widgets.dashboard.customer_file import _t

#: KPIs in the dashboard's tables, in order.
SHOWN_KPIS: tuple[str, ...] = (
    "value_created",
    "net_contribution",
    "revenue",
    "active_customers_end",
    "retention",
    "service_level",
    "complaints",
    "manager_utilisation",
)



def _run(
    options: Mapping[str, Scenario],
    *,
    replications: int,
    seed: int,
    workers: int | None,
    progress: Callable[[int, int], Any],
    uncertainty: int = 0,
) -> WhatIf:
    """Run the options on common random numbers (:func:`crmsim.sim.whatif.run_whatif`), and
    with *uncertainty* > 0 the probabilistic sensitivity analysis over that many draws of the
    teaching values (:mod:`crmsim.sim.uncertainty`).

    The dashboard's options schedule no event (no star leaves), so no counterfactual option is
    added and the number of runs is options x replications, as the progress line says.
    """
    return run_whatif(dict(options), replications=replications, seed=seed, workers=workers,
                      progress=progress, counterfactuals=False,
                      uncertainty=uncertainty)  # fmt: skip


def _report_files(result: DashboardResult, lang: str) -> tuple[bytes, bytes]:
    """The downloadable report of :mod:`crmsim.report.manager` in *lang* (``"both"`` gives
    English): the page itself (self-contained, charts embedded) and a ZIP of the whole report
    folder (``index.html`` and the ``tables/*.csv`` its links point to)."""
    lang = lang if lang in ("en", "zh") else "en"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "crmsim-report"
        index = write_report(result.outcome, folder, lang=lang,
                             title=_t("report_title", lang))  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    # a fixed date keeps the ZIP's bytes the same for the same run
                    info = zipfile.ZipInfo(path.relative_to(Path(tmp)).as_posix(),
                                           date_time=(2024, 1, 1, 0, 0, 0))  # fmt: skip
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
        return index.read_bytes(), buffer.getvalue()


@dataclass(frozen=True, eq=False)
class DashboardResult:
    """One run of the dashboard.

    Attributes
    ----------
    outcome : object
        What :func:`_run` returned: ``options``, ``baseline``, ``comparison`` and
        ``recommendation(lang)``.
    settings : dict
        The control values the run used.
    company : tuple
        ``(file name or None, number of customers)``.
    seed : int
        Seed of the replications.
    seconds : float
        Time the simulations took.
    """

    outcome: Any
    settings: dict[str, Any]
    company: tuple[str | None, int]
    seed: int
    seconds: float

    @property
    def comparison(self) -> Comparison:
        """The comparison behind every table and chart."""
        return self.outcome.comparison

    @property
    def runs(self) -> int:
        """Simulations run (options × replications)."""
        return len(self.comparison.runs)


def _company_text(company: tuple[str | None, int]) -> str:
    name, n = company
    return _t("classroom", n=n) if name is None else _t("uploaded", name=name, n=n)


def _kpi_table(comparison: Comparison) -> pd.DataFrame:
    """KPIs (rows) per option (columns): "mean ± half-width", labels in the current language."""
    cells = estimate_cells(comparison, SHOWN_KPIS)
    out = {scenario_label(name): column for name, column in cells.items()}
    return pd.DataFrame(out, index=pd.Index([display_label(k) for k in SHOWN_KPIS]))


def _difference_table(comparison: Comparison) -> pd.DataFrame:
    """Paired differences against the baseline, "difference ± half-width" (* when clear)."""
    cells = difference_cells(comparison, SHOWN_KPIS)
    out = {scenario_label(name): column for name, column in cells.items()}
    return pd.DataFrame(out, index=pd.Index([display_label(k) for k in SHOWN_KPIS]))


def _sections(result: DashboardResult) -> tuple[str, str, str]:
    """HTML of the recommendation, the KPI table and the difference table (current language)."""
    comparison = result.comparison
    rec = result.outcome.recommendation(resolve_language(None))
    points = "".join(f"<li>{html.escape(p)}</li>" for p in rec.points)
    warnings = "".join(  # the plausibility guard's findings come first
        f"<p class='crmsim-warning' style='background:#fff4e5;border-left:4px solid #c77700;"
        f"padding:.4em .8em'>{html.escape(w)}</p>"
        for w in result.outcome.warnings(resolve_language(None)))  # fmt: skip
    rec_html = warnings + (
        f"<h2>{html.escape(_t('recommendation'))}</h2>"
        f"<p class='crmsim-headline'><b>{html.escape(rec.headline)}</b></p><ul>{points}</ul>"
    )
    n = int(comparison.runs["replication"].nunique())
    caption = _t("kpis", months=result.settings["months"], n=n)
    kpi_html = (f"<h3>{html.escape(caption)}</h3>"
                + _kpi_table(comparison).to_html(classes="crmsim-kpis"))  # fmt: skip
    diffs = _difference_table(comparison)
    diff_html = ""
    if not diffs.empty:
        caption = _t("differences", baseline=scenario_label(comparison.baseline))
        diff_html = (f"<h3>{html.escape(caption)}</h3>"
                     + diffs.to_html(classes="crmsim-differences"))  # fmt: skip
    return rec_html, kpi_html, diff_html


def _chart_png(result: DashboardResult) -> bytes:
    """Monthly net contribution with 95% bands, and the paired differences (current language)."""
    comparison = result.comparison
    several = comparison.runs["scenario"].nunique() > 1
    fig, axes = plt.subplots(1, 2 if several else 1, figsize=(12 if several else 7, 4.2),
                             squeeze=False, constrained_layout=True)  # fmt: skip
    plot_monthly(comparison.monthly, "net_contribution", ax=axes[0, 0])
    if several:
        plot_differences(comparison.differences, "net_contribution", ax=axes[0, 1])
    if resolve_language(None) != "en":
        use_cjk_font(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def _download_links(page: bytes, archive: bytes, lang: str) -> str:
    style = (
        "display:inline-block;margin:.4em .6em .4em 0;padding:.3em .9em;"
        "border:1px solid #1976d2;border-radius:3px;color:#1976d2;text-decoration:none"
    )
    links = []
    for data, name, mime, key in ((page, "crmsim-report.html", "text/html;charset=utf-8",
                                   "download"),
                                  (archive, "crmsim-report.zip", "application/zip",
                                   "download_zip")):  # fmt: skip
        encoded = base64.b64encode(data).decode("ascii")
        links.append(f"<a class='crmsim-download' download='{name}' "
                     f"href='data:{mime};base64,{encoded}' style='{style}'>"
                     f"{html.escape(_t(key, lang))}</a>")  # fmt: skip
    return "".join(links)
