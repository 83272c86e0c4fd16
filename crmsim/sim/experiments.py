"""Running scenarios: one replication, many replications, comparisons and parameter sweeps.

Seeds: replication *i* of a run with seed *s* uses ``numpy.random.SeedSequence(s).spawn(n)[i]``
(see :func:`replication_seeds`). :func:`compare` gives every scenario the same replication seeds,
so differences against the baseline are paired under common random numbers: the comparison of a
scenario with itself is exactly zero, and real differences are estimated far more precisely than
from independent runs.

Parallel runs: :func:`replicate`, :func:`compare` and :func:`sweep` accept any
:class:`concurrent.futures.Executor` (a ``ProcessPoolExecutor``, a Dask
``Client.get_executor()``...). Each task depends only on its scenario and seed, so results are
identical whatever the executor or the number of workers. With ``executor=None`` a local process
pool with one worker per core is used when there is more than one task, unless ``workers=1``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.sim.capacity import check_memory
from crmsim.sim.engine.model import Simulation
from crmsim.sim.kpis import KPI_NAMES as _KPI_NAMES
from crmsim.sim.plausibility import RESULT_CODES, check_result
from crmsim.sim.result import SimulationResult
from crmsim.sim.runner import _execute
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci
from crmsim.sim.streams import as_seed_sequence

#: KPIs reported by :func:`compare`, in display order (from the registry crmsim.sim.kpis).
KPI_NAMES: tuple[str, ...] = _KPI_NAMES


def simulate(
    scenario: Scenario | None = None,
    seed: int | np.random.SeedSequence = 0,
    record_events: bool = False,
) -> SimulationResult:
    """Run one replication of *scenario* and return its tables.

    Parameters
    ----------
    scenario : Scenario, optional
        What to simulate; default ``Scenario()`` (the bundled company as it is organised now).
    seed : int or numpy.random.SeedSequence
        Every random number of the run derives from it: the same seed gives identical tables.
    record_events : bool
        Also keep the event log ``result.events`` (off by default: large for big books).

    Examples
    --------
    >>> result = simulate(Scenario.synthetic(40, 3, months=3), seed=1)
    >>> result.monthly["month"].tolist()
    [1, 2, 3]
    """
    scenario = Scenario() if scenario is None else scenario
    if not isinstance(scenario, Scenario):
        raise ParameterError(
            f"parameter 'scenario' must be a Scenario; got {type(scenario).__name__}"
        )
    check_memory([scenario], 1)
    return Simulation(scenario, seed, record_events=record_events).run()


def replication_seeds(seed: int | np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    """The seeds of replications ``0..n-1``: ``SeedSequence(seed).spawn(n)``.

    Examples
    --------
    >>> [s.spawn_key for s in replication_seeds(5, 2)]
    [(0,), (1,)]
    """
    n = int(check_number("replications", n, minimum=1, integer=True))
    root = as_seed_sequence(seed)
    return [
        np.random.SeedSequence(
            entropy=root.entropy, spawn_key=(*root.spawn_key, i), pool_size=root.pool_size
        )
        for i in range(n)
    ]


# --------------------------------------------------------------------------- task running


@dataclass(frozen=True, eq=False)
class RunSummary:
    """What a worker sends back from one replication (small enough to pickle quickly)."""

    kpis: dict[str, float]
    monthly: pd.DataFrame
    funnel: pd.DataFrame
    managers: pd.DataFrame
    meta: dict[str, Any]


def _run_summary(scenario: Scenario, seed: np.random.SeedSequence) -> RunSummary:
    result = simulate(scenario, seed)
    return RunSummary(result.kpis(), result.monthly, result.funnel, result.managers, result.meta)


class Replications(Sequence):
    """The runs of one scenario: a sequence of results plus stacked tables.

    Attributes
    ----------
    kpis : DataFrame
        One row per replication: ``replication`` and the KPIs of SimulationResult.kpis().
    monthly : DataFrame
        The monthly tables stacked, with a leading ``replication`` column.
    funnel : DataFrame
        The funnel tables stacked, with a ``replication`` column.
    """

    def __init__(self, scenario: Scenario, runs: list[Any]) -> None:
        self.scenario = scenario
        self.runs = runs
        self.kpis = pd.DataFrame([{"replication": i, **_kpis_of(r)} for i, r in enumerate(runs)])
        self.monthly = _stack([r.monthly for r in runs])
        self.funnel = _stack([r.funnel for r in runs])

    def __len__(self) -> int:
        return len(self.runs)

    def __getitem__(self, i: Any) -> Any:
        return self.runs[i]

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """Mean and t confidence interval of every KPI: ``kpi, mean, ci_low, ci_high, ...``."""
        rows = [{"kpi": k, **mean_ci(self.kpis[k], level)} for k in KPI_NAMES]
        return pd.DataFrame(rows)


def _kpis_of(run: Any) -> dict[str, float]:
    return run.kpis() if isinstance(run, SimulationResult) else dict(run.kpis)


def _stack(tables: list[pd.DataFrame]) -> pd.DataFrame:
    if not tables:
        return pd.DataFrame()
    return pd.concat(
        [t.assign(replication=i) for i, t in enumerate(tables)], ignore_index=True
    ).pipe(lambda df: df[["replication", *[c for c in df.columns if c != "replication"]]])


def replicate(
    scenario: Scenario,
    n: int,
    seed: int | np.random.SeedSequence = 0,
    *,
    full: bool = False,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> Replications:
    """Run *n* replications of *scenario*; replication *i* uses ``SeedSequence(seed).spawn(n)[i]``.

    Parameters
    ----------
    scenario : Scenario
    n : int
        Number of replications.
    seed : int or SeedSequence
    full : bool
        Keep complete :class:`SimulationResult` objects (customers, leads tables...) instead of
        compact summaries (KPIs, monthly, funnel and manager tables).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where to run; default a local process pool (serial when ``workers=1`` or ``n == 1``).
        Results are identical whatever runs them.
    workers : int, optional
        Size of the default pool (a whole number >= 1).
    progress : bool or callable, optional
        ``None`` (default): a bar only when stderr is a terminal; ``True``: a bar on a terminal
        and plain progress lines otherwise (logs, files); ``False``: nothing; a callable
        ``progress(done, total)`` is called before the first run and after each one.

    Examples
    --------
    >>> reps = replicate(Scenario.synthetic(40, 3, months=3), 2, seed=1, workers=1)
    >>> len(reps), list(reps.kpis["replication"])
    (2, [0, 1])
    """
    if not isinstance(scenario, Scenario):
        raise ParameterError(
            f"parameter 'scenario' must be a Scenario; got {type(scenario).__name__}"
        )
    seeds = replication_seeds(seed, n)
    fn = simulate if full else _run_summary
    runs = _execute(
        fn,
        [(scenario, s) for s in seeds],
        executor=executor,
        workers=workers,
        progress=progress,
        description=scenario.name,
    )
    return Replications(scenario, runs)


# --------------------------------------------------------------------------- comparisons


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    summary : DataFrame
        ``scenario, kpi, mean, ci_low, ci_high, half_width, n`` — one row per scenario and KPI.
    differences : DataFrame
        ``scenario, baseline, kpi, mean_difference, ci_low, ci_high, half_width, n`` — paired
        differences (scenario minus baseline, replication by replication, common random numbers).
    runs : DataFrame
        ``scenario, replication`` and every KPI, one row per run.
    monthly : DataFrame
        ``scenario, replication`` and the monthly table of every run.
    funnel : DataFrame
        ``scenario, replication`` and the funnel table of every run.
    baseline : str
        Name of the baseline scenario.
    findings : dict of str to tuple
        Per scenario, what the plausibility guard found in any of its runs
        (``Finding.as_tuple()`` items, each once; :mod:`crmsim.sim.plausibility`).
    operations_staff : dict of str to float
        Per scenario, its operations staff (mean over the runs).
    team : dict of str to dict
        Per scenario, what its runs say about the team and the move to it (means over the
        runs): ``positions_start``, ``operations_units``, ``coordination_days`` and the
        reorganisation's ``training``, ``hiring`` and ``severance`` (CNY, month 1).
    """

    summary: pd.DataFrame
    differences: pd.DataFrame
    runs: pd.DataFrame
    monthly: pd.DataFrame
    funnel: pd.DataFrame
    managers: pd.DataFrame
    baseline: str
    findings: dict[str, tuple] = dataclasses.field(default_factory=dict)
    operations_staff: dict[str, float] = dataclasses.field(default_factory=dict)
    team: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)


