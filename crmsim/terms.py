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
    # lesson 02: abc_explorer
    "abc_app.title": ("ABC classification explorer", "ABC分类法探索"),
    "abc_app.chart_title": (
        "Pareto chart: customers ranked by value", "帕累托图：按价值排序的客户"
    ),
    "abc_app.cutoff_a": ("A up to (cumulative share)", "A类上限（累计占比）"),
    "abc_app.cutoff_b": ("B up to (cumulative share)", "B类上限（累计占比）"),
    "abc_app.value": ("Rank on", "排序依据"),
    "abc_app.boundary": ("Customer crossing a line", "跨线客户归属"),
    "abc_app.including": ("goes to the lower class (including)", "归入下一类（含本客户累计）"),
    "abc_app.before": ("stays in the higher class (before)", "留在上一类（按此前累计）"),
    "abc_app.class": ("Class", "类别"),
    "abc_app.count": ("Customers", "客户数"),
    "abc_app.share_of_customers": ("Share of customers", "客户占比"),
    "abc_app.value_total": ("Value", "价值"),
    "abc_app.share_of_value": ("Share of value", "价值占比"),
    "abc_app.column.amount": ("Sales amount", "销售额"),
    "abc_app.column.gross_profit": ("Gross profit", "毛利"),
    "abc_app.column.current_value": ("Current value (last 12 months)", "当前价值（近12个月）"),
    "abc_app.column.historical_value": ("Historical value", "历史价值"),
    "abc_app.column.potential_value": ("Potential value", "潜在价值"),
    "abc_app.column.growth_potential": ("Growth potential", "增值潜力"),
    "abc_app.column.annual_wallet": ("Annual wallet", "年度采购潜力"),
    "abc_app.column.n_orders": ("Number of orders", "订单数"),
    "abc_app.crossing": (
        "Customer {id} (rank {rank}) takes the cumulative share from {before:.1%} to "
        "{after:.1%}, across the {cut:.0%} line: class {cls} under this rule.",
        "客户{id}（第{rank}名）使累计占比从{before:.1%}升至{after:.1%}，越过{cut:.0%}线："
        "按此规则归入{cls}类。",
    ),
    "abc_app.excluded": (
        "{n} customer(s) with a negative total were left out of the ranking.",
        "{n}位客户合计为负，未参与排序。",
    ),
    "abc_app.error_cutoffs": (
        "The A line ({a:.0%}) must be below the B line ({b:.0%}); move one of them.",
        "A类上限（{a:.0%}）必须低于B类上限（{b:.0%}），请调整其中一个。",
    ),
    # lesson 01: lifecycle_explorer
    "lifecycle_app.title": ("A cohort through the lifecycle", "客户群的生命周期演变"),
    "lifecycle_app.chart_title": (
        "Stage mix of the cohort, month by month", "客户群各阶段占比（按月）"
    ),
    "lifecycle_app.start_stage": ("Starting stage", "起始阶段"),
    "lifecycle_app.service_level": ("Service level", "服务水平"),
    "lifecycle_app.crm_adoption": ("CRM adoption", "CRM应用程度"),
    "lifecycle_app.months": ("Months", "月数"),
    "lifecycle_app.month": ("Month", "月份"),
    "lifecycle_app.share": ("Share of the cohort", "占客户群比例"),
    "lifecycle_app.expected": ("expected (Markov chain)", "期望值（马尔可夫链）"),
    "lifecycle_app.summary": (
        "After {months} months {active:.0%} of the cohort is still a customer (expected "
        "{expected_active:.0%}): {stability:.0%} in stability, {decline:.0%} in decline. "
        "Satisfaction in the last month: {satisfaction:.2f}.",
        "{months}个月后，客户群中仍有{active:.0%}为客户（期望值{expected_active:.0%}）："
        "稳定期{stability:.0%}，退化期{decline:.0%}。最后一个月的满意度：{satisfaction:.2f}。",
    ),
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
    "widget.structures.title": ("Which account-manager structure fits this company?",
                                "哪种客户经理制组织形式适合这家企业？"),
    "widget.structures.business_lines": ("Business lines", "业务线数量"),
    "widget.structures.need_complexity": ("Need complexity", "需求复杂度"),
    "widget.structures.expertise_share": ("Share needing expertise", "需专业技能的客户比例"),
    "widget.structures.confidential_share": ("Share needing confidentiality",
                                             "需保密隔离的客户比例"),
    "widget.structures.size": ("Company size", "企业规模"),
    "widget.structures.size_small": ("Small (150 customers, 6 managers)",
                                     "小型（150个客户，6名客户经理）"),
    "widget.structures.size_classroom": ("Classroom (300 customers, 10 managers)",
                                         "课堂规模（300个客户，10名客户经理）"),
    "widget.structures.size_key_accounts": ("Key accounts (300 large, unequal customers)",
                                            "大客户（300个规模大且差异大的客户）"),
    "widget.structures.structures": ("Structures to compare", "比较的组织形式"),
    "widget.structures.need_structure": ("Choose at least one structure to compare.",
                                         "请至少选择一种组织形式进行比较。"),
    "widget.structures.chart_title": ("Four KPIs per structure (mean and 95% interval, 12 months)",
                                      "各组织形式的四项指标（均值与95%置信区间，12个月）"),
    "widget.structures.kpi_net_contribution": ("Net contribution (CNY)", "净贡献（元）"),
    "widget.structures.kpi_revenue": ("Revenue (CNY)", "销售收入（元）"),
    "widget.structures.kpi_retention": ("Retention", "客户保持率"),
    "widget.structures.kpi_service_level": ("Service level", "服务水平"),
    "widget.structures.best": ("Highest net contribution", "净贡献最高"),
    "widget.structures.structure": ("Structure", "组织形式"),
    "widget.structures.difference": ("Net contribution difference, CNY [95% interval]",
                                     "净贡献差额（元）[95%置信区间]"),
    "widget.structures.differences": ("Paired differences (same replications) against",
                                      "配对差额（相同重复运行）对比"),
}

#: simulation KPIs and result-table headers (crmsim.sim)
_KPI_TERMS: dict[str, tuple[str, str]] = {
    "kpi.revenue": ("Revenue", "收入"),
    "kpi.gross_profit": ("Gross profit", "毛利"),
    "kpi.net_contribution": ("Net contribution", "净贡献"),
    "kpi.new_customers": ("New customers won", "新增客户"),
    "kpi.lost_customers": ("Customers lost", "流失客户"),
    "kpi.defections": ("Left with a departing manager", "随离职客户经理流失的客户"),
    "kpi.active_customers_end": ("Active customers at the end", "期末活跃客户"),
    "kpi.retention": ("Initial book still active", "期初客户保留率"),
    "kpi.service_level": ("Requests resolved on time", "按时解决的服务请求"),
    "kpi.mean_satisfaction": ("Mean satisfaction, last month", "平均满意度（最后一个月）"),
    "kpi.complaints": ("Complaints", "投诉"),
    "kpi.praise": ("Praise", "表扬"),
    "kpi.manager_utilisation": ("Manager utilisation", "客户经理利用率"),
    "kpi.conversion": ("Lead conversion", "线索转化率"),
    "kpi.open_leads_end": ("Leads still open at the end", "期末未结线索"),
    # display units of the KPIs (crmsim.sim.kpis.display_label)
    "unit.M CNY": ("M CNY", "百万元"),
    "unit.%": ("%", "%"),
    "unit.0-1": ("0-1", "0-1"),
}

#: reading users' files: the reading report and its notes (crmsim.io), and what
#: ``crmsim analyze`` ran on them (crmsim.analyze). Notes are templates filled with str.format.
_READING_TERMS: dict[str, tuple[str, str]] = {
    "reading.title": ("How the file was read", "文件读取说明"),
    "reading.columns_title": ("Columns: header in the file → column", "列对照：文件表头 → 列名"),
    "reading.rejected_title": ("Rows left out", "未读入的行"),
    "reading.notes_title": ("Notes on reading", "读取备注"),
    "reading.item": ("Item", "项目"),
    "reading.value": ("Value", "取值"),
    "reading.file": ("File", "文件"),
    "reading.encoding": ("Encoding", "编码"),
    "reading.delimiter": ("Delimiter", "分隔符"),
    "reading.sheet": ("Worksheet", "工作表"),
    "reading.header_row": ("Header row", "表头行"),
    "reading.header.detected": ("found automatically", "自动识别"),
    "reading.header.given": ("as given", "按指定"),
    "reading.rows_read": ("Rows read", "读入行数"),
    "reading.rows_rejected": ("Rows left out", "未读入行数"),
    "reading.position": ("No.", "序号"),
    "reading.header": ("Header in the file", "文件表头"),
    "reading.column": ("Column", "列名"),
    "reading.kind": ("Read as", "读取为"),
    "reading.kind.text": ("text", "文本"),
    "reading.kind.code": ("code / id (text, kept exactly)", "编码（文本，原样保留）"),
    "reading.kind.number": ("number", "数值"),
    "reading.kind.percent": ("percentage (12% = 0.12)", "百分比（12% = 0.12）"),
    "reading.kind.date": ("date", "日期"),
    "reading.kind.empty": ("empty", "空列"),
    "reading.row": ("Row in the file", "文件行号"),
    "reading.reason": ("Reason", "原因"),
    "reading.delimiter.comma": ("comma", "逗号"),
    "reading.delimiter.semicolon": ("semicolon", "分号"),
    "reading.delimiter.tab": ("tab", "制表符"),
    "reading.delimiter.pipe": ("pipe", "竖线"),
    "reading.delimiter.other": ("other", "其他"),
    "reading.reason.totals": ("totals row ({word!r}) dropped", "合计行（{word}）已删除"),
    "reading.reason.repeated_header": ("the header repeated inside the data",
                                       "数据中重复出现的表头"),
    "reading.note.above_header": (
        "row(s) {rows} above the header skipped (title: {text!r})",
        "跳过表头上方的第{rows}行（标题：{text}）",
    ),
    "reading.note.blank_rows": ("{count} blank row(s) skipped", "跳过{count}个空行"),
    "reading.note.empty_columns": (
        "column(s) {columns} have no header and no values and were left out",
        "第{columns}列没有表头也没有数据，已略去",
    ),
    "reading.note.suggest_auto": (
        "the headers are Chinese column names; rename='auto' maps them to the kit's names "
        "({examples})",
        "表头为中文列名；使用 rename='auto' 可映射为本工具的列名（{examples}）",
    ),
    "analyze.methods_title": ("Methods run on this file", "本文件运行的方法"),
    "analyze.method": ("Method", "方法"),
    "analyze.status": ("Ran", "是否运行"),
    "analyze.needs": ("Needs", "所需列"),
    "analyze.missing": ("Missing", "缺少"),
    "analyze.ran": ("yes", "是"),
    "analyze.skipped": ("no", "否"),
    "analyze.concentration": ("Concentration", "集中度"),
    "analyze.repeated_ids": ("repeated ids (a transaction list)", "重复的客户编号（交易明细）"),
}

