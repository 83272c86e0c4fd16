"""A report page printed to PDF by a headless Chromium, on A4 or Letter paper.

The page's print stylesheet (:mod:`crmsim.report.page`) makes every table wrap within the
paper's width; this module only asks a browser already on the machine to print it, exactly as a
manager's own "Print → Save as PDF" would. No browser is downloaded: the one used is
``$CRMSIM_CHROMIUM`` or the first of ``chromium``, ``chromium-browser``, ``google-chrome`` and
``google-chrome-stable`` on the ``PATH``; without one the error says how to get one.

Examples
--------
>>> paper_size("letter")
'Letter'
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from crmsim.errors import CrmsimError, ParameterError
from crmsim.io.writing import atomic_write

__all__ = ["PAPERS", "find_chromium", "paper_size", "write_pdf"]

#: Paper sizes a report prints on: option value → CSS page size.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "Letter"}

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def paper_size(paper: str) -> str:
    """The CSS page size of *paper* (``"a4"`` or ``"letter"``, any case)."""
    key = str(paper).strip().lower()
    if key not in PAPERS:
        raise ParameterError(f"option --paper: expected one of {', '.join(PAPERS)}; got {paper!r}")
    return PAPERS[key]


def find_chromium() -> Path | None:
    """The Chromium (or Chrome) to print with, or None when the machine has none."""
    named = os.environ.get("CRMSIM_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def write_pdf(
    html_path: str | Path,
    pdf_path: str | Path | None = None,
    *,
    paper: str = "a4",
    timeout: float = 180.0,
) -> Path:
    """Print the page *html_path* to *pdf_path* (default: ``report.pdf`` beside it).

    Parameters
    ----------
    html_path : path of a self-contained page written by :meth:`Report.write`
    pdf_path : path of the PDF to write
    paper : {"a4", "letter"}
    timeout : float
        Seconds the browser may take.

    Returns
    -------
    Path
        The PDF written.

    Raises
    ------
    crmsim.errors.CrmsimError
        No Chromium on the machine, or it failed to print (its last message is quoted).
    """
    html_path = Path(html_path)
    size = paper_size(paper)
    out = Path(pdf_path) if pdf_path is not None else html_path.with_name("report.pdf")
    browser = find_chromium()
    if browser is None:
        raise CrmsimError(
            "option --pdf needs Chromium or Chrome to print the page: install it (Debian/Ubuntu: "
            "apt-get install chromium) or name it with CRMSIM_CHROMIUM=/path/to/chromium; the "
            f"HTML report is written: {html_path}"
        )
    page = html_path.read_text(encoding="utf-8")
    # the paper size for this print only: the page itself keeps the reader's own paper
    page = page.replace("<style>", f"<style>@page {{ size: {size}; }}\n", 1)
    with tempfile.TemporaryDirectory(prefix="crmsim-pdf-") as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(page, encoding="utf-8")
        target = Path(tmp) / "page.pdf"
        command = [
            str(browser), "--headless", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-extensions", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri(),
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with a sandbox
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            message = f"{browser} did not print the report within {timeout:.0f} s"
            raise CrmsimError(message) from None
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            last = (done.stderr or done.stdout or "").strip().splitlines()[-1:] or ["no message"]
            raise CrmsimError(f"{browser} could not print the report to PDF: {last[0]}")
        out.parent.mkdir(parents=True, exist_ok=True)
        # the temporary folder may sit on another file system: copied beside *out*, then
        # renamed in one step, so a reader never sees half a PDF
        with atomic_write(out) as stream:
            stream.write(target.read_bytes())
    return out
