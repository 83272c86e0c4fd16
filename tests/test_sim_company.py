"""The company profile (crmsim.sim.scenario.company) and the structure mechanisms it drives."""

import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.engine.company import Contingency, contingency, customer_needs
from crmsim.sim.engine.team import cover_positions
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.company import CompanyParams
from crmsim.sim.scenario.structures import StructureParams
from crmsim.terms import STRUCTURES


def test_default_profile_changes_nothing_for_any_structure():
    for name in STRUCTURES:
        c = contingency(CompanyParams(), StructureParams.preset(name))
        assert (c.work_factor, c.coordination_factor, c.line_wallet_factor) == (1.0, 1.0, 1.0)
        assert c.skill_shift == 0.0 and c.expertise_wallet_factor <= 1.0


def test_contingency_by_hand():
    company = CompanyParams(business_lines=4, other_line_wallet=0.5, need_complexity=0.4,
                            complexity_work=1.0, complexity_value=1.0, expertise_share=0.3,
                            expertise_wallet_loss=0.4, confidential_share=0.2,
                            confidential_wallet_loss=0.5, line_saturation=4.0,
                            cross_line_work=0.1)  # fmt: skip
    ext = contingency(company, StructureParams.preset("extended_roles"))
    ops = contingency(company, StructureParams.preset("department_with_operations"))
    # a customer buys from 4 (1 - e^(-3/4)) = 2.11 further lines, not 3 (saturation)
    lines = 4 * (1 - np.exp(-3 / 4))
    assert company.further_lines() == pytest.approx(lines)
    # (1 + 0.5 x lines x reach), complex purchases worth (1 + complexity_value x 0.4)
    assert ext.line_wallet_factor == pytest.approx((1 + 0.5 * lines * 0.1) * 1.4)
    assert ops.line_wallet_factor == pytest.approx((1 + 0.5 * lines * 0.8) * 1.4)
    # complexity_work x 0.4, then 0.1 more work per contact for each line sold
    assert ops.work_factor == pytest.approx(1.4 * (1 + 0.1 * lines * 0.8))
    assert ext.work_factor == pytest.approx(1.8 * (1 + 0.1 * lines * 0.1))  # + extra 1.0 x 0.4
    # the department and its units serve the lines as one: less coordination per line
    assert ext.coordination_factor == pytest.approx(1 + 0.25 * 3)
    assert ops.coordination_factor == pytest.approx(1 + 0.25 * 3 * (1 - 0.6))
    assert ext.skill_shift == pytest.approx(0.3 * 0.4) and ops.skill_shift == pytest.approx(0.02)
    assert ext.expertise_wallet_factor == pytest.approx(0.6)  # no specialists
    assert ops.expertise_wallet_factor == pytest.approx(1.0)  # full coverage
    assert ext.isolation_wallet_factor == pytest.approx(0.5)
    assert ops.isolation_wallet_factor == pytest.approx(1.0)
    assert ops.operations_units == 4 and ext.operations_units == 1
    assert ext.coordination_factor == pytest.approx(1 + 0.25 * 3)


def test_wallet_factor_combines_needs():
    c = Contingency(line_wallet_factor=1.2, expertise_wallet_factor=0.5,
                    isolation_wallet_factor=0.8, expertise_skill_shift=0.1, skill_shift=0.05)
    e = np.array([True, False, True, False])
    k = np.array([False, False, True, True])
    np.testing.assert_allclose(c.wallet_factor(e, k), [0.6, 1.2, 0.48, 0.96])
    np.testing.assert_allclose(c.skill_loss(e), [0.15, 0.05, 0.15, 0.05])


def test_customer_needs_shares_and_lines():
    u = np.random.default_rng(3).random((20_000, 3))
    e, k, line = customer_needs(u, CompanyParams(expertise_share=0.3, confidential_share=0.1,
                                                 business_lines=5))
    assert abs(e.mean() - 0.3) < 0.01 and abs(k.mean() - 0.1) < 0.01
    assert set(np.unique(line)) == set(range(5))


@pytest.mark.parametrize(
    "field, value",
    [("business_lines", 0), ("business_lines", 1.5), ("need_complexity", 1.2),
     ("expertise_share", -0.1), ("other_line_wallet", -1)],
)
def test_bad_profile_names_the_parameter(field, value):
    with pytest.raises(ParameterError, match=f"company.{field}"):
        Scenario(company={field: value})


