"""What the dashboard runs and shows: the comparison, its tables, chart and downloads."""

from __future__ import annotations

import atexit
import base64
import dataclasses
import html
import io
import math
import multiprocessing
import os
import tempfile
import textwrap
import threading
import zipfile
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
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
from crmsim.terms import money, resolve_language
from crmsim.widgets.dashboard.customer_file import _t

#: KPIs in the dashboard's tables, in order.
SHOWN_KPIS: tuple[str, ...] = (
    "value_created",
    "net_contribution",
    "revenue",
    "active_customers_end",
    "retention",
    "service_level",
    "complaint_rate",
    "manager_utilisation",
)



_POOL: dict[int, ProcessPoolExecutor] = {}


def _warm() -> int:
    """Import what a simulation needs, in a worker (run once when the pool starts)."""
    import crmsim.sim.experiments  # noqa: F401

    return os.getpid()


def warm_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """The kernel's pool of worker processes for the dashboard, started once and reused.

    The workers are started by a fork server (a kernel runs threads, which forking would copy
    into a bad state) and warmed at once in the background: each imports the model while the
    manager is still choosing settings, so the first Run does not wait for them. Every
    dashboard of the kernel with the same number of workers shares the pool; it is shut down
    when the kernel exits.
    """
    n = int(workers or os.cpu_count() or 1)
    pool = _POOL.get(n)
    if pool is None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")  # fmt: skip
        pool = ProcessPoolExecutor(max_workers=n, mp_context=context)
        for _ in range(n):
            pool.submit(_warm)
        _POOL[n] = pool
        atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return pool


def _run(
    options: Mapping[str, Scenario],
    *,
    replications: int,
    seed: int,
    workers: int | None,
    progress: Callable[[int, int], Any],
    executor: Any = None,
    uncertainty: int = 0,
) -> WhatIf:
    """Run the options on common random numbers (:func:`crmsim.sim.whatif.run_whatif`), in
    the kernel (``workers=1``) or on the warm pool (*executor*), and with *uncertainty* > 0 the
    probabilistic sensitivity analysis over that many draws of the teaching values
    (:mod:`crmsim.sim.uncertainty`).

    The dashboard's options schedule no event (no star leaves), so no counterfactual option is
    added and the number of runs is options x replications, as the progress line says.
    """
    return run_whatif(dict(options), replications=replications, seed=seed,
                      workers=None if executor is not None else workers, executor=executor,
                      progress=progress, counterfactuals=False,
                      uncertainty=uncertainty)  # fmt: skip


def _report_files(result: DashboardResult, lang: str) -> tuple[bytes, bytes]:
    """The downloadable report of :mod:`crmsim.report.manager` in *lang* (``"both"`` gives
    English): the page itself (self-contained, charts embedded) and a ZIP of the whole report
    folder (``index.html`` and the ``tables/*.csv`` its links point to)."""
    with _REPORT_LOCK:  # one report at a time: matplotlib's settings are shared by threads
        return _build_report_files(result, lang)


#: Reports are built beside the page, one at a time (matplotlib's rc settings are global).
_REPORT_LOCK = threading.Lock()


def _build_report_files(result: DashboardResult, lang: str) -> tuple[bytes, bytes]:
    lang = lang if lang in ("en", "zh") else "en"
    source = None
    if result.source is not None:  # the uploaded file, named in the report's language
        name, n, managers = result.source
        team = _t("book_source_team", lang, k=managers) if managers else ""
        source = _t("book_source", lang, name=name, n=f"{n:,}", team=team)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "crmsim-report"
        index = write_report(result.outcome, folder, lang=lang, source=source,
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
    source : tuple or None
        An uploaded file's ``(name, customers, its own account managers)``, named in the report.
    wait : float
        Time from the click to the result on screen (simulations, tables and chart).
    """

    outcome: Any
    settings: dict[str, Any]
    company: tuple[str | None, int]
    seed: int
    seconds: float
    source: tuple[str, int, int] | None = None
    wait: float = math.nan

    def with_wait(self, seconds: float) -> DashboardResult:
        """This result with the time the manager waited for it."""
        return dataclasses.replace(self, wait=float(seconds))

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
    currency = next(iter(result.outcome.options.values())).currency
    with money(currency=currency, scale="M"):  # the tables' unit: M CNY / 百万元, never 万
        plot_monthly(comparison.monthly, "net_contribution", ax=axes[0, 0])
        if several:
            plot_differences(comparison.differences, "net_contribution", ax=axes[0, 1])
    if resolve_language(None) != "en":
        use_cjk_font(fig)
    _fit_texts(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def _two_lines(text: str) -> str:
    """*text* on two lines: before its second language (``"English (中文)"``), after a colon,
    or at the space (or character) nearest its middle."""
    for mark, keep in ((" (", "("), ("（", "（"), ("：", "："), (": ", ":")):
        head, sep, tail = text.partition(mark)
        if sep and head and tail:
            return f"{head}{keep}\n{tail}" if keep in ("：", ":") else f"{head}\n{keep}{tail}"
    middle = len(text) // 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle)) if spaces else middle
    return text[:cut].rstrip() + "\n" + text[cut:].lstrip()


def _narrower(text: str, factor: float) -> str:
    """*text* with its lines wrapped to *factor* of the longest one's length (words kept
    whole where there are spaces; Chinese broken between characters)."""
    lines = text.split("\n")
    limit = max(8, int(max(map(len, lines)) * factor))
    return "\n".join(part for line in lines
                     for part in textwrap.wrap(line, limit, break_long_words=True) or [""])


def _fit_texts(fig) -> None:
    """Break a title or an axis label wider than its axes over two lines (long in Chinese and
    in two languages), so the layout keeps it inside the picture."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    for _ in range(4):  # the layout narrows the axes as texts grow: measure again
        canvas.draw()
        renderer = canvas.get_renderer()
        changed = False
        for ax in fig.axes:
            box = ax.get_window_extent(renderer)
            for text, room, along in ((ax.title, box.width, "width"),
                                      (ax.xaxis.label, box.width, "width"),
                                      (ax.yaxis.label, box.height, "height")):  # fmt: skip
                shown = text.get_text()
                wide = getattr(text.get_window_extent(renderer), along)
                if not shown or wide <= room:
                    continue
                text.set_text(_two_lines(shown) if "\n" not in shown else
                              _narrower(shown, 0.9 * room / wide))  # fmt: skip
                changed = True
        if not changed:
            return
    canvas.draw()


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
