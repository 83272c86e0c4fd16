"""The dashboard's app: its widgets, their layout and what happens on a click.

What a manager sees while waiting is honest: the progress bar counts the simulations and then
the drawing of the result, the time shown is the time from the click to the result, and the
downloadable report is built after the result is on screen (its own line says so, then offers
the links). Changing any input greys the result out and withdraws its downloads at once.

Longer than most modules (about 650 lines) because the controls, the reading of typed values,
the file and scenario loading and the run-and-redraw cycle share one widget state; the
reading of files and the results live beside it.
"""

from __future__ import annotations

import html
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import ipywidgets as W

from crmsim._validation import check_number
from crmsim.errors import CrmsimError, ParameterError
from crmsim.report.fonts import warm_fonts
from crmsim.sim.scenario import Scenario
from crmsim.terms import RULES, SCHEMES, STRUCTURES, label, language, resolve_language
from crmsim.widgets._app import App
from crmsim.widgets.dashboard.customer_file import CustomerFile, _t, read_customer_file
from crmsim.widgets.dashboard.inputs import NumberField
from crmsim.widgets.dashboard.options import (
    CLASSROOM_CUSTOMERS,
    COMPANY_FIELDS,
    dashboard_options,
)
from crmsim.widgets.dashboard.results import (
    DashboardResult,
    _chart_png,
    _download_links,
    _report_files,
    _run,
    _sections,
    warm_pool,
)

__all__ = ["CLASSROOM_CUSTOMERS", "Dashboard", "dashboard", "dashboard_options"]

LANGUAGE_CHOICES: tuple[tuple[str, str], ...] = (
    ("English", "en"),
    ("中文", "zh"),
    ("English + 中文", "both"),
)

#: Greys a result whose inputs changed, and makes its links unclickable.
_CSS = """<style>
.crmsim-stale { opacity: .35; filter: grayscale(100%); pointer-events: none; }
.crmsim-dashboard .widget-label { overflow: visible; white-space: normal; }
</style>"""

#: Controls typed as numbers: name → (kind, refusal key).
_TYPED = {
    "crm_adoption": "share", "team_size": "whole", "replications": "whole", "months": "whole",
    "business_lines": "whole", "need_complexity": "share", "expertise_share": "share",
    "confidential_share": "share",
}  # fmt: skip


