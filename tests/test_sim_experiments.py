"""Tests for crmsim.sim.experiments: replications, paired comparisons, sweeps on any executor,
and the direction tests of the issue (with the documented default parameters)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.experiments import (
    KPI_NAMES,
    compare,
    replicate,
    replication_seeds,
    simulate,
    summarise,
    sweep,
)
from crmsim.sim.scenario import Scenario
from crmsim.sim.studies import difference_table, kpi_table

TINY = Scenario.synthetic(40, 3, months=3)

# ------------------------------------------------------------------------- hand-worked


def test_replication_i_uses_the_i_th_spawned_seed():
    seeds = replication_seeds(12, 3)
    reps = replicate(TINY, 3, seed=12, workers=1)
    for i, s in enumerate(seeds):
        assert s.spawn_key == np.random.SeedSequence(12).spawn(3)[i].spawn_key
        pd.testing.assert_frame_equal(reps[i].monthly, simulate(TINY, seed=s).monthly)
    assert reps.kpis["replication"].tolist() == [0, 1, 2]
    assert set(reps.monthly["replication"]) == {0, 1, 2}


def test_replicate_full_keeps_every_table():
    reps = replicate(TINY, 2, seed=1, full=True, workers=1)
    assert len(reps[0].customers) >= 40
    summary = reps.summary()
    assert list(summary["kpi"]) == list(KPI_NAMES)


def test_comparing_a_scenario_with_itself_gives_exactly_zero():
    c = compare({"a": TINY, "b": TINY}, replications=3, seed=2, workers=1)
    diffs = c.differences[c.differences["scenario"] == "b"]
    assert (diffs["mean_difference"].fillna(0.0) == 0.0).all()
    assert (diffs["half_width"].fillna(0.0) == 0.0).all()
    # and both scenarios have identical runs
    a = c.runs[c.runs["scenario"] == "a"].drop(columns="scenario").reset_index(drop=True)
    b = c.runs[c.runs["scenario"] == "b"].drop(columns="scenario").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_compare_tables_and_baseline():
    c = compare(
        {"post": TINY, "dept": TINY.replace(structure="dedicated_department")},
        replications=2,
        seed=3,
        baseline="post",
        workers=1,
    )
    assert c.baseline == "post"
    assert set(c.summary["scenario"]) == {"post", "dept"}
    assert list(c.summary.columns) == ["scenario", "kpi", "mean", "ci_low", "ci_high",
                                       "half_width", "n"]  # fmt: skip
    # paired difference = mean of per-replication differences
    runs = c.runs.set_index(["scenario", "replication"])
    d = (runs.loc["dept", "revenue"] - runs.loc["post", "revenue"]).mean()
    got = c.differences.query("scenario == 'dept' and kpi == 'revenue'")["mean_difference"]
    assert got.iloc[0] == pytest.approx(d)
    means = kpi_table(c, ("revenue", "retention"))
    assert list(means.columns) == ["post", "dept"]
    assert "±" in means.loc["Revenue (M CNY)", "post"]
    assert list(difference_table(c, ("revenue",)).columns) == ["dept"]
    assert {"scenario", "replication", "month"} <= set(c.monthly.columns)


def test_sweep_results_do_not_depend_on_the_executor():
    grid = {"crm.adoption": [0.0, 1.0], "incentives.scheme": ["commission", "deferred"]}
    serial = sweep(TINY, grid, replications=2, seed=4, workers=1)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = sweep(TINY, grid, replications=2, seed=4, executor=pool)
    with ThreadPoolExecutor(max_workers=3) as pool:
        threads = sweep(TINY, grid, replications=2, seed=4, executor=pool)
    pd.testing.assert_frame_equal(serial, parallel)
    pd.testing.assert_frame_equal(serial, threads)
    assert len(serial) == 8
    assert serial["point"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]
    # common random numbers across grid points: replication r uses the same seed everywhere
    summary = summarise(serial, ["crm.adoption", "incentives.scheme"])
    assert set(summary["kpi"]) == set(KPI_NAMES)


def test_a_dask_client_executor_gives_the_same_sweep():
    distributed = pytest.importorskip("distributed")
    grid = {"crm.adoption": [0.0, 1.0]}
    serial = sweep(TINY, grid, replications=2, seed=4, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        dask = sweep(TINY, grid, replications=2, seed=4, executor=client.get_executor())
    pd.testing.assert_frame_equal(serial, dask)


def test_progress_is_silent_by_default_and_plain_lines_in_a_log(capsys):
    # under pytest stderr is not a terminal: nothing by default, plain lines when asked
    replicate(TINY, 2, seed=1, workers=1)
    assert capsys.readouterr().err == ""
    replicate(TINY, 2, seed=1, workers=1, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"{TINY.name}: 0/2 runs (0%)",
        f"{TINY.name}: 1/2 runs (50%)",
        f"{TINY.name}: 2/2 runs (100%)",
    ]
    replicate(TINY, 2, seed=1, workers=1, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_lines_come_at_every_tenth_of_a_long_batch(capsys):
    sweep(TINY, {"crm.adoption": [0.0, 0.5, 1.0]}, replications=7, seed=1, workers=1, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "sweep: 0/21 runs (0%)" and lines[-1] == "sweep: 21/21 runs (100%)"
    assert [int(line.split()[1].split("/")[0]) for line in lines] == [
        0,
        2,
        4,
        6,
        8,
        10,
        12,
        14,
        16,
        18,
        20,
        21,
    ]


def test_a_progress_callable_sees_every_run_in_order():
    seen = []
    compare(
        {"a": TINY, "b": TINY.with_("crm.adoption", 1.0)},
        replications=2,
        seed=3,
        workers=1,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


@pytest.mark.parametrize("workers", [0, -1, 1.5, True, "2"])
def test_impossible_worker_counts_are_refused_by_name(workers):
    with pytest.raises(ParameterError, match="parameter 'workers' must be a whole number >= 1"):
        replicate(TINY, 2, seed=1, workers=workers)


def test_a_dask_client_itself_is_an_executor():
    distributed = pytest.importorskip("distributed")
    serial = replicate(TINY, 2, seed=5, workers=1).kpis
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        pd.testing.assert_frame_equal(serial, replicate(TINY, 2, seed=5, executor=client).kpis)


def test_default_pool_with_two_workers_matches_serial():
    serial = replicate(TINY, 3, seed=9, workers=1).kpis
    pooled = replicate(TINY, 3, seed=9, workers=2).kpis
    pd.testing.assert_frame_equal(serial, pooled)


# ------------------------------------------------------------------------- direction tests


@pytest.fixture(scope="module")
def pay_comparison():
    base = Scenario(months=24)
    return compare(
        {"commission": base, "deferred": base.with_("incentives.scheme", "deferred")},
        replications=6,
        seed=2024,
        workers=2,
    )


def test_deferred_pay_raises_retention(pay_comparison):
    d = pay_comparison.differences.set_index(["scenario", "kpi"]).loc["deferred"]
    assert d.loc["retention", "ci_low"] > 0
    assert d.loc["mean_satisfaction", "ci_low"] > 0


def test_deferred_pay_lowers_new_customer_wins(pay_comparison):
    d = pay_comparison.differences.set_index(["scenario", "kpi"]).loc["deferred"]
    assert d.loc["new_customers", "ci_high"] < 0


def test_crm_adoption_loses_fewer_customers_when_the_star_leaves():
    base = Scenario(months=12).with_("turnover.star_leaves_month", 3)
    c = compare(
        {
            "adoption 0": base.with_("crm.adoption", 0.0),
            "adoption 1": base.with_("crm.adoption", 1.0),
        },
        replications=4,
        seed=7,
        workers=2,
    )
    d = c.differences.set_index(["scenario", "kpi"]).loc["adoption 1"]
    assert d.loc["defections", "ci_high"] < 0
    assert d.loc["lost_customers", "mean_difference"] < 0


def test_more_managers_never_lower_the_service_level():
    """Same 240 customers (the synthetic book keeps its customers whatever the team size) served
    by 3, 6 and 12 managers; the service level never falls as the team grows."""
    levels = []
    for managers in (3, 6, 12):
        reps = replicate(Scenario.synthetic(240, managers, months=6), 3, seed=5, workers=1)
        levels.append(reps.kpis["service_level"].mean())
    assert levels[0] <= levels[1] <= levels[2]
    assert levels[2] - levels[0] > 0.02


# ------------------------------------------------------------------------- bad input


def test_bad_arguments_are_refused():
    with pytest.raises(ParameterError, match="replications"):
        replicate(TINY, 0)
    with pytest.raises(ParameterError, match="scenario"):
        simulate("not a scenario")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="baseline"):
        compare({"a": TINY}, replications=1, baseline="z", workers=1)
    with pytest.raises(ParameterError, match="scenarios"):
        compare({}, replications=1)
    with pytest.raises(ParameterError, match="grid"):
        sweep(TINY, {"crm.adoption": 0.5}, replications=1)  # type: ignore[dict-item]
    with pytest.raises(ParameterError, match="crm.adopt"):
        sweep(TINY, {"crm.adopt": [0.5]}, replications=1, workers=1)
    with pytest.raises(ParameterError, match="seed"):
        simulate(TINY, seed=-1)
