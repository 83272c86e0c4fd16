"""Sensitivity: which parameters move the answer, one at a time (a tornado chart).

:func:`sensitivity` runs the options of a what-if comparison at their own parameters (the base
point) and again with one parameter moved to each of the values given, the others left alone
(one-at-a-time). Every run uses the same replication seeds (common random numbers), so each
effect is a paired difference and small effects are not lost in the noise.

What the effect measures (on the yardstick ``rank_on``: customer value created by default, or
net contribution over the horizon; :mod:`crmsim.sim.decision`):

- with one option, its value;
- with several, the lead of the option that leads at the base point over the runner-up there:
  a value that turns the lead negative changes the recommended option.

A parameter is moved *within* each option. When the options set it differently themselves
(each structure's own monthly overhead, say), one value for all of them would overwrite what
tells them apart, so plain values are refused with a message; factors such as ``x0.5`` and
``x2`` move each option's own value instead. The tornado's bar for a parameter runs from the
base point to the farthest value on each side, so it shows exactly the effects in the table of
points, also when every value moves the answer the same way.

Examples
--------
>>> from crmsim.sim import Scenario
>>> s = sensitivity({"now": Scenario.synthetic(60, 3, months=3)},
...                 {"crm.adoption": [0.0, 1.0]}, replications=2, seed=1, workers=1)
>>> s.tornado[["parameter", "changes"]].values.tolist()
[['crm.adoption', False]]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import pandas as pd

from crmsim.errors import ParameterError
from crmsim.sim.decision import rank_measure
from crmsim.sim.experiments import Comparison, compare
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci
from crmsim.sim.whatif import (
    NAMED_PARAMETERS,
    _named_value,
    _pairs,
    _text,
    check_options,
    option_label,
)

__all__ = ["Sensitivity", "sensitivity"]

_BASE = "base"


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """The result of :func:`sensitivity`.

    Attributes
    ----------
    options : dict of name to Scenario
        The options at the base point.
    vary : list of (parameter, values)
        The parameters moved, each alone, and their values.
    leader, runner_up : str or None
        The options first and second on net contribution at the base point.
    points : DataFrame
        One row per point and option: ``parameter`` (``"base"`` for the base point),
        ``value``, ``option``, ``net_contribution`` (mean), the yardstick's mean (column named
        after it, e.g. ``value_created``) and its ``ci_low``, ``ci_high``, ``leader``
        (the option first at this point), ``measure`` (what the tornado shows at this point),
        ``effect`` (paired change of the measure against the base point) and its interval
        ``effect_low``/``effect_high``.
    tornado : DataFrame
        One row per parameter, widest swing first: ``parameter, low_value, low_measure,
        high_value, high_measure, swing, changes`` (``changes``: some value makes another
        option lead).
    base_measure : float
        The measure at the base point.
    comparison : Comparison
        Every run.
    replications, seed, months : int
    rank_on : str
        The yardstick the measure is read on (``value_created`` or ``net_contribution``).
    """

    options: dict[str, Scenario]
    vary: list[tuple[str, list[Any]]]
    leader: str
    runner_up: str | None
    points: pd.DataFrame
    tornado: pd.DataFrame
    base_measure: float
    comparison: Comparison
    replications: int
    seed: int
    months: int
    rank_on: str = "net_contribution"

    def measure_label(self, lang: str = "en") -> str:
        """What the measure is, in words (money in millions of the page's currency,
        :func:`crmsim.terms.money`)."""
        from crmsim.terms import label, money_unit

        unit = money_unit(lang, scale="M")
        on_value = self.rank_on == "value_created"
        if self.runner_up is None:
            key = "whatif.sweep.measure_single_value" if on_value else "whatif.sweep.measure_single"
            return label(key, lang).format(option=option_label(self.leader, lang), unit=unit)
        key = "whatif.sweep.measure_lead_value" if on_value else "whatif.sweep.measure_lead"
        return label(key, lang).format(
            option=option_label(self.leader, lang), other=option_label(self.runner_up, lang),
            unit=unit,
        )


def _point_name(key: str, value: Any, option: str) -> str:
    text = value if key in NAMED_PARAMETERS else _text(value)
    return f"{key} = {text} | {option}"


_FACTOR = re.compile(r"^\s*[x×*]\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*$")


def factor(value: Any) -> float | None:
    """The multiplier a ``--vary`` value such as ``"x0.5"`` (or ``"×2"``, ``"*2"``) asks for:
    each option's own value times it; None for a plain value.

    >>> factor("x0.5"), factor("×2"), factor(0.5)
    (0.5, 2.0, None)
    """
    if not isinstance(value, str):
        return None
    found = _FACTOR.match(value)
    return float(found.group(1)) if found else None


def own_value(scenario: Scenario, key: str) -> Any:
    """The value of parameter *key* (a dotted path) in *scenario*."""
    node: Any = scenario
    for part in key.split("."):
        node = getattr(node, part)
    return node


def _moved(option: str, scenario: Scenario, key: str, value: Any) -> Scenario:
    """*scenario* with *key* moved to *value*, or to its own value times the factor."""
    times = factor(value)
    try:
        if times is None:
            return scenario.with_(key, value)
        own = own_value(scenario, key)
        if isinstance(own, bool) or not isinstance(own, int | float):
            raise ParameterError(f"{value!r} multiplies a number; {key} is {own!r} in {option}")
        moved = own * times
        if isinstance(own, int) and float(moved).is_integer():
            moved = int(moved)
        return scenario.with_(key, moved)
    except ParameterError as exc:
        raise ParameterError(f"option --vary {key}={value!r}: {exc}") from None


def check_within_options(options: Mapping[str, Scenario], key: str, values: Sequence[Any]) -> None:
    """Refuse plain values for a parameter the options set differently themselves.

    Moving such a parameter to one value in every option would overwrite what tells the
    options apart (e.g. each structure's own monthly overhead), so the sweep would measure
    a different choice than the one compared. Factors (``x0.5``) move each option's own value.

    Raises
    ------
    ParameterError
        Naming the parameter, each option's own value and how to vary it instead.
    """
    if len(options) < 2 or all(factor(v) is not None for v in values):
        return
    try:
        own = {name: own_value(sc, key) for name, sc in options.items()}
    except AttributeError:
        return  # an unknown parameter: Scenario.with_ names it when the point is built
    if len({_text(v) for v in own.values()}) < 2:
        return
    listed = ", ".join(f"{name} {_own_text(v)}" for name, v in own.items())
    raise ParameterError(
        f"option --vary {key}: the options set this parameter themselves ({listed}); one "
        "value for all of them would overwrite what tells them apart. Vary it within each "
        f"option by factors instead, e.g. --vary {key}=x0.5,x2 (each option's own value "
        "times 0.5 and 2), or sweep one option at a time"
    )


def _own_text(value: Any) -> str:
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return _text(value)


def sensitivity(
    options: Mapping[str, Scenario],
    vary: Mapping[str, Sequence[Any]] | Sequence[tuple[str, Sequence[Any]]],
    *,
    replications: int = 5,
    seed: int = 0,
    months: int | None = None,
    rank_on: str | None = None,
    executor: Executor | Any | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> Sensitivity:
    """Move each parameter of *vary* alone over its values and measure how the answer moves.

    Parameters
    ----------
    options : mapping of name to Scenario
        The options (one or more) at their base parameters, e.g. from
        :func:`crmsim.sim.whatif.build_options`.
    vary : mapping or (parameter, values) pairs
        Each parameter is moved to each of its values, the others staying at the base point.
    replications, seed : int
        Replications per point and option, all on the same seeds (common random numbers).
    months : int, optional
        Horizon for every option.
    rank_on : {"value_created", "net_contribution"}, optional
        The yardstick (default: customer value created).
    executor, workers, progress
        As in :func:`crmsim.sim.experiments.compare` (a ``dask.distributed.Client`` works);
        results are identical whatever runs them.

    Returns
    -------
    Sensitivity
    """
    options, replications, horizon = check_options(options, replications, months)
    pairs = _pairs(vary, "vary")
    if not pairs:
        raise ParameterError("option --vary: give at least one parameter to vary (key=v1,v2)")
    grid: list[tuple[str, list[Any]]] = []
    for key, values in pairs:
        if isinstance(values, str) or not isinstance(values, Sequence) or not values:
            raise ParameterError(f"option --vary {key}: expected a list of values; got {values!r}")
        values = [_named_value(key, v, "--vary") for v in values]
        check_within_options(options, key, values)
        grid.append((key, values))

    scenarios: dict[str, Scenario] = {}
    index: list[tuple[str, Any, str, str]] = []  # parameter, value, option, run name
    for option, sc in options.items():
        scenarios[f"{_BASE} | {option}"] = sc
        index.append((_BASE, "", option, f"{_BASE} | {option}"))
    for key, values in grid:
        for value in values:
            for option, sc in options.items():
                name = _point_name(key, value, option)
                scenarios[name] = _moved(option, sc, key, value)
                index.append((key, value, option, name))
    comparison = compare(scenarios, replications=replications, seed=seed,
                         executor=executor, workers=workers, progress=progress)  # fmt: skip

    measure_kpi = rank_measure(comparison.runs, rank_on)
    net = comparison.runs.pivot_table(index="replication", columns="scenario",
                                      values="net_contribution", sort=False)  # fmt: skip
    runs = comparison.runs.pivot_table(index="replication", columns="scenario",
                                       values=measure_kpi, sort=False)  # fmt: skip
    names = list(options)
    base_means = {o: float(runs[f"{_BASE} | {o}"].mean()) for o in names}
    ranked = sorted(names, key=lambda o: -base_means[o])
    leader = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None

    def measure(point: dict[str, str]) -> pd.Series:
        """Per replication: the leader's net contribution, or its lead over the runner-up."""
        if runner is None:
            return runs[point[leader]]
        return runs[point[leader]] - runs[point[runner]]

    points_by: dict[tuple[str, str], dict[str, str]] = {}
    for parameter, value, option, name in index:
        points_by.setdefault((parameter, _text(value)), {})[option] = name
    base_series = measure(points_by[(_BASE, "")])
    rows = []
    for (parameter, value_text), point in points_by.items():
        means = {o: float(runs[point[o]].mean()) for o in names}
        point_leader = max(names, key=lambda o: means[o])
        series = measure(point)
        effect = mean_ci(series - base_series)
        for option in names:
            ci = mean_ci(runs[point[option]])
            rows.append({
                "parameter": parameter, "value": value_text, "option": option,
                "net_contribution": float(net[point[option]].mean()), measure_kpi: ci["mean"],
                "ci_low": ci["ci_low"], "ci_high": ci["ci_high"],
                "leader": point_leader, "measure": float(series.mean()),
                "effect": effect["mean"], "effect_low": effect["ci_low"],
                "effect_high": effect["ci_high"],
            })  # fmt: skip
    points = pd.DataFrame(rows)
    base_measure = float(base_series.mean())
    tornado_rows = []
    for key, _values in grid:
        part = points[(points["parameter"] == key) & (points["option"] == leader)]
        low = part.loc[part["measure"].idxmin()]
        high = part.loc[part["measure"].idxmax()]
        leaders = points.loc[points["parameter"] == key, "leader"]
        # the bar runs from the base point to the farthest value on each side: two values on
        # the same side of the base move the answer as much as their farthest one does
        tornado_rows.append({
            "parameter": key, "low_value": low["value"], "low_measure": low["measure"],
            "high_value": high["value"], "high_measure": high["measure"],
            "swing": max(high["measure"], base_measure) - min(low["measure"], base_measure),
            "changes": bool((leaders != leader).any()),
        })  # fmt: skip
    tornado = (
        pd.DataFrame(tornado_rows)
        .sort_values("swing", ascending=False, kind="mergesort")
        .reset_index(drop=True)
    )
    return Sensitivity(
        options=dict(options),
        vary=grid,
        leader=leader,
        runner_up=runner,
        points=points,
        tornado=tornado,
        base_measure=base_measure,
        comparison=comparison,
        replications=replications,
        seed=seed,
        months=horizon,
        rank_on=measure_kpi,
    )
