"""The Traditional Chinese catalog (zh_Hant): OpenCC's conversion of the Simplified one, with the
domain terms checked by hand, and a language the charts and widgets speak."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import crmsim  # noqa: E402
from crmsim.terms import catalog, traditional  # noqa: E402

opencc = pytest.importorskip("opencc")


def test_the_committed_catalog_is_the_conversion_of_the_simplified_one():
    """Rebuild it (python -m crmsim.terms.traditional) whenever zh_Hans changes."""
    expected = traditional.convert_po(traditional.source_file().read_text(encoding="utf-8"))
    assert traditional.target_file().read_text(encoding="utf-8") == expected


def test_it_is_a_language_of_the_kit():
    assert "zh_Hant" in catalog.catalog_languages()
    assert "zh_Hant" in crmsim.terms.LANGUAGES


# The examples and every term of the textbook, as a Traditional-Chinese textbook writes
# them. The expected spellings are typed here, not computed, so a change in OpenCC shows.
CHECKED = {
    "account_manager_system": "客戶經理制",
    "lifecycle_method": "客戶關係生命週期",
    "abc_method": "ABC分類法",
    "pyramid_method": "金字塔理論",
    "credit_method": "6C分析",
    "relationship_map_method": "客戶關係圖",
    "development_process": "客戶開發流程",
    "allocation_method": "客戶分配機制",
    "crm": "客戶關係管理",
    "exploration": "考察期",
    "formation": "形成期",
    "stability": "穩定期",
    "decline": "退化期",
    "lost": "客戶流失",
    "platinum": "鉑金客戶",
    "iron": "鐵質客戶",
    "lead": "鉛質客戶",
    "extended_roles": "擴大工作範圍",
    "dedicated_post": "增設獨立崗位",
    "dedicated_department": "增設獨立部門",
    "department_with_operations": "部門下設獨立操作部門",
    "by_industry": "行業特點及所有制分配法",
    "referral": "客戶引薦法",
    "contact": "聯繫客戶",
    "needs": "瞭解需求",
    "common_random_numbers": "共同隨機數",
    "star_salesperson": "業務尖子",
    "crm_elements": "客戶關係管理三要素",
    "implementation_steps": "CRM實施步驟",
    "crm_adoption": "CRM採用程度",
    "bad_debt": "壞帳",
    "continuity": "連續性",
    "continuity_trait": "持續性",
}


@pytest.mark.parametrize("key,expected", CHECKED.items())
def test_domain_terms_read_as_a_traditional_textbook_writes_them(key, expected):
    assert crmsim.label(key, "zh_Hant") == expected


def test_every_checked_domain_term_is_applied():
    convert = traditional.to_traditional
    for simplified, checked in traditional.DOMAIN_TERMS.items():
        assert convert(simplified) == checked, simplified
    # where OpenCC's own phrase differs, the checked term wins (and the list says why)
    assert opencc.OpenCC(traditional.OPENCC_CONFIG).convert("联系客户") != "聯繫客戶"
    assert convert("请联系客户经理") == "請聯繫客戶經理"


def test_placeholders_and_english_are_untouched():
    english = catalog.english()
    zh_hant = catalog.translations("zh_Hant")
    assert set(zh_hant) == set(catalog.translations("zh"))
    for key in ("chart.unit.cny", "lifecycle_app.title"):
        assert english[key] == crmsim.label(key, "en")
    assert "{name}" in zh_hant["chart.unit.cny"]


def test_a_chart_and_a_widget_in_traditional_chinese():
    from test_plots_zh import render

    from crmsim import datasets
    from crmsim.plots._labels import compact_number
    from crmsim.widgets import lifecycle_explorer

    tx = datasets.load_transactions()
    value = crmsim.customer_value(tx, as_of="2024-12-31")
    ax = crmsim.plot_pareto(crmsim.abc_classify(value, value="current_value"), lang="zh_Hant")
    render(ax)  # every glyph drawn (a missing one fails)
    texts = " ".join(t.get_text() for t in ax.figure.findobj(matplotlib.text.Text))
    assert "累計" in texts or "客戶" in texts
    assert compact_number(1_250_000, "zh_Hant") == "125萬"
    app = lifecycle_explorer(lang="zh_Hant")
    assert app.controls["start_stage"].description == crmsim.label("lifecycle_app.start_stage",
                                                                   "zh_Hant")
    assert "考察期" in [o[0] for o in app.controls["start_stage"].options]
