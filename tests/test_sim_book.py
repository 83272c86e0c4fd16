"""Tests for crmsim.sim.scenario.book: synthetic books, user tables and the bundled company."""

from __future__ import annotations

import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.scenario.book import Book, normalise_tables, synthetic_book


def test_synthetic_book_shape_and_assignment():
    customers, managers = synthetic_book(300, 10, seed=1)
    assert len(customers) == 300 and len(managers) == 10
    assert customers["customer_id"].is_unique
    assert set(customers["manager_id"]) <= set(managers["manager_id"])
    # key customers (largest wallets) sit with senior managers
    top = customers.nlargest(20, "annual_wallet")
    tiers = top["manager_id"].map(managers.set_index("manager_id")["tier"])
    assert (tiers == "senior").all()
    assert managers["skill"].between(0, 1).all()
    assert customers[["character", "continuity"]].stack().between(1, 5).all()


def test_synthetic_customers_do_not_depend_on_team_size():
    a, _ = synthetic_book(50, 3, seed=2)
    b, _ = synthetic_book(50, 12, seed=2)
    cols = ["customer_id", "customer_type", "annual_wallet", "first_purchase", "character"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_initial_stages_follow_relationship_age():
    customers, managers = synthetic_book(20, 2, seed=3)
    start = pd.Timestamp("2025-01-01")
    customers = customers.assign(first_purchase=[start - pd.Timedelta(days=d) for d in
                                                 [30] * 5 + [300] * 5 + [1000] * 10])  # fmt: skip
    c, _ = normalise_tables(customers, managers, start, seed=1, decline_share=0.0)
    # < 6 months: exploration, < 18 months: formation, otherwise stability
    assert c["stage"].tolist() == ["exploration"] * 5 + ["formation"] * 5 + ["stability"] * 10


def test_optional_columns_take_defaults():
    customers = pd.DataFrame({"customer_id": ["A", "B"], "manager_id": ["X", "X"],
                              "annual_wallet": [1000.0, 2000.0]})  # fmt: skip
    managers = pd.DataFrame({"manager_id": ["X"]})
    tables = Book(source="tables", customers=customers, managers=managers).resolve()
    assert tables.customers["customer_type"].tolist() == ["small_business"] * 2
    assert tables.managers["skill"].tolist() == [0.7]


def test_bundled_book_or_documented_fallback():
    tables = Book().resolve()
    assert len(tables.customers) > 0 and len(tables.managers) > 0
    assert "bundled" in tables.note or "synthetic" in tables.note


def test_zero_managers():
    with pytest.raises(ParameterError, match="n_managers"):
        synthetic_book(5, 0)
    customers, _ = synthetic_book(0, 0)
    assert customers.empty


def test_deal_by_seniority_bands_by_wallet_and_balances_within_a_tier():
    from crmsim.sim.scenario.book import deal_by_seniority

    _, team = synthetic_book(0, 11, seed=4)
    wallet = pd.Series(range(1, 201), dtype=float).sample(frac=1.0, random_state=3).to_numpy()
    owner = pd.Series(deal_by_seniority(wallet, team))
    assert owner.notna().all() and set(owner) <= set(team["manager_id"])
    tier_of = team.set_index("manager_id")["tier"]
    tier = owner.map(tier_of)
    low = pd.Series(wallet).groupby(tier).min()
    high = pd.Series(wallet).groupby(tier).max()
    assert low["senior"] > high["regular"] and low["regular"] > high["junior"]
    # round robin: within a tier the managers' loads differ by at most one customer
    loads = owner.value_counts()
    spread = loads.groupby(loads.index.map(tier_of)).agg(["min", "max"])
    assert (spread["max"] - spread["min"] <= 1).all()
    # seniors carry fewer customers each than juniors (weights 0.75 against 1.2)
    per_head = loads.groupby(loads.index.map(tier_of)).mean()
    assert per_head["senior"] < per_head["junior"]


def test_deal_by_seniority_bad_team():
    from crmsim.sim.scenario.book import deal_by_seniority

    with pytest.raises(ParameterError, match="at least one manager"):
        deal_by_seniority([1.0], pd.DataFrame({"manager_id": [], "tier": []}))
    with pytest.raises(ParameterError, match="'tier'"):
        deal_by_seniority([1.0], pd.DataFrame({"manager_id": ["M"], "tier": ["boss"]}))
    assert len(deal_by_seniority([], pd.DataFrame({"manager_id": [], "tier": []}))) == 0


def test_customers_who_join_later_enter_the_book_in_their_month():
    """A ``joins_month`` k >= 1 keeps a customer out of the book until the start of month k,
    when it joins in exploration and buys from that month on (a back-test replays a history's
    new customers so); 0 everywhere is the book without the column, byte for byte."""
    import dataclasses

    from crmsim.sim.experiments import simulate
    from crmsim.sim.scenario import Scenario

    customers, managers = synthetic_book(40, 3, seed=1)
    quiet = Scenario(months=5).with_({"funnel.warm_start_months": 0.0} | {
        f"channels.{c.name}.{p}": 0.0 for c in Scenario().channels
        for p in ("leads_per_month", "leads_per_stable_customer")})  # fmt: skip

    def run(table: pd.DataFrame):
        book = Book(source="tables", customers=table, managers=managers, start_date="2025-01-01")
        return simulate(dataclasses.replace(quiet, book=book), seed=3)

    joins = [0] * 34 + [1, 1, 2, 4, 4, 4]
    result = run(customers.assign(joins_month=joins))
    assert result.meta["n_customers_start"] == 34
    assert result.monthly["new_customers"].tolist() == [2, 1, 0, 3, 0]
    late = result.customers.set_index("customer_id").loc[customers["customer_id"].iloc[34:]]
    assert late["won_month"].tolist() == [1, 1, 2, 4, 4, 4]
    assert late["initial_stage"].eq("exploration").all()
    assert (late["revenue"].iloc[:3] > 0).all()  # they bought in the months since they joined
    again = run(customers.assign(joins_month=joins))
    pd.testing.assert_frame_equal(result.monthly, again.monthly)
    plain, zeros = run(customers), run(customers.assign(joins_month=0))
    pd.testing.assert_frame_equal(plain.monthly, zeros.monthly)
    pd.testing.assert_frame_equal(plain.customers, zeros.customers)
    with pytest.raises(Exception, match="joins_month"):
        run(customers.assign(joins_month=-1))
    # their first month is their start: the first move comes at the next month end, as for a
    # customer won during a month (here everyone in exploration moves up at every month end)
    quiet = quiet.with_(
        {
            "lifecycle.exploration_to_formation": 1.0,
            "lifecycle.exploration_to_decline": 0.0,
            "months": 2,
        }
    )
    two = run(customers.assign(joins_month=joins))
    assert two.monthly["customers_exploration"].tolist() == [2, 1]
