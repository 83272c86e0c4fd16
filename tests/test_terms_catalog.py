"""The translation catalogs (crmsim/terms/locale): complete, consistent and all in use."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from crmsim.terms import LANGUAGES, TERMS, VOCABULARIES, catalog, label

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = [lang for lang in LANGUAGES if lang not in ("en", "both")]


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_template_and_every_catalog_parse():
    english = catalog.english()
    assert len(english) > 800
    assert TRANSLATED and "zh" in TRANSLATED
    for lang in TRANSLATED:
        assert catalog.catalog_file(lang).is_file()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_key_has_every_language(lang):
    english = catalog.english()
    table = catalog.read_catalog(catalog.catalog_file(lang))
    missing = sorted(set(english) - set(table))
    extra = sorted(set(table) - set(english))
    untranslated = sorted(k for k, (_, text) in table.items() if not text.strip())
    stale = sorted(k for k, (en, _) in table.items() if k in english and english[k] != en)
    assert not missing, f"{lang}: keys of the template missing from the catalog: {missing[:10]}"
    assert not extra, f"{lang}: keys not in the template: {extra[:10]}"
    assert not untranslated, f"{lang}: messages without a translation: {untranslated[:10]}"
    assert not stale, f"{lang}: English changed since translated (msgid differs): {stale[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_agree_between_languages(lang):
    english = catalog.english()
    translated = catalog.translations(lang)
    wrong = {
        k: (_fields(english[k]), _fields(t))
        for k, t in translated.items()
        if _fields(english[k]) != _fields(t)
    }
    assert not wrong, f"{lang}: placeholders differ: {dict(list(wrong.items())[:5])}"


def test_a_language_is_a_folder_of_data(tmp_path):
    """Adding a catalog adds a language, with no code: copy the Chinese one under a new name."""
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(catalog.LOCALE_DIR, locale)
    shutil.copytree(locale / "zh_Hans", locale / "xx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog, "LOCALE_DIR", locale)
        assert "xx" in catalog.catalog_languages()
        catalog.translations.cache_clear()
        try:
            assert catalog.translations("xx")["stability"] == "稳定期"
        finally:
            catalog.translations.cache_clear()


def test_a_stale_translation_falls_back_to_english(tmp_path):
    """A message whose English changed since it was translated shows in English until a
    translator confirms it (gettext's 'fuzzy' idea)."""
    import shutil

    locale = tmp_path / "locale"
    shutil.copytree(catalog.LOCALE_DIR, locale)
    po = locale / "zh_Hans" / "LC_MESSAGES" / "crmsim.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Stability"', 'msgid "Stable"', 1), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog, "LOCALE_DIR", locale)
        catalog.translations.cache_clear()
        try:
            assert "stability" not in catalog.translations("zh")
            assert "formation" in catalog.translations("zh")
        finally:
            catalog.translations.cache_clear()
    assert label("stability", "zh") == "稳定期"


# ------------------------------------------------------------------ no message unused


def _strings_and_prefixes(source: str) -> tuple[set[str], set[str]]:
    """String constants of *source*, and the constant heads of f-strings and `"a." + x`."""
    consts, prefixes = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            consts.add(node.value)
        elif isinstance(node, ast.JoinedStr) and node.values:
            head = node.values[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                prefixes.add(head.value)
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
        ):
            prefixes.add(node.left.value)
    return consts, prefixes


def _code_sources():
    for path in sorted((ROOT / "crmsim").rglob("*.py")):
        yield path.read_text(encoding="utf-8")
    for path in sorted([*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")]):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                lines = "".join(cell["source"]).splitlines()
                yield "\n".join(x for x in lines if not x.lstrip().startswith(("%", "!")))


def test_no_message_is_unused():
    """Every key is asked for somewhere: literally, as a vocabulary identifier or glossary
    concept (keys without a dot), or under a dotted prefix the code completes (f"kpi.{name}")."""
    consts, prefixes = set(), set()
    for source in _code_sources():
        c, p = _strings_and_prefixes(source)
        consts |= c
        prefixes |= p
    vocabulary = {k for ids in VOCABULARIES.values() for k in ids}
    dotted_prefixes = tuple(
        p for p in prefixes if re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+[._]|[a-z_]+\.", p)
    )
    unused = [
        key
        for key in TERMS
        if "." in key
        and key not in consts
        and key not in vocabulary
        and not key.startswith(dotted_prefixes)
    ]
    assert not unused, f"catalog messages nothing asks for: {unused}"


def test_the_catalog_files_are_valid_po():
    """Every entry complete (a msgstr for every msgid): Babel would otherwise print a warning
    into every notebook that imports crmsim. A merge of two branches that both append to a
    catalog can lose a line."""
    from babel.messages.pofile import read_po

    for path in [catalog.catalog_file(lang) for lang in TRANSLATED] + [
        ROOT / "crmsim" / "terms" / "locale" / "crmsim.pot"
    ]:
        with open(path, "rb") as stream:
            read_po(stream, abort_invalid=True)


def test_every_scenario_parameter_and_unit_has_words_in_every_language():
    """A report's assumptions table names each parameter and its unit in the reader's words."""
    from crmsim.sim.scenario import Scenario
    from crmsim.terms.parameters import parameter_label

    described = Scenario().describe()
    for lang in TRANSLATED:
        unnamed = [p for p in described["parameter"] if parameter_label(p, lang) == p]
        units = sorted({u for u in described["unit"] if f"unit.param.{u}" not in TERMS})
        assert not unnamed, f"{lang}: parameters without a name: {unnamed}"
        assert not units, f"{lang}: units without words: {units}"
