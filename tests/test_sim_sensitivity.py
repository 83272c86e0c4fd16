"""One-at-a-time sensitivity (crmsim.sim.sensitivity): hand-worked effects, the change of the
leading option, the tornado report, and identical results on a Dask cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.report.sensitivity import sensitivity_sentences, write_sensitivity_report
from crmsim.sim import Scenario
from crmsim.sim.sensitivity import sensitivity

TINY = Scenario.synthetic(60, 3, months=3)
#: "overhead" pays 10,000 CNY a month more; "crm" pays a CRM licence of cost_per_manager ×
#: 0.001 per active manager and month, and nothing else differs that matters over 3 months.
OVERHEAD = TINY.structure.monthly_overhead
OPTIONS = {
    "overhead": TINY.with_({"structure.monthly_overhead": OVERHEAD + 10_000.0,
                            "crm.adoption": 0.0}),
    "crm": TINY.with_({"crm.adoption": 0.001}),
}
GRID = {"crm.cost_per_manager": [0.0, 1e7], "turnover.hiring_cost": [0.0, 1e5]}


@pytest.fixture(scope="module")
def study():
    return sensitivity(OPTIONS, GRID, replications=2, seed=1, workers=1,
                       rank_on="net_contribution")  # the hand-worked costs are in the horizon


def test_effects_are_the_hand_worked_licence_costs(study):
    assert (study.leader, study.runner_up) == ("crm", "overhead")
    # lead of crm = 3 months × 10,000 overhead − licence; at the base the licence is
    # 400 × 0.001 per manager-month, so the base lead gives the manager-months worked
    manager_months = (30_000 - study.base_measure) / 0.4
    points = study.points[study.points["option"] == "crm"].set_index(["parameter", "value"])
    assert points.at[("crm.cost_per_manager", "0"), "measure"] == pytest.approx(30_000)
    assert points.at[("crm.cost_per_manager", "1e+07"), "measure"] == pytest.approx(
        30_000 - 1e4 * manager_months)  # fmt: skip
    # no one is hired in three months: the hiring cost moves nothing
    assert points.at[("turnover.hiring_cost", "100000"), "effect"] == 0.0


def test_the_tornado_marks_the_parameter_that_changes_the_leader(study):
    tornado = study.tornado.set_index("parameter")
    assert list(study.tornado["parameter"]) == ["crm.cost_per_manager", "turnover.hiring_cost"]
    assert tornado.at["crm.cost_per_manager", "changes"]
    assert not tornado.at["turnover.hiring_cost", "changes"]
    assert tornado.at["turnover.hiring_cost", "swing"] == 0.0
    expensive = study.points[study.points["value"] == "1e+07"]
    assert set(expensive["leader"]) == {"overhead"}
    headline, _ = sensitivity_sentences(study, "en")
    assert "CRM cost per manager = 1e+07 (overhead leads)" in headline


def test_one_option_measures_its_net_contribution():
    one = sensitivity({"now": TINY}, {"crm.adoption": [0.0, 1.0]}, replications=2, seed=1,
                      workers=1, rank_on="net_contribution")  # fmt: skip
    assert one.runner_up is None and not one.tornado["changes"].any()
    base = one.points[one.points["parameter"] == "base"]["net_contribution"].iloc[0]
    assert one.base_measure == pytest.approx(base)


def test_by_default_the_sweep_measures_customer_value_created():
    one = sensitivity({"now": TINY}, {"crm.adoption": [0.0, 1.0]}, replications=2, seed=1,
                      workers=1)  # fmt: skip
    base = one.points[one.points["parameter"] == "base"]
    assert one.rank_on == "value_created"
    assert one.base_measure == pytest.approx(base["value_created"].iloc[0])
    assert "Customer value" in one.measure_label("en")


def test_the_sweep_report_has_a_tornado_and_its_data(study, tmp_path):
    path = write_sensitivity_report(study, tmp_path / "sweep", lang="zh")
    html = path.read_text(encoding="utf-8")
    assert "影响结论的因素" in html and "data:image/svg+xml;base64," in html
    tornado = pd.read_csv(tmp_path / "sweep" / "tables" / "tornado.csv")
    assert tornado["parameter"].tolist() == study.tornado["parameter"].tolist()
    assert (tmp_path / "sweep" / "tables" / "points.csv").is_file()


@pytest.mark.parametrize(
    ("vary", "fragment"),
    [({}, "at least one parameter"), ({"crm.adoptoin": [0, 1]}, "crm.adoptoin"),
     ({"structure": ["x", "dedicated_post"]}, "structure")],
)  # fmt: skip
def test_bad_parameters_are_named(vary, fragment):
    with pytest.raises(ParameterError, match=fragment):
        sensitivity({"now": TINY}, vary, replications=2, workers=1)


def test_a_sweep_on_a_dask_local_cluster_equals_the_local_one(study):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        remote = sensitivity(OPTIONS, GRID, replications=2, seed=1, executor=client,
                             rank_on="net_contribution")
    pd.testing.assert_frame_equal(remote.comparison.runs, study.comparison.runs)
    pd.testing.assert_frame_equal(remote.points, study.points)
    pd.testing.assert_frame_equal(remote.tornado, study.tornado)


def test_a_parameter_the_options_set_themselves_is_refused_not_overwritten():
    # each option has its own monthly overhead (10,000 apart): one value for both would erase
    # the difference being compared (issue 22: the department's own 150,000 was overwritten)
    with pytest.raises(ParameterError) as err:
        sensitivity(OPTIONS, {"structure.monthly_overhead": [50_000.0, 400_000.0]},
                    replications=2, seed=1, workers=1)  # fmt: skip
    message = str(err.value)
    assert "set this parameter themselves" in message
    assert f"overhead {OVERHEAD + 10_000:,.0f}" in message and f"crm {OVERHEAD:,.0f}" in message
    assert "structure.monthly_overhead=x0.5,x2" in message


def test_factors_move_each_options_own_value():
    study = sensitivity(OPTIONS, {"structure.monthly_overhead": ["x0", "x3"]}, replications=2,
                        seed=1, workers=1, rank_on="net_contribution")  # fmt: skip
    crm = study.points[study.points["option"] == "crm"].set_index("value")
    # the lead of crm over overhead: 3 months × 10,000 less at x0, 3 × 20,000 more at x3
    assert crm.at["x0", "effect"] == pytest.approx(-30_000)
    assert crm.at["x3", "effect"] == pytest.approx(60_000)
    overhead = study.points[study.points["option"] == "overhead"].set_index("value")
    base = overhead.at["", "net_contribution"]
    # x3 adds twice its own monthly overhead in each of the 3 months
    assert overhead.at["x3", "net_contribution"] == pytest.approx(base - 6 * (OVERHEAD + 10_000))


def test_the_tornado_shows_exactly_the_effects_of_its_table():
    # both values raise the overhead above its own: both move the answer down, by 3 months of
    # the increase
    study = sensitivity({"now": TINY}, {"structure.monthly_overhead": [20_000.0, 50_000.0]},
                        replications=2, seed=1, workers=1, rank_on="net_contribution")
    effects = study.points.set_index("value")["effect"]
    assert effects["20000"] == pytest.approx(-3 * (20_000 - OVERHEAD))
    assert effects["50000"] == pytest.approx(-3 * (50_000 - OVERHEAD))
    row = study.tornado.iloc[0]
    assert row["swing"] == pytest.approx(3 * (50_000 - OVERHEAD))  # the base to the farthest
    assert row["low_measure"] == pytest.approx(study.base_measure - 3 * (50_000 - OVERHEAD))
    assert row["high_measure"] == pytest.approx(study.base_measure - 3 * (20_000 - OVERHEAD))


def test_the_tornado_draws_values_that_move_the_answer_alike():
    from crmsim.plots.whatif import plot_tornado

    # two values with the same effect, away from the base: a bar, never "no change"
    table = pd.DataFrame({"parameter": ["structure.monthly_overhead"], "low_value": ["50000"],
                          "low_measure": [8.94e6], "high_value": ["400000"],
                          "high_measure": [8.94e6], "changes": [False]})  # fmt: skip
    ax = plot_tornado(table, centre=3.54e6, kpi_text="lead")
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert widths and widths[-1] == round(8.94e6 - 3.54e6)
    texts = [t.get_text() for t in ax.texts]
    assert "no change" not in " ".join(texts)
    assert {"50000", "400000"} <= set(texts)


def test_the_chinese_sweep_page_is_chinese(study, tmp_path):
    from test_report_manager import LATIN_NAMES, _visible_words

    path = write_sensitivity_report(study, tmp_path / "zh", lang="zh")
    typed = set(OPTIONS)  # the options' own names, as the user gave them
    assert [w for w in _visible_words(path) if w not in typed] == []
    assert "百万元" in path.read_text(encoding="utf-8") and "crmsim" in LATIN_NAMES
