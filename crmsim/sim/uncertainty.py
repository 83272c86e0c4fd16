"""Uncertainty about the assumptions: probabilistic sensitivity analysis (PSA).

The structure effects, the company mechanisms and the discount rate are teaching values, not
measurements of the user's firm; each is declared with a plausible range next to it
(:class:`~crmsim.sim.scenario.params.Plausible`). The confidence intervals of a comparison
describe only the simulation's luck. :func:`run_uncertainty` asks the other question — *how much
does the answer depend on the assumptions?* — the way health-economic decision models do
(Briggs, Claxton & Sculpher 2006, "Decision Modelling for Health Economic Evaluation"; the
cost-effectiveness acceptability curve):

1. draw *n* sets of the teaching values, each uniformly across its plausible range (a
   structure's value is drawn for that structure: ``structure.cross_line_reach`` of the
   department and of the post are drawn apart);
2. run every option once under each set, all options of a set on the same replication seed
   (common random numbers), so the options of a set differ only by what they are;
3. report, per option, the probability that it is best (the share of sets in which it ranks
   first on the yardstick), and how often the recommended option is best.

Draws are made in the calling process from the study's seed, keyed by draw and parameter, so
they do not depend on the number of workers, and the same seed gives the same table. Each set
is run once, so the probabilities also hold the luck of one run; that is what a manager faces.

Examples
--------
>>> from crmsim.sim.scenario import Scenario
>>> base = Scenario.synthetic(60, 3, months=3)
>>> options = {s: base.replace(structure=s) for s in ("extended_roles", "dedicated_post")}
>>> r = run_uncertainty(options, 4, seed=1, workers=1)
>>> len(r.draws), round(float(r.probability_best.sum()), 6)
(8, 1.0)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.sim.decision import RANK_ON, money
from crmsim.sim.experiments import replication_seeds, simulate
from crmsim.sim.runner import _execute
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.params import plausible_parameters
from crmsim.sim.scenario.structures import STRUCTURE_NAMES, StructureParams
from crmsim.sim.streams import as_seed_sequence
from crmsim.terms import label

__all__ = ["Robustness", "draw_values", "robustness_text", "run_uncertainty",
           "uncertain_parameters"]  # fmt: skip

#: The seed stream of the draws (apart from the replication seeds of the runs).
_DRAW_STREAM = 19


@dataclass(frozen=True, eq=False)
class Robustness:
    """The result of :func:`run_uncertainty`.

    Attributes
    ----------
    draws : DataFrame
        One row per parameter set and option: ``draw, option, value_created,
        net_contribution, best`` (``best``: the option ranks first in this set).
    probability_best : Series
        Per option (in the options' order): the share of sets in which it is best.
    recommended : str or None
        The option the recommendation names (given by the caller), or None.
    holds : float
        Share of the sets in which *recommended* is best (NaN without one).
    parameters : DataFrame
        The values drawn: one row per set and parameter (``draw, key, value``).
    rank_on : str
        The yardstick (one of :data:`crmsim.sim.decision.RANK_ON`).
    n, seed : int
    """

    draws: pd.DataFrame
    probability_best: pd.Series
    recommended: str | None
    holds: float
    parameters: pd.DataFrame
    rank_on: str
    n: int
    seed: int

    def table(self) -> pd.DataFrame:
        """Per option: probability best, and the mean and 5-95% range of the yardstick."""
        rows = []
        for option, part in self.draws.groupby("option", sort=False):
            v = part[self.rank_on].to_numpy(dtype=float)
            rows.append({"option": option, "probability_best": self.probability_best[option],
                         "mean": float(v.mean()), "p05": float(np.quantile(v, 0.05)),
                         "p95": float(np.quantile(v, 0.95))})  # fmt: skip
        return pd.DataFrame(rows)


def _run_kpis(scenario: Scenario, seed: np.random.SeedSequence) -> dict[str, float]:
    """One run's KPIs only (a draw needs nothing else, and little goes back to the caller)."""
    return simulate(scenario, seed).kpis()


def _keys() -> list[str]:
    """Every teaching value that is drawn, one key each, in a fixed order: each structure's
    own values (``structure[<name>].<field>``) and every other section's (``<path>``)."""
    keys = []
    for name in STRUCTURE_NAMES:
        for f in dataclasses.fields(StructureParams):
            if "plausible" in f.metadata:
                keys.append(f"structure[{name}].{f.name}")
    for row in plausible_parameters(Scenario(), ""):
        if not row["parameter"].startswith("structure."):
            keys.append(row["parameter"])
    return sorted(keys)


def uncertain_parameters(scenario: Scenario) -> pd.DataFrame:
    """The teaching values of *scenario* that the analysis draws, with their ranges:
    ``parameter, value, low, high, unit, description, source``."""
    return pd.DataFrame(plausible_parameters(scenario, ""))


def draw_values(n: int, seed: int) -> list[dict[str, float]]:
    """*n* sets of uniforms (0-1), one per key of the teaching values; set *k* depends only
    on the seed and *k*."""
    keys = _keys()
    root = as_seed_sequence(seed)
    out = []
    for k in range(n):
        ss = np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, _DRAW_STREAM, k))
        out.append(dict(zip(keys, np.random.default_rng(ss).random(len(keys)), strict=True)))
    return out


