"""What-if options (files, --set, --vary, Chinese names), counterfactuals of scheduled events,
and common random numbers (crmsim.sim.whatif)."""

from __future__ import annotations

import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim import Scenario
from crmsim.sim.kpis import KPI_NAMES
from crmsim.sim.whatif import (
    SCHEDULED_EVENTS,
    build_options,
    event_costs,
    option_label,
    run_whatif,
    scheduled_events,
)

TINY = Scenario.synthetic(60, 3, months=3)

SMALL_TOML = """\
name = "small"
months = 3
[book]
source = "synthetic"
n_customers = 60
n_managers = 3
"""


@pytest.fixture()
def files(tmp_path):
    a = tmp_path / "today.toml"
    a.write_text(SMALL_TOML, encoding="utf-8")
    b = tmp_path / "proposal.toml"
    b.write_text(SMALL_TOML + '[structure]\nname = "扩大工作范围"\n', encoding="utf-8")
    return a, b


# --------------------------------------------------------------------------- options


def test_files_become_options_named_by_their_stem(files):
    opts = build_options(files)
    assert list(opts) == ["today", "proposal"]
    assert opts["today"].structure.name == "dedicated_post"
    # the Chinese structure name in a file selects that structure's preset
    assert opts["proposal"].structure.name == "extended_roles"
    assert opts["proposal"].structure.time_share == 0.5


def test_names_in_a_scenario_file_in_english_or_chinese(tmp_path):
    path = tmp_path / "zh.toml"
    path.write_text(SMALL_TOML + '[structure]\nname = "增设独立部门"\n[allocation]\n'
                    'rule = "专业特长分配法"\n[incentives]\nscheme = "Deferred pay on '
                    'satisfaction"\n', encoding="utf-8")  # fmt: skip
    sc = Scenario.from_toml(path)
    assert (sc.structure.name, sc.allocation.rule, sc.incentives.scheme) == (
        "dedicated_department", "by_specialty", "deferred")  # fmt: skip
    assert sc.structure.monthly_overhead == 40_000.0  # the department's preset
    assert sc == Scenario.from_toml(SMALL_TOML + '[structure]\nname = "dedicated_department"\n'
                                    '[allocation]\nrule = "by_specialty"\n[incentives]\n'
                                    'scheme = "deferred"\n').replace(name=sc.name)  # fmt: skip


def test_sets_apply_to_every_option_and_win_over_varied_values(files):
    opts = build_options(files, sets=[("crm.adoption", 0.8)])
    assert {o.crm.adoption for o in opts.values()} == {0.8}
    opts = build_options(vary={"structure": ["extended_roles", "dedicated_post"]},
                         sets={"structure.training_cost": 0.0}, base=TINY)  # fmt: skip
    assert [o.structure.training_cost for o in opts.values()] == [0.0, 0.0]
    assert opts["extended_roles"].structure.time_share == 0.5


def test_vary_gives_one_option_per_value_and_every_combination():
    opts = build_options(vary=[("structure.name", ["增设独立岗位", "Extended roles"]),
                               ("crm.adoption", [0, 1])], base=TINY)  # fmt: skip
    assert list(opts) == [
        "dedicated_post, crm.adoption = 0", "dedicated_post, crm.adoption = 1",
        "extended_roles, crm.adoption = 0", "extended_roles, crm.adoption = 1",
    ]  # fmt: skip
    sc = opts["extended_roles, crm.adoption = 1"]
    assert (sc.structure.name, sc.structure.time_share, sc.crm.adoption) == (
        "extended_roles", 0.5, 1.0)  # fmt: skip
    assert sc.name == "extended_roles, crm.adoption = 1"
    # shown in words: the structure by its name, the parameter by its name and its value
    assert option_label(sc.name, "zh") == "扩大工作范围，CRM采用程度100%"
    assert option_label(sc.name, "en") == "Extended roles, CRM adoption 100%"


def test_vary_on_files_names_file_and_value(files):
    opts = build_options(files, vary={"incentives.scheme": ["按满意度延期支付", "commission"]})
    assert list(opts) == ["today: deferred", "today: commission", "proposal: deferred",
                          "proposal: commission"]  # fmt: skip
    one = build_options(files[:1], vary={"crm.adoption": [0, 1]})
    assert list(one) == ["crm.adoption = 0", "crm.adoption = 1"]


def test_names_stay_unique(tmp_path, files):
    other = tmp_path / "sub"
    other.mkdir()
    (other / "today.toml").write_text(SMALL_TOML, encoding="utf-8")
    assert list(build_options([files[0], other / "today.toml"])) == ["today", "today (2)"]


def test_a_file_called_a_is_not_the_abc_class():
    assert option_label("A", "en") == "A" and option_label("B", "zh") == "B"
    assert option_label("by_specialty", "zh") == "专业特长分配法"


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"sets": [("crm.adoptoin", 1)]}, ["--set", "crm.adoptoin", "unknown parameter"]),
        ({"sets": [("crm.adoption", "high")]}, ["--set", "crm.adoption", "must be a number"]),
        ({"sets": [("crm.adoption", 1.5)]}, ["--set", "crm.adoption", "<= 1"]),
        ({"vary": [("structure", ["专设岗位", "extended_roles"])]},
         ["--vary", "structure", "专设岗位", "增设独立岗位"]),
        ({"vary": [("months", [0, 3])]}, ["--vary", "months", ">= 1"]),
        ({"vary": [("crm.adoption", 0.5)]}, ["--vary", "crm.adoption", "list of values"]),
    ],
)  # fmt: skip
def test_errors_name_the_option_and_the_key(kwargs, fragments):
    with pytest.raises(ParameterError) as info:
        build_options(base=TINY, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_errors_in_a_file_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[crm]\nadoption = 2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"bad\.toml.*crm\.adoption.*<= 1"):
        build_options([bad])
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[structure]\nname = "扩大范围"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"wrong\.toml.*structure\.name.*扩大工作范围"):
        build_options([wrong])


