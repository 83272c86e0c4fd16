"""The one translation table: English kit names and the Chinese terms users know them by.

Every Chinese label in crmsim comes from here, never from strings scattered through the code.

- :data:`TERMS` maps a kit identifier (stage, tier, class, structure, channel...) to
  ``(English label, Chinese label)``.
- :data:`COLUMN_ALIASES` maps common Chinese (and a few English) column headers found in users'
  exports to the kit's column names; :func:`crmsim.read_table` applies it on request.
"""

from __future__ import annotations

TERMS: dict[str, tuple[str, str]] = {
    # the methods themselves
    "abc_method": ("ABC classification", "ABC分类法"),
    "pareto_method": ("Pareto analysis", "帕累托分析"),
    "pyramid_method": ("Customer pyramid", "金字塔理论"),
    "credit_method": ("6C credit analysis", "6C分析"),
    "relationship_map_method": ("Customer relationship map", "客户关系图"),
    "lifecycle_method": ("Customer relationship lifecycle", "客户关系生命周期"),
    "segmentation_method": ("Customer segmentation", "客户细分"),
    "development_process": ("Customer development process", "客户开发流程"),
    "account_manager_system": ("Account-manager system", "客户经理制"),
    "allocation_method": ("Customer allocation", "客户分配机制"),
    # lifecycle stages (domain.md §2)
    "exploration": ("Exploration", "考察期"),
    "formation": ("Formation", "形成期"),
    "stability": ("Stability", "稳定期"),
    "decline": ("Decline", "退化期"),
    "lost": ("Lost", "客户流失"),
    # customer value (domain.md §1)
    "historical_value": ("Historical value", "历史价值"),
    "current_value": ("Current value", "当前价值"),
    "potential_value": ("Potential value", "潜在价值"),
    "growth_potential": ("Growth potential", "增值潜力"),
    # pyramid tiers (domain.md §4)
    "platinum": ("IV Platinum", "铂金客户"),
    "gold": ("III Gold", "黄金客户"),
    "iron": ("II Iron", "铁质客户"),
    "lead": ("I Lead", "铅质客户"),
    # ABC classes
    "A": ("A (main)", "A类（主要）"),
    "B": ("B (secondary)", "B类（次要）"),
    "C": ("C (general)", "C类（一般）"),
    # 6C credit (domain.md §3)
    "character": ("Character", "品德"),
    "capacity": ("Capacity", "能力"),
    "capital": ("Capital", "资本"),
    "collateral": ("Collateral", "抵押物品"),
    "condition": ("Condition", "经济状况"),
    "continuity": ("Continuity", "连续性"),
    # prospecting channels (domain.md §5)
    "referral": ("Referral", "客户引荐法"),
    "market_research": ("Market research", "市场咨询法"),
    "telemarketing": ("Telemarketing", "电话营销法"),
    "lead_platform": ("Lead platform", "平台获取法"),
    # development funnel steps (domain.md §5)
    "find": ("Find customers", "探索客户"),
    "contact": ("Contact", "联系客户"),
    "prepare": ("Sales preparation", "推销准备"),
    "approach": ("Approach", "接近客户"),
    "needs": ("Understand needs", "了解需求"),
    "presentation": ("Sales presentation", "销售陈述"),
    "objections": ("Overcome objections", "克服异议"),
    "agreement": ("Reach agreement", "达成协议"),
    "after_sales": ("After-sales maintenance", "后期维护"),
    # account-manager structures (domain.md §7)
    "extended_roles": ("Extended roles", "扩大工作范围"),
    "dedicated_post": ("Dedicated post", "增设独立岗位"),
    "dedicated_department": ("Dedicated department", "增设独立部门"),
    "department_with_operations": ("Department with operations units", "部门下设独立操作部门"),
    # allocation rules
    "by_seniority": ("By seniority", "素质分配法"),
    "by_relationship": ("By relationship owner", "社会关系分配法"),
    "by_specialty": ("By specialty", "专业特长分配法"),
    "by_industry": ("By industry/ownership", "行业特点及所有制分配法"),
    "least_loaded": ("Least loaded", "最少负荷"),
    # industry / ownership groups
    "commercial": ("Commercial", "商业"),
    "industrial": ("Industrial", "工业"),
    "private": ("Private", "私营"),
    "group": ("Group", "集团"),
    # relationship map
    "external": ("External customer", "外部客户"),
    "internal": ("Internal customer", "内部客户"),
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


def label(key: str, lang: str = "en") -> str:
    """Return the English (``lang="en"``), Chinese (``"zh"``) or combined (``"both"``) label.

    Unknown keys are returned unchanged, so callers can label free-form values safely.

    >>> label("exploration", "both")
    'Exploration (考察期)'
    """
    if key not in TERMS:
        return key
    en, zh = TERMS[key]
    if lang == "en":
        return en
    if lang == "zh":
        return zh
    if lang == "both":
        return f"{en} ({zh})"
    raise ValueError(f"parameter 'lang' must be 'en', 'zh' or 'both'; got {lang!r}")
