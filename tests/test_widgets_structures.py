"""Tests of the lesson 07 app in :mod:`crmsim.widgets.structures` (headless)."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.experiments import compare
from crmsim.terms import STRUCTURES, label
from crmsim.widgets import structure_explorer
from crmsim.widgets.structures import SHOWN_KPIS, profile_scenario, structure_compute

TWO = ("extended_roles", "dedicated_department")


def quiet_set(app, name, value):
    with contextlib.redirect_stdout(io.StringIO()):  # Output widgets print outside a kernel
        app.controls[name].value = value


def test_profile_scenario_carries_the_profile():
    s = profile_scenario(4, 0.3, 0.2, 0.1, "key_accounts", months=6)
    assert (s.company.business_lines, s.company.need_complexity) == (4, 0.3)
    assert (s.company.expertise_share, s.company.confidential_share) == (0.2, 0.1)
    assert (s.book.n_customers, s.book.wallet_scale, s.months) == (300, 4.0, 6)
    assert s.company.current_structure == "none"  # newly organising: every structure pays
    with pytest.raises(ParameterError, match="size"):
        profile_scenario(size="huge")


def test_compute_matches_compare_with_common_random_numbers():
    view = structure_compute(TWO, size="small", months=3, replications=2, seed=3)
    base = profile_scenario(size="small", months=3)
    ref = compare({s: base.with_("structure", s) for s in TWO}, replications=2, seed=3,
                  workers=1, progress=False)
    for s in TWO:
        for k in SHOWN_KPIS:
            v, r = view.summary, ref.summary
            mine = v.loc[(v["structure"] == s) & (v["kpi"] == k), "mean"].item()
            theirs = r.loc[(r["scenario"] == s) & (r["kpi"] == k), "mean"].item()
            assert mine == pytest.approx(theirs)
    # the paired difference is the mean of replication-by-replication differences
    runs = view.runs.pivot(index="replication", columns="structure", values="value_created")
    expected = (runs[TWO[1]] - runs[TWO[0]]).mean()
    assert view.differences["mean_difference"].item() == pytest.approx(expected)
    assert view.differences["baseline"].item() == TWO[0]
    s = view.summary
    assert (s["ci_low"] <= s["mean"]).all() and (s["mean"] <= s["ci_high"]).all()
    net = s[s["kpi"] == "net_contribution"].set_index("structure")["mean"]
    assert view.best == net.idxmax()


def test_cache_reuses_runs_and_new_structures_add_only_themselves():
    cache: dict = {}
    structure_compute(TWO[:1], size="small", months=3, replications=2, cache=cache)
    assert len(cache) == 1
    first = next(iter(cache.values()))
    structure_compute(TWO, size="small", months=3, replications=2, cache=cache)
    assert len(cache) == 2
    assert next(iter(cache.values())) is first  # not re-simulated


def test_bad_input_names_the_parameter():
    with pytest.raises(ParameterError, match="structures"):
        structure_compute(("matrix",), months=3, replications=2)
    with pytest.raises(ParameterError, match="replications"):
        structure_compute(TWO, months=3, replications=1)
    with pytest.raises(ParameterError, match="need_complexity"):
        structure_compute(TWO, need_complexity=1.5, months=3, replications=2)


def test_app_reacts_to_the_profile_and_to_structure_choice():
    app = structure_explorer(months=3, replications=2)
    assert app.error is None
    assert set(app.result.summary["structure"]) == set(STRUCTURES)
    quiet_set(app, "size", "small")
    small = app.result
    assert small.runs["structure"].nunique() == 4
    quiet_set(app, "business_lines", 5)
    five = app.result
    assert five is not small
    # extra lines add wallet a department reaches: its revenue rises with the lines
    def dept_revenue(view):
        part = view.summary.query("structure == 'dedicated_department' and kpi == 'revenue'")
        return part["mean"].item()

    assert dept_revenue(five) > dept_revenue(small)
    quiet_set(app, "structures", TWO)
    assert list(dict.fromkeys(app.result.summary["structure"])) == list(TWO)
    assert app.result.differences["structure"].tolist() == [TWO[1]]
    assert np.isfinite(app.result.differences["mean_difference"]).all()


def test_no_structure_shows_the_apps_message_not_a_traceback():
    app = structure_explorer(months=3, replications=2)
    kept = app.result
    quiet_set(app, "structures", ())
    assert app.error is not None
    assert label("widget.structures.need_structure", "en") in app.message.value
    assert app.result is kept


def test_labels_in_chinese():
    app = structure_explorer(months=3, replications=2, lang="zh")
    assert app.controls["business_lines"].description == "业务线数量"
    assert ("扩大工作范围", "extended_roles") in app.controls["structures"].options
