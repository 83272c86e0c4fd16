"""Parameter overrides from the command line: ``--set key=value`` and ``--vary key=v1,v2,...``.

Values are read as TOML values where they are valid TOML (``12``, ``0.5``, ``true``, ``"text"``,
``[1, 2]``) and as plain text otherwise, so ``--set structure=扩大工作范围`` and
``--set incentives.scheme=deferred`` need no quotes. Keys are the dotted parameter paths of
:meth:`crmsim.sim.Scenario.with_` (e.g. ``crm.adoption``, ``turnover.star_leaves_month``).

Examples
--------
>>> parse_set("crm.adoption=0.5")
('crm.adoption', 0.5)
>>> parse_set("structure=extended_roles")
('structure', 'extended_roles')
>>> parse_vary("team.n_managers=10,12,14")
('team.n_managers', [10, 12, 14])
>>> parse_vary("incentives.scheme=commission, deferred")
('incentives.scheme', ['commission', 'deferred'])
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from crmsim.errors import ParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["apply_sets", "check_conflicts", "parse_set", "parse_value", "parse_vary"]


def parse_value(text: str) -> Any:
    """One value: a TOML value when *text* is valid TOML, else the stripped text itself."""
    text = text.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _split(item: str, option: str, example: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    key = key.strip()
    if not sep or not key or not value.strip():
        raise ParameterError(f"option {option} expects KEY=VALUE, e.g. {example}; got {item!r}")
    if any(not part or not part.replace("_", "").isalnum() for part in key.split(".")):
        raise ParameterError(
            f"option {option}: {key!r} is not a parameter path (dotted names such as crm.adoption)"
        )
    return key, value


def parse_set(item: str, option: str = "--set") -> tuple[str, Any]:
    """``"key=value"`` → ``(key, value)``; a clear error naming *option* otherwise."""
    key, value = _split(item, option, "crm.adoption=0.5")
    return key, parse_value(value)


def parse_vary(item: str, option: str = "--vary") -> tuple[str, list[Any]]:
    """``"key=v1,v2,..."`` → ``(key, [v1, v2, ...])`` with at least two distinct values."""
    key, text = _split(item, option, "crm.adoption=0,0.5,1")
    try:
        values = tomllib.loads(f"v = [{text}]")["v"]
    except tomllib.TOMLDecodeError:
        values = [parse_value(part) for part in text.split(",")]
    if any(v == "" for v in values):
        raise ParameterError(f"option {option}: empty value in {item!r}")
    if len(values) < 2:
        raise ParameterError(
            f"option {option} {key}: expected at least two different values separated by commas;"
            f" got {values!r}"
        )
    seen: dict[Any, Any] = {}
    for value in values:
        if _value_key(value) in seen:
            same = seen[_value_key(value)]
            twice = f"{same!r} and {value!r}" if repr(same) != repr(value) else repr(value)
            raise ParameterError(
                f"option {option} {key}: the same value is given twice ({twice}); each value "
                "becomes an option, so give each once"
            )
        seen[_value_key(value)] = value
    return key, values


def _value_key(value: Any) -> Any:
    """What makes two values the same option: 1 and 1.0 are; 'Deferred' and 'deferred' are."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, str):
        return ("text", value.strip().casefold())
    return ("other", repr(value))


def check_conflicts(
    groups: Iterable[tuple[str, Iterable[tuple[str, Any]]]], months: int | None = None
) -> None:
    """Refuse options that set the same parameter twice: ``--set X`` with ``--vary X``, a key
    given twice, or ``--months`` with a ``months`` key. *groups* are (option name, pairs).

    >>> try:
    ...     check_conflicts([("--set", [("months", 3)])], months=4)
    ... except ValueError as exc:
    ...     print(exc)
    options --months 4 and --set months=3 both set the horizon; give one of them
    """
    owner: dict[str, str] = {}
    for option, pairs in groups:
        for key, value in pairs:
            shown = f"{option} {key}={_shown(value)}"
            canon = "structure" if key in ("structure", "structure.name") else key
            if canon == "months" and months is not None:
                raise ParameterError(
                    f"options --months {months} and {shown} both set the horizon; give one of them"
                )
            if canon in owner:
                raise ParameterError(
                    f"options {owner[canon]} and {shown} both set {key}; give it once (a value "
                    "given twice would silently replace the other)"
                )
            owner[canon] = shown


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def apply_sets(scenario: Any, sets: Iterable[tuple[str, Any]], option: str = "--set") -> Any:
    """*scenario* with every ``(key, value)`` applied; errors name the option and the key."""
    out = scenario
    for key, value in sets:
        try:
            out = out.with_(key, value)
        except ParameterError as exc:
            raise ParameterError(f"option {option} {key}={value!r}: {exc}") from None
    return out
