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