#: exercise feedback (crmsim.exercises)
_EXERCISE_TERMS: dict[str, tuple[str, str]] = {
    # outcomes
    "exercise.status.correct": ("Correct", "正确"),
    "exercise.status.incorrect": ("Not yet", "尚未正确"),
    "exercise.status.not_attempted": ("Not attempted", "未作答"),
    # what was checked
    "exercise.check.type": ("the answer is {kind}", "答案是{kind}"),
    "exercise.check.shape": ("it covers exactly your customers", "覆盖且仅覆盖你的全部客户"),
    "exercise.check.known_id": ("it is one of your customers", "是你的客户之一"),
    "exercise.check.value": ("its value matches the one computed on your data",
                             "数值与根据你的数据计算的结果一致"),
    "exercise.check.runs": ("your function runs and returns a value", "你的函数可以运行并返回结果"),
    "exercise.kind.number": ("a number", "一个数"),
    "exercise.kind.choice": ("one of the options", "选项之一"),
    "exercise.kind.id": ("a customer id", "一个客户编号"),
    "exercise.kind.labels": ("one category per customer", "每个客户一个类别"),
    "exercise.kind.values": ("one number per customer", "每个客户一个数"),
    "exercise.not_numbers": ("the values of {ids} are not finite numbers.",
                             "{ids} 的值不是有限的数。"),
    "exercise.wrong_values": ("{n} of {of} customers have a wrong value, e.g. {ids}.",
                              "{of} 个客户中有 {n} 个数值不对，例如 {ids}。"),
    "exercise.passed": ("these checks passed: {checks}. Your instructor may run more.",
                        "以下检查已通过：{checks}。老师评分时可能还会做更多检查。"),
    # what failed
    "exercise.not_attempted": ("replace ____ in the answer cell of `{var}` with your answer, "
                               "run that cell, then check again.",
                               "请把 `{var}` 答案单元格中的 ____ 换成你的答案，"
                               "运行该单元格后再检查。"),
    "exercise.undefined": ("`{var}` is not defined: run the answer cell first.",
                           "`{var}` 尚未定义：请先运行答案单元格。"),
    "exercise.wrong_type": ("expected {expected}; got a {got}.",
                            "应为{expected}；实际得到 {got}。"),
    "exercise.one_number_not_array": (
        "expected a single number; got a {got}. Take the value out, e.g. with float(...) or "
        ".iloc[0].", "应为单个数；实际得到 {got}。请取出其中的数值，例如 float(...) 或 .iloc[0]。"),
    "exercise.not_finite": ("the answer is {got}; expected a finite number.",
                            "答案是 {got}；应为有限的数。"),
    "exercise.unknown_option": ("{got!r} is not one of the options {options}.",
                                "{got!r} 不是可选答案 {options} 之一。"),
    "exercise.unknown_id": ("{got!r} is not one of your customers' ids (see data.customers).",
                            "{got!r} 不是你的客户编号（见 data.customers）。"),
    "exercise.missing_column": ("the table has no column {column!r}; its columns are {columns}.",
                                "表中没有 {column!r} 列；现有列为 {columns}。"),
    "exercise.duplicated_ids": ("some customers appear twice: {ids}.", "有客户重复出现：{ids}。"),
    "exercise.wrong_length": (
        "expected one value for each of your {expected} customers; got {got} "
        "(missing: {missing}; not your customers: {extra}).",
        "应为你的 {expected} 个客户各给一个值；实际得到 {got} 个（缺少：{missing}；"
        "不属于你的客户：{extra}）。"),
    "exercise.unknown_labels": ("categories {got} are not allowed; use {allowed}.",
                                "类别 {got} 不允许；请使用 {allowed}。"),
    "exercise.wrong_number": ("the number is not the one computed on your data; "
                              "look at the question again or ask for a hint.",
                              "该数值与根据你的数据计算的结果不符；请重读题目或查看提示。"),
    "exercise.wrong_choice": ("that option is not the right one; ask for a hint.",
                              "这个选项不正确；可以查看提示。"),
    "exercise.wrong_id": ("that customer is not the one the question asks for.",
                          "这不是题目要求的那个客户。"),
    "exercise.wrong_labels": ("{n} of {of} customers are in the wrong category, e.g. {ids}.",
                              "{of} 个客户中有 {n} 个类别不对，例如 {ids}。"),
    "exercise.not_function": ("`{var}` should be a function (def {var}(...): ...); got a {got}.",
                              "`{var}` 应该是一个函数（def {var}(...): ...）；实际是 {got}。"),
    "exercise.raised": ("your function `{var}` raised an error: {error}.",
                        "你的函数 `{var}` 运行出错：{error}。"),
    "exercise.no_return": ("your function `{var}` returned None: did you forget `return`?",
                           "你的函数 `{var}` 返回了 None：是不是忘了写 `return`？"),
    # hints and solutions
    "exercise.hint_title": ("Hint {level}", "提示 {level}"),
    "exercise.hint_order": ("ask for hint {previous} first: q.hint({previous}).",
                            "请先查看提示 {previous}：q.hint({previous})。"),
    "exercise.solution_title": ("Reference solution", "参考答案"),
    "exercise.expected_is": ("On your data the answer is", "根据你的数据，答案是"),
    # set 02: ABC
    "exercise.ex02_abc.q1.hint1": (
        "crmsim.abc_classify(table, value=...) ranks the customers and adds a 'class' column.",
        "crmsim.abc_classify(table, value=...) 会给客户排序并添加 'class' 列。"),
    "exercise.ex02_abc.q1.hint2": (
        "Use value=\"amount\", then .set_index(\"customer_id\")[\"class\"].",
        "用 value=\"amount\"，再 .set_index(\"customer_id\")[\"class\"]。"),
    "exercise.ex02_abc.q1.by_count": (
        "your classes are cut on the share of customers (the top 80% of customers as A); ABC "
        "cuts on the cumulative share of sales value.",
        "你是按客户数量的比例划分的（前 80% 的客户为 A）；ABC分类法按销售额的累计份额划分。"),
    "exercise.ex02_abc.q1.boundary": (
        "the customer that carries the cumulative share past a line is in the higher class in "
        "your answer; crmsim's default (boundary=\"including\") puts it in the lower class.",
        "你把跨过分界线的客户放进了较高的一类；"
        "crmsim 默认（boundary=\"including\"）把它放进较低的一类。"),
    "exercise.ex02_abc.q2.hint1": ("crmsim.abc_summary(...) has a share_of_value column.",
                                   "crmsim.abc_summary(...) 有 share_of_value 列。"),
    "exercise.ex02_abc.q2.hint2": ("Take the row 'A' of share_of_value: summary.loc[\"A\", ...].",
                                   "取 share_of_value 的 'A' 行：summary.loc[\"A\", ...]。"),
    "exercise.ex02_abc.q2.customers": (
        "that is the share of customers in class A; the question asks for their share of sales.",
        "这是 A 类客户占客户数的比例；题目问的是他们占销售额的比例。"),
    "exercise.ex02_abc.q2.percent": ("that is a percentage; give a share between 0 and 1.",
                                     "这是百分数；请给出 0 到 1 之间的比例。"),
    "exercise.ex02_abc.q3.hint1": (
        "Read the Notes of crmsim.abc_classify: which rule is the default boundary?",
        "阅读 crmsim.abc_classify 的说明：默认的分界规则是哪一种？"),
    "exercise.ex02_abc.q3.hint2": (
        "With boundary=\"including\" a customer is A only if the cumulative share including "
        "itself is at most 80%.",
        "boundary=\"including\" 时，只有包含自身的累计份额不超过 80% 的客户才是 A 类。"),
    "exercise.ex02_abc.q3.before": (
        "A is the answer under boundary=\"before\" (the share of the customers above it is "
        "below 80%); the default rule counts the customer's own sales too.",
        "A 是 boundary=\"before\" 规则下的答案；默认规则把该客户自己的销售额也算进去。"),
    "exercise.ex02_abc.q4.hint1": ("crmsim has a function for exactly this: share_reaching.",
                                   "crmsim 有专门的函数：share_reaching。"),
    "exercise.ex02_abc.q4.hint2": ("crmsim.share_reaching(values, target) with target 0.8.",
                                   "crmsim.share_reaching(values, target)，target 取 0.8。"),
    "exercise.ex02_abc.q4.top_share": (
        "that is the share of sales held by the top 20% of customers (top_share); the question "
        "asks the other way round: the share of customers needed for 80% of sales.",
        "这是前 20% 客户占的销售额份额（top_share）；"
        "题目反过来问：达到 80% 销售额需要多少比例的客户。"),
    "exercise.ex02_abc.q4.percent": ("that is a percentage; give a share between 0 and 1.",
                                     "这是百分数；请给出 0 到 1 之间的比例。"),
    # set 01: lifecycle
    "exercise.ex01_lifecycle.q1.hint1": (
        "crmsim.infer_stage(transactions, as_of=...) returns one row per customer with 'stage'.",
        "crmsim.infer_stage(transactions, as_of=...) 为每个客户返回一行，含 'stage' 列。"),
    "exercise.ex01_lifecycle.q1.hint2": (
        "Use as_of=\"2024-12-31\" and the default rules, then .set_index(\"customer_id\").",
        "用 as_of=\"2024-12-31\" 和默认规则，再 .set_index(\"customer_id\")。"),
    "exercise.ex01_lifecycle.q1.half_year": (
        "your stages follow the half-year rule (6-month windows); the question asks for "
        "crmsim's default 12-month rules.",
        "你的结果用的是半年规则（6 个月窗口）；题目要求用 crmsim 默认的 12 个月规则。"),
    "exercise.ex01_lifecycle.q2.hint1": ("crmsim.stage_mix(table) counts customers per stage.",
                                         "crmsim.stage_mix(table) 统计每个阶段的客户数。"),
    "exercise.ex01_lifecycle.q2.hint2": ("Take the 'share' of the row whose stage is "
                                         "'stability'.",
                                         "取 stage 为 'stability' 那一行的 'share'。"),
    "exercise.ex01_lifecycle.q2.not_lost": (
        "you divided by the customers that are not lost; the question asks for the share of "
        "all your customers.",
        "你除以的是未流失的客户数；题目要求的是占全部客户的比例。"),
    "exercise.ex01_lifecycle.q2.percent": ("that is a percentage; give a share between 0 and 1.",
                                           "这是百分数；请给出 0 到 1 之间的比例。"),
    "exercise.ex01_lifecycle.q3.hint1": (
        "Compare the 2024 spend with the 2023 spend: what is the ratio?",
        "比较 2024 年与 2023 年的消费：比值是多少？"),
    "exercise.ex01_lifecycle.q3.hint2": (
        "The rules are checked in order: lost, exploration, decline (ratio below 0.7), ...",
        "规则按顺序判断：流失、考察期、退化期（比值低于 0.7）……"),
    "exercise.ex01_lifecycle.q3.lost": (
        "a lost customer has not ordered for 6 months; this one ordered last month.",
        "流失客户已 6 个月没有下单；这个客户上个月还下过单。"),
    "exercise.ex01_lifecycle.q3.stability": (
        "the relationship is long, but its spend fell to 60% of the year before: stability "
        "needs steady spend.",
        "关系虽长，但消费降到上一年的 60%：稳定期要求消费平稳。"),
    "exercise.ex01_lifecycle.q4.hint1": (
        "Keep the rows of infer_stage's table whose stage is 'decline'.",
        "保留 infer_stage 结果中 stage 为 'decline' 的行。"),
    "exercise.ex01_lifecycle.q4.hint2": (
        "Sort those by spend_previous, largest first, and take the first customer_id.",
        "按 spend_previous 从大到小排序，取第一个 customer_id。"),
    "exercise.ex01_lifecycle.q4.any_stage": (
        "that customer has the largest previous spend, but it is not in decline.",
        "这个客户上一期消费最大，但它不在退化期。"),
    "exercise.ex01_lifecycle.q4.lost": (
        "that customer is already lost; the question asks among customers in decline, whose "
        "relationship can still be recovered.",
        "这个客户已经流失；题目要求在仍可挽回的退化期客户中选择。"),
    # set 03: pyramid
    "exercise.ex03_pyramid.q1.hint1": (
        "crmsim.customer_pyramid(table) adds a 'tier' column.",
        "crmsim.customer_pyramid(table) 会添加 'tier' 列。"),
    "exercise.ex03_pyramid.q1.hint2": (
        "The default split is the median of each axis; then .set_index(\"customer_id\").",
        "默认按每个维度的中位数划分；再 .set_index(\"customer_id\")。"),
    "exercise.ex03_pyramid.q1.mean": (
        "your pyramid splits high and low at the mean; crmsim's default splits at the median "
        "(a few large customers pull the mean up).",
        "你按平均数划分高低；crmsim 默认按中位数划分（少数大客户会拉高平均数）。"),
    "exercise.ex03_pyramid.q1.swapped": (
        "the two axes are swapped: current value decides platinum/gold versus iron/lead.",
        "两个维度弄反了：当前价值决定铂金/黄金与铁质/铅质之分。"),
    "exercise.ex03_pyramid.q2.hint1": ("Count the rows whose tier is 'platinum'.",
                                       "数一数 tier 为 'platinum' 的行。"),
    "exercise.ex03_pyramid.q2.hint2": ("(tiers == \"platinum\").sum() on question 1's answer.",
                                       "对第 1 题的答案做 (tiers == \"platinum\").sum()。"),
    "exercise.ex03_pyramid.q2.mean": (
        "that is the count with a split at the mean; use the median split.",
        "这是按平均数划分得到的数量；请按中位数划分。"),
    "exercise.ex03_pyramid.q3.hint1": ("Which tier is low on current value?",
                                       "哪一类客户当前价值低？"),
    "exercise.ex03_pyramid.q3.hint2": (
        "Of the two tiers low on current value, one has high growth potential.",
        "当前价值低的两类客户中，有一类增值潜力高。"),
    "exercise.ex03_pyramid.q3.gold": (
        "gold customers are high on current value and low on potential: the other way round.",
        "黄金客户当前价值高、潜力低：正好相反。"),
    "exercise.ex03_pyramid.q4.hint1": (
        "Keep the rows of the pyramid whose tier is 'iron'.",
        "保留金字塔结果中 tier 为 'iron' 的行。"),
    "exercise.ex03_pyramid.q4.hint2": ("Sum their growth_potential column.",
                                       "对这些行的 growth_potential 求和。"),
    "exercise.ex03_pyramid.q4.mean": (
        "that total comes from a split at the mean; use crmsim's default median split.",
        "这个总数来自按平均数划分；请用 crmsim 默认的中位数划分。"),
    # set 04: credit
    "exercise.ex04_credit.q1.hint1": (
        "Equal weights: the score is the average of the six scores in each row.",
        "等权重：得分就是每行六项得分的平均值。"),
    "exercise.ex04_credit.q1.hint2": ("return scores.mean(axis=...) with the right axis.",
                                      "return scores.mean(axis=...)，注意 axis 的取值。"),
    "exercise.ex04_credit.q1.off_scale": (
        "some scores are off the 1-5 scale: the 6C score is a weighted mean of 1-5 scores, so "
        "it stays between 1 and 5 (a sum or a percentage does not).",
        "有得分超出 1-5 分范围：6C 得分是各项 1-5 分的加权平均，"
        "应在 1 到 5 之间（求和或百分比都不对）。"),
    "exercise.ex04_credit.q2.hint1": (
        "crmsim.credit_score(table) adds 'score' and 'grade' columns.",
        "crmsim.credit_score(table) 会添加 'score' 和 'grade' 列。"),
    "exercise.ex04_credit.q2.hint2": (
        "A score exactly on a cut-off gets the better grade: 4.0 is an A.",
        "恰好等于分界值的得分取较好的等级：4.0 为 A。"),
    "exercise.ex04_credit.q2.strict": (
        "customers whose score is exactly on a cut-off (e.g. 4.0) got the worse grade; a score "
        "on the cut-off gets the better one.",
        "得分恰好等于分界值（如 4.0）的客户被评为较差的等级；分界值应取较好的等级。"),
    "exercise.ex04_credit.q3.hint1": (
        "Paying on time says something about honesty and responsibility.",
        "按时付款反映的是诚信和责任感。"),
    "exercise.ex04_credit.q3.hint2": (
        "Look at crmsim.character_from_repayment.", "看看 crmsim.character_from_repayment。"),
    "exercise.ex04_credit.q3.capacity": (
        "capacity is the ability to run the business and so to repay; the record of actually "
        "paying on time is the best proxy for another C.",
        "能力指经营和偿付的能力；实际按时付款的记录最能反映的是另一个 C。"),
    "exercise.ex04_credit.q4.hint1": (
        "Find the grade of data.focus, then that grade's policy.",
        "先找出 data.focus 的信用等级，再看该等级的政策。"),
    "exercise.ex04_credit.q4.hint2": (
        "credit_score adds a payment_terms_days column.",
        "credit_score 会添加 payment_terms_days 列。"),
    "exercise.ex04_credit.q4.better_grade": (
        "that is the payment term of the next better grade; look up this customer's own grade.",
        "这是高一级信用等级的付款期限；请查该客户自己的等级。"),
    # set 05: relationship map
    "exercise.ex05_relationship_map.q1.hint1": (
        "data.map.customers_table() has a 'kind' column.",
        "data.map.customers_table() 有 'kind' 列。"),
    "exercise.ex05_relationship_map.q1.hint2": ("Count the rows whose kind is 'internal'.",
                                                "数一数 kind 为 'internal' 的行。"),
    "exercise.ex05_relationship_map.q1.external": (
        "that is the number of external customers.", "这是外部客户的数量。"),
    "exercise.ex05_relationship_map.q1.all": (
        "that is every customer on the map, external ones too.",
        "这是图上全部客户，包括外部客户。"),
    "exercise.ex05_relationship_map.q2.hint1": (
        "filter(...) is step 3 and rename(...) step 4; dimensions() lists the result.",
        "filter(...) 是第 3 步，rename(...) 是第 4 步；dimensions() 列出结果。"),
    "exercise.ex05_relationship_map.q2.hint2": (
        "team_map.filter(data.strategic).rename(data.renames), then len(team_map.dimensions()).",
        "team_map.filter(data.strategic).rename(data.renames)，再 len(team_map.dimensions())。"),
    "exercise.ex05_relationship_map.q2.pairs": (
        "you counted kept (customer, need) pairs; a dimension shared by several customers "
        "counts once.",
        "你数的是保留的（客户，需求）对；多个客户共有的维度只算一次。"),
    "exercise.ex05_relationship_map.q2.no_filter": (
        "that is every item on the map: step 3 keeps only the strategic ones.",
        "这是图上全部需求项：第 3 步只保留有战略价值的。"),
    "exercise.ex05_relationship_map.q3.hint1": (
        "Which step looks at needs from the organisation's point of view?",
        "哪一步从组织的角度审视需求？"),
    "exercise.ex05_relationship_map.q3.hint2": (
        "Steps 1 and 2 collect; one step decides what to keep.",
        "第 1、2 步是收集；有一步决定保留什么。"),
    "exercise.ex05_relationship_map.q3.rename": (
        "step 4 renames what was kept; the dropping happens before.",
        "第 4 步只为保留的项改名；剔除发生在之前。"),
    "exercise.ex05_relationship_map.q3.needs": (
        "step 2 lists every need, 'answering questions' included; it is dropped later.",
        "第 2 步列出所有需求，包括“解答问题”；它在之后才被剔除。"),
    "exercise.ex05_relationship_map.q4.hint1": (
        "A dimension names a result that can be measured, not an activity.",
        "评价维度描述可衡量的结果，而不是活动。"),
    "exercise.ex05_relationship_map.q4.hint2": ("Which option could you put a number on?",
                                                "哪个选项可以用数字衡量？"),
    "exercise.ex05_relationship_map.q4.activity": (
        "that describes an activity; step 4 names the result of it.",
        "这描述的是一项活动；第 4 步要命名其结果。"),
    "exercise.ex05_relationship_map.q4.unchanged": (
        "that is the need itself, not yet renamed as a result.",
        "这是需求本身，还没有改成结果的名称。"),
    # set 06: the funnel
    "exercise.ex06_funnel.q1.hint1": (
        "crmsim.sim.kpis has a function conversion(leads) that does exactly this.",
        "crmsim.sim.kpis 中的 conversion(leads) 正是做这件事的。"),
    "exercise.ex06_funnel.q1.hint2": (
        "from crmsim.sim.kpis import conversion, then conversion(data.leads).",
        "先 from crmsim.sim.kpis import conversion，再 conversion(data.leads)。"),
    "exercise.ex06_funnel.q1.all_leads": (
        "that is won over all leads, open ones included: leads still in the funnel are not "
        "lost yet; count only the months whose leads have all ended.",
        "这是成交数除以全部线索（含未结束的）：仍在流程中的线索尚未失败；只统计线索全部结束的月份。"),
    "exercise.ex06_funnel.q1.ended_leads": (
        "that is won over every ended lead: the open ones left out are the slowest, so this "
        "is biased too; keep only the arrival months whose leads have all ended.",
        "这是成交数除以所有已结束线索：被排除的未结束线索最慢，结果仍有偏差；只保留线索全部结束的到达月份。"),
    "exercise.ex06_funnel.q1.percent": ("that is a percentage; give a share between 0 and 1.",
                                        "这是百分数；请给出 0 到 1 之间的比例。"),
    "exercise.ex06_funnel.q2.hint1": (
        "Keep the rows of data.funnel whose step is 'contact'.",
        "保留 data.funnel 中 step 为 'contact' 的行。"),
    "exercise.ex06_funnel.q2.hint2": (
        "Sum passes and sum entries over the channels, then divide.",
        "把各渠道的 passes 与 entries 分别求和，再相除。"),
    "exercise.ex06_funnel.q2.mean_of_rates": (
        "that is the mean of the channels' pass rates: a channel with few leads weighs as "
        "much as a large one; divide the summed passes by the summed entries.",
        "这是各渠道通过率的平均值：线索很少的渠道与大渠道权重相同；应以通过总数除以进入总数。"),
    "exercise.ex06_funnel.q2.percent": ("that is a percentage; give a share between 0 and 1.",
                                        "这是百分数；请给出 0 到 1 之间的比例。"),
    "exercise.ex06_funnel.q3.hint1": (
        "What has not happened yet to a lead that is still open?",
        "仍未结束的线索，还有什么尚未发生？"),
    "exercise.ex06_funnel.q3.hint2": (
        "An open lead may still be won; counting it as not won biases the rate.",
        "未结束的线索仍可能成交；把它算作未成交会使转化率有偏差。"),
    "exercise.ex06_funnel.q3.always_lost": (
        "open leads can still be won: some of them are the furthest along.",
        "未结束的线索仍可能成交：其中一些已走到流程后段。"),
    "exercise.ex06_funnel.q3.channel": (
        "open leads come from every channel; the reason is time, not the channel.",
        "未结束的线索来自各个渠道；原因在于时间，而不是渠道。"),
    "exercise.ex06_funnel.q4.hint1": (
        "Group data.leads by channel and apply the conversion function to each group.",
        "按 channel 对 data.leads 分组，对每组使用 conversion 函数。"),
    "exercise.ex06_funnel.q4.hint2": (
        "rates = pd.Series({{ch: conversion(g) for ch, g in data.leads.groupby('channel')}}); "
        "then rates.idxmax().",
        "rates = pd.Series({{ch: conversion(g) for ch, g in data.leads.groupby('channel')}})，"
        "再 rates.idxmax()。"),
    "exercise.ex06_funnel.q4.most_leads": (
        "that channel brings the most leads, not the best rate of turning them into customers.",
        "该渠道带来的线索最多，但将线索转化为客户的比率并非最高。"),
    # set 07: structures
    "exercise.ex07_structures.q1.hint1": (
        "crmsim.compare(data.options, ...) returns a comparison; its .differences table has "
        "one row per scenario and KPI, against the first option.",
        "crmsim.compare(data.options, ...) 返回比较结果；其 .differences 表每个方案、每个指标一行，"
        "以第一个方案为基准。"),
    "exercise.ex07_structures.q1.hint2": (
        "Take the row with kpi 'net_contribution' and scenario 'dedicated_post', column "
        "mean_difference.",
        "取 kpi 为 'net_contribution'、scenario 为 'dedicated_post' 的行的 mean_difference 列。"),
    "exercise.ex07_structures.q1.reversed": (
        "the sign is reversed: the question asks for dedicated_post minus extended_roles.",
        "符号反了：题目要求的是 dedicated_post 减去 extended_roles。"),
    "exercise.ex07_structures.q1.revenue": (
        "that is the difference in revenue; a structure's costs show only in net contribution.",
        "这是收入的差异；组织结构的成本只体现在净贡献中。"),
    "exercise.ex07_structures.q2.hint1": (
        "The same row of comparison.differences has ci_low and ci_high.",
        "comparison.differences 的同一行有 ci_low 和 ci_high。"),
    "exercise.ex07_structures.q2.hint2": (
        "The interval excludes zero when both ends have the same sign.",
        "当区间两端符号相同时，区间不包含零。"),
    "exercise.ex07_structures.q3.hint1": (
        "Which structure serves customers across several business lines from one place?",
        "哪种结构能从一处为多条业务线的客户提供服务？"),
    "exercise.ex07_structures.q3.hint2": (
        "Its cost is large, and it fits large firms with many lines and a complex customer base.",
        "它的成本很高，适合业务线多、客户群庞大且复杂的大企业。"),
    "exercise.ex07_structures.q3.small": (
        "extending existing roles fits small firms with a narrow business and simple needs.",
        "扩大工作范围适合规模小、业务单一、客户需求简单的企业。"),
    "exercise.ex07_structures.q3.operations": (
        "a department with its own operations units fits very large, highly profitable "
        "customer groups that need special expertise or confidentiality.",
        "部门下设独立操作部门适合规模很大、利润很高、需要专门知识或保密的客户群。"),
    "exercise.ex07_structures.q4.hint1": (
        "comparison.summary has the mean of each KPI per scenario.",
        "comparison.summary 给出每个方案各指标的均值。"),
    "exercise.ex07_structures.q4.hint2": (
        "Keep the rows with kpi 'net_contribution' and take the scenario with the largest mean.",
        "保留 kpi 为 'net_contribution' 的行，取均值最大的方案。"),
    "exercise.ex07_structures.q4.revenue": (
        "that structure brings the most revenue, but its costs eat more than the extra sales; "
        "choose on net contribution.",
        "该结构收入最高，但其成本超过了增加的销售；请按净贡献选择。"),
    # set 08: star salespeople
    "exercise.ex08_star_salespeople.q1.hint1": (
        "Find the row of data.managers with the largest skill_start (idxmax).",
        "找出 data.managers 中 skill_start 最大的行（idxmax）。"),
    "exercise.ex08_star_salespeople.q1.hint2": (
        "m.loc[m['skill_start'].idxmax(), 'share_of_sales'].",
        "m.loc[m['skill_start'].idxmax(), 'share_of_sales']。"),
    "exercise.ex08_star_salespeople.q1.customers": (
        "that is the star's share of the customers; the question asks for the share of sales "
        "(big customers sit with the star).",
        "这是业务尖子所占的客户比例；题目问的是销售额比例（大客户集中在业务尖子手中）。"),
    "exercise.ex08_star_salespeople.q1.percent": (
        "that is a percentage; give a share between 0 and 1.",
        "这是百分数；请给出 0 到 1 之间的比例。"),
    "exercise.ex08_star_salespeople.q2.hint1": (
        "comparison.summary has one row per scenario and KPI with the mean.",
        "comparison.summary 每个方案、每个指标一行，含均值。"),
    "exercise.ex08_star_salespeople.q2.hint2": (
        "Subtract the mean lost_customers of star_stays from that of star_leaves.",
        "用 star_leaves 的 lost_customers 均值减去 star_stays 的。"),
    "exercise.ex08_star_salespeople.q2.defections": (
        "that counts only the customers who followed the star; lost_customers also counts "
        "those lost in the handover and afterwards.",
        "这只计算了跟随业务尖子离开的客户；lost_customers 还包括交接中及之后流失的客户。"),
    "exercise.ex08_star_salespeople.q2.reversed": (
        "the sign is reversed: star_leaves minus star_stays.",
        "符号反了：应为 star_leaves 减去 star_stays。"),
    "exercise.ex08_star_salespeople.q3.hint1": (
        "What stays with the firm when a salesperson leaves, if it was recorded?",
        "如果有记录，销售人员离开后什么会留在企业？"),
    "exercise.ex08_star_salespeople.q3.hint2": (
        "Knowledge in the system instead of in heads.",
        "知识存在系统中，而不是在人的脑子里。"),
    "exercise.ex08_star_salespeople.q3.stay": (
        "CRM does not stop anyone leaving; it changes what the firm keeps when they do.",
        "CRM 并不能阻止人员离开；它改变的是人员离开后企业能留住什么。"),
    "exercise.ex08_star_salespeople.q3.replace": (
        "CRM supports account managers, it does not replace them.",
        "CRM 是支持客户经理，而不是取代他们。"),
    "exercise.ex08_star_salespeople.q4.hint1": (
        "Use the means of comparison.summary for star_leaves_crm and star_leaves.",
        "使用 comparison.summary 中 star_leaves_crm 与 star_leaves 的均值。"),
    "exercise.ex08_star_salespeople.q4.hint2": (
        "means['net_contribution', 'star_leaves_crm'] - means['net_contribution', "
        "'star_leaves'].",
        "means['net_contribution', 'star_leaves_crm'] - means['net_contribution', "
        "'star_leaves']。"),
    "exercise.ex08_star_salespeople.q4.baseline": (
        "that is against star_stays (the first scenario, the baseline of "
        "comparison.differences); compare with star_leaves.",
        "这是与 star_stays（第一个方案，comparison.differences 的基准）比较的结果；"
        "应与 star_leaves 比较。"),
    "exercise.ex08_star_salespeople.q4.revenue": (
        "that is the revenue gain; CRM's licences and recording time show only in net "
        "contribution.",
        "这是收入的增加；CRM 的许可费和录入时间只体现在净贡献中。"),
    "exercise.ex08_star_salespeople.q5.hint1": (
        "Use your answer to question 4.",
        "使用第 4 题的答案。"),
    "exercise.ex08_star_salespeople.q5.hint2": (
        "A positive gain in net contribution means CRM pays for itself.",
        "净贡献增加为正，说明 CRM 能收回成本。"),
    # set 09: incentives and the three elements
    "exercise.ex09_incentives.q1.hint1": (
        "comparison.summary has the mean of each KPI per scenario.",
        "comparison.summary 给出每个方案各指标的均值。"),
    "exercise.ex09_incentives.q1.hint2": (
        "means['new_customers', 'deferred'] - means['new_customers', 'commission'].",
        "means['new_customers', 'deferred'] - means['new_customers', 'commission']。"),
    "exercise.ex09_incentives.q1.reversed": (
        "the sign is reversed: deferred minus commission.",
        "符号反了：应为 deferred 减去 commission。"),
    "exercise.ex09_incentives.q2.hint1": (
        "The same table as question 1, KPI mean_satisfaction.",
        "与第 1 题同一张表，指标 mean_satisfaction。"),
    "exercise.ex09_incentives.q2.hint2": (
        "means['mean_satisfaction', 'deferred'] - means['mean_satisfaction', 'commission'].",
        "means['mean_satisfaction', 'deferred'] - means['mean_satisfaction', 'commission']。"),
    "exercise.ex09_incentives.q2.reversed": (
        "the sign is reversed: deferred minus commission.",
        "符号反了：应为 deferred 减去 commission。"),
    "exercise.ex09_incentives.q2.percent": (
        "satisfaction is on a 0-1 scale; give the change on that scale, not in points of 100.",
        "满意度在 0-1 之间；请按该尺度给出变化，而不是百分制。"),
    "exercise.ex09_incentives.q3.hint1": (
        "Incentives, metrics and structure form one element.",
        "激励、考核指标和组织结构属于同一个要素。"),
    "exercise.ex09_incentives.q3.hint2": (
        "Most CRM failures trace back to this element.",
        "大多数 CRM 失败都可追溯到这个要素。"),
    "exercise.ex09_incentives.q3.orientation": (
        "orientation is the priority given to keeping customers; pay is how that priority is "
        "built into the organisation.",
        "定位是把留住客户放在首位；薪酬是把这一优先次序落实到组织中的方式。"),
    "exercise.ex09_incentives.q3.information": (
        "information is the customer knowledge shared through IT; pay is not part of it.",
        "信息是通过信息技术共享的客户知识；薪酬不属于这一要素。"),
    "exercise.ex09_incentives.q4.hint1": (
        "Buying a system before fixing priorities and pay is a classic mistake.",
        "在理顺优先次序和薪酬之前就购买系统，是典型的错误。"),
    "exercise.ex09_incentives.q4.hint2": (
        "The IT element.",
        "与信息技术相关的要素。"),
    "exercise.ex09_incentives.q4.configuration": (
        "configuration is where most CRM failures come from, so it cannot wait until last.",
        "大多数 CRM 失败源于架构，因此它不能放到最后。"),
    "exercise.ex09_incentives.q5.hint1": (
        "Compare the mean_satisfaction means of the two schemes.",
        "比较两种方案的 mean_satisfaction 均值。"),
    "exercise.ex09_incentives.q5.hint2": (
        "means['mean_satisfaction'].idxmax().",
        "means['mean_satisfaction'].idxmax()。"),
    "exercise.ex09_incentives.q5.new_customers": (
        "that scheme signs more new customers, but the goal was satisfied, loyal customers.",
        "该方案签下的新客户更多，但目标是满意、忠诚的客户。"),
    # set 10: rollout
    "exercise.ex10_rollout.q1.hint1": (
        "Before a team or a vendor, the firm must know what CRM is for.",
        "在组建团队或选择供应商之前，企业必须清楚 CRM 的目的。"),
    "exercise.ex10_rollout.q1.hint2": (
        "Goals such as satisfaction and close rate come first.",
        "满意度、成交率等目标最先确定。"),
    "exercise.ex10_rollout.q1.team": (
        "building the team is step 2: it needs the plan and goals of step 1.",
        "组建团队是第 2 步：它需要第 1 步的计划和目标。"),
    "exercise.ex10_rollout.q1.vendor": (
        "choosing a vendor is step 5, after the real needs are stated.",
        "选择供应商是第 5 步，在明确实际需求之后。"),
    "exercise.ex10_rollout.q2.hint1": (
        "Group the sweep's table by crm.adoption and take the mean of each KPI.",
        "按 crm.adoption 对 sweep 的结果表分组，取各指标均值。"),
    "exercise.ex10_rollout.q2.hint2": (
        "means.loc[0.0, 'lost_customers'] - means.loc[1.0, 'lost_customers'].",
        "means.loc[0.0, 'lost_customers'] - means.loc[1.0, 'lost_customers']。"),
    "exercise.ex10_rollout.q2.reversed": (
        "the sign is reversed: lost without CRM minus lost at full adoption.",
        "符号反了：应为无 CRM 时的流失数减去完全采用时的流失数。"),
    "exercise.ex10_rollout.q2.half": (
        "that compares 0.5 with 0.0; the question asks for full adoption (1.0).",
        "这是 0.5 与 0.0 的比较；题目问的是完全采用（1.0）。"),
    "exercise.ex10_rollout.q3.hint1": (
        "A phased rollout limits the risk of each step.",
        "分阶段部署可以控制每一步的风险。"),
    "exercise.ex10_rollout.q3.hint2": (
        "Test with a small group and train people before extending.",
        "先在小范围用户中测试并培训，再推广。"),
    "exercise.ex10_rollout.q3.big_bang": (
        "deploying everything at once is not a phased rollout, and untrained users "
        "record little.",
        "一次性全部上线不是分阶段部署，未经培训的用户也很少录入数据。"),
    "exercise.ex10_rollout.q3.reports": (
        "the most-needed functions come first, whoever asks loudest.",
        "最需要的功能优先，而不是谁要求得最急。"),
    "exercise.ex10_rollout.q4.hint1": (
        "Use the means per level from question 2, KPI net_contribution.",
        "使用第 2 题中各采用水平的均值，指标 net_contribution。"),
    "exercise.ex10_rollout.q4.hint2": (
        "means['net_contribution'].idxmax().",
        "means['net_contribution'].idxmax()。"),
    "exercise.ex10_rollout.q4.revenue": (
        "that level brings the most revenue; recording time and licences show only in net "
        "contribution.",
        "该水平收入最高；录入时间和许可费只体现在净贡献中。"),
}

