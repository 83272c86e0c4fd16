"""Headless tests of the lesson 08 app (crmsim.widgets.star)."""

from __future__ import annotations

import pytest

from crmsim.sim.scenario import Scenario
from crmsim.widgets.star import star_departure_explorer, star_scenarios


@pytest.fixture(scope="module")
def app():
    return star_departure_explorer(Scenario.synthetic(150, 5, months=6), replications=2, seed=3,
                                   lang="en")


def test_arms_differ_only_in_the_star():
    arms = star_scenarios(Scenario.synthetic(150, 5, months=6), 2, 0.7, "extended_roles")
    assert arms["stays"].turnover.star_leaves_month == 0
    assert arms["leaves"].turnover.star_leaves_month == 2
    assert arms["stays"].crm.adoption == arms["leaves"].crm.adoption == 0.7
    assert arms["leaves"].with_("turnover.star_leaves_month", 0) == arms["stays"]


def test_month_outside_horizon_is_refused():
    with pytest.raises(ValueError, match="month 1 to 6"):
        star_scenarios(Scenario.synthetic(150, 5, months=6), 9, 0.3, "dedicated_post")


def test_star_leaving_costs_customers(app):
    k = app.result["kpis"]
    assert k.loc["defections", "difference"] > 0
    assert k.loc["revenue", "difference"] < 0
    assert (k["ci_low"] <= k["difference"]).all() and (k["difference"] <= k["ci_high"]).all()


def test_full_crm_adoption_cuts_defections(app):
    app.controls["adoption"].value = 0.0
    none = app.result["kpis"].loc["defections", "difference"]
    app.controls["adoption"].value = 1.0
    full = app.result["kpis"].loc["defections", "difference"]
    assert full < none
    assert app.error is None


def test_structure_and_month_reach_the_scenario(app):
    app.controls["structure"].value = "dedicated_department"
    app.controls["month"].value = 5
    assert app.result["month"] == 5
    assert set(app.result["monthly"]["scenario"]) == {"star_app.stays", "star_app.leaves"}
    assert app.error is None