def test_cover_positions_keeps_capacity_and_customers():
    tables = Scenario.synthetic(60, 4).book.resolve()
    c = tables.customers
    c2, m2 = cover_positions(tables.customers, tables.managers, 2)
    assert len(m2) == 8 and len(c2) == len(c)
    assert set(c2["manager_id"]) <= set(m2["manager_id"])
    assert m2["skill"].mean() == pytest.approx(tables.managers["skill"].mean(), abs=0.02)
    assert m2["monthly_cost"].sum() == pytest.approx(2 * tables.managers["monthly_cost"].sum())
    # every position's customers split as evenly as possible
    per = c2.groupby("manager_id").size()
    assert per.max() - per.min() <= pd.Series(tables.customers["manager_id"]).value_counts().max()


def test_extended_roles_cover_positions_with_two_people_each():
    s = Scenario.synthetic(80, 4, months=2, structure="extended_roles")
    assert len(simulate(s, seed=1).managers) == 8
    assert len(simulate(s.with_("team.staffing", "people"), seed=1).managers) == 4
    assert len(simulate(s.with_("structure", "dedicated_post"), seed=1).managers) == 4


def test_more_business_lines_raise_department_revenue_not_extended_roles_much():
    base = Scenario.synthetic(200, 8, months=6)
    gains = {}
    for name in ("extended_roles", "dedicated_department"):
        s = base.with_("structure", name)
        one = simulate(s, seed=4).kpis()["revenue"]
        four = simulate(s.with_("company.business_lines", 4), seed=4).kpis()["revenue"]
        gains[name] = four / one - 1
    # 1 + 0.3 x 2.11 lines x reach: +6% vs +51% of wallet (purchases and churn move it a little)
    assert 0.02 < gains["extended_roles"] < 0.12
    assert 0.35 < gains["dedicated_department"] < 0.65


def test_a_hundred_business_lines_do_not_multiply_revenue():
    """Issue 19: 100 business lines gave 1,130 M revenue from a 600-customer book. A customer
    buys from a few lines only (company.line_saturation) and the guard says so."""
    from crmsim.sim.plausibility import check_scenario

    base = Scenario.synthetic(200, 8, months=3, structure="dedicated_department")
    six = simulate(base.with_("company.business_lines", 6), seed=4).kpis()["revenue"]
    hundred_sc = base.with_("company.business_lines", 100)
    hundred = simulate(hundred_sc, seed=4).kpis()["revenue"]
    assert hundred < 1.3 * six
    assert "lines_saturated" in [f.code for f in check_scenario(hundred_sc)]


def test_operations_units_split_per_business_line():
    s = Scenario.synthetic(300, 6, months=1, structure="department_with_operations")
    from crmsim.sim.engine.model import Simulation

    one = Simulation(s, seed=1)
    three = Simulation(s.with_("company.business_lines", 3), seed=1)
    assert len(one.ops_units) == 1 and len(three.ops_units) == 3
    assert three.n_ops >= one.n_ops  # rounding up per unit: weaker economies of scale


def test_training_cost_charged_in_month_one_for_a_new_structure():
    s = Scenario.synthetic(60, 4, months=2, structure="dedicated_post")
    trained = simulate(s, seed=2).monthly["hiring_cost"].iloc[0]
    new = simulate(s.with_("team.trained_at_start", False), seed=2).monthly["hiring_cost"].iloc[0]
    assert new - trained == pytest.approx(4 * s.structure.training_cost)


def test_extended_roles_pay_only_for_hours_used():
    s = Scenario.synthetic(40, 4, months=3, structure="extended_roles")
    r = simulate(s, seed=3)
    full = r.managers["monthly_cost"].sum() if "monthly_cost" in r.managers else None
    cost = r.monthly["manager_cost"].sum()
    charged_half = simulate(s.with_("structure.charged_by_use", False), seed=3)
    assert cost < charged_half.monthly["manager_cost"].sum()
    assert full is None or cost <= 0.5 * full * 3 + 1e-6


def test_extended_roles_suitability_declines_with_the_number_of_people():
    company, ext = CompanyParams(), StructureParams.preset("extended_roles")
    assert contingency(company, ext, people=12).skill_shift == 0.0
    assert contingency(company, ext, people=48).skill_shift == pytest.approx(2 * 0.05)
    post = StructureParams.preset("dedicated_post")
    assert contingency(company, post, people=500).skill_shift == 0.0
