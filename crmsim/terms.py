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
    # shared by several charts
    "chart.customers": ("Customers", "客户数"),
    "chart.month": ("Month", "月份"),
    "chart.all": ("All", "全部"),
    "chart.unit.cny": ("{name} (CNY)", "{name}（元）"),
    # Pareto chart and Lorenz curve (crmsim.plots.pareto)
    "chart.pareto.title": ("Pareto chart (ABC classification)", "帕累托图（ABC分类法）"),
    "chart.pareto.xlabel": ("Customers ranked by value", "按价值排序的客户"),
    "chart.pareto.ylabel": ("Value", "价值"),
    "chart.pareto.cumulative": ("Cumulative share", "累计占比"),
    "chart.pareto.cumulative_axis": ("Cumulative share of value", "累计价值占比"),
    "chart.pareto.class_note": (
        "{count} ({customers} of customers, {value} of value)",
        "{count}位（占客户{customers}，占价值{value}）",
    ),
    "chart.lorenz.title": ("Lorenz curve", "洛伦兹曲线"),
    "chart.lorenz.curve": ("Lorenz curve", "洛伦兹曲线"),
    "chart.lorenz.equality": ("Equality", "绝对平均线"),
    "chart.lorenz.rule": ("80/20 rule", "80/20法则"),
    "chart.lorenz.top_hold": ("top {top} hold {share}", "前{top}占{share}"),
    "chart.lorenz.xlabel": ("Share of entities (smallest first)", "对象累计占比（从小到大）"),
    "chart.lorenz.ylabel": ("Share of value", "价值累计占比"),
    # customer pyramid (crmsim.plots.pyramid)
    "chart.pyramid.title": ("Customer pyramid", "客户金字塔"),
    "chart.pyramid.count": ("{count} customers ({share})", "{count}位客户（{share}）"),
    "chart.pyramid.value": ("value {value} ({share})", "价值{value}（{share}）"),
    "chart.quadrants.title": (
        "Customer pyramid: current value × growth potential",
        "客户金字塔：当前价值 × 增值潜力",
    ),
    # 6C credit (crmsim.plots.credit)
    "chart.credit.title": ("6C credit profile", "6C信用画像"),
    "chart.credit.score": ("score {score}, grade {grade}", "得分{score}，信用等级{grade}"),
    "chart.credit.customer": ("customer", "客户"),
    "chart.credit.mean": ("portfolio mean", "全体客户平均"),
    "chart.grades.title": ("Customers per credit grade", "各信用等级客户数"),
    "chart.grades.xlabel": ("Credit grade (A best)", "信用等级（A级最好）"),
    "chart.grades.tick": ("{grade}", "{grade}级"),
    # lifecycle (crmsim.plots.lifecycle)
    "chart.lifecycle.title": ("Relationship lifecycle", "客户关系生命周期"),
    "chart.lifecycle.legend": ("Stage at period end", "期末所处阶段"),
    "chart.lifecycle.spend": ("Spend (CNY)", "采购额（元）"),
    "chart.stage_mix.title": ("Customers per lifecycle stage", "各生命周期阶段客户数"),
    # customer relationship map (crmsim.plots.relationship_map)
    "chart.map.team": ("Team", "团队"),
    "chart.map.kept": (
        "Kept need: its evaluation dimension (italic: not renamed yet)",
        "保留的需求：其绩效评价维度（斜体：尚未改写）",
    ),
    "chart.map.dropped": ("Dropped need", "舍弃的需求"),
    "chart.map.undecided": ("Undecided need", "待定的需求"),
    "chart.map.goal": ("Organisation goal", "组织目标"),
    # simulation results (crmsim.sim.plots)
    "chart.monthly.title": ("{kpi}: mean and {level} band", "{kpi}：均值及{level}置信带"),
    "chart.sim_stage_mix.ylabel": ("Customers at month {month}", "第{month}个月的客户数"),
    "chart.sim_stage_mix.title": (
        "Customers per lifecycle stage at month {month}", "第{month}个月各生命周期阶段客户数"
    ),
    "chart.funnel.title": ("Development funnel", "客户开发漏斗"),
    "chart.funnel.ylabel": ("Share of leads reaching the step", "到达该步骤的线索占比"),
    "chart.utilisation.title": ("Account-manager utilisation", "客户经理利用率"),
    "chart.differences.xlabel": ("{kpi}: difference vs {baseline}", "{kpi}：与{baseline}之差"),
    "chart.differences.title": (
        "Paired difference to the baseline, {level} confidence interval",
        "与基准方案的配对差异（{level}置信区间）",
    ),
    # KPI names on the axes of simulation charts ("chart.kpi.<column>")
    "chart.kpi.revenue": ("Revenue", "收入"),
    "chart.kpi.gross_profit": ("Gross profit", "毛利"),
    "chart.kpi.bad_debt": ("Bad debt", "坏账"),
    "chart.kpi.manager_cost": ("Account-manager cost", "客户经理成本"),
    "chart.kpi.operations_cost": ("Operations cost", "运营成本"),
    "chart.kpi.overhead": ("Overhead", "管理费用"),
    "chart.kpi.lead_cost": ("Lead cost", "获客成本"),
    "chart.kpi.crm_cost": ("CRM cost", "CRM成本"),
    "chart.kpi.hiring_cost": ("Hiring cost", "招聘成本"),
    "chart.kpi.net_contribution": ("Net contribution", "净贡献"),
    "chart.kpi.active_customers": ("Active customers", "活跃客户数"),
    "chart.kpi.active_customers_end": ("Active customers at the end", "期末活跃客户数"),
    "chart.kpi.new_customers": ("New customers", "新增客户数"),
    "chart.kpi.lost_customers": ("Lost customers", "流失客户数"),
    "chart.kpi.defections": ("Defections with a leaving manager", "随客户经理离职流失的客户数"),
    "chart.kpi.upgrades": ("Stage upgrades", "阶段升级数"),
    "chart.kpi.downgrades": ("Stage downgrades", "阶段降级数"),
    "chart.kpi.orders": ("Orders", "订单数"),
    "chart.kpi.complaints": ("Complaints", "投诉数"),
    "chart.kpi.praise": ("Praise", "表扬数"),
    "chart.kpi.mean_satisfaction": ("Mean satisfaction", "平均满意度"),
    "chart.kpi.leads": ("Leads", "销售线索数"),
    "chart.kpi.service_requests": ("Service requests", "服务请求数"),
    "chart.kpi.service_level": ("Service level (on time)", "服务及时率"),
    "chart.kpi.mean_response_days": ("Mean response time (days)", "平均响应时间（天）"),
    "chart.kpi.mean_wait_days": ("Mean wait (days)", "平均等待时间（天）"),
    "chart.kpi.maintenance_coverage": ("Maintenance coverage", "维护覆盖率"),
    "chart.kpi.managers_active": ("Account managers", "在岗客户经理数"),
    "chart.kpi.manager_utilisation": ("Manager utilisation", "客户经理利用率"),
    "chart.kpi.hunting_utilisation": ("Utilisation on new business", "开发新客户的工时利用率"),
    "chart.kpi.farming_utilisation": (
        "Utilisation on existing customers", "维护老客户的工时利用率"
    ),
    "chart.kpi.retention": ("Retention", "客户保持率"),
    "chart.kpi.conversion": ("Lead conversion", "线索转化率"),
}

