"""A lesson presents as slides: the reveal.js deck is one self-contained file that opens in
Chromium with the network cut off, and the printable handout is the student edition.

The deck is built here from the committed Chinese edition of lesson 02 with
``notebooks/present.py`` (nbconvert, reveal.js inlined from notebooks/vendor), then opened with
Playwright in Debian's ``/usr/bin/chromium`` (never a downloaded browser) while every request
that is not the file itself is refused and recorded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))
import present  # noqa: E402

LESSON = ROOT / "notebooks" / "zh" / "02_abc_and_pareto.ipynb"
CHROMIUM = Path(os.environ.get("CRMSIM_CHROMIUM", "/usr/bin/chromium"))
# the launch flags the dashboard's browser test uses on this kind of machine
from test_dashboard_browser import CHROMIUM_ARGS  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("present")
    return {"deck": present.deck(LESSON, out), "handout": present.handout(LESSON, out)}


def test_the_deck_is_one_file_with_nothing_to_fetch(built):
    html = built["deck"].read_text(encoding="utf-8")
    assert present.external_references(html) == []
    assert "unpkg.com" not in html and "cdnjs" not in html and "require.js" not in html
    assert "Reveal.initialize" in html and "RevealNotes" in html
    assert '@font-face { font-family: "crmsim CJK"' in html, "the deck carries its CJK font"
    assert "VBox(children" not in html, "widgets are replaced by a note, not printed as text"


def test_the_guard_sees_a_cdn_reference():
    page = ('<script src="https://unpkg.com/reveal.js@4.0.2/dist/reveal.js"></script>'
            '<link rel="stylesheet" href="//cdn.example/x.css"><img src="data:image/png;base64,">')
    assert present.external_references(page) == [
        "https://unpkg.com/reveal.js@4.0.2/dist/reveal.js", "//cdn.example/x.css"]


def test_the_handout_is_the_student_edition_and_prints_alone(built):
    html = built["handout"].read_text(encoding="utf-8")
    assert present.external_references(html) == []
    assert "<script" not in html
    assert "教师备注" not in html, "instructor's notes are not in the student handout"
    assert "data:image/png;base64," in html, "charts are inside the page"
    assert "@page" in html and "@media print" in html
    deck = built["deck"].read_text(encoding="utf-8")
    assert deck.count('<aside class="notes">') == 3, "one speaker note per discussion question"


def test_the_deck_opens_offline_in_chromium(built, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: Debian's 'chromium' package is not installed")
    from playwright.sync_api import Error, sync_playwright

    refused: list[str] = []

    def only_the_file(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                         timeout=60_000)
        except Error as exc:
            pytest.skip(f"Chromium at {CHROMIUM} cannot start: {str(exc).splitlines()[0]}")
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", only_the_file)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(built["deck"].as_uri(), wait_until="load", timeout=60_000)
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60_000)
            total = page.evaluate("() => Reveal.getTotalSlides()")
            first = page.evaluate("() => Reveal.getCurrentSlide().innerText")
            page.evaluate("() => Reveal.next()")
            second = page.evaluate("() => Reveal.getIndices()")
            page.evaluate("() => document.fonts.ready")
            font = page.evaluate("() => document.fonts.check('20px \"crmsim CJK\"', '客户')")
            page.screenshot(path=str(tmp_path / "first.png"))
        finally:
            browser.close()
    assert refused == [], f"the deck asked the network for {refused}"
    assert errors == []
    assert total >= 10, f"only {total} slides"
    assert "第02课" in first
    assert second["h"] == 1 or second["v"] == 1
    assert font, "the deck's own CJK font draws the Chinese text"
