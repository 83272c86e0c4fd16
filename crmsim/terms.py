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
}

#: widget labels and messages, lessons 06-10 (crmsim.widgets)
_WIDGET_TERMS_C: dict[str, tuple[str, str]] = {
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