def _team_of(runs: list[RunSummary]) -> dict[str, float]:
    """Means over *runs* of the team facts their metadata carry (see :class:`Comparison`)."""
    rows = [
        {
            "positions_start": run.meta.get("positions_start", np.nan),
            "operations_units": run.meta.get("operations_units", np.nan),
            "coordination_days": run.meta.get("coordination_days", np.nan),
            **run.meta.get("reorganisation", {}),
        }
        for run in runs
    ]
    return {k: float(v) for k, v in pd.DataFrame(rows).mean().items()}


def findings_of(runs: Sequence[Any]) -> tuple:
    """The guard's findings for one scenario over its *runs*: what it found before the runs
    (the same for every run), and what the runs did judged on their mean — one unlucky
    replication does not make a scenario out of range."""
    before = dict.fromkeys(
        f for run in runs for f in run.meta.get("findings", ()) if f[0] not in RESULT_CODES
    )
    monthly = pd.concat([run.monthly for run in runs]).groupby("month", sort=True).mean()
    n_start = round(float(np.mean([run.meta.get("n_customers_start", 0) for run in runs])))
    ratio = float(np.mean([run.meta.get("wallet_ratio", np.nan) for run in runs]))
    after = check_result(monthly.reset_index(), n_start, ratio)
    return (*before, *(f.as_tuple() for f in after))


