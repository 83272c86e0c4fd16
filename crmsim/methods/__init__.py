"""Textbook CRM methods as pure functions over pandas DataFrames.

One module per method: ``abc`` (ABC classification), ``concentration`` (80/20, Lorenz, Gini),
``pyramid`` (customer pyramid, profitability pyramid), ``value`` (historical, current and
potential value), ``credit`` (6C credit analysis), ``relationship_map`` (the customer
relationship map) and ``lifecycle`` (lifecycle stage inference).
"""

from crmsim.methods.abc import ABC_CLASSES, abc_classify, abc_excluded, abc_summary
from crmsim.methods.concentration import (
    concentration_summary,
    gini,
    lorenz_curve,
    share_reaching,
    top_share,
)
from crmsim.methods.credit import (
    DEFAULT_POLICIES,
    CreditPolicy,
    character_from_repayment,
    credit_grade,
    credit_policy,
    credit_score,
    grade_summary,
)
from crmsim.methods.lifecycle import LifecycleRules, infer_stage, stage_history, stage_mix
from crmsim.methods.pyramid import (
    PYRAMID_TIERS,
    STRATEGIES,
    customer_pyramid,
    profitability_pyramid,
    pyramid_summary,
)
from crmsim.methods.relationship_map import RelationshipMap
from crmsim.methods.value import customer_value
from crmsim.terms import GRADES, SIX_C, STATES

__all__ = [
    "ABC_CLASSES", "abc_classify", "abc_excluded", "abc_summary",
    "concentration_summary", "gini", "lorenz_curve", "share_reaching", "top_share",
    "DEFAULT_POLICIES", "GRADES", "SIX_C", "CreditPolicy", "character_from_repayment",
    "credit_grade", "credit_policy", "credit_score", "grade_summary",
    "STATES", "LifecycleRules", "infer_stage", "stage_history", "stage_mix",
    "PYRAMID_TIERS", "STRATEGIES", "customer_pyramid", "profitability_pyramid", "pyramid_summary",
    "RelationshipMap", "customer_value",
]