#: reports and the command line (crmsim.report, crmsim.cli)
_REPORT_TERMS: dict[str, tuple[str, str]] = {
    "report.yes": ("yes", "是"),
    "demo.answer_question": (
        "Which account-manager structure should the company choose? (The simulation's answer; "
        "its trade-offs, horizon and figures are in the last section.)",
        "公司应选择哪种客户经理组织结构？（模拟的结论；权衡、时间跨度和数据见最后一部分。）",
    ),
    "demo.stage.data": ("reading the bundled company", "读取内置公司数据"),
    "demo.stage.abc": ("ABC classification and concentration", "ABC分类与集中度"),
    "demo.stage.pyramid": ("customer pyramids", "客户金字塔"),
    "demo.stage.credit": ("6C credit grades", "6C信用等级"),
    "demo.stage.map": ("customer relationship map", "客户关系图"),
    "demo.stage.lifecycle": ("lifecycle stages", "生命周期阶段"),
    "demo.stage.simulation": ("simulating the four account-manager structures",
                              "模拟四种客户经理组织结构"),
    "demo.stage.write": ("writing the report", "写入报告"),
    "report.no": ("no", "否"),
    "report.csv": ("CSV", "CSV数据"),
    # column headers of the tables in reports (crmsim.report.column_label)
    "col.class": ("Class", "类别"),
    "col.count": ("Count", "数量"),
    "col.share": ("Share", "占比"),
    "col.value": ("Value", "价值"),
    "col.share_of_customers": ("Share of customers", "客户占比"),
    "col.share_of_value": ("Share of value", "价值占比"),
    "col.value_share": ("Share of value", "价值占比"),
    "col.entity": ("Ranked", "排序对象"),
    "col.n": ("Number", "数量"),
    "col.total": ("Total", "合计"),
    "col.top10_share": ("Top 10% share", "前10%占比"),
    "col.top20_share": ("Top 20% share", "前20%占比"),
    "col.share_reaching_80": ("Share of them bringing 80%", "贡献80%所需的比例"),
    "col.gini": ("Gini", "基尼系数"),
    "col.tier": ("Tier", "层级"),
    "col.label": ("Name", "名称"),
    "col.grade": ("Grade", "等级"),
    "col.stage": ("Stage", "阶段"),
    "col.dimension": ("Evaluation dimension", "评价维度"),
    "col.items": ("Needs it comes from", "来源需求"),
    "col.customers": ("Customers", "客户"),
    "col.n_customers": ("Customers", "客户数"),
    "col.n_external": ("External", "外部客户"),
    "col.n_internal": ("Internal", "内部客户"),
    "col.parameter": ("Parameter", "参数"),
    "col.unit": ("Unit", "单位"),
    "col.description": ("Meaning", "含义"),
    "col.default": ("Default", "默认值"),
    "col.option": ("Option", "方案"),
    "col.kpi": ("KPI", "指标"),
    "col.KPI": ("KPI", "指标"),
    "col.month": ("Month", "月份"),
}