class Dashboard(App):
    """The manager's dashboard: an :class:`App` that simulates when *Run* is pressed.

    Built by :func:`dashboard`. Besides the App's ``controls`` (``structures``, ``allocation``,
    ``incentives``, ``crm_adoption``, ``team_size``, ``replications``, ``months`` and the
    company profile ``business_lines``, ``need_complexity``, ``expertise_share``,
    ``confidential_share``), it has:

    ``language`` (toggle), ``upload`` (:class:`ipywidgets.FileUpload`), ``clear_file``,
    ``file_info`` (the reading report or the file's error), ``scenario_upload`` (a scenario
    TOML), ``clear_scenario``, ``scenario_info``, ``fields`` (the :class:`NumberField` of each
    typed control: a text box that reads "60", "60%" or "0.6"), ``run_button``, ``progress``
    (:class:`ipywidgets.IntProgress`: the simulations, then the drawing of the result),
    ``status``, ``download`` (the report links, once the report is built) and
    ``customer_file`` (the :class:`CustomerFile` in use, or None).
    ``result`` is the last :class:`DashboardResult`; ``report`` and ``report_zip`` the bytes of
    its report (waiting for it to be built).
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
        self.pool = warm_pool(workers) if workers != 1 else None
        self.customer_file: CustomerFile | None = None
        self.scenario: Scenario | None = None
        self._scenario_file: str | None = None
        self._scenario_error: str | None = None
        self._file_error: str | None = None
        self._status: tuple[str, dict[str, Any]] = ("status_ready", {})
        self._quiet = False  # True while relabelling: value changes are not the user's
        self._generation = 0  # a new run or a change of input withdraws the report being built
        self._report_job: Future | None = None
        company = Scenario().company
        slider = {"continuous_update": False, "style": {"description_width": "160px"},
                  "layout": W.Layout(width="380px")}  # fmt: skip
        choice = {"style": {"description_width": "160px"}, "layout": W.Layout(width="460px")}
        controls = {
            "structures": W.SelectMultiple(options=list(STRUCTURES), value=tuple(structures),
                                           rows=4, **choice),
            "allocation": W.Dropdown(options=list(RULES), value="by_seniority", **choice),
            "incentives": W.Dropdown(options=list(SCHEMES), value="commission", **choice),
            "crm_adoption": W.FloatSlider(value=crm_adoption, min=0.0, max=1.0, step=0.05,
                                          **slider),
            "team_size": W.IntSlider(value=team_size, min=1, max=max(200, team_size), **slider),
            "replications": W.IntSlider(value=replications, min=2, max=max(30, replications),
                                        **slider),
            "months": W.IntSlider(value=months, min=1, max=max(60, months), **slider),
            "business_lines": W.IntSlider(value=company.business_lines, min=1, max=10, **slider),
            "need_complexity": W.FloatSlider(value=company.need_complexity, min=0.0, max=1.0,
                                             step=0.05, **slider),
            "expertise_share": W.FloatSlider(value=company.expertise_share, min=0.0, max=1.0,
                                             step=0.05, **slider),
            "confidential_share": W.FloatSlider(value=company.confidential_share, min=0.0,
                                                max=1.0, step=0.05, **slider),
        }  # fmt: skip
        self.fields = {
            name: NumberField(controls[name], kind, f"dashboard.refused_{kind}",
                              lambda name=name: label(f"dashboard.{name}", self.lang))
            for name, kind in _TYPED.items()
        }  # fmt: skip
        self.title = W.HTML()
        self.intro = W.HTML()
        self.hint = W.HTML()
        self.company_heading = W.HTML()
        self.language = W.ToggleButtons(options=list(LANGUAGE_CHOICES), value=lang)
        buttons = W.Layout(width="auto", min_width="240px")
        self.upload = W.FileUpload(accept=".csv,.xlsx,.xlsm", multiple=False, layout=buttons)
        self.clear_file = W.Button(layout=buttons)
        self.file_info = W.HTML()
        self.scenario_upload = W.FileUpload(accept=".toml", multiple=False, layout=buttons)
        self.clear_scenario = W.Button(layout=buttons)
        self.scenario_info = W.HTML()
        self.run_button = W.Button(button_style="primary", layout=buttons)
        self.progress = W.IntProgress(value=0, min=0, max=1, layout=W.Layout(width="220px"))
        self.status = W.HTML()
        self.download = W.HTML()
        self.download.add_class("crmsim-downloads")

        def row(name: str) -> W.Widget:
            return self.fields[name].box if name in self.fields else controls[name]

        def layout(ctrls: Mapping[str, W.Widget]) -> W.Widget:
            return W.VBox([
                W.HTML(_CSS), self.title, self.intro, self.language,
                W.HBox([self.scenario_upload, self.clear_scenario]), self.scenario_info,
                W.HBox([W.VBox([ctrls["structures"], self.hint]),
                        W.VBox([row(k) for k in ("allocation", "incentives", "crm_adoption",
                                                 "team_size", "replications", "months")])],
                       layout=W.Layout(flex_flow="row wrap")),  # narrow screens, two languages
                self.company_heading,
                W.VBox([row(k) for k in COMPANY_FIELDS]),
                W.HBox([self.upload, self.clear_file]), self.file_info,
                W.HBox([self.run_button, self.progress, self.status]), self.download,
            ])  # fmt: skip

        super().__init__(controls, self._compute, self._render, layout=layout, lang=lang,
                         auto=False, sized=False)  # fmt: skip (the dashboard sizes its own)
        self.widget.add_class("crmsim-dashboard")
        self.output.add_class("crmsim-result")
        self._relabel()
        self._show_file_info()
        self._show_scenario_info()
        self._show_status()
        self.language.observe(self._on_language, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.scenario_upload.observe(self._on_scenario_upload, names="value")
        self.clear_file.on_click(lambda _: self.use_classroom_company())
        self.clear_scenario.on_click(lambda _: self.forget_scenario())
        self.run_button.on_click(lambda _: self.run())
        # the report's font, cut once per kernel while the manager chooses the settings
        threading.Thread(target=warm_fonts, name="crmsim-fonts", daemon=True).start()

    # ---------------------------------------------------------------- the report
    @property
    def report(self) -> bytes | None:
        """The downloadable report page of the result on screen (waits for it to be built)."""
        files = self.report_files()
        return None if files is None else files[0]

    @property
    def report_zip(self) -> bytes | None:
        """The report folder as a ZIP (waits for it to be built)."""
        files = self.report_files()
        return None if files is None else files[1]

    def report_files(self, timeout: float = 600.0) -> tuple[bytes, bytes] | None:
        """The report of the result on screen, ``(page, zip)``, once built; None before a run
        or when the inputs changed since."""
        job = self._report_job
        return None if job is None else job.result(timeout)

    # ---------------------------------------------------------------- actions
    def run(self) -> DashboardResult | None:
        """Simulate the current settings and show the result (what the Run button does).

        Any error is shown in the app (never as a traceback); returns the new result, or None
        when the run did not finish. The report for download is built afterwards, beside the
        page (:meth:`report_files`).
        """
        start = time.perf_counter()
        self.run_button.disabled = True
        self._withdraw_result()
        self.error = None
        self.message.value = ""
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
        self.output.remove_class("crmsim-stale")
        seconds = time.perf_counter() - start
        self.result = self.result.with_wait(seconds)
        self._set_status("status_done", total=self.result.runs, seconds=seconds)
        self._build_report()
        return self.result

    def load_file(self, name: str, content: bytes) -> CustomerFile | None:
        """Use an uploaded customer file (what the upload button does); None if it is unusable.

        The reading report, or the reason the file cannot be used, is shown under the upload
        button; after an unusable file the company simulated stays as it was. When every
        customer in the file has an account manager, that assignment and that team are kept.
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
        team = self.controls["team_size"]
        if loaded.managers_named:
            team.max = max(team.max, loaded.managers_named)
            team.value = loaded.managers_named
        self._team_from_file()
        self._show_file_info()
        self._mark_stale()
        return loaded

    def use_classroom_company(self) -> None:
        """Forget the uploaded file: simulate the classroom company (or the scenario) again."""
        self.customer_file = None
        self._file_error = None
        self._quiet = True
        try:
            self.upload.value = ()
        finally:
            self._quiet = False
        self._team_from_file()
        self._show_file_info()
        self._mark_stale()

    def load_scenario(self, name: str, content: bytes) -> Scenario | None:
        """Use a scenario file (TOML; what the scenario upload does): its company, horizon, rule,
        scheme, CRM adoption and team go into the controls. None if it cannot be used (the
        reason is shown); a scenario that reads customer files by path needs them uploaded
        as the customer file instead."""
        base = Path(str(name)).name or "scenario.toml"
        try:
            with tempfile.TemporaryDirectory(prefix="crmsim-scenario-") as tmp:
                path = Path(tmp) / base
                path.write_bytes(bytes(content))
                scenario = Scenario.from_toml(path)
        except (CrmsimError, OSError, ValueError) as exc:
            self._scenario_error = _t("scenario_error", self.lang, file=base, error=exc)
            self._show_scenario_info()
            return None
        self.scenario, self._scenario_file, self._scenario_error = scenario, base, None
        c = self.controls
        values = {"allocation": scenario.allocation.rule, "incentives": scenario.incentives.scheme,
                  "crm_adoption": scenario.crm.adoption, "months": scenario.months,
                  **{k: _get(scenario, path) for k, path in COMPANY_FIELDS.items()}}  # fmt: skip
        if scenario.book.source == "synthetic" and self.customer_file is None:
            values["team_size"] = scenario.book.n_managers
        for key, value in values.items():
            if hasattr(c[key], "max") and value > c[key].max:
                c[key].max = value
            c[key].value = value
        self._show_scenario_info()
        self._mark_stale()
        return scenario

    def forget_scenario(self) -> None:
        """Describe the company with the controls alone again."""
        self.scenario, self._scenario_file, self._scenario_error = None, None, None
        self._quiet = True
        try:
            self.scenario_upload.value = ()
        finally:
            self._quiet = False
        self._show_scenario_info()
        self._mark_stale()

    def set_language(self, lang: str) -> None:
        """Show every label, the result and the report in *lang* ("en", "zh" or "both")."""
        self.language.value = resolve_language(lang)

    # ---------------------------------------------------------------- compute and render
    def _compute(self, structures, allocation, incentives, crm_adoption, team_size,
                 replications, months, **company) -> DashboardResult:  # fmt: skip
        if not structures:
            raise ParameterError(_t("need_structure"))
        f = self.customer_file
        options = dashboard_options(
            structures, allocation, incentives, crm_adoption, team_size, months,
            customers=None if f is None else f.customers,
            assignments=None if f is None else f.assignments, base=self.scenario,
            company=company,
        )  # fmt: skip
        total = len(options) * replications
        self._set_status("status_running", total=total)
        self.progress.max, self.progress.value = total + 2, 0

        def progress(done: int, total: int) -> None:
            self.progress.max = max(total, 1) + 2  # then the tables and the chart
            self.progress.value = done

        start = time.perf_counter()
        outcome = _run(options, replications=replications, seed=self.seed, workers=self.workers,
                       progress=progress, executor=self.pool,
                       uncertainty=self.uncertainty)  # fmt: skip
        seconds = time.perf_counter() - start
        self._set_status("status_drawing", total=total)
        n = len(next(iter(options.values())).book.customers) if f is not None else (
            next(iter(options.values())).book.n_customers)  # fmt: skip
        company_shown = (None if f is None else f.name, n)
        source = None if f is None else (f.name, n, f.managers_named)
        settings = {"structures": tuple(structures), "allocation": allocation,
                    "incentives": incentives, "crm_adoption": float(crm_adoption),
                    "team_size": int(team_size), "replications": int(replications),
                    "months": int(months), **company}  # fmt: skip
        return DashboardResult(outcome, settings, company_shown, self.seed, seconds,
                               source=source)  # fmt: skip

    def _render(self, result: DashboardResult, out: W.Output) -> None:
        from IPython.display import HTML, Image, display

        rec, kpis, diffs = _sections(result)
        display(HTML(rec + kpis + diffs))
        self.progress.value = self.progress.max - 1
        display(HTML(f"<h3>{html.escape(_t('chart'))}</h3>"))
        display(Image(data=_chart_png(result), format="png"))
        self.progress.value = self.progress.max

    def redraw(self) -> None:
        """Draw the result again in the current language, and rebuild its report."""
        super().redraw()
        if self.result is not None and self._status[0] != "status_stale":
            self._build_report()

    def _build_report(self) -> None:
        """Build the downloadable report beside the page, then offer its links (unless the
        inputs changed or another run started meanwhile)."""
        result, lang = self.result, self.lang or resolve_language(None)
        self._generation += 1
        generation = self._generation
        with language(lang):
            self.download.value = (f"<span class='crmsim-report-status'>"
                                   f"{html.escape(_t('report_preparing'))}</span>")  # fmt: skip
        job: Future = Future()
        self._report_job = job
        start = time.perf_counter()

        def build() -> None:
            try:
                files = _report_files(result, lang)
            except Exception as exc:  # noqa: BLE001 - shown to the manager
                job.set_exception(exc)
                if generation == self._generation:
                    with language(lang):
                        self.download.value = _error_html(_t("report_failed", error=exc))
                return
            if generation == self._generation:  # still the result on screen: offer it
                with language(lang):
                    ready = _t("report_ready", seconds=time.perf_counter() - start)
                    self.download.value = (
                        f"<span class='crmsim-report-status'>{html.escape(ready)}</span> "
                        + _download_links(files[0], files[1], lang)
                    )
            job.set_result(files)

        threading.Thread(target=build, name="crmsim-report", daemon=True).start()

    # ---------------------------------------------------------------- labels and state
    def _relabel(self) -> None:
        lang = self.lang
        self._quiet = True
        try:
            with language(lang):
                self.title.value = f"<h2>{html.escape(_t('title'))}</h2>"
                self.intro.value = f"<p>{html.escape(_t('intro'))}</p>"
                self.hint.value = f"<small>{html.escape(_t('structures_hint'))}</small>"
                self.company_heading.value = f"<h4>{html.escape(_t('company_heading'))}</h4>"
                self.language.description = _t("language")
                c = self.controls
                for name, values in (("structures", STRUCTURES), ("allocation", RULES),
                                     ("incentives", SCHEMES)):  # fmt: skip
                    value = c[name].value
                    c[name].options = [(label(k), k) for k in values]
                    c[name].value = value
                both = lang == "both"
                for name, control in c.items():
                    control.description = _t(name)
                    # two languages make long labels and options: wider, never cut
                    control.style.description_width = "initial" if both else "160px"
                    width = 380 if name in self.fields else 460
                    control.layout.width = f"{width + (220 if both else 0)}px"
                self.upload.description = _t("upload")
                self.clear_file.description = _t("clear_file")
                self.scenario_upload.description = _t("upload_scenario")
                self.clear_scenario.description = _t("clear_scenario")
                self.run_button.description = _t("run")
        finally:
            self._quiet = False

    def _team_from_file(self) -> None:
        """The team slider follows the file's own team, and is locked while it is used."""
        f = self.customer_file
        self.fields["team_size"].text.disabled = self.controls["team_size"].disabled = bool(
            f is not None and f.assignments is not None)  # fmt: skip

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
                text += " " + (_t("file_own_team", k=f.managers_named) if f.managers_named
                               else _t("file_dealt"))  # fmt: skip
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

    def _show_scenario_info(self) -> None:
        with language(self.lang):
            parts = []
            if self._scenario_error:
                parts.append(_error_html(self._scenario_error))
            if self.scenario is None:
                parts.append(f"<p>{html.escape(_t('no_scenario'))}</p>")
            else:
                text = _t("scenario_read", name=self.scenario.name, file=self._scenario_file)
                parts.append(f"<p class='crmsim-scenario'>{html.escape(text)}</p>")
            self.scenario_info.value = "".join(parts)

    def _set_status(self, key: str, **values: Any) -> None:
        self._status = (key, values)
        self._show_status()

    def _show_status(self) -> None:
        key, values = self._status
        text = html.escape(_t(key, self.lang, **values))
        self.status.value = f"<span class='crmsim-status'>{text}</span>"

    def _withdraw_result(self) -> None:
        """Grey the result out and take its downloads away: they belong to other inputs."""
        self._generation += 1
        self._report_job = None
        self.download.value = ""
        if self.result is not None:
            self.output.add_class("crmsim-stale")

    def _mark_stale(self) -> None:
        if self.result is not None and not self._quiet:
            self._withdraw_result()
            self._set_status("status_stale")

    def _on_change(self, change: dict) -> None:
        self._mark_stale()

    def _on_upload(self, change: dict) -> None:
        if self._quiet or not change["new"]:
            return
        item = change["new"][-1]
        self.load_file(str(item["name"]), bytes(item["content"]))

    def _on_scenario_upload(self, change: dict) -> None:
        if self._quiet or not change["new"]:
            return
        item = change["new"][-1]
        self.load_scenario(str(item["name"]), bytes(item["content"]))

    def _on_language(self, change: dict) -> None:
        self.lang = resolve_language(change["new"])
        for field in self.fields.values():  # a refusal in the old language goes with it
            field.error.value = ""
        self._relabel()
        self._show_file_info()
        self._show_scenario_info()
        self._show_status()
        if self.result is not None:
            self.redraw()


def _get(scenario: Scenario, path: str) -> Any:
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


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
    ``team_size`` (account managers), ``replications``, ``months`` and the company profile
    (``business_lines``, ``need_complexity``, ``expertise_share``, ``confidential_share``).
    Nothing is simulated until *Run* is pressed (``app.run()``); a control changed after a run
    greys the result out and withdraws its downloads. With the defaults, the four structures on
    the classroom company take 20 runs of 12 months (about a second).

    Parameters
    ----------
    replications, months, team_size, crm_adoption, structures
        Starting values of the controls.
    seed : int
        Seed of the replications: the same settings and seed give the same result.
    workers : int, optional
        Processes running the simulations: 1 (default) runs them in the kernel itself; more, or
        None (one per core), keeps a pool of worker processes started once and reused by every
        run (:func:`crmsim.widgets.dashboard.results.warm_pool`). Results are identical.
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
