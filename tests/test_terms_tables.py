"""crmsim.localize: headers and categories in the reader's language, numbers untouched."""

from __future__ import annotations

import pandas as pd

import crmsim
from crmsim.terms import label, localize


def test_headers_and_categories_are_relabelled_numbers_kept():
    t = pd.DataFrame({"stage": ["stability", "lost"], "count": [116, 76], "share": [0.6, 0.4]})
    zh = localize(t, "zh")
    assert list(zh.columns) == [label("col.stage", "zh"), label("col.count", "zh"),
                                label("col.share", "zh")]
    assert zh.iloc[:, 0].tolist() == ["稳定期", "客户流失"]
    assert zh.iloc[:, 1].tolist() == [116, 76] and zh.iloc[:, 2].tolist() == [0.6, 0.4]
    assert t["stage"].tolist() == ["stability", "lost"], "the table itself is not changed"


def test_unknown_texts_and_customer_ids_stay_as_they_are():
    t = pd.DataFrame({"customer_id": ["C0001"], "note": ["free text"]})
    assert localize(t, "zh").iloc[0].tolist() == ["C0001", "free text"]


def test_index_multiindex_and_series():
    t = pd.DataFrame({"count": [1, 2]}, index=pd.Index(["extended_roles", "dedicated_post"],
                                                        name="structure"))
    assert localize(t, "zh").index.tolist() == ["扩大工作范围", "增设独立岗位"]
    m = pd.Series([1, 2], index=pd.MultiIndex.from_tuples(
        [("exploration", "x"), ("formation", "y")], names=["stage", "other"]), name="count")
    out = localize(m, "zh")
    assert out.index.get_level_values(0).tolist() == ["考察期", "形成期"]
    assert out.name == label("col.count", "zh")


def test_follows_the_session_language():
    t = pd.DataFrame({"stage": ["decline"]})
    with crmsim.language("zh"):
        assert crmsim.localize(t).iloc[0, 0] == "退化期"
    assert crmsim.localize(t, "en").iloc[0, 0] == "Decline"


def test_one_letter_classes_and_grades_stay_as_they_are():
    """"A" is an ABC class in one table and a credit grade in another: not relabelled."""
    t = pd.DataFrame({"grade": ["A", "D"], "count": [102, 21]})
    assert localize(t, "zh").iloc[:, 0].tolist() == ["A", "D"]
