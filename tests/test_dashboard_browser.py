"""End to end: the manager's dashboard served by Voilà, used in a real headless Chromium.

The test starts ``voila notebooks/dashboard.ipynb`` on 127.0.0.1 (a free port, no token, its own
Jupyter folders), drives Debian's ``/usr/bin/chromium`` with Playwright for Python (never a
downloaded browser; every request to a host other than 127.0.0.1 is aborted), and does what a
manager would: choose two structures, run, change the incentive scheme, run again, upload a GBK
customer file with Chinese headers, run on it, switch to Chinese and download the report. It
saves a screenshot to pytest's ``tmp_path`` and, when ``CRMSIM_ARTIFACTS`` names a folder, there
too. Voilà and every kernel it started are stopped by the fixture, also when the test fails.

Skipped, with the reason, only when no Chromium is installed or it cannot start (``.ci/run``
installs Debian's ``chromium`` package when it can).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from messy_exports import CHINESE_CUSTOMERS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = Path("notebooks") / "dashboard.ipynb"
CHROMIUM = Path(os.environ.get("CRMSIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]
WAIT_MS = 60_000  # the longest any single step may take

GBK_FILE = CHINESE_CUSTOMERS


# --------------------------------------------------------------------------- the browser


def _fontconfig(folder: Path) -> Path:
    """A fontconfig file adding the CJK font crmsim ships (noto-cjk-sans-otc), so the
    screenshot shows Chinese even on a machine without Chinese system fonts."""
    from crmsim.plots._fonts import font_file

    (folder / "cache").mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{font_file().parent}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: Debian's 'chromium' package is not installed (.ci/run "
            "installs it with apt-get when it runs as root or with sudo)"
        )
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail("Playwright for Python is missing: pip install -e '.[test]'", pytrace=False)
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(tmp_path_factory.mktemp("fonts")))}
    pw = sync_playwright().start()
    try:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                      env=env, timeout=WAIT_MS)  # fmt: skip
    except Error as exc:
        pw.stop()
        pytest.skip(f"Chromium at {CHROMIUM} cannot start: {str(exc).splitlines()[0]}")
    yield instance
    instance.close()
    pw.stop()


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("HEAD", "/voila/static/")
        conn.getresponse()
        conn.close()
        return True
    except OSError:
        return False


def _stop(proc: subprocess.Popen, timeout: float = 15.0) -> list[int]:
    """Stop Voilà and every process it started (kernels run in their own sessions); return the
    ids of any that are still alive afterwards (none, normally)."""
    import psutil

    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # Voilà shuts its kernels down on SIGTERM
    _, alive = psutil.wait_procs(family, timeout=timeout)
    for p in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    _, alive = psutil.wait_procs(alive, timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # anything left in Voilà's own process group
    proc.wait(timeout=5)
    return [p.pid for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.fixture
def voila_url(tmp_path, browser):
    port = _free_port()
    jupyter = tmp_path / "jupyter"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "IPYTHONDIR": str(jupyter / "ipython"),
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "voila.log").open("w", encoding="utf-8")
    command = [sys.executable, "-m", "voila", str(NOTEBOOK), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--token="]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if proc.poll() is not None:
                pytest.fail(f"voila exited with {proc.returncode}:\n"
                            f"{(tmp_path / 'voila.log').read_text()[-3000:]}")  # fmt: skip
            if time.monotonic() > deadline:
                pytest.fail("voila did not answer within 60 s")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        survivors = _stop(proc)
        log.close()
        assert not survivors, f"processes left running after the test: {survivors}"


# --------------------------------------------------------------------------- the test


def test_a_manager_uses_the_dashboard_in_a_browser(browser, voila_url, tmp_path):
    from playwright.sync_api import expect

    wait = {"timeout": WAIT_MS}  # every wait explicit: expect() ignores set_default_timeout
    start = time.monotonic()
    context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True, locale="en-US")  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    aborted: list[str] = []

    def only_local(route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    try:
        page.goto(voila_url, wait_until="domcontentloaded", timeout=WAIT_MS)
        app = page.locator(".crmsim-dashboard")
        run = page.get_by_role("button", name="Run the comparison")
        status = page.locator(".crmsim-status")
        result = page.locator(".crmsim-result")
        links = page.locator("a.crmsim-download")
        run.wait_for(**wait)
        expect(status).to_have_text("Choose the settings and press Run.", **wait)

        # two structures, then Run: the result appears, for those two only
        app.locator("select[multiple]").select_option(
            label=["Extended roles", "Dedicated department"], **wait
        )
        run.click(**wait)
        expect(status).to_contain_text("Done: 10 simulations, result in", **wait)
        bar = app.locator(".widget-hprogress .progress-bar")
        expect(bar).to_have_attribute("style", re.compile(r"width:\s*100%"), **wait)
        kpis = page.locator(".crmsim-kpis")
        first = kpis.inner_text(**wait)
        headline = page.locator(".crmsim-headline").inner_text(**wait)
        assert "Extended roles" in first and "Dedicated department" in first
        assert "Dedicated post" not in first
        assert headline.startswith(("Recommended:", "No option is clearly best"))
        expect(links).to_have_count(2, **wait)  # the report, built after the result

        # a typed CRM adoption of "60" is 60%, not 100%; the result greys out, its links go
        adoption = app.locator(".crmsim-typed input").first
        adoption.fill("60", **wait)
        adoption.press("Enter", **wait)
        expect(adoption).to_have_value("60%", **wait)
        expect(status).to_contain_text("The settings changed since the last run", **wait)
        expect(result).to_have_class(re.compile("crmsim-stale"), **wait)
        expect(links).to_have_count(0, **wait)
        adoption.fill("sixty", **wait)
        adoption.press("Enter", **wait)
        expect(app.locator(".crmsim-input-error").first).to_contain_text('"sixty" is not a share',
                                                                    **wait)  # fmt: skip
        expect(adoption).to_have_value("60%", **wait)

        # another incentive scheme, then Run: the result changes
        app.locator("select:not([multiple])").nth(1).select_option(
            label="Deferred pay on satisfaction", **wait
        )
        run.click(**wait)
        expect(status).to_contain_text("Done: 10 simulations", **wait)
        expect(result).not_to_have_class(re.compile("crmsim-stale"), **wait)
        second = kpis.inner_text(**wait)
        assert second != first

        # the manager's own customers: a GBK file with Chinese headers and its own managers
        upload = tmp_path / "客户名单.csv"
        upload.write_bytes(GBK_FILE.encode("gbk"))
        with page.expect_file_chooser(**wait) as chooser:  # the widget's input is not shown
            page.get_by_role("button", name=re.compile("Upload customer file")).click(**wait)
        chooser.value.set_files(str(upload), **wait)
        expect(page.locator(".crmsim-file")).to_contain_text("6 customers", **wait)
        expect(page.locator(".crmsim-file")).to_contain_text("3 account managers is kept", **wait)
        expect(status).to_contain_text("The settings changed since the last run", **wait)
        expect(result).to_have_class(re.compile("crmsim-stale"), **wait)
        expect(links).to_have_count(0, **wait)
        run.click(**wait)
        expect(status).to_contain_text("Done: 10 simulations", **wait)
        assert kpis.inner_text(**wait) != second

        # in Chinese, without simulating again
        page.get_by_role("button", name="中文", exact=True).click(**wait)
        page.get_by_role("button", name="运行比较").wait_for(**wait)
        expect(page.locator(".crmsim-headline")).to_contain_text(re.compile("建议|没有明显最优"),
                                                                 **wait)  # fmt: skip
        headline = page.locator(".crmsim-headline").inner_text(**wait)
        expect(kpis).to_contain_text("净贡献", **wait)

        # the report, downloaded as the manager would: of this result, in Chinese, the file named
        expect(links.first).to_contain_text("下载报告", **wait)
        with page.expect_download(**wait) as download:
            links.first.click(**wait)
        assert download.value.suggested_filename == "crmsim-report.html"
        report = html.unescape(Path(download.value.path()).read_text(encoding="utf-8"))
        assert headline in report  # the report of the result on screen, in Chinese
        assert "客户名单.csv（6 个客户，文件中的 3 位客户经理）" in report

        shot = tmp_path / "dashboard.png"
        page.set_viewport_size({"width": 1280, "height": 3000})  # Voilà scrolls inside the page
        page.screenshot(path=str(shot), full_page=True, **wait)
        assert shot.stat().st_size > 10_000

        # both languages at once: every label whole, no message repeated
        page.get_by_role("button", name="English + 中文", exact=True).click(**wait)
        expect(page.get_by_role("button", name=re.compile("Run the comparison"))).to_be_visible(
            **wait)  # fmt: skip
        expect(status).to_contain_text("完成", **wait)
        expect(page.locator(".crmsim-report-status")).to_contain_text("Report ready", **wait)
        expect(result.locator("img")).to_be_visible(**wait)  # the chart, redrawn
        width = page.evaluate("() => document.documentElement.clientWidth")
        wide = page.evaluate("""(width) => [...document.querySelectorAll(
                '.crmsim-dashboard select, .crmsim-dashboard input')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().right > width + 1)
            .map(e => e.outerHTML.slice(0, 80))""", width)
        assert wide == [], f"controls beyond the page in English + 中文: {wide}"
        cut = page.evaluate("""() => [...document.querySelectorAll(
                '.crmsim-dashboard .widget-label, .crmsim-dashboard button')]
            .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.innerText)""")
        assert cut == [], f"labels cut in English + 中文: {cut}"
        errors = page.locator(".crmsim-error:visible").all_inner_texts()
        assert len(errors) == len(set(errors)) <= 1, errors  # the refused "sixty", once
        both = tmp_path / "dashboard-both.png"
        page.screenshot(path=str(both), full_page=True, **wait)
        artifacts = os.environ.get("CRMSIM_ARTIFACTS")
        if artifacts:
            Path(artifacts).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(artifacts) / "dashboard.png")
            shutil.copy(both, Path(artifacts) / "dashboard-both.png")
    finally:
        context.close()
    assert all(urlparse(u).hostname != "127.0.0.1" for u in aborted)
    seconds = time.monotonic() - start
    print(f"dashboard browser test: {seconds:.1f} s in the browser; screenshots "
          f"{tmp_path / 'dashboard.png'}, {tmp_path / 'dashboard-both.png'}; aborted requests "
          f"to other hosts: {aborted}")  # fmt: skip


# --------------------------------------------------------------------------- the report on paper

#: Paper (Playwright's name), its width and the page's margins in millimetres (report/page.py).
PAPERS = {"A4": 210.0, "Letter": 215.9}
MARGIN_MM = 12.0


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The manager's report of four options (a wide first table), in English and Chinese."""
    from crmsim.report.manager import write_report
    from crmsim.sim import Scenario
    from crmsim.sim.whatif import build_options, run_whatif
    from crmsim.terms import STRUCTURES

    options = build_options(vary={"structure": list(STRUCTURES)},
                            base=Scenario.synthetic(80, 4, months=4))  # fmt: skip
    whatif = run_whatif(options, replications=2, seed=1, workers=1)
    root = tmp_path_factory.mktemp("print")
    return {lang: write_report(whatif, root / lang, lang=lang) for lang in ("en", "zh")}