#: The manager's recommendation (crmsim.sim.decision): sentences with {placeholders}.
_DECISION_TERMS: dict[str, tuple[str, str]] = {
    "decision.unit_money": ("M CNY", "百万元"),
    "decision.unit_points": ("{x:.1f} percentage points", "{x:.1f} 个百分点"),
    "decision.ci": ("{level}% CI {low} to {high}", "{level}% 置信区间 {low} 至 {high}"),
    "decision.list_sep": ("; ", "；"),
    "decision.name_sep": (", ", "、"),
    "decision.single": (
        "Only one option was simulated ({option}): {value} net contribution over {months} "
        "months. Add another option to compare.",
        "只模拟了一个方案（{option}）：{months} 个月净贡献 {value}。请再加入一个方案进行比较。",
    ),
    "decision.best": (
        "Recommended: {option}. Over {months} months it earns {value} more net contribution "
        "than the next best option, {other} ({ci}).",
        "建议：{option}。在 {months} 个月内，它的净贡献比次优方案“{other}”多 {value}（{ci}）。",
    ),
    "decision.no_clear_best": (
        "No option is clearly best on net contribution: over {months} months {option} leads "
        "{other} by {value}, but the interval includes zero ({ci}), so the simulation cannot "
        "tell them apart.",
        "在净贡献上没有明显最优的方案：{months} 个月内“{option}”比“{other}”多 {value}，"
        "但区间包含零（{ci}），模拟无法区分两者。",
    ),
    "decision.judgement": (
        "Decide on the other criteria below, or run more replications.",
        "请依据下面的其他标准决定，或增加重复次数。",
    ),
    "decision.kpi_short_revenue": ("revenue", "收入"),
    "decision.kpi_short_active_customers_end": ("active customers", "活跃客户"),
    "decision.kpi_short_retention": ("retention of the initial book", "期初客户保留"),
    "decision.kpi_short_service_level": ("on-time service", "按时服务"),
    "decision.kpi_short_complaints": ("complaints", "投诉"),
    "decision.kpi_short_defections": ("customers kept when managers leave", "经理离职时的客户保留"),
    "decision.lean": (
        "On the other KPIs {option} is clearly better ({items}) and clearly worse on none, so it "
        "is the safer choice over {other}.",
        "在其他指标上，“{option}”明显更好（{items}），且没有任何指标明显更差，因此比“{other}”"
        "更稳妥。",
    ),
    "decision.best_on": (
        "{other} does best of all on {items}, but over {months} months it earns {value} less "
        "net contribution than {option}.",
        "“{other}”在{items}上表现最好，但在 {months} 个月内净贡献比“{option}”少 {value}。",
    ),
    "decision.trade_off": (
        "Trade-off: against {other}, {option} {items}.",
        "权衡：与“{other}”相比，“{option}”{items}。",
    ),
    "decision.also_better": (
        "Against {other}, {option} also {items}.",
        "与“{other}”相比，“{option}”还{items}。",
    ),
    "decision.no_trade_off": (
        "Against {other}, {option} is not clearly different on revenue, customers, service, "
        "complaints or defections.",
        "与“{other}”相比，“{option}”在收入、客户、服务、投诉和随经理流失的客户上没有明显差异。",
    ),
    "decision.kpi_revenue_more": ("brings {x} more revenue", "收入多 {x}"),
    "decision.kpi_revenue_less": ("brings {x} less revenue", "收入少 {x}"),
    "decision.kpi_active_customers_end_more": (
        "ends with {x} more active customers", "期末活跃客户多 {x} 个"),
    "decision.kpi_active_customers_end_less": (
        "ends with {x} fewer active customers", "期末活跃客户少 {x} 个"),
    "decision.kpi_retention_more": (
        "keeps {x} more of the initial book", "初始客户保留率高 {x}"),
    "decision.kpi_retention_less": (
        "keeps {x} less of the initial book", "初始客户保留率低 {x}"),
    "decision.kpi_service_level_more": (
        "serves requests on time {x} more often", "按时服务率高 {x}"),
    "decision.kpi_service_level_less": (
        "serves requests on time {x} less often", "按时服务率低 {x}"),
    "decision.kpi_complaints_more": ("draws {x} more complaints", "投诉多 {x} 次"),
    "decision.kpi_complaints_less": ("draws {x} fewer complaints", "投诉少 {x} 次"),
    "decision.kpi_defections_more": (
        "loses {x} more customers with departing managers", "随离职客户经理流失的客户多 {x} 个"),
    "decision.kpi_defections_less": (
        "loses {x} fewer customers with departing managers", "随离职客户经理流失的客户少 {x} 个"),
    "decision.crossover": (
        "Horizon: {option} starts behind {other} and overtakes it in cumulative net "
        "contribution in month {month} of {months}; over a horizon shorter than {month} months "
        "{other} would be ahead.",
        "时间跨度：“{option}”起初落后于“{other}”，在第 {month} 个月（共 {months} 个月）累计"
        "净贡献反超；如果考察期短于 {month} 个月，“{other}”会领先。",
    ),
    "decision.overtake_later": (
        "Horizon: by the end, {other} earns {gain} more per month than {option} (mean of the "
        "last {window} months); at that rate it would catch up about {after} months after the "
        "horizon, so a longer horizon may change the answer.",
        "时间跨度：到期末，“{other}”每月净贡献比“{option}”多 {gain}（最后 {window} 个月的平均）；"
        "按此速度，约在考察期结束后 {after} 个月追上，因此更长的考察期可能改变结论。",
    ),
    "decision.risk": (
        "Risk: share of sales carried by the single largest account manager: {items}.",
        "风险：最大的一位客户经理承担的销售份额：{items}。",
    ),
    "decision.risk_item": ("{option} {share:.0f}%", "“{option}”{share:.0f}%"),
    "decision.uncertainty": (
        "Uncertainty: {n} replications on common random numbers; every interval is a {level}% "
        "confidence interval of a paired difference, and a difference is called clear only "
        "when its interval excludes zero.",
        "不确定性：共 {n} 次重复，使用共同随机数；每个区间都是配对差值的 {level}% 置信区间，"
        "只有区间不含零时才称差异明显。",
    ),
}


