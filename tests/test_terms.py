"""The shared vocabulary and the translation table."""

import pytest

from crmsim import terms


def test_every_vocabulary_word_has_both_labels():
    for vocab, key, en, zh in terms.glossary():
        assert en and zh, (vocab, key)
        assert en != key or vocab in {"abc_class"}, (vocab, key)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), (vocab, key, zh)


def test_chinese_terms_are_unique_within_a_vocabulary():
    for vocab, ids in terms.VOCABULARIES.items():
        zh = [row[3] for row in terms.glossary() if row[0] == vocab]
        assert len(set(zh)) == len(ids), vocab


@pytest.mark.parametrize(
    ("vocab", "name", "expected"),
    [
        ("structure", "扩大工作范围", "extended_roles"),
        ("structure", "  Dedicated Post ", "dedicated_post"),
        ("structure", "dedicated_department", "dedicated_department"),
        ("rule", "专业特长分配法", "by_specialty"),
        ("stage", "考察期", "exploration"),
        ("scheme", "按满意度延期支付", "deferred"),
    ],
)
def test_canonical_accepts_identifier_english_or_chinese(vocab, name, expected):
    assert terms.canonical(vocab, name) == expected


def test_canonical_names_the_accepted_words():
    with pytest.raises(ValueError, match=r"unknown structure 'matrix'.*扩大工作范围"):
        terms.canonical("structure", "matrix")
    with pytest.raises(ValueError, match="unknown vocabulary"):
        terms.canonical("colour", "red")


def test_language_setting_and_block():
    assert terms.get_language() == "en"
    with terms.language("zh"):
        assert terms.label("gold") == "黄金客户"
        assert terms.label("gold", "en") == "III Gold"
    assert terms.label("gold") == "III Gold"
    try:
        terms.set_language("both")
        assert terms.label("lost") == "Lost (客户流失)"
    finally:
        terms.set_language("en")
    with pytest.raises(ValueError, match="'lang'"):
        terms.set_language("fr")


def test_unknown_keys_pass_through():
    assert terms.label("north", "zh") == "north"