def _pdf_text_runs(path: Path) -> list[tuple[int, float, float, str]]:
    """Every text run of the PDF: (page, x where it starts, page width, text)."""
    from pypdf import PdfReader

    runs = []
    for number, page in enumerate(PdfReader(path).pages):
        width = float(page.mediabox.width)

        def visit(text, cm, tm, _font, _size, number=number, width=width):
            if text.strip():
                runs.append((number, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], width, text))

        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_prints_every_table_within_the_page(browser, reports, tmp_path, lang, paper):
    from playwright.sync_api import expect

    page_html = reports[lang].read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.set_content(page_html, wait_until="load", timeout=WAIT_MS)
        expect(page.locator("table").first).to_be_attached(timeout=WAIT_MS)
        # laid out as on paper: print styles, the width between the margins
        printable = (PAPERS[paper] - 2 * MARGIN_MM) / 25.4 * 96
        page.emulate_media(media="print")
        page.set_viewport_size({"width": int(printable), "height": 1000})
        widths = page.evaluate("""() => [...document.querySelectorAll('table')].map(t => {
            const box = t.getBoundingClientRect();
            return [t.querySelector('caption')?.innerText || '', box.left, box.right,
                    t.scrollWidth, t.clientWidth]; })""")
        assert len(widths) >= 6
        for caption, left, right, scroll, client in widths:
            assert left >= -0.5 and right <= printable + 0.5, (caption, left, right, printable)
            assert scroll <= client + 1, (caption, scroll, client)
        # and the PDF Chromium prints: no text beyond the paper, every table's last column there
        pdf = tmp_path / f"report-{lang}-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        runs = _pdf_text_runs(pdf)
        assert runs and all(x < width - 20 for _, x, width, _ in runs), "text beyond the page"
        printed = re.sub(r"\s+", "", "".join(text for *_, text in runs))
        heads = page.evaluate("""() => [...document.querySelectorAll('table')].map(t => {
            const cells = t.querySelectorAll('thead th');
            return cells[cells.length - 1].innerText; })""")
        for head in heads:
            assert re.sub(r"\s+", "", head) in printed, head
    finally:
        context.close()
    artifacts = os.environ.get("CRMSIM_ARTIFACTS")
    if artifacts:
        Path(artifacts).mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, Path(artifacts) / pdf.name)
