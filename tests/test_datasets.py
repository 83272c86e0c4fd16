"""Tests for the bundled data set: reproducibility, schema, invariants and realism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmsim.datasets import (
    ACCOUNT_MANAGER_COLUMNS,
    ARCHETYPES,
    CATEGORIES,
    CHANNELS,
    CUSTOMER_COLUMNS,
    CUSTOMER_TYPES,
    FILE_NAMES,
    INDUSTRY_GROUPS,
    REGIONS,
    SIX_C,
    SPECIALTIES,
    TIERS,
    TRANSACTION_COLUMNS,
    data_dir,
    generate,
    load_account_managers,
    load_customers,
    load_relationship_map,
    load_relationship_map_data,
    load_transactions,
)
from crmsim.datasets.generate import main

LAST6 = pd.Timestamp("2024-07-01")  # start of the last six months before the as-of date
PREV6 = pd.Timestamp("2024-01-01")


@pytest.fixture(scope="module")
def generated():
    return generate()


@pytest.fixture(scope="module")
def customers():
    return load_customers()


@pytest.fixture(scope="module")
def transactions():
    return load_transactions()


@pytest.fixture(scope="module")
def managers():
    return load_account_managers()


@pytest.fixture(scope="module")
def revenue(customers, transactions):
    """Total 2022-2024 revenue per customer (0 for a customer without orders)."""
    return (
        transactions.groupby("customer_id")["amount"].sum()
        .reindex(customers["customer_id"], fill_value=0.0)
    )


@pytest.fixture(scope="module")
def halves(generated, transactions):
    """Spend in the first and last six months of 2024 per customer, with the hidden archetype."""
    truth = generated["truth"].set_index("customer_id")
    tx = transactions
    last = tx[tx["date"] >= LAST6].groupby("customer_id")["amount"].sum()
    prev = tx[(tx["date"] >= PREV6) & (tx["date"] < LAST6)].groupby("customer_id")["amount"].sum()
    return truth.assign(prev6=prev, last6=last).fillna({"prev6": 0.0, "last6": 0.0})


# ------------------------------------------------------------------ reproducibility
def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    assert "customers.csv" in capsys.readouterr().out
    for name in FILE_NAMES.values():
        assert (tmp_path / name).read_bytes() == (data_dir() / name).read_bytes(), name


def test_generate_returns_what_the_loaders_read(generated, customers, transactions, managers):
    pd.testing.assert_frame_equal(generated["customers"], customers)
    pd.testing.assert_frame_equal(generated["transactions"], transactions)
    pd.testing.assert_frame_equal(generated["account_managers"], managers)
    assert generated["relationship_map"] == load_relationship_map_data()


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = generate(seed=7), generate(seed=7), generate(seed=8)
    for key in ("customers", "transactions", "account_managers", "truth"):
        pd.testing.assert_frame_equal(a[key], b[key])
    assert not a["transactions"].equals(c["transactions"])
    assert not a["customers"]["annual_wallet"].equals(c["customers"]["annual_wallet"])


# ------------------------------------------------------------------ schema and dtypes
def test_customer_columns_and_dtypes(customers):
    assert tuple(customers.columns) == CUSTOMER_COLUMNS
    assert customers["first_purchase"].dtype == "datetime64[ns]"
    for col in SIX_C:
        assert customers[col].dtype == "int64", col
    for col in ("annual_wallet", "avg_days_late"):
        assert customers[col].dtype == "float64", col
    for col in ("customer_id", "name", "customer_type", "region", "channel", "manager_id"):
        assert pd.api.types.is_string_dtype(customers[col]), col


def test_transaction_and_manager_columns_and_dtypes(transactions, managers):
    assert tuple(transactions.columns) == TRANSACTION_COLUMNS
    assert transactions["date"].dtype == "datetime64[ns]"
    assert transactions["amount"].dtype == "float64"
    assert transactions["gross_profit"].dtype == "float64"
    assert pd.api.types.is_string_dtype(transactions["order_id"])
    assert tuple(managers.columns) == ACCOUNT_MANAGER_COLUMNS
    assert managers["hire_date"].dtype == "datetime64[ns]"
    assert managers["monthly_cost"].dtype == "float64"


def test_categories_are_the_documented_ones(customers, transactions, managers):
    assert set(customers["customer_type"]) == set(CUSTOMER_TYPES)
    assert set(customers["industry_group"]) == set(INDUSTRY_GROUPS)
    assert set(customers["region"]) == set(REGIONS)
    assert set(customers["channel"]) == set(CHANNELS)
    assert set(transactions["category"]) == set(CATEGORIES)
    assert set(managers["tier"]) == set(TIERS)
    assert set(managers["specialty"]) <= set(SPECIALTIES)
    assert SIX_C == ("character", "capacity", "capital", "collateral", "condition", "continuity")


def test_files_are_small_enough_to_ship():
    assert (data_dir() / "transactions.csv").stat().st_size < 5_000_000


# ------------------------------------------------------------------ invariants
def test_sizes(customers, transactions, managers):
    assert len(customers) == 600
    assert 30_000 <= len(transactions) <= 60_000
    assert 12 <= len(managers) <= 18


def test_ids_are_unique_and_referentially_sound(customers, transactions, managers):
    assert customers["customer_id"].is_unique
    assert managers["manager_id"].is_unique
    assert customers["customer_id"].str.fullmatch(r"C\d{4}").all()
    assert set(transactions["customer_id"]) <= set(customers["customer_id"])
    assert set(customers["manager_id"]) <= set(managers["manager_id"])
    # an order belongs to one customer on one day and has one line per category
    per_order = transactions.groupby("order_id").agg(
        customers=("customer_id", "nunique"), days=("date", "nunique")
    )
    assert (per_order == 1).all().all()
    assert not transactions.duplicated(["order_id", "category"]).any()


def test_values_in_range(customers, transactions, managers):
    for col in SIX_C:
        assert customers[col].between(1, 5).all(), col
    assert (transactions["amount"] > 0).all()
    assert transactions["date"].between("2022-01-01", "2024-12-31").all()
    assert (customers["annual_wallet"] > 0).all()
    assert (customers["avg_days_late"] >= 0).all()
    assert managers["skill"].between(0, 1, inclusive="right").all()
    assert (transactions["gross_profit"] < transactions["amount"]).all()


def test_first_purchase_matches_the_order_history(customers, transactions):
    first_order = transactions.groupby("customer_id")["date"].min()
    fp = customers.set_index("customer_id")["first_purchase"]
    # every customer ordered at least once, never before the recorded first purchase
    assert set(first_order.index) == set(fp.index)
    assert (first_order >= fp.loc[first_order.index]).all()
    # customers won in the window: their first order is on the first-purchase date
    new = fp[fp >= "2022-01-01"]
    assert (first_order.loc[new.index] == new).all()
    # long-standing customers exist, and first purchases spread over the three years
    assert (fp < "2022-01-01").sum() > 100
    assert fp[fp >= "2022-01-01"].dt.year.value_counts().min() > 30


# ------------------------------------------------------------------ realism
def test_revenue_is_heavy_tailed_but_not_forced_to_80_20(revenue):
    top = revenue.sort_values(ascending=False)
    share = top.iloc[: len(top) // 5].sum() / top.sum()
    assert 0.60 <= share <= 0.85


def test_stars_are_senior_and_carry_a_large_share(customers, managers, revenue):
    stars = managers.loc[managers["skill"] >= 0.9]
    assert 2 <= len(stars) <= 3
    assert (stars["tier"] == "senior").all()
    by_manager = revenue.groupby(customers.set_index("customer_id")["manager_id"]).sum()
    share = by_manager.loc[stars["manager_id"]].sum() / by_manager.sum()
    assert 0.35 <= share <= 0.55
    # stars hold few but big accounts: their average customer is worth more than a junior's
    per_customer = revenue.groupby(customers.set_index("customer_id")["manager_id"]).mean()
    juniors = managers.loc[managers["tier"] == "junior", "manager_id"]
    assert per_customer.loc[stars["manager_id"]].min() > per_customer.loc[juniors].max()


def test_monthly_cost_follows_tier(managers):
    cost = managers.groupby("tier")["monthly_cost"].agg(["min", "max"])
    assert cost.loc["junior", "max"] < cost.loc["regular", "min"]
    assert cost.loc["regular", "max"] < cost.loc["senior", "min"]


def test_margins_by_category_and_a_few_loss_lines(transactions):
    totals = transactions.groupby("category")[["amount", "gross_profit"]].sum()
    margin = totals["gross_profit"] / totals["amount"]
    assert margin["paper"] == pytest.approx(0.12, abs=0.02)
    assert margin["technology"] == pytest.approx(0.10, abs=0.02)
    assert margin["furniture"] == pytest.approx(0.30, abs=0.02)
    assert margin["ink_toner"] == pytest.approx(0.25, abs=0.02)
    negative = (transactions["gross_profit"] < 0).mean()
    assert 0.0 < negative < 0.03


def test_seasonality(customers, transactions):
    by_month = transactions.groupby(transactions["date"].dt.month)["amount"].sum()
    assert by_month[8] > 1.2 * by_month[[3, 4, 5, 6]].mean()  # school season
    assert by_month[12] > by_month[11]  # year-end budgets
    assert by_month[2] < by_month[3]  # Spring Festival
    # schools and government bodies place larger orders in August
    schools = customers.loc[customers["customer_type"] == "school_government", "customer_id"]
    tx = transactions[transactions["customer_id"].isin(schools)]
    order_size = tx.groupby(["order_id", tx["date"].dt.month])["amount"].sum().reset_index()
    size_by_month = order_size.groupby("date")["amount"].mean()
    assert size_by_month[8] > 1.3 * size_by_month.drop(8).mean()


def test_six_c_scores_are_correlated_sensibly(customers):
    rho = customers[["character", "avg_days_late", "capital", "annual_wallet"]].corr("spearman")
    assert rho.loc["character", "avg_days_late"] < -0.8
    assert rho.loc["capital", "annual_wallet"] > 0.5
    # a handful of customers are clearly grade-D material
    mean_score = customers[list(SIX_C)].mean(axis=1)
    assert 5 <= (mean_score < 2.0).sum() <= 40  # below 2.0 is grade D in crmsim.methods.credit
    assert (customers["avg_days_late"] > 30).sum() >= 5


def test_archetype_counts(generated):
    counts = generated["truth"]["archetype"].value_counts()
    assert set(counts.index) == set(ARCHETYPES)
    assert counts.min() >= 30
    assert "archetype" not in generated["customers"].columns


def test_lost_customers_have_no_recent_orders(halves, generated):
    lost = halves[halves["archetype"] == "lost"]
    assert (lost["last6"] == 0).all()
    # while everyone else mostly still buys
    stable = halves[halves["archetype"] == "stable"]
    assert (stable["last6"] > 0).mean() > 0.95


def test_declining_and_rising_trajectories_are_visible(halves, customers, transactions):
    mean = halves.groupby("archetype")[["prev6", "last6"]].mean()
    assert mean.loc["declining", "last6"] < 0.8 * mean.loc["declining", "prev6"]
    assert mean.loc["forming", "last6"] > 1.3 * mean.loc["forming", "prev6"]
    # explorers started recently and buy little
    fp = customers.set_index("customer_id")["first_purchase"]
    explorers = halves.index[halves["archetype"] == "exploring"]
    assert (fp.loc[explorers] >= "2024-01-01").all()
    assert mean.loc["exploring", "last6"] < 0.3 * mean.loc["stable", "last6"]
    # recovered customers: a weak 2023 spell, then 2024 spend back near 2022's
    rec = halves.index[halves["archetype"] == "recovered"]
    tx = transactions[transactions["customer_id"].isin(rec)]
    by_half = tx.groupby(tx["date"].dt.to_period("Q"))["amount"].sum()
    assert by_half.min() < 0.7 * by_half.iloc[:2].mean()
    assert by_half.iloc[-2:].mean() > 0.8 * by_half.iloc[:2].mean()


def test_referral_customers_are_retained_better(customers, generated):
    merged = customers.merge(generated["truth"], on="customer_id")
    lost_rate = (merged["archetype"] == "lost").groupby(merged["channel"]).mean()
    assert lost_rate["referral"] < lost_rate.drop("referral").mean()


# ------------------------------------------------------------------ relationship map
def test_relationship_map_content():
    data = load_relationship_map_data()
    kinds = {c["kind"] for c in data["customers"]}
    assert kinds == {"external", "internal"}
    needs = [n for c in data["customers"] for n in c["needs"]]
    items = {n["item"] for n in needs}
    assert items == {
        "sales revenue", "profit", "urgent orders", "merchandise display design",
        "timely supply", "answering questions", "price information", "problem solutions",
        "office supplies for specific groups", "product design", "production specifications",
        "sales data",
    }
    for need in needs:
        assert (need["dimension"] is None) == (not need["valuable"]), need
    by_item = {n["item"]: n for n in needs}
    assert by_item["answering questions"]["valuable"] is False
    assert by_item["timely supply"]["dimension"] == "on-time delivery rate"
    names = {c["name"] for c in data["customers"]}
    assert {"Retail stores", "Management", "Finance department"} <= names


def test_load_relationship_map_wraps_the_data():
    rmap = load_relationship_map()
    if isinstance(rmap, dict):  # the RelationshipMap class is not available
        assert rmap == load_relationship_map_data()
    else:
        assert type(rmap).__name__ == "RelationshipMap"


def test_data_dir_holds_every_file():
    folder = data_dir()
    assert all((folder / name).is_file() for name in FILE_NAMES.values())


def test_truth_has_one_archetype_per_customer(generated):
    truth = generated["truth"]
    assert list(truth.columns) == ["customer_id", "archetype"]
    assert truth["customer_id"].tolist() == generated["customers"]["customer_id"].tolist()
    assert np.isin(truth["archetype"], ARCHETYPES).all()
