"""The translation catalogs: every word a user reads, kept as data in gettext files.

- ``locale/crmsim.pot`` is the template: one message per key, the key as ``msgctxt`` and the
  English text as ``msgid`` (English is the source language).
- ``locale/<locale>/LC_MESSAGES/crmsim.po`` holds one language: the same ``msgctxt`` and
  ``msgid``, and the translation as ``msgstr``. ``zh_Hans`` is Simplified Chinese (language code
  ``"zh"``); any other folder there is a language too, under its folder name, so adding one
  (``zh_Hant`` for Traditional Chinese, say) needs no code.

Translators work on these files with their usual tools (Poedit, Weblate, Babel's ``pybabel
update -i crmsim/terms/locale/crmsim.pot -d crmsim/terms/locale -D crmsim``). A new label is one
message added to the template and to every catalog; ``tests/test_terms_catalog.py`` checks that
every key has every language, that placeholders such as ``{count}`` agree, and that no message is
unused.

The catalogs are read (with Babel) the first time a label is needed, so importing crmsim stays
light. :data:`TERMS` is the read-only view ``key -> (English, 中文)`` that older code indexes.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator, Mapping
from pathlib import Path

#: Folder of the template and the catalogs.
LOCALE_DIR: Path = Path(__file__).with_name("locale")
#: The gettext domain (file name) of the catalogs.
DOMAIN = "crmsim"
#: Language code -> locale folder, where the two differ.
_FOLDER_OF: dict[str, str] = {"zh": "zh_Hans"}


def catalog_languages() -> tuple[str, ...]:
    """Codes of the translated languages whose catalog is installed (``"zh"`` first)."""
    folders = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    codes = {v: k for k, v in _FOLDER_OF.items()}
    found = [codes.get(f, f) for f in folders]
    return tuple(sorted(found, key=lambda c: (c != "zh", c)))


def catalog_file(lang: str) -> Path:
    """The ``.po`` file of language *lang* (``"zh"`` -> ``locale/zh_Hans/...``)."""
    return LOCALE_DIR / _FOLDER_OF.get(lang, lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


#: Languages :func:`label` speaks: English, every catalog, and ``"both"`` (English (中文)).
LANGUAGES: tuple[str, ...] = ("en", *catalog_languages(), "both")


def read_catalog(path: Path) -> dict[str, tuple[str, str]]:
    """``key -> (msgid, msgstr)`` of one gettext file (keys are the messages' ``msgctxt``).

    Fuzzy messages (a source text changed since the translation was made) are left out, so their
    English shows until a translator confirms them.
    """
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, charset="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for message in catalog:
        if not message.id or message.context is None:
            continue
        if message.fuzzy:
            continue
        out[message.context] = (str(message.id), str(message.string or ""))
    return out


@functools.cache
def english() -> dict[str, str]:
    """Key -> English text, from the template."""
    return {key: en for key, (en, _) in read_catalog(LOCALE_DIR / f"{DOMAIN}.pot").items()}


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """Key -> text in *lang* (a catalog language), for the messages translated there."""
    source = english()
    table = read_catalog(catalog_file(lang))
    # a message whose English changed since it was translated is not used until re-translated
    return {key: text for key, (en, text) in table.items() if text and source.get(key) == en}


class _Terms(Mapping):
    """Read-only ``key -> (English, 中文)`` view of the catalogs, read on first use."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        en = english()[key]
        return en, translations("zh").get(key, en)

    def __iter__(self) -> Iterator[str]:
        return iter(english())

    def __len__(self) -> int:
        return len(english())

    def __contains__(self, key: object) -> bool:
        return key in english()


#: Key -> (English, 中文). Plain identifiers name things; dotted keys are UI text.
TERMS: Mapping[str, tuple[str, str]] = _Terms()

# --------------------------------------------------------------------------- language

_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("crmsim_language", default="en")


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        names = ", ".join(repr(code) for code in LANGUAGES)
        raise ValueError(f"parameter 'lang' must be one of {names}; got {lang!r}")
    return lang


def set_language(lang: str) -> None:
    """Set the language of every label the kit produces: ``"en"``, ``"zh"`` or ``"both"``.

    >>> set_language("zh"); label("stability")
    '稳定期'
    >>> set_language("en"); label("stability")
    'Stability'
    """
    _LANGUAGE.set(_check_language(lang))


def get_language() -> str:
    """The current language (``"en"`` unless :func:`set_language` said otherwise)."""
    return _LANGUAGE.get()


def resolve_language(lang: str | None) -> str:
    """*lang* if given (checked), else the current language."""
    return get_language() if lang is None else _check_language(lang)


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Use *lang* inside a ``with`` block only.

    >>> with language("both"):
    ...     label("decline")
    'Decline (退化期)'
    """
    token = _LANGUAGE.set(_check_language(lang))
    try:
        yield lang
    finally:
        _LANGUAGE.reset(token)


def is_chinese(lang: str | None) -> bool:
    """Whether *lang* (default: the current language) is written in Chinese: ``"zh"``
    (Simplified) or a Chinese catalog such as ``"zh_Hant"`` (Traditional), for the few things a
    chart writes differently in Chinese (full-width punctuation, 万/亿 units).

    >>> is_chinese("zh"), is_chinese("zh_Hant"), is_chinese("both")
    (True, True, False)
    """
    lang = resolve_language(lang)
    return lang == "zh" or lang.startswith("zh_")


def label(key: str, lang: str | None = None) -> str:
    """The label of *key* in *lang* (default: the current language).

    Unknown keys are returned unchanged, so callers can label free-form values safely; a key a
    catalog has not translated yet shows in English.

    >>> label("exploration", "both")
    'Exploration (考察期)'
    >>> label("extended_roles", "zh")
    '扩大工作范围'
    """
    lang = resolve_language(lang)
    source = english()
    if key not in source:
        return key
    en = source[key]
    if lang == "en":
        return en
    if lang == "both":
        return f"{en} ({translations('zh').get(key, en)})"
    return translations(lang).get(key, en)


def labels(keys: list[str] | tuple[str, ...], lang: str | None = None) -> list[str]:
    """:func:`label` of each key."""
    lang = resolve_language(lang)
    return [label(k, lang) for k in keys]
