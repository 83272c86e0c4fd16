"""The kit's shared vocabulary and its one translation table (English + 中文).

Everything a user reads — category names, chart titles and axes, widget labels, table headers,
report text, exercise feedback — is looked up here, so the English and Chinese words never
disagree and a newcomer knows where to change one.

- The **vocabularies** (:data:`STAGES`, :data:`GRADES`, :data:`SIX_C`, :data:`STRUCTURES`,
  :data:`RULES`, :data:`CHANNELS`, :data:`STEPS`, ...) are the identifiers the code uses, in their
  canonical order. ``crmsim.methods``, ``crmsim.sim`` and ``crmsim.datasets`` import them from here.
- :data:`TERMS` maps an identifier (or a dotted UI key such as ``"axis.revenue"``) to
  ``(English, 中文)``. :func:`label` looks a key up in the current language.
- The **language** is ``"en"``, ``"zh"`` or ``"both"`` (``"English (中文)"``), set for the whole
  session with :func:`set_language`, for a block with :func:`language`, or per call with
  ``lang=``.
- :func:`canonical` turns a name a user typed — the identifier, its English label or its Chinese
  term — into the identifier (``canonical("structure", "扩大工作范围") == "extended_roles"``).
- :data:`COLUMN_ALIASES` maps common Chinese (and a few English) column headers found in users'
  exports to the kit's column names; :func:`crmsim.read_table` applies it on request.

This module imports nothing from the rest of crmsim.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

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
#: Languages :func:`label` speaks.
LANGUAGES: tuple[str, ...] = ("en", "zh", "both")

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

# --------------------------------------------------------------------------- the table

#: Key → (English, 中文). Plain identifiers name things; dotted keys are UI text.
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
    "customer_relationship": ("Customer relationship", "客户关系"),
    "crm": ("Customer relationship management", "客户关系管理"),
    # relationship characteristics (domain.md §1)
    "continuity_trait": ("Continuity", "持续性"),
    "interdependence": ("Interdependence", "相互依赖性"),
    "value_trait": ("Value", "价值性"),
    "exclusivity": ("Exclusivity", "排他性"),
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
    # credit grades (the ABC keys above double for A-C; D only here)
    "grade.A": ("Grade A", "A级"),
    "grade.B": ("Grade B", "B级"),
    "grade.C": ("Grade C", "C级"),
    "grade.D": ("Grade D", "D级"),
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
    # manager tiers and specialties
    "senior": ("Senior", "高级客户经理"),
    "regular": ("Regular", "客户经理"),
    "junior": ("Junior", "初级客户经理"),
    "key_accounts": ("Key accounts", "大客户"),
    "new_business": ("New business", "新业务拓展"),
    "credit_collections": ("Credit and collections", "信用与回款"),
    "product_solutions": ("Product solutions", "产品方案"),
    # industry / ownership groups
    "commercial": ("Commercial", "商业"),
    "industrial": ("Industrial", "工业"),
    "private": ("Private", "私营"),
    "group": ("Group", "集团"),
    # customer types
    "retail_store": ("Retail store", "零售店"),
    "enterprise": ("Enterprise", "企业"),
    "school_government": ("School / government", "学校与政府机关"),
    "small_business": ("Small business", "小微企业"),
    "hospital": ("Hospital", "医院"),
    # pay schemes (domain.md §8)
    "commission": ("Commission at signing", "签约即提成"),
    "deferred": ("Deferred pay on satisfaction", "按满意度延期支付"),
    # relationship map
    "external": ("External customer", "外部客户"),
    "internal": ("Internal customer", "内部客户"),
}

# Section tables: each part of the kit keeps its UI text in its own table below (so a newcomer
# finds a chart's words next to the other charts' words); all are merged into TERMS, and a key
# defined in two tables is an error at import. Keys are dotted: "<area>.<name>".

#: chart titles, axis labels, legends (crmsim.plots, crmsim.sim.plots)
_CHART_TERMS: dict[str, tuple[str, str]] = {
}

#: widget labels and messages, lessons 00-02 (crmsim.widgets)
_WIDGET_TERMS_A: dict[str, tuple[str, str]] = {
}

#: widget labels and messages, lessons 03-05 (crmsim.widgets)
_WIDGET_TERMS_B: dict[str, tuple[str, str]] = {
    # pyramid_explorer (lesson 03)
    "pyramid_app.title": ("Customer pyramid: how the split rule moves customers",
                          "客户金字塔：划分规则如何移动客户"),
    "pyramid_app.split": ("Split rule", "划分规则"),
    "pyramid_app.split_median": ("Median", "中位数"),
    "pyramid_app.split_quantile": ("Quantile", "分位数"),
    "pyramid_app.split_threshold": ("Fixed threshold", "固定阈值"),
    "pyramid_app.quantile": ("Quantile", "分位数"),
    "pyramid_app.current_threshold": ("Current value >", "当前价值 >"),
    "pyramid_app.potential_threshold": ("Growth potential >", "增值潜力 >"),
    "pyramid_app.cuts": ("Cuts: current value > {current:,.0f} CNY, growth potential > "
                         "{potential:,.0f} CNY", "划分线：当前价值 > {current:,.0f} 元，"
                         "增值潜力 > {potential:,.0f} 元"),
    "pyramid_app.moved": ("{n} customers are in another tier than under the median split; "
                          "{pg} of them moved between platinum and gold.",
                          "与中位数划分相比，{n} 位客户换了层级，"
                          "其中 {pg} 位在铂金与黄金之间移动。"),
    "pyramid_app.none_moved": ("Same tiers as the median split: nobody moved.",
                               "与中位数划分完全相同：没有客户移动。"),
    "pyramid_app.moves": ("Tier under the median split (rows) → tier now (columns)",
                          "中位数划分下的层级（行）→ 现在的层级（列）"),
    "pyramid_app.who_moved": ("Who moved between platinum and gold", "在铂金与黄金之间移动的客户"),
    "pyramid_app.customer": ("Customer", "客户"),
    "pyramid_app.from": ("Median split", "中位数划分"),
    "pyramid_app.to": ("Now", "现在"),
    "pyramid_app.more": ("… and {n} more", "……另有 {n} 位"),
    # credit_explorer (lesson 04)
    "credit_app.title": ("6C credit: weights, grades and policy", "6C信用分析：权重、等级与政策"),
    "credit_app.weights": ("Weight of each C", "各项权重"),
    "credit_app.customer": ("Customer", "客户"),
    "credit_app.grades": ("Customers per grade (change against equal weights)",
                          "各等级客户数（与等权重相比的变化）"),
    "credit_app.grade": ("Grade", "等级"),
    "credit_app.count": ("Customers", "客户数"),
    "credit_app.change": ("Change", "变化"),
    "credit_app.policy": ("Policy", "销售政策"),
    "credit_app.this_customer": ("{id}: score {score:.2f}, grade {grade} — {policy}",
                                 "{id}：得分 {score:.2f}，等级 {grade} —— {policy}"),
    "credit_app.regraded": ("{n} customers change grade against equal weights.",
                            "与等权重相比，{n} 位客户的等级发生变化。"),
    # credit_policy_explorer (lesson 04)
    "credit_policy_app.title": ("Credit policy for grade D prospects: simulated bad debt and sales",
                                "D级潜在客户的信用政策：模拟坏账与销售"),
    "credit_policy_app.policy": ("Grade D prospects", "D级潜在客户"),
    "credit_policy_app.accept": ("Accept on credit (looser)", "照常赊销（宽松）"),
    "credit_policy_app.cash_only": ("Cash only", "仅限现款"),
    "credit_policy_app.decline": ("Decline (stricter)", "拒绝（严格）"),
    "credit_policy_app.acceptance": ("Accept cash terms", "接受现款条件的比例"),
    "credit_policy_app.kpi": ("Figure", "指标"),
    "credit_policy_app.mean": ("Mean", "均值"),
    "credit_policy_app.ci": ("95% interval", "95%置信区间"),
    "credit_policy_app.difference": ("vs accept on credit", "与照常赊销相比"),
    "credit_policy_app.revenue": ("Sales (CNY)", "销售额（元）"),
    "credit_policy_app.bad_debt": ("Bad debt (CNY)", "坏账（元）"),
    "credit_policy_app.new_customers": ("New customers", "新客户数"),
    "credit_policy_app.declined": ("Grade D prospects declined", "被拒绝的D级潜在客户"),
    "credit_policy_app.note": ("{reps} replications of the classroom company, {months} months; "
                               "intervals are t intervals over replications, differences paired "
                               "(common random numbers).",
                               "课堂公司 {reps} 次重复，{months} 个月；区间为重复间的t区间，"
                               "差值为配对差（共同随机数）。"),
    # relationship_map_builder (lesson 05)
    "rmap_app.title": ("Build your team's customer relationship map", "绘制本团队的客户关系图"),
    "rmap_app.step1": ("Step 1 · who are the team's customers?", "第一步 · 团队的客户是谁？"),
    "rmap_app.step2": ("Step 2 · what does each customer need from the team?",
                       "第二步 · 每位客户需要团队提供什么？"),
    "rmap_app.step3": ("Step 3 · keep what creates value for the organisation",
                       "第三步 · 保留能为组织创造价值的需求"),
    "rmap_app.step4": ("Step 4 · name each kept need as a result",
                       "第四步 · 把保留的需求命名为结果"),
    "rmap_app.customer_name": ("Customer", "客户"),
    "rmap_app.kind": ("Kind", "类型"),
    "rmap_app.add_customer": ("Add customer", "添加客户"),
    "rmap_app.need_customer": ("Customer", "客户"),
    "rmap_app.need_item": ("Needs", "需要"),
    "rmap_app.add_need": ("Add need", "添加需求"),
    "rmap_app.decide_need": ("Need", "需求"),
    "rmap_app.decision": ("Decision", "决定"),
    "rmap_app.keep": ("Keep", "保留"),
    "rmap_app.drop": ("Drop", "删除"),
    "rmap_app.undecided": ("Undecided", "未定"),
    "rmap_app.apply_decision": ("Apply", "确定"),
    "rmap_app.dimension_item": ("Kept need", "保留的需求"),
    "rmap_app.dimension_name": ("Result name", "结果名称"),
    "rmap_app.rename": ("Rename", "重命名"),
    "rmap_app.dimension": ("Evaluation dimension", "绩效评价维度"),
    "rmap_app.renamed": ("Named as a result", "已命名为结果"),
    "rmap_app.dimensions": ("The team's evaluation dimensions", "团队的绩效评价维度"),
    "rmap_app.no_dimensions": ("No evaluation dimensions yet: keep a need in step 3.",
                               "还没有评价维度：请在第三步保留一项需求。"),
    "rmap_app.need_a_customer": ("Add a customer first (step 1).", "请先添加客户（第一步）。"),
    "rmap_app.need_a_need": ("Add a need first (step 2).", "请先添加需求（第二步）。"),
    "rmap_app.need_a_kept_need": ("Keep a need first (step 3).", "请先保留一项需求（第三步）。"),
}

#: widget labels and messages, lessons 06-10 (crmsim.widgets)
_WIDGET_TERMS_C: dict[str, tuple[str, str]] = {
}

#: simulation KPIs and result-table headers (crmsim.sim)
_KPI_TERMS: dict[str, tuple[str, str]] = {
}

#: reading users' files: the reading report and its notes (crmsim.io)
_READING_TERMS: dict[str, tuple[str, str]] = {
}

#: exercise feedback (crmsim.exercises)
_EXERCISE_TERMS: dict[str, tuple[str, str]] = {
}

#: reports and the command line (crmsim.report, crmsim.cli)
_REPORT_TERMS: dict[str, tuple[str, str]] = {
}


def _merge_sections(*tables: dict[str, tuple[str, str]]) -> None:
    for table in tables:
        clash = sorted(set(table) & set(TERMS))
        if clash:
            raise RuntimeError(f"crmsim.terms: keys defined twice: {clash}")
        TERMS.update(table)


_merge_sections(
    _CHART_TERMS, _WIDGET_TERMS_A, _WIDGET_TERMS_B, _WIDGET_TERMS_C, _KPI_TERMS,
    _READING_TERMS, _EXERCISE_TERMS, _REPORT_TERMS,
)

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

# --------------------------------------------------------------------------- language

_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("crmsim_language", default="en")


def _check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"parameter 'lang' must be 'en', 'zh' or 'both'; got {lang!r}")
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


def label(key: str, lang: str | None = None) -> str:
    """The label of *key* in *lang* (default: the current language).

    Unknown keys are returned unchanged, so callers can label free-form values safely.

    >>> label("exploration", "both")
    'Exploration (考察期)'
    >>> label("extended_roles", "zh")
    '扩大工作范围'
    """
    lang = resolve_language(lang)
    if key not in TERMS:
        return key
    en, zh = TERMS[key]
    if lang == "en":
        return en
    if lang == "zh":
        return zh
    return f"{en} ({zh})"


def labels(keys: list[str] | tuple[str, ...], lang: str | None = None) -> list[str]:
    """:func:`label` of each key."""
    lang = resolve_language(lang)
    return [label(k, lang) for k in keys]


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
    order — the source of the lessons' bilingual glossary."""
    rows = []
    for vocab, ids in VOCABULARIES.items():
        for key in ids:
            en, zh = TERMS.get(f"grade.{key}" if vocab == "grade" else key, (key, key))
            rows.append((vocab, key, en, zh))
    return rows
