"""Scenario parameters, their units and values, as a reader sees them (English or Chinese).

A scenario parameter is a dotted path (``structure.monthly_overhead``,
``channels['referral'].leads_per_month``); its unit is the text a parameter declares
(``CNY/month``). Pages show them through the catalogs: ``param.<path>`` for the name (one entry
per field of a collection, with the item's own label: ``param.channels.leads_per_month`` =
"{item}: leads per month"), ``unit.param.<unit>`` for the unit, ``currency.<code>`` for the
money in it, and ``value.<...>`` for the words a parameter takes (``positions``, ``bundled``).

Examples
--------
>>> parameter_label("structure.monthly_overhead", "zh")
'每月固定开支'
>>> parameter_label("channels['referral'].leads_per_month", "en")
'Referral: leads per month'
>>> unit_label("CNY/month", "zh", currency="USD"), unit_label("CNY/month", "en", currency="USD")
('美元/月', 'USD/month')
>>> value_label("team.staffing", "positions", "zh"), value_label("structure.name",
...                                                              "extended_roles", "en")
('按岗位', 'Extended roles')
"""

from __future__ import annotations

import re
from typing import Any

from crmsim.terms.catalog import TERMS, label, resolve_language
from crmsim.terms.vocabulary import VOCABULARIES

__all__ = ["currency_label", "parameter_label", "unit_label", "value_label"]

_ITEM = re.compile(r"^(?P<section>[a-z_.]+)\['(?P<item>[^']+)'\]\.(?P<field>[a-z_0-9]+)$")


def _one(lang: str | None) -> str:
    lang = resolve_language(lang)
    return "en" if lang == "both" else lang


def parameter_label(path: str, lang: str | None = None) -> str:
    """The name of parameter *path* in *lang*; the path itself when the catalog lacks it."""
    lang = resolve_language(lang)
    if lang == "both":
        return f"{parameter_label(path, 'en')} ({parameter_label(path, 'zh')})"
    found = _ITEM.match(path)
    if found:
        key = f"param.{found['section']}.{found['field']}"
        if key in TERMS:
            item = label(found["item"], lang)
            return label(key, lang).format(item=item[:1].upper() + item[1:])
        return path
    key = f"param.{path}"
    return label(key, lang) if key in TERMS else path


def currency_label(code: str, lang: str | None = None) -> str:
    """The currency *code* as written in *lang* (``"USD"`` / ``"美元"``); an unknown code as
    given (``"SGD"``), in both languages."""
    key = f"currency.{code}"
    return label(key, _one(lang)) if key in TERMS else str(code)


def unit_label(unit: str, lang: str | None = None, *, currency: str = "CNY") -> str:
    """A parameter's unit in *lang*, its money in *currency* (``CNY/month`` → ``元/月``)."""
    lang = _one(lang)
    key = f"unit.param.{unit}"
    text = label(key, lang) if key in TERMS else str(unit)
    if currency != "CNY" or lang != "en":
        money = currency_label(currency, lang)
        text = text.replace("CNY", money) if lang == "en" else text.replace("元", money)
    return text


def value_label(path: str, value: Any, lang: str | None = None) -> str:
    """A parameter's value in words of *lang*: a name from the vocabulary (a structure, a rule,
    a stage), a word of the parameter (``positions``), yes/no; other values as given."""
    lang = _one(lang)
    if isinstance(value, bool):
        return label("report.yes" if value else "report.no", lang)
    text = str(value)
    leaf = path.rsplit(".", 1)[-1]
    for key in (f"value.{path}.{text}", f"value.{leaf}.{text}", f"value.{text}"):
        if key in TERMS:
            return label(key, lang)
    if any(text in ids for ids in VOCABULARIES.values()):
        return label(text, lang)
    return text
