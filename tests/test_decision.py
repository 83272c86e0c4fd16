"""The manager's recommendation (crmsim.sim.decision) on comparisons whose answer is known."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.decision import crossover_month, money, paired_difference, recommend

KPIS = ("revenue", "active_customers_end", "retention", "service_level", "complaints",
        "defections")  # fmt: skip


def _runs(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """Runs table from {option: {kpi: [per replication]}}; unspecified KPIs equal everywhere."""
    rows = []
    for option, kpis in values.items():
        n = len(kpis["net_contribution"])
        for r in range(n):
            row = {"scenario": option, "replication": r}
            row.update({k: 100.0 + r for k in KPIS})
            row.update({k: v[r] for k, v in kpis.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def _monthly(per_month: dict[str, list[float]], replications: int = 3) -> pd.DataFrame:
    rows = [{"scenario": o, "replication": r, "month": m + 1, "net_contribution": v}
            for o, values in per_month.items() for r in range(replications)
            for m, v in enumerate(values)]  # fmt: skip
    return pd.DataFrame(rows)


def _comparison(runs, monthly=None, managers=None, baseline=None):
    return SimpleNamespace(
        runs=runs,
        monthly=monthly if monthly is not None else pd.DataFrame(columns=["month"]),
        managers=managers if managers is not None else pd.DataFrame(),
        baseline=baseline or runs["scenario"].iloc[0],
    )


def test_a_clear_winner_is_named_with_its_interval():
    runs = _runs({"a": {"net_contribution": [10e6, 11e6, 12.5e6]},
                  "b": {"net_contribution": [5e6, 6e6, 7e6]}})  # fmt: skip
    rec = recommend(_comparison(runs), lang="en")
    assert (rec.best, rec.leader, rec.runner_up) == ("a", "a", "b")
    assert rec.headline.startswith("Recommended: a.")
    assert "5.17 M CNY more net contribution than the next best option, b" in rec.headline
    d = paired_difference(runs, "a", "b", "net_contribution")
    assert d["mean"] == pytest.approx(5.5e6 - 1e6 / 3)
    assert "95% CI" in rec.headline and rec.points[-1].startswith("Uncertainty: 3 replications")


def test_a_tie_names_no_winner_and_says_why():
    runs = _runs({"a": {"net_contribution": [10e6, 9e6, 12e6, 11e6]},
                  "b": {"net_contribution": [9e6, 10e6, 11e6, 12e6]}})  # fmt: skip
    rec = recommend(_comparison(runs), lang="en")
    assert rec.best is None
    assert rec.headline.startswith("No option is clearly best on net contribution")
    assert "includes zero" in rec.headline


def test_trade_offs_are_stated_both_ways():
    # a earns more but keeps fewer customers; it also draws fewer complaints per customer
    # (weighed as a rate: raw counts would count against the option serving more customers)
    runs = _runs({
        "a": {"net_contribution": [10e6, 11e6, 12e6], "active_customers_end": [400, 410, 405],
              "complaints": [20, 22, 21], "complaint_rate": [5.0, 5.4, 5.2]},
        "b": {"net_contribution": [8e6, 9e6, 10e6], "active_customers_end": [629, 640, 635],
              "complaints": [40, 41, 45], "complaint_rate": [6.4, 6.5, 7.0]},
    })  # fmt: skip
    rec = recommend(_comparison(runs), lang="en")
    trade = [p for p in rec.points if p.startswith("Trade-off")]
    assert trade == ["Trade-off: against b, a ends with 230 fewer active customers."]
    assert ("Against b, a also draws 1.4 fewer complaints per 100 customers a year."
            in rec.points)  # fmt: skip
    row = rec.differences.set_index(["option", "kpi"]).loc[("b", "active_customers_end")]
    assert bool(row["clear"]) and row["mean_difference"] == pytest.approx(-229.666, abs=1e-2)


def test_the_crossover_month_of_a_slow_starter():
    # a costs more first, then earns more: cumulative a - b = -5, -10, 0, 10 -> month 4
    runs = _runs({"a": {"net_contribution": [10.0, 10.1, 10.2]},
                  "b": {"net_contribution": [0.0, 0.05, 0.1]}})  # fmt: skip
    monthly = _monthly({"a": [-5, -5, 10, 10], "b": [0, 0, 0, 0]})
    rec = recommend(_comparison(runs, monthly), lang="en")
    assert rec.crossover == {"b": 4}
    assert any("overtakes it in cumulative net contribution in month 4 of 4" in p
               for p in rec.points)  # fmt: skip
    assert crossover_month(pd.Series([1.0, -1.0, 2.0], index=[1, 2, 3])) is None


def test_an_option_gaining_at_the_end_may_overtake_after_the_horizon():
    # the last 4 months (a third of the run) are read as "by the end": 12 / 5 -> 3 months
    a = [10.0] * 12
    b = [3.0] * 6 + [15.0] * 6  # a ahead by 12 at the end; b earns 5 more per month by then
    runs = _runs({"a": {"net_contribution": [120.0, 120.1, 120.2]},
                  "b": {"net_contribution": [90.0, 90.05, 90.1]}})  # fmt: skip
    rec = recommend(_comparison(runs, _monthly({"a": a, "b": b})), lang="en")
    later = [p for p in rec.points if "catch up" in p]
    assert len(later) == 1 and "about 3 months after the horizon" in later[0]


def test_risk_reads_the_largest_managers_share():
    runs = _runs({"a": {"net_contribution": [3.0, 4.0]}, "b": {"net_contribution": [1.0, 2.0]}})
    managers = pd.DataFrame(
        {
            "scenario": ["a"] * 4 + ["b"] * 4,
            "replication": [0, 0, 1, 1] * 2,
            "share_of_sales": [0.6, 0.4, 0.5, 0.5, 0.2, 0.8, 0.3, 0.7],
        }
    )
    rec = recommend(_comparison(runs, managers=managers), lang="en")
    assert "Risk: share of sales carried by the single largest account manager: a 55%; b 75%." \
        in rec.points  # fmt: skip


def test_chinese_sentences_come_from_the_translation_table():
    runs = _runs({"dedicated_post": {"net_contribution": [10e6, 11e6, 12.5e6]},
                  "extended_roles": {"net_contribution": [5e6, 6e6, 7e6]}})  # fmt: skip
    rec = recommend(_comparison(runs), lang="zh")
    assert rec.headline.startswith("建议：增设独立岗位。")
    assert "百万元" in rec.headline and "M CNY" not in rec.text()
    assert money(1_500_000, "zh") == "1.50 百万元"


def test_a_single_option_asks_for_another():
    rec = recommend(_comparison(_runs({"a": {"net_contribution": [1e6, 2e6]}})), lang="en")
    assert rec.best is None and "Add another option" in rec.headline


def test_a_comparison_without_net_contribution_is_refused():
    runs = pd.DataFrame({"scenario": ["a"], "replication": [0]})
    with pytest.raises(ParameterError, match="net_contribution"):
        recommend(_comparison(runs))


def test_recommendation_on_a_real_comparison_is_reproducible():
    from crmsim.sim.experiments import compare
    from crmsim.sim.scenario import Scenario

    s = Scenario.synthetic(80, 4, months=4)
    options = {"dedicated_post": s, "extended_roles": s.with_("structure", "extended_roles")}
    one = recommend(compare(options, replications=3, seed=5, workers=1), lang="en")
    two = recommend(compare(options, replications=3, seed=5, workers=1), lang="en")
    assert one.text() == two.text() and one.leader in options
    assert np.isfinite(one.differences["mean_difference"]).all()


# ---------------------------------------------------------------- weighing the other KPIs


def _tie(revenue_b: list[float]) -> pd.DataFrame:
    """a and b tie on net contribution; b's revenue as given (a's: 100, 101, 102, 103)."""
    return _runs(
        {
            "a": {
                "net_contribution": [10.0, 9.0, 12.0, 11.0],
                "revenue": [100.0, 101.0, 102.0, 103.0],
            },
            "b": {"net_contribution": [9.0, 10.0, 11.0, 12.0], "revenue": revenue_b},
        }
    )


def test_a_tie_leans_to_the_option_clearly_and_materially_better_elsewhere():
    rec = recommend(_comparison(_tie([110.0, 111.5, 112.0, 113.5])), lang="en")
    assert rec.best is None and rec.suggested == "b"
    assert "On the other KPIs b is clearly better (revenue) and clearly worse on none, so it is " \
           "the safer choice over a." in rec.headline  # fmt: skip
    zh = recommend(_comparison(_tie([110.0, 111.5, 112.0, 113.5])), lang="zh")
    assert "“b”明显更好（收入）" in zh.headline


def test_a_clear_but_immaterial_difference_does_not_decide():
    # b brings 0.5% more revenue in every replication: clear, but not material (< 1%)
    rec = recommend(_comparison(_tie([100.5, 101.5, 102.5, 103.5])), lang="en")
    assert rec.suggested is None
    assert rec.headline.endswith("Decide on the other criteria below, or run more replications.")


def test_a_clear_winner_is_the_suggestion():
    runs = _runs({"a": {"net_contribution": [10e6, 11e6, 12.5e6]},
                  "b": {"net_contribution": [5e6, 6e6, 7e6]}})  # fmt: skip
    assert recommend(_comparison(runs), lang="en").suggested == "a"


def test_a_third_option_best_on_other_kpis_is_named_with_its_price():
    runs = _runs({
        "a": {"net_contribution": [10e6, 11e6, 12e6]},
        "b": {"net_contribution": [8e6, 9e6, 10e6]},
        "c": {"net_contribution": [5e6, 6e6, 7e6], "active_customers_end": [700.0, 710.0, 720.0]},
    })  # fmt: skip
    horizon = {o: SimpleNamespace(months=24) for o in "abc"}
    rec = recommend(_comparison(runs), scenarios=horizon, lang="en")
    said = [p for p in rec.points if p.startswith("c does best")]
    assert said == ["c does best of all on active customers, but over 24 months it earns 5.00 M "
                    "CNY less net contribution than a."]  # fmt: skip


def test_noise_at_the_end_of_the_run_is_not_read_as_a_trend():
    # b's last months are ahead in some replications and behind in others: no clear gain
    rows = []
    for r, tail in enumerate([16.0, 4.0, 15.0]):
        for m in range(1, 13):
            rows.append({"scenario": "a", "replication": r, "month": m, "net_contribution": 10.0})
            value = 3.0 if m <= 6 else tail
            rows.append({"scenario": "b", "replication": r, "month": m, "net_contribution": value})
    monthly = pd.DataFrame(rows)
    runs = _runs({"a": {"net_contribution": [120.0, 120.1, 120.2]},
                  "b": {"net_contribution": [90.0, 90.05, 90.1]}})  # fmt: skip
    rec = recommend(_comparison(runs, monthly), lang="en")
    assert not [p for p in rec.points if "catch up" in p]