#: widget labels and messages, lessons 00-02 (crmsim.widgets)
_WIDGET_TERMS_A: dict[str, tuple[str, str]] = {
}

#: widget labels and messages, lessons 03-05 (crmsim.widgets)
_WIDGET_TERMS_B: dict[str, tuple[str, str]] = {
}

#: widget labels and messages, lessons 06-10 (crmsim.widgets)
_WIDGET_TERMS_C: dict[str, tuple[str, str]] = {
    # shared by the simulation apps (funnel, star, incentives, rollout)
    "simapp.kpi": ("KPI", "指标"),
    "simapp.difference": ("Difference", "差值"),
    "simapp.ci": ("95% interval of the difference", "差值的95%置信区间"),
    "simapp.note": (
        "{n} replications per setting on the same seeds (common random numbers), {months} months.",
        "每种设置{n}次重复，使用相同随机种子（共同随机数），{months}个月。",
    ),
    "simapp.pay": ("Pay of the account managers (CNY)", "客户经理薪酬（元）"),
    "simapp.crm_cost": ("CRM cost (CNY)", "CRM成本（元）"),
    # funnel_explorer
    "funnel_app.title": ("What is a better step worth? The development funnel",
                         "提升某一步值多少？客户开发流程"),
    "funnel_app.step": ("Step", "步骤"),
    "funnel_app.default": ("Default", "默认"),
    "funnel_app.chosen": ("Your setting", "你的设置"),
    "funnel_app.p_default": ("Pass probability, default", "通过概率（默认）"),
    "funnel_app.p_chosen": ("Pass probability, your setting", "通过概率（你的设置）"),
    "funnel_app.reach_default": ("Closed form: share still in, default",
                                 "解析式：仍在流程中的比例（默认）"),
    "funnel_app.reach_chosen": ("Closed form: share still in, your setting",
                                "解析式：仍在流程中的比例（你的设置）"),
    "funnel_app.closed_form": ("Closed-form conversion (product of pass probabilities)",
                               "解析转化率（各步通过概率之积）"),
    # star_departure_explorer
    "star_app.title": ("A star salesperson leaves", "业务尖子离职"),
    "star_app.month": ("Star leaves in month", "尖子离职月份"),
    "star_app.adoption": ("CRM adoption", "CRM采用程度"),
    "star_app.structure": ("Structure", "组织结构"),
    "star_app.stays": ("Star stays", "尖子留任"),
    "star_app.leaves": ("Star leaves", "尖子离职"),
    "star_app.bad_month": ("The star must leave within the horizon: month 1 to {months}.",
                           "尖子离职月份必须在模拟期内：第1至{months}月。"),
    # incentive_explorer
    "incentive_app.title": ("Commission at signing or pay deferred on satisfaction?",
                            "签约即付佣金，还是按满意度延期支付？"),
    "incentive_app.scheme": ("Pay scheme", "薪酬方案"),
    "incentive_app.share": ("Deferred share", "延期支付比例"),
    "incentive_app.reference": ("Commission at signing", "签约即付佣金"),
    "incentive_app.chosen": ("Your scheme", "你的方案"),
    # rollout_planner
    "rollout_app.title": ("Planning the CRM rollout", "规划CRM实施"),
    "rollout_app.step1": ("1 Business plan and goals", "1 确定商业计划与目标"),
    "rollout_app.step2": ("2 The CRM team", "2 组建CRM团队"),
    "rollout_app.step3": ("3 Assess sales and service processes", "3 评估销售与服务流程"),
    "rollout_app.step4": ("4 Real needs", "4 明确实际需求"),
    "rollout_app.step5": ("5 Choose a vendor", "5 选择供应商"),
    "rollout_app.step6": ("6 Develop and deploy in phases", "6 分阶段开发与部署"),
    "rollout_app.hint1": ("e.g. satisfaction +10%, sales cycle -20%, close rate +5 points",
                          "例如：满意度提高10%，销售周期缩短20%，成交率提高5个百分点"),
    "rollout_app.hint2": ("who represents sales, service, finance, IT?",
                          "销售、服务、财务、IT各由谁代表？"),
    "rollout_app.hint3": ("where do leads and requests get stuck today?",
                          "目前线索和服务请求卡在哪里？"),
    "rollout_app.hint4": ("managers: forecasts, reports; salespeople: quotes, customer files",
                          "经理：预测、报表；销售员：快速报价、客户档案"),
    "rollout_app.hint5": ("criteria: fit to needs, cost, support, data export",
                          "标准：满足需求、成本、支持、数据导出"),
    "rollout_app.hint6": ("phase 1 for one user group, then everyone; training plan",
                          "第一阶段先给一个用户组试用，再推广；培训计划"),
    "rollout_app.phase1": ("Phase 1 adoption", "第一阶段采用程度"),
    "rollout_app.phase2": ("Full rollout adoption", "全面推广采用程度"),
    "rollout_app.no_crm": ("No CRM", "不使用CRM"),
    "rollout_app.phase1_name": ("Phase 1", "第一阶段"),
    "rollout_app.phase2_name": ("Full rollout", "全面推广"),
    "rollout_app.notes": ("Your notes", "你的计划"),
    "rollout_app.done": ("Filled in", "已填写"),
    "rollout_app.order": ("Phase 1 adoption must not exceed the full rollout's.",
                          "第一阶段的采用程度不能高于全面推广。"),
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