#: The manager's dashboard (crmsim.widgets.dashboard, notebooks/dashboard.ipynb).
_DASHBOARD_TERMS: dict[str, tuple[str, str]] = {
    "dashboard.title": (
        "Manager's dashboard: how should we organise account management?",
        "管理者看板：客户经理制应如何安排？",
    ),
    "dashboard.intro": (
        "Choose the structures to compare and how the team works, optionally upload your own "
        "customer file, then press Run. Every option is simulated on the same customers and the "
        "same luck (common random numbers), so the differences between them are the options' "
        "doing.",
        "选择要比较的组织形式和团队的工作方式，可上传自己的客户文件，然后点击“运行比较”。"
        "每个方案都在相同的客户和相同的随机情况（共同随机数）下模拟，因此方案之间的差异来自方案本身。",
    ),
    "dashboard.language": ("Language", "语言"),
    "dashboard.structures": ("Structures to compare", "比较的组织形式"),
    "dashboard.structures_hint": (
        "Ctrl- or Shift-click to choose several; the first one chosen in the list is the "
        "baseline of the differences.",
        "按住 Ctrl 或 Shift 可多选；列表中选中的第一项是差值的比较基准。",
    ),
    "dashboard.allocation": ("Allocation rule", "客户分配机制"),
    "dashboard.incentives": ("Incentive scheme", "激励方案"),
    "dashboard.crm_adoption": ("CRM adoption", "CRM 采用程度"),
    "dashboard.team_size": ("Account managers", "客户经理人数"),
    "dashboard.replications": ("Replications", "重复次数"),
    "dashboard.months": ("Months", "模拟月数"),
    "dashboard.upload": ("Upload customer file", "上传客户文件"),
    "dashboard.clear_file": ("Use the classroom company", "改用课堂示例公司"),
    "dashboard.no_file": (
        "Company: the classroom company ({n} customers, synthetic). To simulate your own, "
        "upload a customer file (CSV or Excel) with a customer id and an annual wallet column "
        "(customer_id and annual_wallet, or 客户编号 and 年度采购潜力).",
        "公司：课堂示例公司（{n} 个客户，模拟数据）。如需模拟自己的公司，请上传客户文件"
        "（CSV 或 Excel），其中需有客户编号和年度采购潜力两列（customer_id 和 annual_wallet，"
        "或 客户编号 和 年度采购潜力）。",
    ),
    "dashboard.file_read": (
        "Company: {name}, {rows} customers. They are dealt to the team by annual wallet (the "
        "largest to senior managers) and lead rates are scaled to the size of the book.",
        "公司：{name}，{rows} 个客户。客户按年度采购潜力分配给团队（最大的分给资深客户经理），"
        "获客速度按客户数量同比例调整。",
    ),
    "dashboard.file_managers": (
        "The file names {k} account managers: the team size was set to {k}.",
        "文件中有 {k} 位客户经理：客户经理人数已设为 {k}。",
    ),
    "dashboard.column_dropped": (
        "Column '{column}' is not used: values such as {values} are not among {expected}.",
        "未使用“{column}”列：其中的 {values} 等取值不在 {expected} 之中。",
    ),
    "dashboard.file_error": ("Could not use the file: {error}", "无法使用该文件：{error}"),
    "dashboard.file_missing_columns": (
        "{name}: a customer file needs the columns {missing} (Chinese headers such as 客户编号 "
        "and 年度采购潜力 are understood); its columns are {found}.",
        "{name}：客户文件需要 {missing} 列（可使用 客户编号、年度采购潜力 等中文表头）；"
        "文件中的列为 {found}。",
    ),
    "dashboard.reading": ("How the file was read", "文件读取情况"),
    "dashboard.run": ("Run the comparison", "运行比较"),
    "dashboard.status_ready": ("Choose the settings and press Run.", "选择设置后点击“运行比较”。"),
    "dashboard.status_running": ("Running {total} simulations…", "正在运行 {total} 次模拟……"),
    "dashboard.status_done": (
        "Done: {total} simulations in {seconds:.1f} s.",
        "完成：{total} 次模拟，用时 {seconds:.1f} 秒。",
    ),
    "dashboard.status_stale": (
        "The settings changed since the last run: press Run to update the result.",
        "设置已在上次运行后更改：请点击“运行比较”更新结果。",
    ),
    "dashboard.status_failed": (
        "The run did not finish: see the message above.",
        "运行未完成：请看上面的提示。",
    ),
    "dashboard.need_structure": (
        "Choose at least one structure to compare.",
        "请至少选择一种组织形式。",
    ),
    "dashboard.unexpected": (
        "Something went wrong ({kind}): {error}",
        "出现问题（{kind}）：{error}",
    ),
    "dashboard.recommendation": ("Recommendation", "建议"),
    "dashboard.kpis": (
        "KPIs per option over {months} months: mean ± half-width of the 95% confidence "
        "interval over {n} replications",
        "各方案 {months} 个月的指标：{n} 次重复的均值 ± 95% 置信区间半宽",
    ),
    "dashboard.differences": (
        "Paired differences against {baseline} (same customers and luck in every option); "
        "* = the 95% interval excludes zero",
        "与“{baseline}”的配对差值（各方案客户与随机情况相同）；* 表示 95% 区间不含零",
    ),
    "dashboard.chart": ("Over time", "随时间变化"),
    "dashboard.download": ("Download the report (HTML)", "下载报告（HTML）"),
    "dashboard.download_zip": ("Report with its data tables (ZIP)", "报告及数据表（ZIP）"),
    "dashboard.settings": ("Settings", "设置"),
    "dashboard.setting": ("Setting", "项目"),
    "dashboard.value": ("Value", "取值"),
    "dashboard.company": ("Company", "公司"),
    "dashboard.classroom": (
        "classroom company, {n} customers (synthetic)",
        "课堂示例公司，{n} 个客户（模拟数据）",
    ),
    "dashboard.uploaded": ("{name}, {n} customers", "{name}，{n} 个客户"),
    "dashboard.seed": ("Seed", "随机种子"),
    "dashboard.options": ("Options compared", "比较的方案"),
    "dashboard.list_sep": (", ", "、"),
    "dashboard.report_title": (
        "Account-manager structures: what the simulation says",
        "客户经理制：模拟结果",
    ),
    "dashboard.report_note": (
        "Made with crmsim {version}. The same settings and seed give the same figures.",
        "由 crmsim {version} 生成。相同的设置和随机种子得到相同的结果。",
    ),
}


