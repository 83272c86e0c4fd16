"""The plausibility guard (crmsim.sim.plausibility) on the inputs issue 19 measured: each is
flagged before or after the run, in the Python result, and the impossible is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.experiments import simulate
from crmsim.sim.plausibility import Finding, check_scenario, work_and_capacity
from crmsim.sim.scenario import Scenario
from crmsim.sim.whatif import build_options, run_whatif

CLASSROOM = Scenario.synthetic(300, 10, months=6)


def codes(scenario: Scenario) -> list[str]:
    return [f.code for f in check_scenario(scenario)]


def test_a_classroom_company_is_in_range():
    assert codes(CLASSROOM) == []
    r = simulate(CLASSROOM, seed=1)
    assert r.meta["findings"] == ()


def test_one_manager_for_5000_customers_is_refused_naming_the_parameter():
    with pytest.raises(ParameterError, match="book.n_managers"):
        check_scenario(Scenario.synthetic(5000, 1, months=12))
    with pytest.raises(ParameterError, match="book.n_managers"):
        simulate(Scenario.synthetic(5000, 1, months=2), seed=1)


def test_an_overloaded_or_idle_team_is_flagged():
    assert codes(Scenario.synthetic(1200, 20)) == ["team_overloaded"]
    assert "team_idle" in codes(Scenario.synthetic(150, 30))
    need, have = work_and_capacity(CLASSROOM, CLASSROOM.book.resolve().customers, 10)
    assert 0.35 < need / have < 1.3


def test_a_book_without_customers_or_leads_is_refused():
    empty = Scenario.synthetic(0, 3, months=2)
    with pytest.raises(ParameterError, match="book.n_customers"):
        check_scenario(empty)
    # with leads of its own it is a start-up, not an error
    startup = empty.with_("channels.telemarketing.leads_per_month", 30.0)
    assert "book_shrinking" not in codes(startup)
    simulate(startup, seed=1)


def test_a_shrinking_book_is_flagged_before_and_after_the_run():
    leaky = CLASSROOM.with_({"lifecycle.stability_to_decline": 0.06,
                             "lifecycle.decline_to_lost": 0.4, "months": 12})  # fmt: skip
    assert "book_shrinking" in codes(leaky)
    found = [Finding.from_tuple(f) for f in simulate(leaky, seed=1).meta["findings"]]
    shrank = [f for f in found if f.code == "book_shrank"]
    assert shrank and shrank[0].values["end"] < shrank[0].values["start"]
    assert "a year" in shrank[0].text("en") and "每年" in shrank[0].text("zh")


def test_many_lines_and_values_outside_their_range_are_flagged():
    assert "lines_saturated" in codes(CLASSROOM.with_("company.business_lines", 100))
    found = check_scenario(CLASSROOM.with_("value.discount_rate", 0.5))
    outside = [f for f in found if f.code == "outside_range"]
    assert outside and "value.discount_rate" in outside[0].text("en")


def test_revenue_far_above_the_wallet_is_flagged():
    rich = CLASSROOM.with_({"company.business_lines": 4, "company.other_line_wallet": 3.0,
                            "structure": "dedicated_department"})  # fmt: skip
    assert "revenue_above_wallet" in codes(rich)


def test_findings_travel_with_the_what_if_and_say_which_option():
    options = build_options(vary={"book.n_managers": [10, 40]}, base=CLASSROOM.replace(months=3))
    w = run_whatif(options, replications=2, seed=1, workers=1)
    assert [f.code for f in w.findings["book.n_managers = 40"]] == ["team_idle"]
    assert w.findings["book.n_managers = 10"] == []
    (text,) = w.warnings("en")
    assert text.startswith("40 account managers: Out of range")  # the option in words
    assert w.warnings("zh")[0].startswith("40名客户经理：超出模型适用范围")


def test_what_the_runs_did_is_judged_on_their_mean_not_on_one_unlucky_run():
    from crmsim.sim.experiments import RunSummary, findings_of

    def run(end: float) -> RunSummary:
        monthly = pd.DataFrame({"month": range(1, 25),
                                "active_customers": np.linspace(600, end, 24)})  # fmt: skip
        meta = {"findings": (), "n_customers_start": 600, "wallet_ratio": 0.5}
        return RunSummary({}, monthly, pd.DataFrame(), pd.DataFrame(), meta)

    steady = [run(590), run(600), run(300), run(595)]  # one replication lost half its book
    assert findings_of(steady) == ()
    shrinking = [run(300), run(320), run(310)]
    (item,) = findings_of(shrinking)
    assert item[0] == "book_shrank" and dict(item[2])["end"] == 310


def test_a_finding_names_the_options_it_concerns_unless_it_concerns_all():
    from crmsim.sim.plausibility import Finding, findings_text

    shrank = Finding("book_shrank", "lifecycle", {"start": 600, "end": 300, "months": 24,
                                                  "rate": 0.29, "limit": 0.15}).as_tuple()
    names = {"a": "Extended roles", "b": "Dedicated post"}
    (one,) = findings_text({"a": (shrank,), "b": ()}, "en", names=names)
    assert one.startswith("Extended roles: Out of range")
    (both,) = findings_text({"a": (shrank,), "b": (shrank,)}, "en", names=names)
    assert both.startswith("Out of range")
    (zh,) = findings_text({"a": (shrank,), "b": ()}, "zh", names={"a": "扩大工作范围"})
    assert zh.startswith("扩大工作范围：超出模型适用范围")