# --------------------------------------------------------------------------- running


def test_an_option_identical_to_the_baseline_has_exactly_zero_difference():
    w = run_whatif({"a": TINY, "same": TINY, "b": TINY.with_("crm.adoption", 1.0)},
                   replications=2, seed=3, workers=1)  # fmt: skip
    d = w.comparison.differences
    same = d[d["scenario"] == "same"]
    assert set(same["kpi"]) == set(KPI_NAMES)
    assert (same["mean_difference"].fillna(0.0) == 0.0).all()
    assert not w.counterfactuals
    # the runs of identical options are identical, replication by replication
    runs = w.comparison.runs.drop(columns="scenario")
    pd.testing.assert_frame_equal(runs.iloc[:2].reset_index(drop=True),
                                  runs.iloc[2:4].reset_index(drop=True))  # fmt: skip


def test_the_only_scheduled_event_is_a_star_leaving():
    """Every parameter whose unit is a month of the run is registered as a scheduled event."""
    months = Scenario().describe()
    dated = set(months.loc[months["unit"].str.startswith("month (1 = first)"), "parameter"])
    assert dated == {e.path for e in SCHEDULED_EVENTS} == {"turnover.star_leaves_month"}


def test_a_star_departure_gets_its_counterfactual():
    leaves = TINY.with_("turnover.star_leaves_month", 2)
    w = run_whatif({"now": TINY.with_("crm.adoption", 1.0), "star leaves": leaves},
                   replications=2, seed=1, workers=1)  # fmt: skip
    assert w.counterfactuals == {"star leaves": "star leaves (star stays)"}
    assert list(w.comparison.runs["scenario"].unique()) == [
        "now",
        "star leaves",
        "star leaves (star stays)",
    ]
    cf = w.scenarios["star leaves (star stays)"]
    assert cf.turnover.star_leaves_month == 0
    assert cf.with_("turnover.star_leaves_month", 2).hash() == leaves.replace(
        name=cf.name).hash()  # fmt: skip
    assert [(e.path, m) for e, m in w.events["star leaves"]] == [("turnover.star_leaves_month", 2)]
    assert option_label("star leaves (star stays)", "zh") == "star leaves（业务尖子留任）"
    # the recommendation weighs the options only: the counterfactual is not a choice
    rec = w.recommendation("en")
    assert {rec.leader, rec.runner_up} == {"now", "star leaves"}
    costs = w.event_costs()
    assert list(costs["option"].unique()) == ["star leaves"]
    # event cost = option minus counterfactual, paired
    runs = w.comparison.runs.set_index(["scenario", "replication"])["net_contribution"]
    expected = (runs["star leaves"] - runs["star leaves (star stays)"]).mean()
    got = costs.set_index("kpi").at["net_contribution", "mean_difference"]
    assert got == pytest.approx(expected)
    assert event_costs(w.comparison, w.counterfactuals).equals(costs)


def test_an_existing_option_serves_as_the_counterfactual():
    leaves = TINY.with_("turnover.star_leaves_month", 2)
    w = run_whatif({"stays": TINY, "leaves": leaves}, replications=2, seed=1, workers=1)
    assert w.counterfactuals == {"leaves": "stays"}
    assert len(w.comparison.runs["scenario"].unique()) == 2
    off = run_whatif({"leaves": leaves}, replications=2, seed=1, workers=1, counterfactuals=False)
    assert off.counterfactuals == {} and list(off.comparison.runs["scenario"].unique()) == [
        "leaves"]  # fmt: skip


def test_scheduled_events_lists_the_star_month():
    assert scheduled_events(TINY) == []
    assert [m for _, m in scheduled_events(TINY.with_("turnover.star_leaves_month", 3))] == [3]


@pytest.mark.parametrize(
    ("options", "kwargs", "fragment"),
    [
        ({"a": TINY, "b": TINY.replace(months=4)}, {}, "different horizons"),
        ({"a": TINY.with_("turnover.star_leaves_month", 5)}, {}, "after the horizon"),
        ({"a": TINY}, {"baseline": "z"}, "baseline 'z' is not one of the options"),
        ({"a": TINY}, {"replications": 1}, "'replications' must be >= 2"),
        ({"a": TINY}, {"workers": 0}, "'workers' must be a whole number >= 1"),
        ({}, {}, "non-empty mapping"),
    ],
)
def test_impossible_comparisons_are_refused(options, kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        run_whatif(options, **{"workers": 1, **kwargs})


def test_months_sets_one_horizon_for_every_option():
    w = run_whatif({"a": TINY, "b": TINY.replace(months=5)}, months=2, replications=2, seed=0,
                   workers=1)  # fmt: skip
    assert w.months == 2 and set(w.comparison.monthly["month"]) == {1, 2}


def test_results_do_not_depend_on_the_number_of_workers():
    options = build_options(vary={"crm.adoption": [0, 1]}, base=TINY)
    one = run_whatif(options, replications=2, seed=9, workers=1)
    two = run_whatif(options, replications=2, seed=9, workers=2)
    pd.testing.assert_frame_equal(one.comparison.runs, two.comparison.runs)
