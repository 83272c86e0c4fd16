"""Tests for crmsim.sim.scenario.funnel: pass probabilities, the funnel table, and the funnel model
against its closed forms (conversion = product of step probabilities, time in funnel = sum of
mean step times) when capacity is unlimited and probabilities are fixed."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.sim.engine.records import MONTH
from crmsim.sim.engine.tables import funnel_table
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.funnel import STEP_NAMES, pass_probability

# ------------------------------------------------------------------------- hand-worked


def test_pass_probability_at_reference_is_the_base():
    # skill 0.7 and quality 0.5 are the reference points: no shift of the log-odds
    assert pass_probability(0.6, 0.7, 0.5, skill_effect=2, quality_effect=2.5) == 0.6


def test_pass_probability_hand_worked():
    # logit(0.5) = 0; + 2 * (0.9 - 0.7) = 0.4; + 2.5 * (0.3 - 0.5) = -0.5; + push 0.3
    # x = 0.2 -> p = 1 / (1 + e^-0.2) = 0.549834
    p = pass_probability(0.5, 0.9, 0.3, skill_effect=2.0, quality_effect=2.5, push=0.3)
    assert p == pytest.approx(1 / (1 + math.exp(-0.2)))


def test_funnel_table_hand_worked():
    # lead A lost at step 1 (find), lead B went cold at step 3 (prepare), lead C won
    leads = pd.DataFrame(
        {
            "channel": ["referral", "referral", "referral"],
            "steps_passed": [0, 2, 9],
            "outcome": ["lost", "cold", "won"],
        }
    )
    t = funnel_table(leads).query("channel == 'referral'").set_index("step")
    assert t.loc["find", ["entries", "passes", "losses"]].tolist() == [3, 2, 1]
    assert t.loc["contact", ["entries", "passes", "losses"]].tolist() == [2, 2, 0]
    assert t.loc["prepare", ["entries", "passes", "losses", "lost_cold"]].tolist() == [2, 1, 1, 1]
    assert t.loc["after_sales", ["entries", "passes"]].tolist() == [1, 1]
    assert t.loc["find", "pass_rate"] == pytest.approx(2 / 3)


# ------------------------------------------------------------------------- properties


@given(
    base=st.floats(0.01, 0.99),
    skill=st.floats(0.05, 1.0),
    quality=st.floats(0.01, 0.99),
)
def test_pass_probability_is_a_probability_and_rises_with_skill(base, skill, quality):
    p = pass_probability(base, skill, quality, skill_effect=2.0, quality_effect=2.5)
    higher = pass_probability(base, min(skill + 0.05, 1.0), quality, skill_effect=2.0,
                              quality_effect=2.5)  # fmt: skip
    assert 0.0 <= p <= 1.0
    assert higher >= p


@given(
    k=st.lists(st.integers(0, 9), min_size=1, max_size=30),
    outcome=st.sampled_from(["lost", "cold", "open"]),
)
def test_funnel_table_conserves_leads(k, outcome):
    outcomes = ["won" if x == 9 else outcome for x in k]
    t = funnel_table(pd.DataFrame({"channel": "telemarketing", "steps_passed": k,
                                   "outcome": outcomes}))  # fmt: skip
    t = t[t["channel"] == "telemarketing"]
    # every lead entering a step passes it, is lost there or is still there
    assert (t["entries"] == t["passes"] + t["losses"] + t["still_open"]).all()
    assert t["entries"].iloc[0] == len(k)


# ------------------------------------------------------------------------- model vs closed form


def _closed_form_scenario() -> Scenario:
    """Unlimited capacity, fixed probabilities, no credit refusals, one channel, no delays
    that depend on the customer type or the structure."""
    return Scenario.synthetic(
        20,
        4,
        months=8,
        capacity="unlimited",
        funnel__fixed_probabilities=True,
        funnel__duration_factor={
            t: 1.0
            for t in (
                "small_business",
                "retail_store",
                "school_government",
                "hospital",
                "enterprise",
            )
        },  # fmt: skip
        credit__grade_d_policy="accept",
        structure__coordination_delay_days=0.0,
        crm__adoption=0.0,
        channels__referral__leads_per_month=0.0,
        channels__referral__leads_per_stable_customer=0.0,
        channels__market_research__leads_per_month=1500.0,
        channels__telemarketing__leads_per_month=0.0,
        channels__lead_platform__leads_per_month=0.0,
    )


@pytest.fixture(scope="module")
def closed_form_run():
    sc = _closed_form_scenario()
    return sc, simulate(sc, seed=11)


def test_conversion_matches_product_of_step_probabilities(closed_form_run):
    sc, result = closed_form_run
    # only leads that arrived in the first two months: all have ended 6 months later
    early = result.leads[result.leads["month"] <= 2]
    assert (early["outcome"] != "open").all()
    n = len(early)
    assert n > 2500
    won = (early["outcome"] == "won").mean()
    p = sc.funnel.conversion()  # 0.0781
    se = math.sqrt(p * (1 - p) / n)
    assert abs(won - p) < 4 * se, (won, p, se)
    # and step by step: passes / entries estimates each step's probability
    table = funnel_table(early).groupby("step", sort=False)[["entries", "passes"]].sum()
    for step in sc.funnel.steps:
        entries, passes = table.loc[step.name]
        q = step.pass_probability
        assert abs(passes / entries - q) < 4 * math.sqrt(q * (1 - q) / entries) + 1e-12


def test_time_in_funnel_matches_sum_of_mean_durations(closed_form_run):
    sc, result = closed_form_run
    early = result.leads[(result.leads["month"] <= 2) & (result.leads["outcome"] == "won")]
    # manager work: hours / (hours per day x hunting share), everyone identical here
    speed = sc.team.hours_per_month / MONTH * sc.incentives.effective_hunting_share()
    means = np.array([s.mean_days + s.work_hours / speed for s in sc.funnel.steps])
    expected = means.sum()  # 50 days of prospect delays + 14.5 h / 2.10 h/day = 56.9 days
    # the sum of independent exponential delays has variance sum(mean_days^2)
    sd = math.sqrt(sum(s.mean_days**2 for s in sc.funnel.steps))
    se = sd / math.sqrt(len(early))
    observed = early["days_in_funnel"].mean()
    assert abs(observed - expected) < 4 * se, (observed, expected, se)
    # a lead lost at step k spent on average the first k+1 steps' time in the funnel
    lost_at_find = result.leads[(result.leads["month"] <= 2) & (result.leads["last_step"] == "find")
                                & (result.leads["outcome"] == "lost")]  # fmt: skip
    se1 = sc.funnel.steps[0].mean_days / math.sqrt(len(lost_at_find))
    assert abs(lost_at_find["days_in_funnel"].mean() - means[0]) < 4 * se1


def test_leads_won_become_customers(closed_form_run):
    _, result = closed_form_run
    won = result.leads[result.leads["outcome"] == "won"]
    assert result.monthly["new_customers"].sum() == len(won)
    new = result.customers[result.customers["origin"] == "won"]
    assert sorted(new["customer_id"]) == sorted(won["customer_id"])


def test_lead_counts_match_the_arrival_rate(closed_form_run):
    sc, result = closed_form_run
    # Poisson arrivals: 1500 leads a month, 8 months; sd of the total = sqrt(12000) = 110
    total = len(result.leads)
    assert abs(total - 1500 * sc.months) < 4 * math.sqrt(1500 * sc.months)
    assert set(result.leads["channel"]) == {"market_research"}
    assert (result.funnel.query("step == 'find'")["entries"].sum()) == total


# ------------------------------------------------------------------------- contention


def test_limited_capacity_makes_leads_wait_and_go_cold():
    # a flood of leads on three managers: the hunting desks queue and leads go cold
    sc = Scenario.synthetic(30, 3, months=3, channels__telemarketing__leads_per_month=400.0)
    result = simulate(sc, seed=2)
    assert (result.leads["outcome"] == "cold").sum() > 50
    assert result.monthly["hunting_utilisation"].iloc[-1] > 0.9
    unlimited = simulate(sc.replace(capacity="unlimited"), seed=2)
    assert (unlimited.leads["outcome"] == "cold").sum() == 0


def test_grade_d_policy_decline_refuses_at_agreement():
    sc = Scenario.synthetic(40, 4, months=6, credit__grade_d_policy="decline",
                            credit__grade_c_min=5.0, credit__grade_b_min=5.0,
                            credit__grade_a_min=5.0)  # fmt: skip
    # every prospect below a mean 6C score of 5 is grade D, so no agreement is ever signed
    result = simulate(sc, seed=3)
    leads = result.leads
    assert (leads["outcome"] != "won").all()
    declined = leads[leads["outcome"] == "declined_credit"]
    assert len(declined) > 0
    assert set(declined["last_step"]) == {"agreement"}


def test_steps_are_walked_in_order():
    result = simulate(Scenario.synthetic(30, 3, months=4), seed=5, record_events=True)
    assert set(result.leads["last_step"]) <= set(STEP_NAMES)
    won = result.leads[result.leads["outcome"] == "won"]
    assert (won["steps_passed"] == 9).all()
    assert (won["last_step"] == "after_sales").all()


def test_conversion_kpi_matches_the_funnel_product_despite_open_leads(closed_form_run):
    """The conversion KPI counts only arrival months whose leads have all ended: the leads
    still open at the end (the last months' cohorts) would otherwise bias it down."""
    sc, result = closed_form_run
    leads = result.leads
    assert (leads["outcome"] == "open").sum() > 100  # the run stops with many leads in the funnel
    p = sc.funnel.conversion()
    counted = leads[~leads["month"].isin(leads.loc[leads["outcome"] == "open", "month"])]
    n = len(counted)
    assert n > 2500
    kpi = result.kpis()["conversion"]
    assert kpi == pytest.approx((counted["outcome"] == "won").mean())
    assert abs(kpi - p) < 4 * math.sqrt(p * (1 - p) / n), (kpi, p)
    # the old estimator, won over ended leads of every cohort, reads lower
    ended = leads[leads["outcome"] != "open"]
    assert (ended["outcome"] == "won").mean() < kpi
    assert result.kpis()["open_leads_end"] == (leads["outcome"] == "open").sum()


def test_a_warm_start_has_leads_in_progress_and_wins_from_the_first_month(closed_form_run):
    """With ``warm_start_months`` the funnel starts with the leads of those months before the
    start that are still in it (each past the steps its durations allowed, with its own luck):
    customers are won from the first month at about the rate a filled funnel wins them, while
    an empty funnel wins none before its first leads have walked the steps. Leads in progress
    arrived before the run (month 0, a negative arrival day) and were paid for then: the first
    month's leads and lead costs are the same as without them."""
    sc, cold = closed_form_run
    warm = simulate(sc.with_({"funnel.warm_start_months": 12}), seed=11)
    new_cold, new_warm = cold.monthly["new_customers"], warm.monthly["new_customers"]
    steady = new_cold.iloc[4:].mean()
    assert new_cold.iloc[0] < 0.1 * steady
    assert abs(new_warm.iloc[0] - steady) < 0.25 * steady, (new_warm.iloc[0], steady)
    assert abs(new_warm.iloc[:3].mean() - steady) < 0.2 * steady
    backlog = warm.leads[warm.leads["month"] == 0]
    assert len(backlog) > 0 and (backlog["arrival_day"] < 0).all()
    assert (backlog["arrival_day"] >= -12 * MONTH).all()
    for column in ("leads", "lead_cost"):
        assert warm.monthly[column].iloc[0] == cold.monthly[column].iloc[0]
    # none of them had been won before the start, and every one is in the funnel table once
    assert (backlog["outcome"] != "won").any()
    assert warm.funnel.query("step == 'find'")["entries"].sum() == len(warm.leads)


def test_open_lead_counts_are_exact_at_every_allocation(monkeypatch):
    """A lead that fails a step ending in the same month ends without waking again
    (Funnel._advance); its manager's open-lead count must still fall only on the day it ends, so
    every allocation (at month starts, and mid-month for a lead whose manager left) sees the
    leads open at that moment. Checked on a team that comes and goes, against a count of the
    leads still in the funnel, at each month start and at each mid-month reallocation."""
    from crmsim.sim.engine.funnel import Funnel
    from crmsim.sim.engine.model import Simulation

    checks = {"month": 0, "mid": 0}

    def open_counts(sim) -> list[int]:
        counts = [0] * len(sim.open_leads)
        now = sim.agenda.now
        for lead in sim.in_funnel.values():  # the leads whose outcome is not known yet
            if lead.manager >= 0:
                counts[lead.manager] += 1
        # and those whose outcome is known, ending at this time or later this month
        for i, day in zip(sim.ended_leads[0], sim.ended_leads[3], strict=True):
            if day >= now and sim.L.manager[i] >= 0:
                counts[sim.L.manager[i]] += 1
        return counts

    real_reprice, real_manager = Funnel._reprice_open_leads, Funnel._lead_manager

    def reprice(self, month):
        assert self.open_leads == open_counts(self)
        checks["month"] += 1
        return real_reprice(self, month)

    def lead_manager(self, lead):
        m = lead.manager
        if m >= 0 and not self.active_list[m]:  # a reallocation: settle, then compare
            self._settle_endings(self.agenda.now)
            expected = open_counts(self)
            assert self.open_leads == expected
            checks["mid"] += 1
        return real_manager(self, lead)

    monkeypatch.setattr(Funnel, "_reprice_open_leads", reprice)
    monkeypatch.setattr(Funnel, "_lead_manager", lead_manager)
    scenario = Scenario.synthetic(300, 6, months=10).with_(
        {"turnover.monthly_hazard": 0.4, "turnover.vacancy_months": 1}
    )
    Simulation(scenario, seed=3).run()
    assert checks["month"] == 10 and checks["mid"] > 0
