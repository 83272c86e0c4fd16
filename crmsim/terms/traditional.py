"""The Traditional Chinese (繁體中文) catalog, converted from the Simplified one with OpenCC.

Users in Taiwan and Hong Kong read Traditional characters. Rather than translating a third time,
the catalog ``locale/zh_Hant/LC_MESSAGES/crmsim.po`` is the Simplified catalog converted by OpenCC
(a well-kept converter, ``pip install opencc``) with its ``s2twp`` configuration — Traditional
characters with Taiwan's usual words (資料, 預設, 檔案) — followed by the hand-checked domain
terms of :data:`DOMAIN_TERMS`, so the textbook's names come out as a Traditional-Chinese textbook
writes them.

After the Simplified catalog changes, rebuild this one (OpenCC is needed only then)::

    python -m crmsim.terms.traditional

``tests/test_terms_traditional.py`` checks that the committed catalog is exactly this conversion,
and every domain term's spelling. The catalog is then a language like any other: labels, charts,
widgets and reports take ``lang="zh_Hant"`` (or ``crmsim.set_language("zh_Hant")``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from crmsim.terms.catalog import DOMAIN, LOCALE_DIR

__all__ = ["DOMAIN_TERMS", "OPENCC_CONFIG", "TARGET", "to_traditional", "write_catalog"]

#: OpenCC configuration: Simplified to Traditional (Taiwan standard) with Taiwan phrases.
OPENCC_CONFIG = "s2twp"
#: Folder name (and language code) of the converted catalog.
TARGET = "zh_Hant"

#: The kit's domain terms (domain.md), Simplified -> Traditional, checked one by one. Most are
#: what OpenCC gives; where they differ (marked), the textbook's term wins over OpenCC's phrase.
DOMAIN_TERMS: dict[str, str] = {
    "客户关系管理": "客戶關係管理",
    "客户关系": "客戶關係",
    "客户关系生命周期": "客戶關係生命週期",
    "客户经理制": "客戶經理制",
    "客户经理": "客戶經理",
    "ABC分类法": "ABC分類法",
    "帕累托分析": "帕累托分析",
    "金字塔理论": "金字塔理論",
    "6C分析": "6C分析",
    "客户关系图": "客戶關係圖",
    "客户细分": "客戶細分",
    "客户开发流程": "客戶開發流程",
    "客户分配机制": "客戶分配機制",
    "持续性": "持續性",
    "相互依赖性": "相互依賴性",
    "价值性": "價值性",
    "排他性": "排他性",
    "历史价值": "歷史價值",
    "当前价值": "當前價值",
    "潜在价值": "潛在價值",
    "增值潜力": "增值潛力",
    "考察期": "考察期",
    "形成期": "形成期",
    "稳定期": "穩定期",
    "退化期": "退化期",
    "客户流失": "客戶流失",
    "铂金客户": "鉑金客戶",
    "黄金客户": "黃金客戶",
    "铁质客户": "鐵質客戶",
    "铅质客户": "鉛質客戶",
    "品德": "品德",
    "能力": "能力",
    "资本": "資本",
    "抵押物品": "抵押物品",
    "经济状况": "經濟狀況",
    "连续性": "連續性",
    "扩大工作范围": "擴大工作範圍",
    "增设独立岗位": "增設獨立崗位",
    "增设独立部门": "增設獨立部門",
    "部门下设独立操作部门": "部門下設獨立操作部門",
    "素质分配法": "素質分配法",
    "社会关系分配法": "社會關係分配法",
    "专业特长分配法": "專業特長分配法",
    "行业特点及所有制分配法": "行業特點及所有制分配法",
    "客户引荐法": "客戶引薦法",
    "市场咨询法": "市場諮詢法",
    "电话营销法": "電話營銷法",
    "平台获取法": "平臺獲取法",
    "探索客户": "探索客戶",
    "联系客户": "聯繫客戶",  # OpenCC: 聯絡客戶 (a Taiwan phrase); the step keeps its name
    "推销准备": "推銷準備",
    "接近客户": "接近客戶",
    "了解需求": "瞭解需求",
    "销售陈述": "銷售陳述",
    "克服异议": "克服異議",
    "达成协议": "達成協議",
    "后期维护": "後期維護",
    "签约即提成": "簽約即提成",
    "按满意度延期支付": "按滿意度延期支付",
    "共同随机数": "共同隨機數",
    "业务尖子": "業務尖子",
    "客户关系管理三要素": "客戶關係管理三要素",
    "定位": "定位",
    "架构": "架構",
    "CRM实施步骤": "CRM實施步驟",
    "CRM采用程度": "CRM採用程度",
    "洛伦兹曲线": "洛倫茲曲線",
    "基尼系数": "基尼係數",
    "二八法则": "二八法則",
    "绩效评价维度": "績效評價維度",
    "客户保持率": "客戶保持率",
    "坏账": "壞帳",  # OpenCC: 壞賬; Taiwan's accounting writes 壞帳
    "外部客户": "外部客戶",
    "内部客户": "內部客戶",
    "管理者看板": "管理者看板",
    "信用等级": "信用等級",
    "服务质量": "服務品質",  # OpenCC keeps 質量; quality of service is 服務品質 in Taiwan
}


@functools.cache
def _converter():
    try:
        import opencc
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise ImportError(
            "converting the catalog to Traditional Chinese needs OpenCC: pip install opencc"
        ) from exc
    return opencc.OpenCC(OPENCC_CONFIG)


@functools.cache
def _fixes() -> tuple[tuple[str, str], ...]:
    """(OpenCC's spelling, the checked spelling) of every domain term where the two differ,
    longest first."""
    convert = _converter().convert
    pairs = {convert(s): t for s, t in DOMAIN_TERMS.items() if convert(s) != t}
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


def to_traditional(text: str) -> str:
    """*text* (Simplified Chinese) in Traditional Chinese: OpenCC, then the domain terms.

    >>> to_traditional("客户关系生命周期与坏账")
    '客戶關係生命週期與壞帳'
    """
    out = _converter().convert(text)
    for opencc_form, checked in _fixes():
        out = out.replace(opencc_form, checked)
    return out


_STRING = re.compile(r'^(msgstr |)"(.*)"$')


def convert_po(text: str) -> str:
    """The Simplified catalog *text* as a Traditional one: translations converted, keys, English
    and placeholders untouched."""
    out, in_msgstr, header = [], False, True
    for line in text.splitlines():
        if line.startswith("msgstr "):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if header and line.startswith("#"):
            line = line.replace("Simplified Chinese (简体中文)", "Traditional Chinese (繁體中文)")
            if line.startswith("# Keys are"):
                out.append(line)
                out.append(f"# Converted from zh_Hans with OpenCC ({OPENCC_CONFIG}) and the "
                           "checked domain terms of crmsim/terms/traditional.py; do not edit.")
                continue
        elif line.startswith('"Language: '):
            line = f'"Language: {TARGET}\\n"'
        elif in_msgstr and _STRING.match(line):
            prefix, body = _STRING.match(line).groups()
            line = f'{prefix}"{_protect_placeholders(body)}"'
        if line.startswith("msgctxt"):
            header = False
        out.append(line)
    return "\n".join(out) + "\n"


def _protect_placeholders(body: str) -> str:
    """Convert the text between ``{placeholders}`` (their names stay as they are)."""
    parts = re.split(r"(\{[^{}]*\})", body)
    return "".join(p if p.startswith("{") and p.endswith("}") else to_traditional(p)
                   for p in parts)


def source_file() -> Path:
    return LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / f"{DOMAIN}.po"


def target_file() -> Path:
    return LOCALE_DIR / TARGET / "LC_MESSAGES" / f"{DOMAIN}.po"


def write_catalog() -> Path:
    """Rebuild the Traditional catalog from the Simplified one; return its path."""
    target = target_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(convert_po(source_file().read_text(encoding="utf-8")), encoding="utf-8")
    return target


if __name__ == "__main__":  # pragma: no cover
    print(write_catalog())
