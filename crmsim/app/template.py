"""A commented scenario template: every parameter with its unit, default and meaning.

:func:`scenario_template` writes the text behind ``crmsim scenario new PATH``. The main choices
(horizon, structure, allocation rule, pay scheme, CRM adoption, a star leaving) are live lines;
every other parameter is a commented line showing its default, to uncomment and change. Read
back, the template is the default scenario (:class:`~crmsim.sim.Scenario`) under the name given.

Examples
--------
>>> from crmsim.sim import Scenario
>>> text = scenario_template("my company")
>>> Scenario.from_toml(text) == Scenario(name="my company")
True
>>> "# ramp_up_months = 6.0" in text
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import tomli_w

from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.funnel import LEADS_REFERENCE_CUSTOMERS
from crmsim.sim.scenario.params import Params
from crmsim.terms import RULES, SCHEMES, STRUCTURES, TERMS

__all__ = ["LIVE_PARAMETERS", "scenario_template"]

#: Parameters written as live lines (the choices a manager usually makes first).
LIVE_PARAMETERS: frozenset[str] = frozenset({
    "name", "months", "book.source", "structure.name", "allocation.rule", "incentives.scheme",
    "crm.adoption", "turnover.star_leaves_month",
})  # fmt: skip

_HEADER = """\
# crmsim scenario: one way of organising account management, to simulate and compare.
#
# Every parameter is listed below with its meaning, unit and default. Lines starting with "#"
# are comments: a parameter left commented keeps its default. Uncomment a line (remove the "# "
# before the name) and change the value to use your own figure.
#
# Run it:       crmsim simulate {path}
# Compare it:   crmsim compare {path} --vary structure=扩大工作范围,增设独立岗位 --out report
#               (structures, allocation rules and pay schemes by their English or Chinese name)
# All parameters, in Python: crmsim.Scenario().describe()
#
# Structures (structure.name):
{structures}
# Allocation rules (allocation.rule):
{rules}
# Pay schemes (incentives.scheme):
{schemes}
# Choosing a structure by name loads that structure's documented preset: the structure
# parameters below show the dedicated post's values; uncomment one only to change the preset.
"""


def _names(ids: tuple[str, ...]) -> str:
    return _wrap(", ".join(f"{k} ({TERMS[k][1]})" if k in TERMS else k for k in ids), "#  ", 80)


def _wrap(text: str, prefix: str = "#", width: int = 96) -> str:
    """*text* as comment lines of at most about *width* characters, each starting *prefix*."""
    lines, line = [], prefix
    for word in text.split():
        if len(line) + 1 + len(word) > width and line != prefix:
            lines.append(line)
            line = prefix
        line += " " + word
    lines.append(line)
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    """*value* as TOML text (an inline table for a mapping)."""
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _comment(f: dataclasses.Field, default: str | None) -> list[str]:
    text = f"{f.metadata['doc']} Unit: {f.metadata['unit']}."
    if default is not None:
        text += f" Default: {default}."
    return _wrap(text).split("\n")


def _emit(params: Params, path: str, lines: list[str], skip_name: bool = False) -> None:
    scalars, nested = [], []
    for f in dataclasses.fields(params):
        if f.name in params._nested or f.name in params._named_items:
            nested.append(f.name)
        elif "doc" in f.metadata and not (skip_name and f.name == "name"):
            scalars.append(f)
    if path:
        lines += ["", f"[{path}]"]
    for f in scalars:
        full = f"{path}.{f.name}" if path else f.name
        value = getattr(params, f.name)
        if value is None:  # a lead rate left to scale with the book: show the 600-customer rate
            shown = params.rate(LEADS_REFERENCE_CUSTOMERS)  # type: ignore[attr-defined]
            lines += _comment(f, f"scaled to the book ({_toml_value(shown)} for "
                                 f"{LEADS_REFERENCE_CUSTOMERS} customers)")  # fmt: skip
            lines.append(f"# {f.name} = {_toml_value(shown)}")
            continue
        lines += _comment(f, None if full == "name" else _toml_value(value))
        live = full in LIVE_PARAMETERS
        lines.append(f"{'' if live else '# '}{f.name} = {_toml_value(value)}")
    for name in nested:
        value = getattr(params, name)
        sub = f"{path}.{name}" if path else name
        if name in params._named_items:
            for item in value:
                _emit(item, f"{sub}.{item.name}", lines, skip_name=True)
        else:
            _emit(value, sub, lines)


def scenario_template(name: str = "my company", path: str = "my_company.toml") -> str:
    """The commented template of a scenario called *name* (see the module docstring).

    Parameters
    ----------
    name : str
        The scenario's name (its ``name`` line).
    path : str
        The file name shown in the "run it" lines of the header.
    """
    scenario = Scenario(name=name)
    lines = [
        _HEADER.format(
            path=path, structures=_names(STRUCTURES), rules=_names(RULES), schemes=_names(SCHEMES)
        ).rstrip(),  # fmt: skip
        "",
    ]
    _emit(scenario, "", lines)
    return "\n".join(lines) + "\n"
