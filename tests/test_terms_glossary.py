"""One term per idea: the lessons, the glossary and the catalogs use the same words.

The glossary (``crmsim.terms.glossary()``, shown in lesson 00) is the reference. The tests read
every lesson of both editions against it:

- an English lesson that gives a glossary term with Chinese in brackets ("dedicated department
  (增设独立部门)") gives the glossary's Chinese;
- where an English lesson uses a glossary term, its Chinese edition uses the glossary's Chinese;
- the variants below, which drifted into lessons or catalogs before, appear nowhere.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from crmsim.terms import catalog, glossary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))
import editions  # noqa: E402

#: Glossary Chinese -> variants for the same idea that must not be used (checked by hand: each
#: variant was found in a lesson or a catalog, or is the usual mistranslation).
VARIANTS: dict[str, tuple[str, ...]] = {
    "共同随机数": ("公共随机数", "相同随机数"),
    "增设独立部门": ("专门部门",),
    "客户保持率": ("客户保留率", "初始客户保留率"),
    "业务尖子": ("明星销售", "明星销售员"),
    "CRM采用程度": ("CRM采用率", "CRM使用率"),
    "客户流失": ("客户丢失",),
    "客户经理制": ("客户经理制度",),
    "退化期": ("衰退期",),
    "考察期": ("探索期",),
    "金字塔理论": ("客户金字塔理论",),
}
_WORDS = re.compile(r"([A-Za-z][A-Za-z0-9/'’\- ]*?)\s*\(([^()]*[\u4e00-\u9fff][^()]*)\)")


#: Glossary English terms that are also everyday phrases, so an English lesson may use them in
#: their everyday sense ("hunting new business" is not the new-business specialty).
EVERYDAY = {"new business"}


def _glossary() -> dict[str, set[str]]:
    """English (lower case) -> its Chinese terms, for every glossary row (one English word can
    name two ideas: continuity is 持续性 for a relationship and 连续性 for credit)."""
    out: dict[str, set[str]] = {}
    for _, _, en, zh in glossary():
        out.setdefault(en.lower(), set()).add(zh)
    return out


def _text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells)


PAIRS = [(p, editions.edition_path(p, "zh")) for p in editions.lesson_paths()]


def test_the_glossary_has_the_lessons_concepts():
    terms = _glossary()
    for en in ("common random numbers", "star salesperson", "three elements of crm",
               "crm adoption", "lorenz curve", "dedicated department", "bad debt"):
        assert en in terms, f"{en!r} is missing from the glossary"


def test_every_variant_differs_from_every_glossary_term():
    """Guard: a variant is never itself a glossary term (the list would then forbid it)."""
    chinese = set().union(*_glossary().values())
    assert not {v for vs in VARIANTS.values() for v in vs} & chinese
    assert set(VARIANTS) <= chinese


@pytest.mark.parametrize("en_path,zh_path", PAIRS, ids=[p.name for p, _ in PAIRS])
def test_bracketed_chinese_in_an_english_lesson_is_the_glossary_term(en_path, zh_path):
    terms = _glossary()
    wrong = []
    for phrase, chinese in _WORDS.findall(_text(en_path)):
        words = phrase.lower().split()
        for n in range(min(5, len(words)), 0, -1):
            tail = " ".join(words[-n:])
            if tail in terms:
                if not any(term in chinese for term in terms[tail]):
                    wrong.append(f"{tail} ({chinese}): the glossary says {sorted(terms[tail])}")
                break
    assert not wrong, wrong


@pytest.mark.parametrize("en_path,zh_path", PAIRS, ids=[p.name for p, _ in PAIRS])
def test_the_chinese_edition_uses_the_glossary_terms_of_the_english_one(en_path, zh_path):
    """Where the English lesson names a glossary concept of two or more words, its Chinese
    edition names it with the glossary's Chinese."""
    english, chinese = _text(en_path).lower(), _text(zh_path)
    missing = sorted(
        f"{en} -> {sorted(zh)}"
        for en, zh in _glossary().items()
        if len(en.split()) >= 2 and en not in EVERYDAY
        and re.search(rf"\b{re.escape(en)}\b", english)
        and not any(term in chinese for term in zh)
    )
    assert not missing, missing


@pytest.mark.parametrize("path", [p for pair in PAIRS for p in pair],
                         ids=[f"{p.parent.name}/{p.name}" for pair in PAIRS for p in pair])
def test_no_lesson_uses_a_variant(path):
    text = _text(path)
    found = [f"{v} (use {term})" for term, vs in VARIANTS.items() for v in vs if v in text]
    assert not found, found


def test_no_catalog_uses_a_variant():
    found = []
    for lang in catalog.catalog_languages():
        for key, (_, text) in catalog.read_catalog(catalog.catalog_file(lang)).items():
            found += [f"{lang} {key}: {v}" for vs in VARIANTS.values() for v in vs if v in text]
    assert not found, found[:10]


def test_the_check_sees_a_wrong_bracket():
    """Guard the guard: the bracket pattern finds the term and its Chinese."""
    assert _WORDS.findall("in a dedicated department (专门部门) the firm") == [
        ("in a dedicated department", "专门部门")]