#: A scenario calibrated from a transaction history (crmsim.sim.calibrate, crmsim calibrate):
#: report headings, table columns, methods, measures and notes ({placeholders}).
_CALIBRATE_TERMS: dict[str, tuple[str, str]] = {
    "calibrate.title": ("Scenario calibrated from {source}", "根据 {source} 校准的情景"),
    "calibrate.intro": (
        "{rows} rows, {customers} customers, {start} to {as_of} ({months} complete months). "
        "The scenario starts on {scenario_start} with the {book} customers active on {as_of}.",
        "共 {rows} 行、{customers} 个客户，{start} 至 {as_of}（{months} 个完整月份）。"
        "情景从 {scenario_start} 开始，客户组合为截至 {as_of} 仍活跃的 {book} 个客户。",
    ),
    "calibrate.section.history": ("The history", "历史数据"),
    "calibrate.section.estimates": ("Estimated parameters", "参数估计"),
    "calibrate.section.transitions": (
        "Monthly moves between inferred stages (customer-months)",
        "推断阶段之间的月度转移（客户·月）",
    ),
    "calibrate.section.fit": ("Back-test: simulated vs actual", "回测：模拟值与实际值"),
    "calibrate.section.book": ("The book the scenario starts from", "情景的初始客户组合"),
    "calibrate.section.alive": (
        "Cross-check: BG/NBD probability alive vs lifecycle stage",
        "交叉检验：BG/NBD 存活概率与生命周期阶段",
    ),
    "calibrate.section.notes": ("Notes", "说明"),
    "calibrate.section.files": ("Files written", "输出文件"),
    "calibrate.estimates_intro": (
        "Each row is a scenario parameter: its estimate with a 95% interval (Wilson for "
        "transition rates, a bootstrap over customers for purchases, orders and margin), the "
        "value the scenario holds and the default it replaces. Rows marked 'default' could not "
        "be estimated and keep the base scenario's value.",
        "每行是一个情景参数：估计值及 95% 区间（转移概率用 Wilson 区间，采购、订单与毛利率用按客户"
        "重抽样的自助法）、情景中采用的值以及被替换的默认值。标为“默认值”的行无法从数据估计，"
        "保留基础情景的取值。",
    ),
    "calibrate.transitions_intro": (
        "Rows: stage at a month end; columns: stage at the next month end. Only months whose "
        "starting stage is trustworthy are counted (see the notes on censoring).",
        "行：月末所处阶段；列：下一个月末所处阶段。仅统计起始阶段可信的月份（见关于截尾的说明）。",
    ),
    "calibrate.fit_intro": (
        "The calibrated model simulated {replications} times from the book of {fit_start} over "
        "the {months} months that follow, against what happened. An in-sample check: the "
        "estimates use the same months. Verdict 'good': the history lies inside the simulated "
        "95% range in at least 80% of months and its mean is within 10% of the simulated mean; "
        "'fair': one of 50% of months or 20%; else 'poor'.",
        "用校准后的模型从 {fit_start} 的客户组合出发，对其后 {months} 个月模拟 {replications} 次，"
        "并与实际情况比较。这是样本内检验：估计使用了相同的月份。结论“好”：至少 80% 的月份实际值"
        "落在模拟的 95% 范围内，且均值与模拟均值相差不超过 10%；“一般”：满足 50% 的月份或 20% "
        "之一；否则为“差”。",
    ),
    "calibrate.no_fit": ("No back-test: the history is too short.", "没有回测：历史数据太短。"),
    "calibrate.alive_intro": (
        "The BG/NBD model (Fader, Hardie & Lee 2005), fitted by the lifetimes package, gives "
        "each customer a probability of still being active. Customers the rules call lost "
        "should mostly have a low probability. The model cannot see a customer drop out before "
        "a repeat purchase, so it gives one-time buyers a probability of 1: in data with many "
        "of them (a retailer), lost one-time buyers count as 'probably active' here.",
        "BG/NBD 模型（Fader、Hardie 与 Lee，2005），由 lifetimes 软件包拟合，给出每个客户仍然活跃"
        "的概率。规则判为流失的客户，其概率大多应较低。该模型无法识别在重复购买之前就已流失的"
        "客户，因此只购买过一次的客户概率为 1：在这类客户很多的数据中（如零售商），已流失的一次性"
        "购买者在此会被计为“可能仍活跃”。",
    ),
    "calibrate.file.scenario": ("Scenario (TOML)", "情景文件（TOML）"),
    "calibrate.file.customers": ("Book: customers (CSV)", "客户组合：客户（CSV）"),
    "calibrate.file.managers": ("Book: account managers (CSV)", "客户组合：客户经理（CSV）"),
    "calibrate.file.report": ("Report", "报告"),
    "calibrate.chart.revenue": ("Monthly revenue: actual vs simulated", "月收入：实际与模拟"),
    "calibrate.chart.stages": (
        "Customers per stage: actual vs simulated",
        "各阶段客户数：实际与模拟",
    ),
    "calibrate.chart.actual": ("actual", "实际"),
    "calibrate.chart.simulated": ("simulated (mean)", "模拟（均值）"),
    "calibrate.chart.range": ("simulated 95% range", "模拟 95% 范围"),
    # table columns
    "calibrate.col.parameter": ("Parameter", "参数"),
    "calibrate.col.estimate": ("Estimate", "估计值"),
    "calibrate.col.interval": ("95% interval", "95% 区间"),
    "calibrate.col.value": ("In the scenario", "情景采用值"),
    "calibrate.col.default": ("Default", "默认值"),
    "calibrate.col.n": ("n", "样本量"),
    "calibrate.col.method": ("How", "方法"),
    "calibrate.col.measure": ("Measure", "指标"),
    "calibrate.col.figure": ("Figure", "数值"),
    "calibrate.col.note": ("Note", "备注"),
    "calibrate.col.actual": ("Actual (mean)", "实际（均值）"),
    "calibrate.col.simulated": ("Simulated (mean)", "模拟（均值）"),
    "calibrate.col.difference": ("Difference", "差异"),
    "calibrate.col.mean_abs_error": ("Mean abs. error", "平均绝对误差"),
    "calibrate.col.inside": ("Months inside range", "落在范围内的月份"),
    "calibrate.col.range": ("Simulated 95% range", "模拟 95% 范围"),
    "calibrate.col.verdict": ("Fit", "拟合"),
    "calibrate.col.stage": ("Stage", "阶段"),
    "calibrate.col.customers": ("Customers", "客户数"),
    "calibrate.col.from_to": ("from \\ to", "从 \\ 到"),
    "calibrate.col.probably_alive": (
        "BG/NBD: probably active (p ≥ 0.5)",
        "BG/NBD：可能仍活跃（p ≥ 0.5）",
    ),
    "calibrate.col.probably_gone": (
        "BG/NBD: probably gone (p < 0.5)",
        "BG/NBD：可能已流失（p < 0.5）",
    ),
    "calibrate.col.mean_probability_alive": ("Mean probability alive", "平均存活概率"),
    "calibrate.col.file": ("File", "文件"),
    "calibrate.col.what": ("What", "内容"),
    # how a parameter was obtained
    "calibrate.method.transition_counts": ("counted moves (Markov)", "转移计数（马尔可夫）"),
    "calibrate.method.ratio": ("revenue / wallet", "收入 / 采购潜力"),
    "calibrate.method.poisson_profile": ("Poisson likelihood", "泊松似然"),
    "calibrate.method.margin": ("gross profit / revenue", "毛利 / 收入"),
    "calibrate.method.pilot_run": ("pilot simulation", "试运行模拟"),
    "calibrate.method.default": ("default (not estimable)", "默认值（无法估计）"),
    # fit measures and verdicts
    "calibrate.measure.revenue": ("Monthly revenue", "月收入"),
    "calibrate.measure.active_customers": ("Active customers", "活跃客户"),
    "calibrate.measure.customers_exploration": ("Customers in exploration", "考察期客户"),
    "calibrate.measure.customers_formation": ("Customers in formation", "形成期客户"),
    "calibrate.measure.customers_stability": ("Customers in stability", "稳定期客户"),
    "calibrate.measure.customers_decline": ("Customers in decline", "退化期客户"),
    "calibrate.measure.revenue_total": ("Revenue over the back-test", "回测期总收入"),
    "calibrate.verdict.good": ("good", "好"),
    "calibrate.verdict.fair": ("fair", "一般"),
    "calibrate.verdict.poor": ("poor", "差"),
    # figures of the history
    "calibrate.observed.rows": ("Rows used", "使用的行数"),
    "calibrate.observed.customers": ("Customers", "客户数"),
    "calibrate.observed.months": ("Complete months", "完整月份数"),
    "calibrate.observed.observable_customer_months": (
        "Customer-months with a trusted stage",
        "阶段可信的客户·月",
    ),
    "calibrate.observed.observed_moves": ("Month-to-month moves counted", "统计的月度转移"),
    "calibrate.observed.new_customers_per_month": ("New customers per month", "每月新增客户"),
    "calibrate.observed.annual_loss_observed": (
        "Annual loss, history (share of active customers)",
        "年流失率，历史（占活跃客户比例）",
    ),
    "calibrate.observed.annual_loss_implied": (
        "Annual loss implied by the estimated rates",
        "估计转移概率推算的年流失率",
    ),
    # notes
    "calibrate.note.wallet_table": (
        "Annual wallets come from the customers table (annual_wallet): share of wallet is the "
        "share of it bought from us.",
        "年度采购潜力取自客户表（annual_wallet）：钱包份额即客户向本公司购买的比例。",
    ),
    "calibrate.note.wallet_mixed": (
        "{n} customer(s) have no annual_wallet: theirs is their best quarter's spend times four, "
        "times {scale:.2f} (the median ratio of wallet to that rate among the others).",
        "{n} 个客户没有 annual_wallet：其采购潜力取最高季度消费额乘以四，再乘以 {scale:.2f}"
        "（其他客户采购潜力与该数值之比的中位数）。",
    ),
    "calibrate.note.wallet_proxy": (
        "No annual wallets were given: each customer's wallet is its best three consecutive "
        "months of spend times four (its yearly rate at its best), so share of wallet is the "
        "share of that rate, and the size elasticity mostly says that customers who bought more "
        "ordered more often. A young customer's best months understate what it may grow to.",
        "未提供年度采购潜力：每个客户的采购潜力取其最好的连续三个月消费额乘以四（即其最佳状态下的"
        "年消费水平），因此钱包份额是相对于该水平的比例，而规模弹性主要反映买得多的客户下单也"
        "更频繁。新客户的最佳月份会低估其增长潜力。",
    ),
    "calibrate.note.share_capped": (
        "Customers in {stage} bought {share:.0%} of their wallet proxy; the model's share of "
        "wallet is at most 100%, so it was set to 100%.",
        "{stage}客户的购买额为其采购潜力估计值的 {share:.0%}；模型中的钱包份额最多为 100%，"
        "因此设为 100%。",
    ),
    "calibrate.note.column_left_out": (
        "{source}: column '{column}' was left out of the book: values such as {values} are not "
        "the kit's categories (defaults used instead).",
        "{source}：列“{column}”未用于客户组合：{values} 等取值不属于本工具的类别（改用默认值）。",
    ),
    "calibrate.note.managers_from_customers": (
        "No managers table: the {n} managers named in the customers table serve the book, with "
        "default attributes (regular tier, skill 0.7).",
        "未提供客户经理表：由客户表中出现的 {n} 位客户经理服务客户组合，采用默认属性（普通级别，"
        "技能 0.7）。",
    ),
    "calibrate.note.managers_made": (
        "The data name no account managers: {n} made-up managers (one per {per} active "
        "customers, default attributes) serve the book, organised as in the base scenario.",
        "数据中没有客户经理：按每 {per} 个活跃客户一位，设定了 {n} 位虚拟客户经理（默认属性）"
        "服务客户组合，组织方式同基础情景。",
    ),
    "calibrate.note.managers_assigned": (
        "{n} customer(s) had no manager and were shared out in turn among the managers.",
        "{n} 个客户没有客户经理，已轮流分配给各位客户经理。",
    ),
    "calibrate.note.rows_after": (
        "{n} row(s) dated after {as_of} were ignored.",
        "{as_of} 之后的 {n} 行已忽略。",
    ),
    "calibrate.note.as_of_default": (
        "as_of defaults to {as_of}, the end of the month of the last order ({last}); if the "
        "export stops earlier in that month, give the date with as_of (--as-of).",
        "as_of 默认为最后一笔订单（{last}）所在月份的月末 {as_of}；如果导出数据在该月更早截止，"
        "请用 as_of（--as-of）指定日期。",
    ),
    "calibrate.note.partial_month": (
        "{as_of} is not a month end: the last, partial month is left out of the monthly "
        "estimates and the back-test; the book's stages are as of {as_of}.",
        "{as_of} 不是月末：最后一个不完整的月份不参与月度估计和回测；客户组合的阶段以 {as_of} "
        "为准。",
    ),
    "calibrate.note.too_few": (
        "Only {n} customer-month(s) start in {stage} (fewer than {min}): {parameter} keeps its "
        "default.",
        "只有 {n} 个客户·月起始于{stage}（少于 {min}）：{parameter} 保留默认值。",
    ),
    "calibrate.note.no_observable": (
        "No move between stages could be counted: customers who may have bought before the "
        "file starts need {guard} months of history before their stage can be trusted.",
        "无法统计阶段转移：可能在数据开始前已有购买的客户，需要 {guard} 个月的历史数据，其阶段"
        "才可信。",
    ),
    "calibrate.note.moved_stability_to_formation": (
        "{n} move(s) from stability back to formation (spend grew again) count as staying in "
        "stability: the model has no such move.",
        "{n} 次从稳定期回到形成期（消费再次增长）的转移按留在稳定期计算：模型中没有这种转移。",
    ),
    "calibrate.note.moved_decline_to_stability": (
        "{n} move(s) from decline straight back to stability count as recovery, which the model "
        "sends to formation: simulated customers then spend months in formation that the history "
        "puts back in stability.",
        "{n} 次从退化期直接回到稳定期的转移按恢复计算，而模型中恢复后进入形成期：模拟的客户因此"
        "会在形成期停留数月，而历史中他们已回到稳定期。",
    ),
    "calibrate.note.empty_funnel": (
        "The simulation starts with an empty development funnel: its first new customers arrive "
        "after the sales cycle (about two months), so it is short of young customers early on.",
        "模拟开始时开发漏斗是空的：首批新客户要经过一个销售周期（约两个月）才出现，因此初期"
        "新客户偏少。",
    ),
    "calibrate.note.moved_reactivated": (
        "{n} move(s) from lost back to buying: the model treats a lost customer as gone, so "
        "these returns are not simulated.",
        "{n} 次从流失恢复购买：模型视流失客户为永久离开，因此不模拟这些回流。",
    ),
    "calibrate.note.moved_exploration_to_lost": (
        "{n} move(s) from exploration straight to lost count as exploration → decline, the "
        "model's only way out of exploration downwards.",
        "{n} 次从考察期直接到流失的转移按考察期 → 退化期计算，这是模型中考察期向下的唯一路径。",
    ),
    "calibrate.note.margin_out_of_range": (
        "The gross margin in the data ({margin:.1%}) is outside 0-100%; the default is kept.",
        "数据中的毛利率（{margin:.1%}）不在 0-100% 之间；保留默认值。",
    ),
    "calibrate.note.no_profit": (
        "No gross-profit column: the gross margin keeps its default ({default:.0%}).",
        "没有毛利列：毛利率保留默认值（{default:.0%}）。",
    ),
    "calibrate.note.lost_left_out": (
        "{n} customer(s) already lost by the end of the history are not in the book.",
        "{n} 个在历史期末已流失的客户不在客户组合中。",
    ),
    "calibrate.note.no_orders": (
        "{n} customer(s) of {source} have no order in the history and are not in the book.",
        "{source} 中有 {n} 个客户在历史期内没有订单，不在客户组合中。",
    ),
    "calibrate.note.no_backtest": (
        "The history ({months} months) is too short for a back-test: it needs more than {need} "
        "months, or cohort=True (--cohort) when every customer's first order is in the file.",
        "历史数据（{months} 个月）太短，无法回测：需要超过 {need} 个月；如果每个客户的首单都在"
        "文件中，请使用 cohort=True（--cohort）。",
    ),
    "calibrate.note.acquisition": (
        "New customers: {observed:.1f} a month in the last {months} months of the history; the "
        "pilot simulation won {simulated:.1f} a month once its funnel had filled, so every "
        "channel's lead rates were multiplied by {factor:.2f}.",
        "新增客户：历史最后 {months} 个月每月 {observed:.1f} 个；试运行模拟在开发漏斗填满后每月"
        "获得 {simulated:.1f} 个，因此各渠道的线索量乘以 {factor:.2f}。",
    ),
    "calibrate.note.acquisition_kept": (
        "New customers could not be calibrated; the lead rates keep the base scenario's values.",
        "无法校准新增客户；线索量保留基础情景的取值。",
    ),
    "calibrate.note.defections": (
        "In the model customers also leave with a departing account manager (turnover): "
        "{defections:.1f} a month in the pilot simulation. The history's losses already include "
        "such departures, so decline → lost was lowered from {estimate:.3f} to {net:.3f} to "
        "count them once.",
        "模型中客户还会随离职的客户经理流失（人员流动）：试运行模拟中每月 {defections:.1f} 个。"
        "历史流失中已包含这类流失，因此将退化期 → 流失的概率从 {estimate:.3f} 降为 {net:.3f}，"
        "避免重复计算。",
    ),
    "calibrate.note.poor_fit": (
        "Poor fit for {measure}: the history lies inside the simulated 95% range in {inside:.0%} "
        "of months, and its mean differs from the simulated mean by {difference:+.0%}.",
        "{measure}拟合较差：实际值落在模拟 95% 范围内的月份占 {inside:.0%}，其均值与模拟均值"
        "相差 {difference:+.0%}。",
    ),
    "calibrate.note.seasonality": (
        "Revenue is seasonal (lowest in month {low} at {low_ratio:.0%} of the 12-month average, "
        "highest in month {high} at {high_ratio:.0%}); the model has no seasons, so monthly "
        "revenue leaves the simulated range in such months even when the year's total fits.",
        "收入有季节性（{low} 月最低，为 12 个月均值的 {low_ratio:.0%}；{high} 月最高，为 "
        "{high_ratio:.0%}）；模型没有季节性，因此即使全年总额吻合，这些月份的收入也会超出模拟范围。",
    ),
    "calibrate.note.loss_gap": (
        "The estimated rates imply an annual loss of {implied:.0%} of the customers active on "
        "{date}; the history shows {observed:.0%}. One rate per stage treats every customer in "
        "a stage alike, while in the history some customers decline for good and many bounce "
        "back within a month or two.",
        "估计的转移概率推算出 {date} 的活跃客户年流失率为 {implied:.0%}；历史实际为 "
        "{observed:.0%}。每个阶段只有一个转移概率，把同一阶段的客户一视同仁，而历史中有些客户"
        "一去不返，更多客户在一两个月内就恢复。",
    ),
    "calibrate.note.lost_wave": (
        "The rules call a customer lost exactly {months} silent months after the last order, so "
        "losses in the history come in waves after a burst of first orders; a constant monthly "
        "rate spreads them out.",
        "规则在最后一笔订单后恰好 {months} 个月无订单时判为流失，因此首单集中的客户会成批流失；"
        "恒定的月度概率会把这些流失平摊开。",
    ),
    "calibrate.note.defaults_kept": (
        "Not informed by transactions, kept from the base scenario: the funnel, the channels' "
        "costs and quality, service, credit, structure, allocation, pay, CRM, team, turnover, "
        "the company profile, and the satisfaction weights and sensitivities of the lifecycle.",
        "交易数据无法提供、沿用基础情景的参数：开发漏斗、各渠道的成本与质量、服务、信用、组织"
        "结构、客户分配、薪酬、CRM、团队、人员流动、公司概况，以及生命周期中的满意度权重与敏感度。",
    ),
    "calibrate.note.censored": (
        "{n} of {total} customers may have bought before the file starts (left-censored); "
        "their stages are used from {start} on, when the rules' look-back lies inside the "
        "history.",
        "{total} 个客户中有 {n} 个可能在数据开始前已有购买（左截尾）；其阶段从 {start} 起才使用，"
        "此时规则回看的时间段已完全落在历史数据内。",
    ),
    "calibrate.note.cohort_hint": (
        "The history ({months} months) is too short to trust the stages of customers who may "
        "have bought before it; if every customer's first order is in the file (a cohort, such "
        "as CDNOW), pass cohort=True (--cohort).",
        "历史数据（{months} 个月）太短，无法确定可能更早购买过的客户的阶段；如果每个客户的首单都"
        "在文件中（如 CDNOW 这样的同期群），请使用 cohort=True（--cohort）。",
    ),
    "calibrate.note.alive_failed": (
        "No BG/NBD cross-check: {reason}.",
        "没有 BG/NBD 交叉检验：{reason}。",
    ),
    "calibrate.error.output_exists": (
        "{path!r} already exists; use --force to replace it, or choose another name with --out",
        "{path!r} 已存在；使用 --force 覆盖，或用 --out 另选文件名",
    ),
}