def compare(
    scenarios: Mapping[str, Scenario],
    replications: int = 20,
    seed: int | np.random.SeedSequence = 0,
    baseline: str | None = None,
    *,
    level: float = 0.95,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> Comparison:
    """Compare scenarios over common replications: KPI means with CIs and paired differences.

    Parameters
    ----------
    scenarios : mapping of name to Scenario
        The scenarios, e.g. ``{"post": Scenario(), "department": Scenario(structure=...)}``.
    replications : int
        Replications per scenario (the same seeds for every scenario).
    seed : int or SeedSequence
    baseline : str, optional
        Name of the scenario differences are taken against (default: the first).
    level : float
        Confidence level of the t intervals (default 0.95).
    executor, workers, progress
        As in :func:`replicate`.

    Examples
    --------
    >>> s = Scenario.synthetic(40, 3, months=3)
    >>> c = compare({"a": s, "b": s}, replications=2, seed=1, workers=1)
    >>> float(c.differences["mean_difference"].abs().max())
    0.0
    """
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ParameterError("parameter 'scenarios' must be a non-empty mapping name -> Scenario")
    for name, sc in scenarios.items():
        if not isinstance(sc, Scenario):
            raise ParameterError(
                f"parameter 'scenarios[{name!r}]' must be a Scenario; got {type(sc).__name__}"
            )
    names = list(scenarios)
    baseline = names[0] if baseline is None else baseline
    if baseline not in scenarios:
        raise ParameterError(f"parameter 'baseline' must be one of {names}; got {baseline!r}")
    seeds = replication_seeds(seed, replications)
    tasks = [(scenarios[name], s) for name in names for s in seeds]
    runs = _execute(
        _run_summary,
        tasks,
        executor=executor,
        workers=workers,
        progress=progress,
        description="compare",
    )
    n = len(seeds)
    by_name = {name: runs[i * n : (i + 1) * n] for i, name in enumerate(names)}
    kpi_rows, monthly, funnel, managers = [], [], [], []
    findings: dict[str, tuple] = {}
    staff: dict[str, float] = {}
    team: dict[str, dict[str, float]] = {}
    for name in names:
        team[name] = _team_of(by_name[name])
        findings[name] = findings_of(by_name[name])
        staff[name] = float(np.mean([run.meta.get("operations_staff", 0) for run in by_name[name]]))
        for r, run in enumerate(by_name[name]):
            kpi_rows.append({"scenario": name, "replication": r, **run.kpis})
            monthly.append(run.monthly.assign(scenario=name, replication=r))
            funnel.append(run.funnel.assign(scenario=name, replication=r))
            managers.append(run.managers.assign(scenario=name, replication=r))
    table = pd.DataFrame(kpi_rows)
    differences = []
    base = table[table["scenario"] == baseline].set_index("replication")
    for name in names:
        mine = table[table["scenario"] == name].set_index("replication")
        for k in KPI_NAMES:
            ci = mean_ci(mine[k] - base[k], level)
            ci["mean_difference"] = ci.pop("mean")
            differences.append({"scenario": name, "baseline": baseline, "kpi": k, **ci})
    lead = ["scenario", "replication"]

    def front(df: pd.DataFrame) -> pd.DataFrame:
        return df[lead + [c for c in df.columns if c not in lead]]

    diff = pd.DataFrame(differences)
    diff = diff[["scenario", "baseline", "kpi", "mean_difference", "ci_low", "ci_high",
                 "half_width", "n"]]  # fmt: skip
    return Comparison(
        summary=summarise(table, ["scenario"], level),
        differences=diff,
        runs=table,
        monthly=front(pd.concat(monthly, ignore_index=True)),
        funnel=front(pd.concat(funnel, ignore_index=True)),
        managers=front(pd.concat(managers, ignore_index=True)),
        baseline=baseline,
        findings=findings,
        operations_staff=staff,
        team=team,
    )


# --------------------------------------------------------------------------- sweeps


def sweep(
    base: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int = 5,
    seed: int | np.random.SeedSequence = 0,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> pd.DataFrame:
    """Run *base* over every combination of the parameter values in *grid*.

    Parameters
    ----------
    base : Scenario
    grid : mapping of parameter path to values
        e.g. ``{"crm.adoption": [0, 0.5, 1], "incentives.scheme": ["commission", "deferred"]}``;
        paths as in :meth:`Scenario.with_`.
    replications : int
        Replications per grid point; point *p* and replication *i* use replication seed *i*
        (common random numbers across points).
    seed, executor, workers, progress
        As in :func:`replicate`.

    Returns
    -------
    DataFrame
        One row per grid point and replication: ``point``, one column per grid parameter,
        ``replication`` and the KPIs. Summarise with :func:`summarise`.

    Examples
    --------
    >>> t = sweep(Scenario.synthetic(40, 3, months=2), {"crm.adoption": [0.0, 1.0]},
    ...           replications=2, seed=1, workers=1)
    >>> t["crm.adoption"].tolist(), t["replication"].tolist()
    ([0.0, 0.0, 1.0, 1.0], [0, 1, 0, 1])
    """
    if not isinstance(base, Scenario):
        raise ParameterError(f"parameter 'base' must be a Scenario; got {type(base).__name__}")
    if not isinstance(grid, Mapping) or not grid:
        raise ParameterError("parameter 'grid' must be a non-empty mapping path -> values")
    keys = list(grid)
    for key in keys:
        values = grid[key]
        if isinstance(values, str) or not isinstance(values, Sequence) or not len(values):
            raise ParameterError(f"parameter 'grid[{key!r}]' must be a non-empty list of values")
    points = list(itertools.product(*(grid[k] for k in keys)))
    scenarios = [base.with_(dict(zip(keys, values, strict=True))) for values in points]
    seeds = replication_seeds(seed, replications)
    tasks = [(sc, s) for sc in scenarios for s in seeds]
    runs = _execute(
        _run_summary,
        tasks,
        executor=executor,
        workers=workers,
        progress=progress,
        description="sweep",
    )
    rows = []
    for t, run in enumerate(runs):
        p, r = divmod(t, len(seeds))
        rows.append(
            {"point": p, **dict(zip(keys, points[p], strict=True)), "replication": r, **run.kpis}
        )
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame, by: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Mean and t CI of every KPI column of *table* for each group of *by* (long format).

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "a", "b", "b"], "revenue": [1.0, 3.0, 2.0, 2.0]})
    >>> summarise(t, ["g"])[["g", "kpi", "mean"]].values.tolist()
    [['a', 'revenue', 2.0], ['b', 'revenue', 2.0]]
    """
    kpis = [k for k in KPI_NAMES if k in table.columns]
    rows = []
    for key, part in table.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        for k in kpis:
            rows.append({**dict(zip(by, key, strict=True)), "kpi": k, **mean_ci(part[k], level)})
    return pd.DataFrame(rows)
