"""The kit's shared vocabulary and its translations (English, 中文).

Everything a user reads — category names, chart titles and axes, widget labels, table headers,
report text, exercise feedback — is looked up here, so the English and Chinese words never
disagree and a newcomer knows where to change one.

- :mod:`crmsim.terms.vocabulary`: the **identifiers** the code uses (:data:`STAGES`,
  :data:`GRADES`, :data:`SIX_C`, :data:`STRUCTURES`, :data:`RULES`, :data:`CHANNELS`,
  :data:`STEPS`, ...) in their canonical order, :data:`COLUMN_ALIASES` (Chinese headers of users'
  exports → the kit's column names) and :func:`canonical` (``canonical("structure", "扩大工作范围")
  == "extended_roles"``).
- :mod:`crmsim.terms.catalog`: the **words**, as data — gettext catalogs in ``locale/``, one per
  language (the English template ``crmsim.pot``, Simplified Chinese in
  ``zh_Hans/LC_MESSAGES/crmsim.po``). :func:`label` looks a key up in the current language;
  :data:`TERMS` maps a key to ``(English, 中文)``.
- The **language** is ``"en"``, ``"zh"`` or ``"both"`` (``"English (中文)"``), set for the whole
  session with :func:`set_language`, for a block with :func:`language`, or per call with
  ``lang=``.

This package imports nothing from the rest of crmsim.
"""

from crmsim.terms.catalog import (
    LANGUAGES,
    TERMS,
    get_language,
    label,
    labels,
    language,
    resolve_language,
    set_language,
)
from crmsim.terms.money import get_money, money, money_unit
from crmsim.terms.parameters import currency_label, parameter_label, unit_label, value_label
from crmsim.terms.vocabulary import (
    ABC_CLASSES,
    CHANNELS,
    COLUMN_ALIASES,
    CUSTOMER_TYPES,
    GRADES,
    INDUSTRY_GROUPS,
    PYRAMID_TIERS,
    RULES,
    SCHEMES,
    SIX_C,
    SOLUTION_TYPES,
    SPECIALTIES,
    STAGES,
    STATES,
    STEPS,
    STRUCTURES,
    TIERS,
    VOCABULARIES,
    canonical,
    glossary,
)

__all__ = [
    "ABC_CLASSES", "CHANNELS", "COLUMN_ALIASES", "CUSTOMER_TYPES", "GRADES", "INDUSTRY_GROUPS",
    "LANGUAGES", "PYRAMID_TIERS", "RULES", "SCHEMES", "SIX_C", "SOLUTION_TYPES", "SPECIALTIES",
    "STAGES", "STATES", "STEPS", "STRUCTURES", "TERMS", "TIERS", "VOCABULARIES", "canonical",
    "currency_label", "get_language", "get_money", "glossary", "label", "labels", "language",
    "money", "money_unit", "parameter_label", "resolve_language", "set_language", "unit_label",
    "value_label",
]  # fmt: skip