#: What-if comparisons (crmsim.app.whatif): scheduled events and their counterfactuals.
_WHATIF_TERMS: dict[str, tuple[str, str]] = {
    "whatif.event.star_leaves": (
        "the star account manager leaves at the start of month {month}",
        "业务尖子在第 {month} 个月初离职",
    ),
    "whatif.without.star_leaves": ("star stays", "业务尖子留任"),
    "whatif.without.events": ("without its scheduled events", "不发生计划事件"),
    # charts of the manager's report (crmsim.app.charts)
    "whatif.chart.month": ("Month", "月份"),
    "whatif.chart.monthly_title": ("{kpi} per month: mean and 95% band",
                                   "每月{kpi}：均值与95%置信带"),
    "whatif.chart.cumulative_title": ("Cumulative {kpi}: mean and 95% band",
                                      "累计{kpi}：均值与95%置信带"),
    "whatif.chart.difference_axis": ("{kpi}: difference to {against}", "{kpi}：与“{against}”之差"),
    "whatif.chart.difference_title": ("Paired difference with its 95% interval",
                                      "配对差值及其95%置信区间"),
    "whatif.chart.top_manager": ("Largest account manager", "最大的一位客户经理"),
    "whatif.chart.top_fifth": ("Top fifth of the managers", "前五分之一的客户经理"),
    "whatif.chart.share_of_sales": ("Share of sales", "销售额占比"),
    "whatif.chart.concentration_title": ("How concentrated sales are on few managers",
                                         "销售额在少数客户经理身上的集中程度"),
    "whatif.chart.tornado_title": ("What moves the answer: one parameter at a time",
                                   "影响结论的因素：逐一改变参数"),
    "whatif.chart.marker.star_leaves": ("star leaves", "业务尖子离职"),
    "whatif.chart.no_change": ("no change", "无变化"),
    "whatif.chart.flips": ("another option leads beyond this line", "越过此线则另一方案领先"),
    # sensitivity studies (crmsim.app.sensitivity, crmsim sweep)
    "whatif.sweep.measure_single": (
        "Net contribution of {option} (CNY)",
        "“{option}”的净贡献（元）",
    ),
    "whatif.sweep.measure_lead": (
        "Lead of {option} over {other} in net contribution (CNY)",
        "“{option}”相对“{other}”的净贡献领先额（元）",
    ),
    # the manager's report (crmsim.app.manager_report)
    "whatif.report.title": ("What-if comparison: {options}", "方案比较：{options}"),
    "whatif.report.vs": (" vs ", " 对比 "),
    "whatif.report.or": (" or ", "还是"),
    "whatif.report.subtitle": (
        "crmsim {version} · {n} replications of {months} months on common random numbers · "
        "seed {seed}",
        "crmsim {version} · 每个方案 {n} 次重复、每次 {months} 个月，使用共同随机数 · "
        "随机种子 {seed}",
    ),
    "whatif.report.question_choose": (
        "Question: over the next {months} months, which option serves the company best: "
        "{options}?",
        "问题：在未来 {months} 个月内，哪个方案对公司最有利：{options}？",
    ),
    "whatif.report.question_event": (
        "Question: what does it cost if {events}, over {months} months?",
        "问题：如果{events}，在 {months} 个月内会带来多大损失？",
    ),
    "whatif.report.question_single": (
        "Question: what does {option} bring over {months} months?",
        "问题：“{option}”在 {months} 个月内会带来什么结果？",
    ),
    "whatif.report.options_heading": ("The options", "备选方案"),
    "whatif.report.is_baseline": ("the baseline, against which differences are measured",
                                  "基准方案，其他方案与之比较"),
    "whatif.report.same_as_baseline": ("the same parameters as the baseline",
                                       "参数与基准方案相同"),
    "whatif.report.changes": ("changes {items}", "改变了 {items}"),
    "whatif.report.and_more": (" and {n} more (see the assumptions)",
                               " 等，另有 {n} 项（见假设部分）"),
    "whatif.report.structure_change": ("the structure to {name}", "组织结构改为“{name}”"),
    "whatif.report.event_cost": (
        "What it costs: in {option}, {events}. Against the same option without it ({without}), "
        "on the same random numbers: net contribution {net} ({ci}), revenue {revenue}, "
        "customers leaving with a departing manager {defections}, active customers at the end "
        "{active}.",
        "代价：在“{option}”中，{events}。与不发生该事件的同一方案（“{without}”，相同随机数）相比："
        "净贡献 {net}（{ci}），收入 {revenue}，随离职客户经理流失的客户 {defections} 个，"
        "期末活跃客户 {active} 个。",
    ),
    "whatif.report.top_share_header": ("Largest manager's share of sales",
                                       "最大客户经理的销售占比"),
    "whatif.report.glance_caption": (
        "At a glance: mean over {n} replications of {months} months (details and intervals "
        "below)",
        "一览：{n} 次重复、每次 {months} 个月的均值（详细数据与区间见下文）",
    ),
    "whatif.report.highlight_note": (
        "The highlighted row is the option the recommendation points to: {option}.",
        "高亮行为建议采用的方案：“{option}”。",
    ),
    "whatif.report.kpi_heading": ("KPIs with 95% confidence intervals",
                                  "各项指标及其95%置信区间"),
    "whatif.report.kpi_intro": (
        "Each option was simulated {n} times. Replication i of every option sees the same "
        "customers, leads and luck wherever the mechanics agree (common random numbers), so the "
        "paired differences to the baseline ({baseline}) measure the choice rather than the "
        "noise. Figures are the mean ± the half-width of its 95% confidence interval; * marks a "
        "difference whose interval excludes zero.",
        "每个方案模拟 {n} 次。各方案的第 i 次重复在机制相同之处面对相同的客户、线索和运气"
        "（共同随机数），因此与基准方案（“{baseline}”）的配对差值反映的是方案本身而非随机波动。"
        "数字为均值 ± 95%置信区间的半宽；* 表示区间不含零的差异。",
    ),
    "whatif.report.kpi_caption": ("KPIs over {months} months (mean ± 95% CI, {n} replications)",
                                  "{months} 个月的指标（均值 ± 95%置信区间，{n} 次重复）"),
    "whatif.report.difference_caption": (
        "Paired difference to {baseline} (± 95% CI; * = the interval excludes zero)",
        "与“{baseline}”的配对差值（± 95%置信区间；* = 区间不含零）",
    ),
    "whatif.report.forest_caption": (
        "Net contribution over the whole run: paired difference to the baseline with its 95% "
        "interval (dark: the interval excludes zero).",
        "整个模拟期的净贡献：与基准方案的配对差值及其95%置信区间（深色：区间不含零）。",
    ),
    "whatif.report.time_heading": ("Over time", "随时间的变化"),
    "whatif.report.time_intro": (
        "Lines are the mean over the replications, bands the 95% confidence interval of that "
        "mean; a dashed red line marks a scheduled event, a dotted line the month one option "
        "overtakes another.",
        "曲线为各次重复的均值，阴影为该均值的95%置信区间；红色虚线标出计划事件，点线标出一个方案"
        "反超另一个方案的月份。",
    ),
    "whatif.report.crossover_marker": ("{option} overtakes {other}", "“{option}”反超“{other}”"),
    "whatif.report.cumulative_caption": (
        "Cumulative net contribution: where the lines cross, the answer depends on the horizon.",
        "累计净贡献：曲线相交之处，结论取决于考察期的长短。",
    ),
    "whatif.report.monthly_caption_net_contribution": (
        "Net contribution per month: a rising line means an option earns more each month.",
        "每月净贡献：曲线上升表示方案每月的收益在增加。",
    ),
    "whatif.report.monthly_caption_revenue": ("Revenue per month.", "每月收入。"),
    "whatif.report.monthly_caption_active_customers": (
        "Active customers at the end of each month.", "每月末的活跃客户数。"),
    "whatif.report.monthly_caption_service_level": (
        "Share of the month's service requests resolved within the response target.",
        "每月在响应时限内解决的服务请求占比。",
    ),
    "whatif.report.risk_heading": ("Risk", "风险"),
    "whatif.report.event_heading": ("What the scheduled event costs", "计划事件的代价"),
    "whatif.report.event_intro": (
        "A scheduled event is compared with the same option without it, on the same random "
        "numbers: the difference is what the event costs.",
        "计划事件与不发生该事件的同一方案（使用相同随机数）进行比较：两者之差即事件的代价。",
    ),
    "whatif.report.event_caption": (
        "What the event costs: option minus the same option without it (± 95% CI; * = the "
        "interval excludes zero)",
        "事件的代价：方案减去不发生事件的同一方案（± 95%置信区间；* = 区间不含零）",
    ),
    "whatif.report.event_gap_title": ("Cumulative cost of the event in net contribution",
                                      "事件对累计净贡献的影响"),
    "whatif.report.event_gap_caption": (
        "Cumulative net contribution of the option minus the same option without the event, "
        "month by month, with its 95% band.",
        "方案与不发生事件的同一方案之间累计净贡献的逐月差值，及其95%置信带。",
    ),
    "whatif.report.no_event": (
        "No option schedules an event such as a star leaving. To see what losing the best "
        "account manager would cost, add turnover.star_leaves_month (e.g. --set "
        "turnover.star_leaves_month=6): the report then compares it with the star staying.",
        "没有方案安排业务尖子离职等计划事件。若想了解失去最优秀的客户经理的代价，请加入 "
        "turnover.star_leaves_month（例如 --set turnover.star_leaves_month=6），报告会将其与"
        "业务尖子留任的情形比较。",
    ),
    "whatif.report.concentration_caption": (
        "Share of sales carried by the largest account manager and by the top fifth of the "
        "managers (mean with 95% interval): the higher, the more a departure would cost.",
        "最大的一位客户经理和前五分之一客户经理承担的销售份额（均值及95%置信区间）："
        "越高，人员离职的代价越大。",
    ),
    "whatif.report.assumptions_heading": ("Assumptions", "假设"),
    "whatif.report.changed_caption": (
        "Every parameter that differs from the defaults (Scenario().describe() lists them all, "
        "with their meaning)",
        "与默认值不同的全部参数（Scenario().describe() 列出所有参数及其含义）",
    ),
    "whatif.report.nothing_changed": ("Every parameter has its documented default.",
                                      "所有参数均为文档中的默认值。"),
    "whatif.report.data_heading": ("The data the book came from", "初始客户数据的来源"),
    "whatif.report.book_bundled": (
        "The bundled office-supplies company (crmsim.datasets): about 600 customers and 15 "
        "account managers. Its data are synthetic, made by a seeded program.",
        "内置的办公用品公司（crmsim.datasets）：约600位客户、15位客户经理。数据由带随机种子的程序"
        "合成。",
    ),
    "whatif.report.book_synthetic": (
        "A synthetic book of {customers} customers and {managers} account managers, generated "
        "from seed {seed}.",
        "合成的客户数据：{customers} 位客户、{managers} 位客户经理，随机种子 {seed}。",
    ),
    "whatif.report.book_tables": ("Your own customer and manager tables: {files}.",
                                  "您自己的客户与客户经理数据：{files}。"),
    "whatif.report.book_frames": ("tables given in Python", "在 Python 中传入的数据表"),
    "whatif.report.leaves_out_heading": ("What the model leaves out", "模型没有考虑的因素"),
    "whatif.report.leaves_out_1": (
        "Competitors, prices, products and the economy: the market stays as it is over the "
        "horizon.",
        "竞争对手、价格、产品和宏观经济：在考察期内市场保持不变。",
    ),
    "whatif.report.leaves_out_2": (
        "Seasons and trends: leads and service requests arrive at steady mean rates.",
        "季节和趋势：销售线索和服务请求以稳定的平均速率到达。",
    ),
    "whatif.report.leaves_out_3": (
        "The change itself: the cost and disruption of reorganising, beyond training and "
        "hiring, and people's reactions to it (morale, resistance, who leaves because of it).",
        "变革本身：除培训和招聘外的重组成本与干扰，以及员工的反应（士气、抵触、因此离职的人）。",
    ),
    "whatif.report.leaves_out_4": (
        "People as people: managers differ only by skill, tier and specialty; team cohesion "
        "and personal relationships are not modelled.",
        "人的个性：客户经理只在技能、层级和专长上不同；团队凝聚力和人际关系没有建模。",
    ),
    "whatif.report.leaves_out_5": (
        "The teaching defaults: the structures' effects are plausible teaching values "
        "(crmsim.sim.structures), not measured on your firm; check the parameters above "
        "against what you know.",
        "教学默认值：各组织结构的效果是合理的教学取值（crmsim.sim.structures），并非在贵公司"
        "测得；请对照上面的参数检查是否符合实际。",
    ),
    "whatif.report.leaves_out_6": (
        "Anything after the horizon: figures stop at the last simulated month.",
        "考察期之后的情况：数字止于最后一个模拟月份。",
    ),
    "whatif.report.method_heading": ("How it was computed", "计算方法"),
    "whatif.report.method": (
        "Discrete-event simulation (SimPy) of the funnel, the lifecycle, service and turnover; "
        "{n} replications per option with seed {seed} (crmsim {version}). The same seed gives "
        "the same report.",
        "对开发漏斗、生命周期、服务和人员流动进行离散事件模拟（SimPy）；每个方案 {n} 次重复，"
        "随机种子 {seed}（crmsim {version}）。相同的随机种子得到相同的报告。",
    ),
    "whatif.report.hash_caption": ("The scenarios run (hash identifies every parameter)",
                                   "运行的情景（哈希值标识全部参数）"),
    "whatif.report.sweep_title": ("What moves the answer: {options}", "影响结论的因素：{options}"),
    "whatif.report.sweep_question": (
        "Question: does the answer change when {parameters} take other values?",
        "问题：当 {parameters} 取其他值时，结论会改变吗？",
    ),
    "whatif.report.sweep_single": (
        "At its own parameters {option} earns {value} net contribution over {months} months; "
        "the chart shows how far each parameter moves that figure.",
        "按原有参数，“{option}”在 {months} 个月内的净贡献为 {value}；"
        "图中显示各参数对该数字的影响。",
    ),
    "whatif.report.sweep_base": (
        "At the options' own parameters {option} leads {other} by {value} net contribution over "
        "{months} months.",
        "按各方案原有参数，“{option}”在 {months} 个月内的净贡献比“{other}”多 {value}。",
    ),
    "whatif.report.sweep_holds": (
        "No value tried makes another option lead: the answer holds over these ranges.",
        "所试的取值都不会让另一个方案领先：在这些范围内结论不变。",
    ),
    "whatif.report.sweep_changes": (
        "These values make another option lead, so the answer depends on them: {items}.",
        "以下取值会让另一个方案领先，因此结论取决于它们：{items}。",
    ),
    "whatif.report.sweep_flip": ("{parameter} = {value} ({option} leads)",
                                 "{parameter} = {value}（“{option}”领先）"),
    "whatif.report.sweep_largest": (
        "{what} moves most with {parameter}: {low_measure} at {low} and {high_measure} at "
        "{high}, against {base} at the options' own values.",
        "{what}受 {parameter} 影响最大：取 {low} 时为 {low_measure}，取 {high} 时为 "
        "{high_measure}，而按各方案原值为 {base}。",
    ),
    "whatif.report.sweep_what_single": ("Net contribution", "净贡献"),
    "whatif.report.sweep_what_lead": ("The lead", "领先额"),
    "whatif.report.sweep_method": (
        "One parameter at a time, the others at the options' own values; {n} replications per "
        "point on common random numbers, so each change is a paired difference.",
        "每次只改变一个参数，其余保持各方案的原值；每个点 {n} 次重复，使用共同随机数，"
        "因此每个变化都是配对差值。",
    ),
    "whatif.report.tornado_caption": (
        "Each bar runs from the base point (grey line) to the measure at the parameter's "
        "values; a starred, red parameter has a value at which another option leads.",
        "每根条形从基准点（灰线）延伸到参数取各值时的结果；带星号的红色参数存在让另一方案领先的取值。",
    ),
    "whatif.report.sweep_points_heading": ("Every point", "所有取值点"),
    "whatif.report.sweep_points_caption": (
        "The measure at every point, and its paired change against the base point (± 95% CI, "
        "{n} replications)",
        "每个取值点的结果及其相对基准点的配对变化（± 95%置信区间，{n} 次重复）",
    ),
    "whatif.report.sweep_base_point": ("(base point)", "（基准点）"),
    "whatif.report.sweep_leader": ("Leading option", "领先方案"),
    "whatif.report.sweep_effect": ("Change against the base point (CNY)", "相对基准点的变化（元）"),
    "whatif.report.data_files_heading": ("The data behind the tables and charts",
                                         "表格和图表背后的数据"),
    "whatif.report.data_files": (
        "Each file is in the tables folder beside this page, in CSV (UTF-8), with raw numbers "
        "(money in CNY, shares between 0 and 1).",
        "每个文件都在本页旁的 tables 文件夹中，为 CSV（UTF-8）格式，数字为原始值"
        "（金额单位为元，比例在0到1之间）。",
    ),
}


def _merge_sections(*tables: dict[str, tuple[str, str]]) -> None:
    for table in tables:
        clash = sorted(set(table) & set(TERMS))
        if clash:
            raise RuntimeError(f"crmsim.terms: keys defined twice: {clash}")
        TERMS.update(table)


_merge_sections(
    _CHART_TERMS, _WIDGET_TERMS_A, _WIDGET_TERMS_B, _WIDGET_TERMS_C, _KPI_TERMS,
    _READING_TERMS, _EXERCISE_TERMS, _REPORT_TERMS, _DECISION_TERMS, _DASHBOARD_TERMS,
    _CALIBRATE_TERMS, _WHATIF_TERMS,
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
