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
        page.goto(voila_url, wait_until="domcontentloaded")
        app = page.locator(".crmsim-dashboard")
        run = page.get_by_role("button", name="Run the comparison")
        status = page.locator(".crmsim-status")
        run.wait_for()
        expect(status).to_have_text("Choose the settings and press Run.")

        # two structures, then Run: the result appears, for those two only
        app.locator("select[multiple]").select_option(
            label=["Extended roles", "Dedicated department"]
        )
        run.click()
        expect(status).to_contain_text("Done: 10 simulations")
        bar = app.locator(".widget-hprogress .progress-bar")
        expect(bar).to_have_attribute("style", re.compile(r"width:\s*100%"))  # all runs done
        kpis = page.locator(".crmsim-kpis")
        first = kpis.inner_text()
        headline = page.locator(".crmsim-headline").inner_text()
        assert "Extended roles" in first and "Dedicated department" in first
        assert "Dedicated post" not in first
        assert headline.startswith(("Recommended:", "No option is clearly best"))

        # another incentive scheme: the result is marked stale, then changes when run
        app.locator("select:not([multiple])").nth(1).select_option(
            label="Deferred pay on satisfaction"
        )
        expect(status).to_contain_text("The settings changed since the last run")
        run.click()
        expect(status).to_contain_text("Done: 10 simulations")
        second = kpis.inner_text()
        assert second != first

        # the manager's own customers: a GBK file with Chinese headers
        upload = tmp_path / "客户名单.csv"
        upload.write_bytes(GBK_FILE.encode("gbk"))
        with page.expect_file_chooser() as chooser:  # the widget's file input is not in the page
            page.get_by_role("button", name=re.compile("Upload customer file")).click()
        chooser.value.set_files(str(upload))
        expect(page.locator(".crmsim-file")).to_contain_text("6 customers")
        expect(status).to_contain_text("The settings changed since the last run")
        run.click()
        expect(status).to_contain_text("Done: 10 simulations")
        assert kpis.inner_text() != second

        # in Chinese, without simulating again
        page.get_by_role("button", name="中文", exact=True).click()
        page.get_by_role("button", name="运行比较").wait_for()
        expect(page.locator(".crmsim-headline")).to_contain_text(re.compile("建议|没有明显最优"))
        headline = page.locator(".crmsim-headline").inner_text()
        expect(kpis).to_contain_text("净贡献")

        # the report, downloaded as the manager would
        link = page.locator("a.crmsim-download").first
        expect(link).to_contain_text("下载报告")  # the report of this result, in Chinese
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == "crmsim-report.html"
        report = html.unescape(Path(download.value.path()).read_text(encoding="utf-8"))
        assert headline in report  # the report of the result on screen, in Chinese

        shot = tmp_path / "dashboard.png"
        page.set_viewport_size({"width": 1280, "height": 2600})  # Voilà scrolls inside the page
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        artifacts = os.environ.get("CRMSIM_ARTIFACTS")
        if artifacts:
            Path(artifacts).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(artifacts) / "dashboard.png")
    finally:
        context.close()
    assert all(urlparse(u).hostname != "127.0.0.1" for u in aborted)
    seconds = time.monotonic() - start
    print(f"dashboard browser test: {seconds:.1f} s in the browser; screenshot "
          f"{tmp_path / 'dashboard.png'}; aborted requests to other hosts: {aborted}")  # fmt: skip
