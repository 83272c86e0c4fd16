"""The CJK font a page carries with it: Noto Sans CJK SC (OFL), cut down to the page's Chinese
characters, so a report shows and prints Chinese on a machine without a Chinese font.

Cutting the whole font down to a page's few dozen characters takes about half a second; to the
thousands of characters of the Chinese catalog, a few seconds. A process that writes many pages
(a dashboard) cuts the catalog's font once ahead (:func:`warm_fonts`, e.g. while it waits for its
first Run) and each page is then cut from that small font; a process that writes one page (the
command line) cuts it from the whole font. Both give the same bytes.
"""

from __future__ import annotations

import base64
import functools
import io
import threading

from crmsim.plots._fonts import CJK_FAMILY, font_file, has_cjk

__all__ = ["cjk_font_face", "warm_fonts"]


def cjk_font_face(text: str) -> str:
    """A CSS ``@font-face`` holding the project's CJK font (Noto Sans CJK SC, OFL), cut down
    to the Chinese characters of *text*, so the page shows Chinese on a machine without a CJK
    font (and prints the same everywhere); empty when *text* has none. It is first in the
    page's font list but holds only those characters: Latin text keeps the system font.

    Once :func:`warm_fonts` has cut the font down to the characters of the Chinese catalog
    (:func:`_catalog_font`), a page whose characters are all there is cut from that small font
    (a fraction of a second); any other page, or any page before that, from the whole font
    (about half a second; waiting for the catalog's font would take seconds)."""
    chars = sorted(ch for ch in set(text) if has_cjk(ch))  # a page's charts make it long
    if not chars:
        return ""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    known, data = _catalog_font() if _cut_catalog_font.cache_info().currsize else (
        frozenset(), b"")  # fmt: skip
    font = TTFont(io.BytesIO(data), recalcTimestamp=False) if data and set(chars) <= known else (
        _full_font())  # fmt: skip
    if font is None:  # pragma: no cover - a font package without the SC face
        return ""
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        '@font-face { font-family: "crmsim CJK"; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}\n'
    )


def _subset_options():
    from fontTools import subset

    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    return options


def _full_font():
    """The collection's Simplified Chinese face, whole (None if the package lacks it)."""
    from fontTools.ttLib import TTFont

    path = str(font_file())
    for number in range(16):
        candidate = TTFont(path, fontNumber=number, lazy=True)
        if candidate["name"].getDebugName(1) == CJK_FAMILY:
            return TTFont(path, fontNumber=number, recalcTimestamp=False)
    return None  # pragma: no cover


def warm_fonts() -> None:
    """Cut the CJK font down to the catalog's characters now (a few seconds, once per
    process), e.g. in the background while a dashboard waits for its first Run; a call while
    another thread cuts it waits for that one."""
    _catalog_font()


_CUTTING = threading.Lock()


def _catalog_font() -> tuple[frozenset[str], bytes]:
    """The CJK characters of the Chinese catalog, and the font cut down to them (once)."""
    with _CUTTING:
        return _cut_catalog_font()


@functools.lru_cache(maxsize=1)
def _cut_catalog_font() -> tuple[frozenset[str], bytes]:
    from fontTools import subset

    from crmsim.terms.catalog import translations

    chars = frozenset(ch for text in translations("zh").values() for ch in text if has_cjk(ch))
    font = _full_font()
    if font is None:  # pragma: no cover
        return frozenset(), b""
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return chars, buffer.getvalue()
