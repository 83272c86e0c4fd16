"""The assumptions a page states: every parameter that differs from the defaults, in words of the
reader's language, and where the customers and managers came from.

The table for people names each parameter, its unit and values through the catalogs
(:mod:`crmsim.terms.parameters`: ``param.*``, ``unit.param.*``, ``value.*``); the CSV beside the
page keeps the parameter paths and raw values, to reproduce the run with ``--set``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from crmsim.sim.scenario import Scenario
from crmsim.terms import label, parameter_label, unit_label, value_label

__all__ = ["book_text", "changed_parameters", "changed_for_people", "param_text",
           "value_for_people"]  # fmt: skip


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"whatif.report.{key}", lang).format(**values)


def param_text(value: Any) -> str:
    """A parameter value as plain text (the CSV of the assumptions, option names)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {param_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else str(value)
    return str(value)


def value_for_people(path: str, value: Any, lang: str) -> str:
    """A parameter value in words of *lang*: names translated (structures, rules, stages,
    ``positions``), yes/no, numbers with thousands separators, dicts item by item."""
    colon = "：" if lang == "zh" else ": "
    sep = "；" if lang == "zh" else "; "
    if isinstance(value, dict):
        return sep.join(f"{value_label(path, k, lang)}{colon}{value_for_people(path, v, lang)}"
                        for k, v in value.items())  # fmt: skip
    if isinstance(value, bool | str):
        return value_label(path, value, lang)
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def changed_parameters(options: Mapping[str, Scenario]) -> pd.DataFrame:
    """Every parameter on which some option differs from the defaults (``Scenario()``).

    Returns
    -------
    DataFrame
        ``parameter, unit, default`` and one column per option (its value).

    Examples
    --------
    >>> t = changed_parameters({"a": Scenario(months=12), "b": Scenario(months=24)})
    >>> t[["parameter", "default", "a", "b"]].values.tolist()
    [['months', '36', '12', '24']]
    """
    default = Scenario().describe().set_index("parameter")
    tables = {name: sc.describe().set_index("parameter") for name, sc in options.items()}
    params = list(dict.fromkeys(p for t in tables.values() for p in t.index))
    rows = []
    for p in params:
        if p == "name":
            continue
        values = {name: param_text(t.at[p, "value"]) if p in t.index else ""
                  for name, t in tables.items()}  # fmt: skip
        base = param_text(default.at[p, "value"]) if p in default.index else ""
        if all(v == base for v in values.values()):
            continue
        unit = next(t.at[p, "unit"] for t in tables.values() if p in t.index)
        rows.append({"parameter": p, "unit": unit, "default": base, **values})
    return pd.DataFrame(rows, columns=["parameter", "unit", "default", *options])


def changed_for_people(
    options: Mapping[str, Scenario], names: Mapping[str, str], lang: str
) -> pd.DataFrame:
    """:func:`changed_parameters` for people: each parameter, unit and value in words of
    *lang*, each option by its name as shown."""
    default = Scenario().describe().set_index("parameter")["value"]
    tables = {name: sc.describe().set_index("parameter")["value"] for name, sc in options.items()}
    currency = next(iter(options.values())).currency if options else "CNY"
    changed = changed_parameters(options)
    rows = []
    for row in changed.itertuples(index=False):
        path = row.parameter
        out = {
            label("col.parameter", lang): parameter_label(path, lang),
            label("col.unit", lang): unit_label(row.unit, lang, currency=currency),
            label("col.default", lang): value_for_people(path, default[path], lang)
            if path in default.index else "",
        }  # fmt: skip
        for option, values in tables.items():
            shown = value_for_people(path, values[path], lang) if path in values.index else ""
            out[names.get(option, option)] = shown
        rows.append(out)
    return pd.DataFrame(rows)


def book_text(scenario: Scenario, lang: str, source: str | None = None) -> str:
    """Where the initial customers and managers of *scenario* come from; *source* names them
    when the tables were given without a file (e.g. an upload's file name)."""
    book = scenario.book
    if book.source == "bundled":
        return _t("book_bundled", lang)
    if book.source == "synthetic":
        return _t("book_synthetic", lang, customers=book.n_customers, managers=book.n_managers,
                  seed=book.seed)  # fmt: skip
    sep = "、" if lang == "zh" else ", "
    files = sep.join(p for p in (book.customers_path, book.managers_path) if p)
    return _t("book_tables", lang, files=files or source or _t("book_frames", lang))
