"""The CJK font that lets charts speak Chinese on a machine with no font installed by the user.

The font is Noto Sans CJK (Source Han Sans, 思源黑体, under Google's name; SIL Open Font
License 1.1), shipped as a file by the PyPI package ``noto-cjk-sans-otc``, a dependency of
crmsim. Nothing happens at
``import crmsim``: the first chart drawn in Chinese (``lang="zh"`` or ``"both"``) calls
:func:`use_cjk_font`, which registers the font with matplotlib and adds it to
``rcParams["font.family"]`` *after* the families already there. Matplotlib falls back glyph by
glyph through that list, so Latin text keeps DejaVu Sans (or whatever the user chose) and only
the characters DejaVu Sans lacks come from the CJK font.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import logging
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Text

__all__ = ["CJK_FAMILY", "FONT_PACKAGE", "font_file", "font_licence", "has_cjk", "use_cjk_font"]

#: Family name matplotlib knows the registered font by (the Simplified Chinese face of the
#: collection, so Chinese text gets the mainland glyph forms).
CJK_FAMILY = "Noto Sans CJK SC"
#: The PyPI distribution that ships the font file.
FONT_PACKAGE = "noto-cjk-sans-otc"
_FONT_MODULE = "noto_cjk_sans_otc"
_FONT_FILE = "NotoSansCJK-Regular.ttc"


def font_file() -> Path:
    """Path of the bundled CJK font file (an OpenType collection holding the SC face).

    Raises
    ------
    ImportError
        When the font package is missing, naming the package to install.
    """
    try:
        ref = importlib.resources.files(_FONT_MODULE).joinpath(_FONT_FILE)
    except ModuleNotFoundError as exc:
        raise ImportError(
            f"Chinese chart labels need the font package {FONT_PACKAGE!r}, a dependency of "
            f"crmsim; install it with: pip install {FONT_PACKAGE}"
        ) from exc
    path = Path(str(ref))
    if not path.is_file():
        raise ImportError(
            f"the font package {FONT_PACKAGE!r} is installed but has no file {_FONT_FILE!r}; "
            f"reinstall it with: pip install --force-reinstall {FONT_PACKAGE}"
        )
    return path


def font_licence() -> str:
    """The licence of the font package as its metadata declares it (``"OFL-1.1"``)."""
    meta = importlib.metadata.metadata(FONT_PACKAGE)
    return meta.get("License-Expression") or meta.get("License") or ""


def has_cjk(text: str) -> bool:
    """Whether *text* holds a character DejaVu Sans cannot draw: CJK ideographs, kana, hangul
    or full-width punctuation (U+2E80 and above, short of the private-use area)."""
    return any("\u2e80" <= ch <= "\ud7ff" or "\uff00" <= ch <= "\uffef" for ch in text)


class _RegularOnly(logging.Filter):
    """Drops matplotlib's notice that the CJK font has no bold face: the package ships the
    regular weight only, so bold Chinese text is drawn regular, as expected."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Failed to find font weight" in message and CJK_FAMILY in message)


_FILTER = _RegularOnly()


def _registered() -> bool:
    return any(entry.name == CJK_FAMILY for entry in font_manager.fontManager.ttflist)


def use_cjk_font(figure: Figure | SubFigure | None = None) -> str:
    """Make matplotlib draw Chinese: register the bundled font once and add it as the last
    fallback of ``rcParams["font.family"]``.

    The font has a regular weight only; bold Chinese text is drawn regular, and matplotlib's
    log notice about the missing bold face is filtered out.

    Texts created from then on find the CJK glyphs. Texts that already exist keep the font
    family they were made with, so pass the *figure* whose texts should be updated too (its
    title, axis labels, tick labels and legends made before the first call).

    Parameters
    ----------
    figure : Figure, optional
        A figure whose existing texts get the fallback as well.

    Returns
    -------
    str
        The family name of the CJK font, :data:`CJK_FAMILY`.

    Examples
    --------
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    """
    if not _registered():
        font_manager.fontManager.addfont(str(font_file()))
    logger = logging.getLogger(font_manager.__name__)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    families = list(mpl.rcParams["font.family"])
    if CJK_FAMILY not in families:
        mpl.rcParams["font.family"] = [*families, CJK_FAMILY]
    if figure is not None:
        for text in figure.findobj(Text):
            current = list(text.get_fontfamily())
            if CJK_FAMILY not in current:
                text.set_fontfamily([*current, CJK_FAMILY])
    return CJK_FAMILY
