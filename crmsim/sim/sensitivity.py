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

Examples
--------
>>> from crmsim.sim import Scenario
>>> s = sensitivity({"now": Scenario.synthetic(60, 3, months=3)},
...                 {"crm.adoption": [0.0, 1.0]}, replications=2, seed=1, workers=1)
>>> s.tornado[["parameter", "changes"]].values.tolist()
[['crm.adoption', False]]
"""

from __future__ import annotations

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
        """What the measure is, in words."""
        from crmsim.terms import label

        on_value = self.rank_on == "value_created"
        if self.runner_up is None:
            key = "whatif.sweep.measure_single_value" if on_value else "whatif.sweep.measure_single"
            return label(key, lang).format(option=option_label(self.leader, lang))
        key = "whatif.sweep.measure_lead_value" if on_value else "whatif.sweep.measure_lead"
        return label(key, lang).format(
            option=option_label(self.leader, lang), other=option_label(self.runner_up, lang)
        )


def _point_name(key: str, value: Any, option: str) -> str:
    text = value if key in NAMED_PARAMETERS else _text(value)
    return f"{key} = {text} | {option}"


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
        grid.append((key, [_named_value(key, v, "--vary") for v in values]))

    scenarios: dict[str, Scenario] = {}
    index: list[tuple[str, Any, str, str]] = []  # parameter, value, option, run name
    for option, sc in options.items():
        scenarios[f"{_BASE} | {option}"] = sc
        index.append((_BASE, "", option, f"{_BASE} | {option}"))
    for key, values in grid:
        for value in values:
            for option, sc in options.items():
                try:
                    moved = sc.with_(key, value)
                except ParameterError as exc:
                    raise ParameterError(f"option --vary {key}={value!r}: {exc}") from None
                name = _point_name(key, value, option)
                scenarios[name] = moved
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
    tornado_rows = []
    for key, _values in grid:
        part = points[(points["parameter"] == key) & (points["option"] == leader)]
        low = part.loc[part["measure"].idxmin()]
        high = part.loc[part["measure"].idxmax()]
        leaders = points.loc[points["parameter"] == key, "leader"]
        tornado_rows.append({
            "parameter": key, "low_value": low["value"], "low_measure": low["measure"],
            "high_value": high["value"], "high_measure": high["measure"],
            "swing": high["measure"] - low["measure"],
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
        base_measure=float(base_series.mean()),
        comparison=comparison,
        replications=replications,
        seed=seed,
        months=horizon,
        rank_on=measure_kpi,
    )
