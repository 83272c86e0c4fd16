"""The kit's vocabulary: the identifiers the code uses for stages, grades, the six Cs, structures,
allocation rules, channels, steps and the rest, in their canonical order, with the Chinese column
headers users' exports carry.

The words people read for these identifiers (English, 中文, 繁體中文) are data, in the
translation catalogs beside this module (``locale/``); :func:`canonical` turns a name a user typed
in any of those languages back into the identifier.

This module imports nothing from the rest of crmsim but the catalog.
"""

from __future__ import annotations

from crmsim.terms.catalog import TERMS

# --------------------------------------------------------------------------- vocabularies

#: Lifecycle stages (domain.md §2), in the order a relationship usually passes through them.
STAGES: tuple[str, ...] = ("exploration", "formation", "stability", "decline")
#: Stages plus the end state of a relationship that was not recovered.
STATES: tuple[str, ...] = (*STAGES, "lost")
#: Credit grades, best first (domain.md §3).
GRADES: tuple[str, ...] = ("A", "B", "C", "D")
#: The six credit attributes in the textbook's order (domain.md §3).
SIX_C: tuple[str, ...] = (
    "character",
    "capacity",
    "capital",
    "collateral",
    "condition",
    "continuity",
)
#: ABC classes (domain.md §4).
ABC_CLASSES: tuple[str, ...] = ("A", "B", "C")
#: Pyramid tiers, most valuable first (domain.md §4).
PYRAMID_TIERS: tuple[str, ...] = ("platinum", "gold", "iron", "lead")
#: Account-manager structures (domain.md §7).
STRUCTURES: tuple[str, ...] = (
    "extended_roles",
    "dedicated_post",
    "dedicated_department",
    "department_with_operations",
)
#: Customer-allocation rules (domain.md §7), plus the simple least-loaded baseline.
RULES: tuple[str, ...] = (
    "by_seniority",
    "by_relationship",
    "by_specialty",
    "by_industry",
    "least_loaded",
)
#: Account-manager tiers (vertical certification: senior / regular / junior).
TIERS: tuple[str, ...] = ("senior", "regular", "junior")
#: Account-manager specialties (horizontal certification).
SPECIALTIES: tuple[str, ...] = (
    "key_accounts",
    "new_business",
    "credit_collections",
    "product_solutions",
)
#: Industry / ownership groups used by the by-industry allocation rule.
INDUSTRY_GROUPS: tuple[str, ...] = ("commercial", "industrial", "private", "group")
#: Customer types of the bundled office-supplies company.
CUSTOMER_TYPES: tuple[str, ...] = (
    "retail_store",
    "enterprise",
    "school_government",
    "small_business",
    "hospital",
)
#: Customer types whose needs call for product solutions (complex needs).
SOLUTION_TYPES: tuple[str, ...] = ("enterprise", "school_government", "hospital")
#: Prospecting channels (domain.md §5).
CHANNELS: tuple[str, ...] = ("referral", "market_research", "telemarketing", "lead_platform")
#: The nine customer-development steps, in order (domain.md §5).
STEPS: tuple[str, ...] = (
    "find",
    "contact",
    "prepare",
    "approach",
    "needs",
    "presentation",
    "objections",
    "agreement",
    "after_sales",
)
#: Pay schemes (domain.md §8).
SCHEMES: tuple[str, ...] = ("commission", "deferred")

#: Vocabulary name → its identifiers, for :func:`canonical` and the glossary.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "stage": STATES,
    "grade": GRADES,
    "six_c": SIX_C,
    "abc_class": ABC_CLASSES,
    "tier": PYRAMID_TIERS,
    "structure": STRUCTURES,
    "rule": RULES,
    "manager_tier": TIERS,
    "specialty": SPECIALTIES,
    "industry": INDUSTRY_GROUPS,
    "customer_type": CUSTOMER_TYPES,
    "channel": CHANNELS,
    "step": STEPS,
    "scheme": SCHEMES,
}

#: Chinese (and common English) column headers → the kit's column names.
COLUMN_ALIASES: dict[str, str] = {
    "客户编号": "customer_id",
    "客户ID": "customer_id",
    "客户代码": "customer_id",
    "客户名称": "name",
    "客户类型": "customer_type",
    "行业": "industry_group",
    "所有制": "industry_group",
    "地区": "region",
    "区域": "region",
    "获客渠道": "channel",
    "客户经理": "manager_id",
    "客户经理编号": "manager_id",
    "首次购买日期": "first_purchase",
    "年度采购潜力": "annual_wallet",
    "钱包份额": "annual_wallet",
    "日期": "date",
    "交易日期": "date",
    "订单号": "order_id",
    "订单编号": "order_id",
    "产品类别": "category",
    "销售额": "amount",
    "金额": "amount",
    "毛利": "gross_profit",
    "毛利润": "gross_profit",
    "利润": "gross_profit",
    "当前价值": "current_value",
    "增值潜力": "growth_potential",
    "潜在价值": "potential_value",
    "品德": "character",
    "能力": "capacity",
    "资本": "capital",
    "抵押": "collateral",
    "抵押物品": "collateral",
    "经济状况": "condition",
    "连续性": "continuity",
    "平均逾期天数": "avg_days_late",
}


def canonical(vocabulary: str, name: str) -> str:
    """The identifier a user meant by *name*: the identifier itself, its English label or its
    Chinese term (case and surrounding space ignored for English).

    Raises ``ValueError`` naming the vocabulary and the accepted names when nothing matches.

    >>> canonical("structure", "扩大工作范围")
    'extended_roles'
    >>> canonical("rule", "By specialty")
    'by_specialty'
    """
    if vocabulary not in VOCABULARIES:
        raise ValueError(
            f"unknown vocabulary {vocabulary!r}; expected one of {sorted(VOCABULARIES)}"
        )
    ids = VOCABULARIES[vocabulary]
    text = str(name).strip()
    if text in ids:
        return text
    folded = text.casefold()
    for key in ids:
        en, zh = TERMS.get(key, (key, key))
        if folded in (key.casefold(), en.casefold()) or text == zh:
            return key
    accepted = ", ".join(f"{k} ({TERMS[k][1]})" if k in TERMS else k for k in ids)
    raise ValueError(f"unknown {vocabulary} {name!r}; expected one of: {accepted}")


def glossary() -> list[tuple[str, str, str, str]]:
    """Every vocabulary term as ``(vocabulary, identifier, English, 中文)`` rows, in canonical
    order, then the concepts that belong to no vocabulary (the methods, the traits of a
    relationship...) as ``("concept", key, English, 中文)`` — the lessons' bilingual glossary."""
    rows = []
    for vocab, ids in VOCABULARIES.items():
        for key in ids:
            en, zh = TERMS.get(f"grade.{key}" if vocab == "grade" else key, (key, key))
            rows.append((vocab, key, en, zh))
    listed = {key for _, key, _, _ in rows}
    rows += [
        ("concept", key, en, zh)
        for key, (en, zh) in TERMS.items()
        if "." not in key and key not in listed
    ]
    return rows
