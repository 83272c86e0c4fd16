"""The ready-made studies: display formatting, difference markers and the computed reading."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from crmsim.report import Report
from crmsim.report.simulation import add_structure_section
from crmsim.sim.experiments import Comparison
from crmsim.sim.scenario import Scenario
from crmsim.sim.studies import (
    StructureReport,
    difference_table,
    format_estimate,
    kpi_table,
    scenario_study,
    structure_comparison,
    structure_recommendation,
)


def hand_comparison() -> Comparison:
    """Two structures, one KPI each, with hand-chosen means and intervals."""
    summary = pd.DataFrame({
        "scenario": ["dedicated_post", "extended_roles"],
        "kpi": ["net_contribution"] * 2,
        "mean": [8_000_000.0, 8_500_000.0],
        "ci_low": [7_600_000.0, 8_200_000.0],
        "ci_high": [8_400_000.0, 8_800_000.0],
        "half_width": [400_000.0, 300_000.0],
        "n": [20, 20],
    })
    differences = pd.DataFrame({
        "scenario": ["dedicated_post", "extended_roles"],
        "baseline": ["dedicated_post"] * 2,
        "kpi": ["net_contribution"] * 2,
        "mean_difference": [0.0, 500_000.0],
        "ci_low": [0.0, 100_000.0],
        "ci_high": [0.0, 900_000.0],
        "half_width": [0.0, 400_000.0],
        "n": [20, 20],
    })
    empty = pd.DataFrame()
    return Comparison(summary, differences, empty, empty, empty, empty, "dedicated_post")


def test_format_estimate_uses_the_display_unit():
    assert format_estimate(47_312_000.0, 410_000.0, "revenue") == "47.31 ± 0.41"
    assert format_estimate(0.5467, 0.0213, "retention") == "54.7 ± 2.1"
    assert format_estimate(-160.62, 10.2, "new_customers", signed=True) == "-160.6 ± 10.2"
    assert format_estimate(0.0, 0.0, "revenue", signed=True) == "+0.00 ± 0.00"
    assert format_estimate(math.nan, math.nan, "service_level") == "n/a"


def test_tables_show_means_and_mark_clear_differences():
    c = hand_comparison()
    means = kpi_table(c, ("net_contribution",))
    assert means.to_dict("list") == {"Dedicated post": ["8.00 ± 0.40"],
                                     "Extended roles": ["8.50 ± 0.30"]}
    diff = difference_table(c, ("net_contribution",))
    assert diff.to_dict("list") == {"Extended roles": ["+0.50 ± 0.40 *"]}
    # an interval that includes zero is not marked
    wide = c.differences.assign(ci_low=[0.0, -100_000.0], half_width=[0.0, 600_000.0])
    c2 = Comparison(c.summary, wide, *[pd.DataFrame()] * 4, "dedicated_post")
    assert difference_table(c2, ("net_contribution",)).iloc[0, 0] == "+0.50 ± 0.60"


def test_the_recommendation_weighs_more_than_net_contribution():
    """The section's reading is crmsim.sim.decision.recommend: on the hand comparison (one KPI,
    runs built to match) it names the clear winner with its interval."""
    c = hand_comparison()
    runs = pd.DataFrame({
        "scenario": ["dedicated_post"] * 3 + ["extended_roles"] * 3,
        "replication": [0, 1, 2] * 2,
        "net_contribution": [7.6e6, 8.0e6, 8.4e6, 8.2e6, 8.5e6, 8.8e6],
    })  # fmt: skip
    c2 = Comparison(c.summary, c.differences, runs, pd.DataFrame(columns=["month"]),
                    pd.DataFrame(), pd.DataFrame(), "dedicated_post")  # fmt: skip
    study = StructureReport(c2, kpi_table(c, ("net_contribution",)),
                            difference_table(c, ("net_contribution",)), 3, 36)  # fmt: skip
    rec = structure_recommendation(study)
    assert rec.best == "extended_roles"
    assert rec.headline.startswith("Recommended: Extended roles.")
    assert "0.50 M CNY more net contribution than the next best option, Dedicated post" in (
        rec.headline
    )


@pytest.fixture(scope="module")
def small_study():
    base = Scenario.synthetic(60, 4, months=4)
    return structure_comparison(3, 4, seed=5, base=base, workers=1)


def test_structure_comparison_runs_every_structure_against_the_current(small_study):
    c = small_study.comparison
    assert c.baseline == "dedicated_post"
    assert list(c.summary["scenario"].unique()) == ["dedicated_post", "extended_roles",
                                                    "dedicated_department",
                                                    "department_with_operations"]
    assert (c.runs.groupby("scenario").size() == 3).all()
    assert small_study.means.shape[1] == 4 and small_study.differences.shape[1] == 3
    # the baseline's own difference is exactly zero (common random numbers)
    own = c.differences[c.differences["scenario"] == "dedicated_post"]
    assert (own["mean_difference"] == 0).all()


def test_structure_section_adds_tables_and_charts(small_study, tmp_path):
    rep = Report("t")
    tables = add_structure_section(rep, small_study)
    assert [t for t, _ in tables][0].startswith("Simulated KPIs per structure over 4 months")
    path = rep.write(tmp_path)
    html = path.read_text(encoding="utf-8")
    # six charts embedded in the page itself (no image files beside it), each a real drawing
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 6 and all(len(b) > 5_000 for b in images)
    assert not list(tmp_path.glob("*.png"))
    assert structure_recommendation(small_study).headline in html
    assert (tmp_path / "tables" / "structure_kpis.csv").is_file()


def test_structure_comparison_keeps_a_non_default_current_structure():
    base = Scenario.synthetic(40, 3, months=2, structure="dedicated_department")
    study = structure_comparison(2, 2, seed=1, base=base, workers=1)
    assert study.baseline == "dedicated_department"
    assert list(study.means.columns)[0] == "Dedicated department"


def test_scenario_study_is_reproducible_and_refuses_non_scenarios():
    sc = Scenario.synthetic(40, 3, months=3)
    a = scenario_study(sc, 3, seed=2, workers=1)
    b = scenario_study(sc, 3, seed=2, workers=1)
    pd.testing.assert_frame_equal(a.means, b.means)
    assert len(a.replications) == 3
    with pytest.raises(ValueError, match="'scenario'"):
        scenario_study({"months": 3}, 2)