def _key(path: str, scenario: Scenario) -> str:
    if path.startswith("structure."):
        return f"structure[{scenario.structure.name}].{path.split('.', 1)[1]}"
    return path


def apply_draw(scenario: Scenario, uniforms: Mapping[str, float]) -> tuple[Scenario, dict]:
    """*scenario* with each teaching value set to its draw within its plausible range around
    the scenario's own value; also returns the changes."""
    changes = {}
    for row in plausible_parameters(scenario, ""):
        u = uniforms.get(_key(row["parameter"], scenario))
        if u is None:
            continue
        changes[row["parameter"]] = float(row["low"] + u * (row["high"] - row["low"]))
    return scenario.with_(changes), changes


def run_uncertainty(
    options: Mapping[str, Scenario],
    n: int,
    *,
    seed: int = 0,
    rank_on: str = "value_created",
    recommended: str | None = None,
    executor: Executor | Any | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> Robustness:
    """Draw *n* sets of the teaching values and run every option under each (see the module
    text).

    Parameters
    ----------
    options : mapping of name to Scenario
        The options compared (one horizon).
    n : int
        Parameter sets (100 is a usual size; the probabilities are then within about ±0.1).
    seed : int
        Seed of the draws and of the runs.
    rank_on : {"value_created", "net_contribution"}
        The yardstick.
    recommended : str, optional
        The option recommended at the base values; :attr:`Robustness.holds` says how often it
        is best.
    executor, workers, progress
        As in :func:`crmsim.sim.experiments.compare`; results do not depend on them.
    """
    n = int(check_number("uncertainty", n, minimum=1, integer=True))
    if rank_on not in RANK_ON:
        raise ParameterError(f"parameter 'rank_on' must be one of {list(RANK_ON)}; got {rank_on!r}")
    if not isinstance(options, Mapping) or not options:
        raise ParameterError("parameter 'options' must be a non-empty mapping name -> Scenario")
    names = list(options)
    if recommended is not None and recommended not in options:
        raise ParameterError(f"parameter 'recommended' must be one of {names}; got {recommended!r}")
    uniforms = draw_values(n, seed)
    seeds = replication_seeds(seed, n)
    tasks, drawn = [], []
    for k, u in enumerate(uniforms):
        for name in names:
            sc, changes = apply_draw(options[name], u)
            tasks.append((sc, seeds[k]))
            drawn += [{"draw": k, "option": name, "parameter": p, "value": v}
                      for p, v in changes.items()]  # fmt: skip
    runs = _execute(_run_kpis, tasks, executor=executor, workers=workers, progress=progress,
                    description="uncertainty")  # fmt: skip
    rows = []
    for t, run in enumerate(runs):
        k, o = divmod(t, len(names))
        rows.append({"draw": k, "option": names[o],
                     "value_created": run.get("value_created", np.nan),
                     "net_contribution": run["net_contribution"]})  # fmt: skip
    draws = pd.DataFrame(rows)
    wide = draws.pivot(index="draw", columns="option", values=rank_on)[names]
    winner = wide.to_numpy().argmax(axis=1)
    draws["best"] = [names[winner[k]] == o for k, o in zip(draws["draw"], draws["option"],
                                                            strict=True)]  # fmt: skip
    prob = pd.Series(np.bincount(winner, minlength=len(names)) / n, index=names, dtype=float)
    holds = float(prob[recommended]) if recommended is not None else float("nan")
    return Robustness(draws=draws, probability_best=prob, recommended=recommended, holds=holds,
                      parameters=pd.DataFrame(drawn), rank_on=rank_on, n=n, seed=seed)


def robustness_text(whatif: Any, rec: Any, lang: str) -> str:
    """How much the answer depends on the assumptions, in one sentence: the probability that
    each option is best across plausible teaching values, or, without that analysis, that the
    intervals are simulation noise only."""
    robust = whatif.robustness
    if robust is None:
        return label("whatif.robust.not_run", lang).format(n=whatif.replications)
    sep = "、" if lang == "zh" else ", "
    ranked = robust.probability_best.sort_values(ascending=False, kind="mergesort")
    items = sep.join(label("whatif.robust.item", lang).format(option=whatif.label(o, lang),
                                                              p=p)  # fmt: skip
                     for o, p in ranked.items())
    option = robust.recommended or rec.leader
    table = robust.table().set_index("option")
    return label("whatif.robust.result", lang).format(
        n=robust.n, option=whatif.label(option, lang), holds=robust.holds, items=items,
        low=money(table.at[option, "p05"], lang), high=money(table.at[option, "p95"], lang))
