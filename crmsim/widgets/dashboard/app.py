"""The dashboard's app: its widgets, their layout and what happens on a click."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as W
import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import CrmsimError, ParameterError
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.book import deal_by_seniority, synthetic_book
from crmsim.terms import (
    RULES,
    SCHEMES,
    STRUCTURES,
    label,
    language,
    resolve_language,
)
from crmsim.widgets._app import App
from crmsim.widgets.dashboard.customer_file import BOOK_SEED, CustomerFile, _t, read_customer_file
from crmsim.widgets.dashboard.results import (
    DashboardResult,
    _chart_png,
    _download_links,
    _report_files,
    _run,
    _sections,
)

#: Customers of the classroom company simulated when no file is uploaded.
CLASSROOM_CUSTOMERS = 300


LANGUAGE_CHOICES: tuple[tuple[str, str], ...] = (
    ("English", "en"),
    ("中文", "zh"),
    ("English + 中文", "both"),
)


# --------------------------------------------------------------------------- the customer file


# --------------------------------------------------------------------------- the options


def dashboard_options(
    structures: Sequence[str],
    allocation: str = "by_seniority",
    incentives: str = "commission",
    crm_adoption: float = 0.3,
    team_size: int = 10,
    months: int = 12,
    *,
    customers: pd.DataFrame | None = None,
) -> dict[str, Scenario]:
    """The scenarios the dashboard compares: one per structure, everything else shared.

    Parameters
    ----------
    structures : sequence of str
        Structures of :data:`crmsim.terms.STRUCTURES`; the first is the baseline.
    allocation, incentives : str
        An allocation rule of :data:`crmsim.terms.RULES` and a scheme of
        :data:`crmsim.terms.SCHEMES`.
    crm_adoption : float
        CRM adoption, 0 to 1.
    team_size : int
        Account managers (a synthetic team: about a quarter senior, 40% regular, the rest
        junior, as in :func:`crmsim.sim.scenario.book.synthetic_book`).
    months : int
        Horizon.
    customers : DataFrame, optional
        Customers of an uploaded file (:attr:`CustomerFile.customers`), dealt to the team by
        :func:`crmsim.sim.scenario.book.deal_by_seniority`. Default: the classroom company,
        :data:`CLASSROOM_CUSTOMERS` synthetic customers. Lead rates are scaled to the number of
        customers either way (:meth:`Scenario.synthetic`).

    Returns
    -------
    dict of str to Scenario
        Keyed by structure name, in the order given.

    Examples
    --------
    >>> options = dashboard_options(["extended_roles", "dedicated_post"], crm_adoption=0.8,
    ...                             team_size=6, months=6)
    >>> list(options), options["dedicated_post"].crm.adoption, options["extended_roles"].months
    (['extended_roles', 'dedicated_post'], 0.8, 6)
    """
    structures = list(dict.fromkeys(structures))
    if not structures:
        raise ParameterError(_t("need_structure"))
    unknown = [s for s in structures if s not in STRUCTURES]
    if unknown:
        raise ParameterError(
            f"parameter 'structures' must hold names from {list(STRUCTURES)}; got {unknown}"
        )
    team_size = int(check_number("team_size", team_size, minimum=1, integer=True))
    months = int(check_number("months", months, minimum=1, integer=True))
    n = CLASSROOM_CUSTOMERS if customers is None else len(customers)
    changes: dict[str, Any] = {
        "allocation.rule": allocation,
        "incentives.scheme": incentives,
        "crm.adoption": crm_adoption,
        "book.seed": BOOK_SEED,
    }
    if customers is not None:
        _, team = synthetic_book(0, team_size, seed=BOOK_SEED)
        dealt = customers.assign(manager_id=deal_by_seniority(customers["annual_wallet"], team))
        changes["book"] = {"source": "tables", "customers": dealt, "managers": team,
                           "seed": BOOK_SEED}  # fmt: skip
        changes.pop("book.seed")
    base = Scenario.synthetic(max(n, 1), team_size, months=months).with_(changes)
    return {s: base.with_({"structure": s, "name": s}) for s in structures}


# --------------------------------------------------------------------------- the two seams


# --------------------------------------------------------------------------- what is shown


# --------------------------------------------------------------------------- the app


class Dashboard(App):
    """The manager's dashboard: an :class:`App` that simulates when *Run* is pressed.

    Built by :func:`dashboard`. Besides the App's ``controls`` (``structures``, ``allocation``,
    ``incentives``, ``crm_adoption``, ``team_size``, ``replications``, ``months``), it has:

    ``language`` (toggle), ``upload`` (:class:`ipywidgets.FileUpload`), ``clear_file``,
    ``file_info`` (the reading report or the file's error), ``run_button``, ``progress``
    (:class:`ipywidgets.IntProgress`, runs done out of runs to do), ``status``, ``download`` (the
    report link) and ``customer_file`` (the :class:`CustomerFile` in use, or None).
    ``result`` is the last :class:`DashboardResult`; ``report`` the bytes of its report.
    """

    def __init__(
        self,
        *,
        replications: int = 5,
        months: int = 12,
        team_size: int = 10,
        crm_adoption: float = 0.3,
        structures: Sequence[str] = STRUCTURES,
        seed: int = 2024,
        workers: int | None = 1,
        lang: str | None = None,
        uncertainty: int = 0,
    ) -> None:
        lang = resolve_language(lang)
        #: draws of the teaching values for the robustness of the answer (0: not run)
        self.uncertainty = int(check_number("uncertainty", uncertainty, minimum=0, integer=True))
        check_number("replications", replications, minimum=2, integer=True)
        check_number("months", months, minimum=1, integer=True)
        check_number("team_size", team_size, minimum=1, integer=True)
        check_number("crm_adoption", crm_adoption, minimum=0, maximum=1)
        self.seed = int(seed)
        self.workers = workers
        self.customer_file: CustomerFile | None = None
        self.report: bytes | None = None
        self._file_error: str | None = None
        self._status: tuple[str, dict[str, Any]] = ("status_ready", {})
        self._quiet = False  # True while relabelling: value changes are not the user's
        style = {"description_width": "160px"}
        wide = W.Layout(width="460px")
        controls = {
            "structures": W.SelectMultiple(options=list(STRUCTURES), value=tuple(structures),
                                           rows=4, style=style, layout=wide),
            "allocation": W.Dropdown(options=list(RULES), value="by_seniority", style=style,
                                     layout=wide),
            "incentives": W.Dropdown(options=list(SCHEMES), value="commission", style=style,
                                     layout=wide),
            "crm_adoption": W.FloatSlider(value=crm_adoption, min=0.0, max=1.0, step=0.05,
                                          readout_format=".0%", continuous_update=False,
                                          style=style, layout=wide),
            "team_size": W.IntSlider(value=team_size, min=1, max=max(60, team_size),
                                     continuous_update=False, style=style, layout=wide),
            "replications": W.IntSlider(value=replications, min=2, max=max(30, replications),
                                        continuous_update=False, style=style, layout=wide),
            "months": W.IntSlider(value=months, min=3, max=max(60, months), step=3,
                                  continuous_update=False, style=style, layout=wide),
        }  # fmt: skip
        self.title = W.HTML()
        self.intro = W.HTML()
        self.hint = W.HTML()
        self.language = W.ToggleButtons(options=list(LANGUAGE_CHOICES), value=lang)
        buttons = W.Layout(width="240px")
        self.upload = W.FileUpload(accept=".csv,.xlsx,.xlsm", multiple=False, layout=buttons)
        self.clear_file = W.Button(layout=buttons)
        self.file_info = W.HTML()
        self.run_button = W.Button(button_style="primary", layout=buttons)
        self.progress = W.IntProgress(value=0, min=0, max=1, layout=W.Layout(width="220px"))
        self.status = W.HTML()
        self.download = W.HTML()

        def layout(ctrls: Mapping[str, W.Widget]) -> W.Widget:
            return W.VBox([
                self.title, self.intro, self.language,
                W.HBox([W.VBox([ctrls["structures"], self.hint]),
                        W.VBox([ctrls[k] for k in ("allocation", "incentives", "crm_adoption",
                                                   "team_size", "replications", "months")])]),
                W.HBox([self.upload, self.clear_file]), self.file_info,
                W.HBox([self.run_button, self.progress, self.status]), self.download,
            ])  # fmt: skip

        super().__init__(controls, self._compute, self._render, layout=layout, lang=lang,
                         auto=False)  # fmt: skip
        self.widget.add_class("crmsim-dashboard")
        self.output.add_class("crmsim-result")
        self._relabel()
        self._show_file_info()
        self._show_status()
        self.language.observe(self._on_language, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.clear_file.on_click(lambda _: self.use_classroom_company())
        self.run_button.on_click(lambda _: self.run())

    # ---------------------------------------------------------------- actions
    def run(self) -> DashboardResult | None:
        """Simulate the current settings and show the result (what the Run button does).

        Any error is shown in the app (never as a traceback); returns the new result, or None
        when the run did not finish.
        """
        self.run_button.disabled = True
        self.error = None
        try:
            self.refresh()
        except Exception as exc:  # noqa: BLE001 - a manager sees a message, not a traceback
            self.error = exc
            with language(self.lang):
                self.message.value = _error_html(_t("unexpected", kind=type(exc).__name__,
                                                    error=exc))  # fmt: skip
        finally:
            self.run_button.disabled = False
        if self.error is not None:
            self._set_status("status_failed")
            return None
        self._set_status("status_done", total=self.result.runs, seconds=self.result.seconds)
        return self.result

    def load_file(self, name: str, content: bytes) -> CustomerFile | None:
        """Use an uploaded customer file (what the upload button does); None if it is unusable.

        The reading report, or the reason the file cannot be used, is shown under the upload
        button; after an unusable file the company simulated stays as it was.
        """
        with language(self.lang):
            try:
                loaded = read_customer_file(name, content)
            except CrmsimError as exc:
                self._file_error = _t("file_error", error=exc)
                self._show_file_info()
                return None
        self.customer_file = loaded
        self._file_error = None
        if loaded.managers_named:
            team = self.controls["team_size"]
            team.max = max(team.max, loaded.managers_named)
            team.value = loaded.managers_named
        self._show_file_info()
        self._mark_stale()
        return loaded

    def use_classroom_company(self) -> None:
        """Forget the uploaded file: simulate the classroom company again."""
        self.customer_file = None
        self._file_error = None
        self._quiet = True
        try:
            self.upload.value = ()
        finally:
            self._quiet = False
        self._show_file_info()
        self._mark_stale()

    def set_language(self, lang: str) -> None:
        """Show every label, the result and the report in *lang* ("en", "zh" or "both")."""
        self.language.value = resolve_language(lang)

    # ---------------------------------------------------------------- compute and render
    def _compute(self, structures, allocation, incentives, crm_adoption, team_size,
                 replications, months) -> DashboardResult:  # fmt: skip
        if not structures:
            raise ParameterError(_t("need_structure"))
        customers = None if self.customer_file is None else self.customer_file.customers
        options = dashboard_options(structures, allocation, incentives, crm_adoption, team_size,
                                    months, customers=customers)  # fmt: skip
        self._set_status("status_running", total=len(options) * replications)

        def progress(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done

        start = time.perf_counter()
        outcome = _run(options, replications=replications, seed=self.seed, workers=self.workers,
                       progress=progress, uncertainty=self.uncertainty)  # fmt: skip
        company = (None if self.customer_file is None else self.customer_file.name,
                   CLASSROOM_CUSTOMERS if customers is None else len(customers))  # fmt: skip
        settings = {"structures": tuple(structures), "allocation": allocation,
                    "incentives": incentives, "crm_adoption": float(crm_adoption),
                    "team_size": int(team_size), "replications": int(replications),
                    "months": int(months)}  # fmt: skip
        return DashboardResult(outcome, settings, company, self.seed, time.perf_counter() - start)

    def _render(self, result: DashboardResult, out: W.Output) -> None:
        from IPython.display import HTML, Image, display

        lang = resolve_language(None)
        self.download.value = ""  # no link to a report of other settings or in another language
        rec, kpis, diffs = _sections(result)
        display(HTML(rec + kpis + diffs))
        display(HTML(f"<h3>{html.escape(_t('chart'))}</h3>"))
        display(Image(data=_chart_png(result), format="png"))
        self.report, self.report_zip = _report_files(result, lang)
        self.download.value = _download_links(self.report, self.report_zip, lang)

    # ---------------------------------------------------------------- labels and state
    def _relabel(self) -> None:
        lang = self.lang
        self._quiet = True
        try:
            with language(lang):
                self.title.value = f"<h2>{html.escape(_t('title'))}</h2>"
                self.intro.value = f"<p>{html.escape(_t('intro'))}</p>"
                self.hint.value = f"<small>{html.escape(_t('structures_hint'))}</small>"
                self.language.description = _t("language")
                c = self.controls
                for name, values in (("structures", STRUCTURES), ("allocation", RULES),
                                     ("incentives", SCHEMES)):  # fmt: skip
                    value = c[name].value
                    c[name].options = [(label(k), k) for k in values]
                    c[name].value = value
                    c[name].description = _t(name)
                for name in ("crm_adoption", "team_size", "replications", "months"):
                    c[name].description = _t(name)
                self.upload.description = _t("upload")
                self.clear_file.description = _t("clear_file")
                self.run_button.description = _t("run")
        finally:
            self._quiet = False

    def _show_file_info(self) -> None:
        with language(self.lang):
            parts = []
            if self._file_error:
                parts.append(_error_html(self._file_error))
            f = self.customer_file
            if f is None:
                parts.append(f"<p>{html.escape(_t('no_file', n=CLASSROOM_CUSTOMERS))}</p>")
            else:
                text = _t("file_read", name=f.name, rows=f"{len(f.customers):,}")
                if f.managers_named:
                    text += " " + _t("file_managers", k=f.managers_named)
                notes = "".join(f"<li>{html.escape(n.text(self.lang))}</li>"
                                for n in (*f.notes, *f.report.notes))  # fmt: skip
                parts.append(
                    f"<p class='crmsim-file'>{html.escape(text)}</p>"
                    f"<details><summary>{html.escape(_t('reading'))}</summary>"
                    f"{f.report.summary(self.lang).to_html(index=False)}"
                    f"{f.report.columns_table(self.lang).to_html(index=False)}</details>"
                    + (f"<ul>{notes}</ul>" if notes else "")
                )
            self.file_info.value = "".join(parts)

    def _set_status(self, key: str, **values: Any) -> None:
        self._status = (key, values)
        self._show_status()

    def _show_status(self) -> None:
        key, values = self._status
        text = html.escape(_t(key, self.lang, **values))
        self.status.value = f"<span class='crmsim-status'>{text}</span>"

    def _mark_stale(self) -> None:
        if self.result is not None and not self._quiet:
            self._set_status("status_stale")

    def _on_change(self, change: dict) -> None:
        self._mark_stale()

    def _on_upload(self, change: dict) -> None:
        if self._quiet or not change["new"]:
            return
        item = change["new"][-1]
        self.load_file(str(item["name"]), bytes(item["content"]))

    def _on_language(self, change: dict) -> None:
        self.lang = resolve_language(change["new"])
        self._relabel()
        self._show_file_info()
        self._show_status()
        if self.result is not None:
            self.redraw()


def _error_html(text: str) -> str:
    return f"<span class='crmsim-error' style='color:#b00020'>{html.escape(str(text))}</span>"


def dashboard(
    *,
    replications: int = 5,
    months: int = 12,
    team_size: int = 10,
    crm_adoption: float = 0.3,
    structures: Sequence[str] = STRUCTURES,
    seed: int = 2024,
    workers: int | None = 1,
    lang: str | None = None,
    uncertainty: int = 0,
) -> Dashboard:
    """The manager's dashboard: choose, upload, run, read the recommendation, download.

    Controls (``app.controls``): ``structures`` (several of the four account-manager
    structures; the first chosen is the baseline), ``allocation`` (the allocation rule),
    ``incentives`` (commission at signing or deferred pay), ``crm_adoption`` (0-100%),
    ``team_size`` (account managers), ``replications`` and ``months``. Nothing is simulated until
    *Run* is pressed (``app.run()``); a control changed after a run marks the result as out of
    date. With the defaults, the four structures on the classroom company take 20 runs of 12
    months (a few seconds).

    Parameters
    ----------
    replications, months, team_size, crm_adoption, structures
        Starting values of the controls.
    seed : int
        Seed of the replications: the same settings and seed give the same result.
    workers : int, optional
        Processes running the simulations (default 1: in the kernel itself, which starts fastest
        for runs of a few seconds; None: one per core).
    lang : {"en", "zh", "both"}, optional
        Starting language (the toggle changes it).
    uncertainty : int
        Also draw this many plausible sets of the teaching values and say how often each
        structure is best (:mod:`crmsim.sim.uncertainty`; 0, the default: only the intervals of
        the simulation's luck, and a note saying so).

    Returns
    -------
    Dashboard

    Examples
    --------
    >>> app = dashboard(replications=2, months=3, structures=["extended_roles"])
    >>> app.result is None, app.controls["team_size"].value
    (True, 10)
    """
    return Dashboard(replications=replications, months=months, team_size=team_size,
                     crm_adoption=crm_adoption, structures=structures, seed=seed,
                     workers=workers, lang=lang, uncertainty=uncertainty)  # fmt: skip
