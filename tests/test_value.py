"""Tests for crmsim.methods.value: hand-worked examples, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.value import customer_value


def tx_frame(rows):
    """rows: (customer_id, date, amount[, order_id])."""
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id"][: len(rows[0])])


TX = tx_frame(
    [
        ("a", "2022-05-10", 100.0, "O1"),
        ("a", "2023-12-31", 50.0, "O2"),  # last day before the window -> historical
        ("a", "2024-01-01", 30.0, "O3"),  # first day of the window -> current
        ("a", "2024-01-01", 20.0, "O3"),  # second line of the same order
        ("b", "2024-12-31", 70.0, "O4"),  # on as_of -> current
        ("b", "2025-01-02", 999.0, "O5"),  # after as_of -> ignored
    ]
)


# ----------------------------------------------------------------------- hand-worked examples


def test_window_boundaries_and_orders():
    # as_of 2024-12-31, 12 months: window 2024-01-01 .. 2024-12-31
    # a: historical 100 + 50 = 150, current 30 + 20 = 50, orders O1 O2 O3 = 3
    # b: historical 0, current 70, orders O4 = 1 (O5 is after as_of)
    out = customer_value(TX, as_of="2024-12-31")
    assert out["customer_id"].tolist() == ["a", "b"]
    assert out["historical_value"].tolist() == [150.0, 0.0]
    assert out["current_value"].tolist() == [50.0, 70.0]
    assert out["n_orders"].tolist() == [3, 1]
    assert out["first_date"].tolist() == [pd.Timestamp("2022-05-10"), pd.Timestamp("2024-12-31")]
    assert out["last_date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")]
    assert out.attrs["window_start"] == pd.Timestamp("2024-01-01")
    assert "growth_potential" not in out.columns  # no wallet without a customer table


def test_rows_counted_when_there_is_no_order_column():
    # a has 4 rows up to as_of
    out = customer_value(TX.drop(columns="order_id"), as_of="2024-12-31")
    assert out["n_orders"].tolist() == [4, 1]


def test_as_of_defaults_to_latest_date():
    # latest date 2025-01-02 -> window 2024-01-03 .. 2025-01-02
    # a: 2024-01-01 lines now historical: 100 + 50 + 30 + 20 = 200, current 0
    # b: 70 + 999 = 1069 current
    out = customer_value(TX)
    assert out.attrs["as_of"] == pd.Timestamp("2025-01-02")
    assert out["historical_value"].tolist() == [200.0, 0.0]
    assert out["current_value"].tolist() == [0.0, 1069.0]


def test_six_month_window():
    # as_of 2024-12-31, 6 months: window 2024-07-01 .. 2024-12-31 -> only b's 70 is current
    out = customer_value(TX, as_of="2024-12-31", window_months=6)
    assert out["current_value"].tolist() == [0.0, 70.0]
    assert out["historical_value"].tolist() == [200.0, 0.0]


def test_customers_table_wallet_and_potential():
    customers = pd.DataFrame(
        {"customer_id": ["z", "b", "a"], "annual_wallet": [500.0, 100.0, 40.0]}
    )
    out = customer_value(TX, as_of="2024-12-31", customers=customers)
    # customers' order; z has no transactions -> zeros and NaT
    assert out["customer_id"].tolist() == ["z", "b", "a"]
    assert out["current_value"].tolist() == [0.0, 70.0, 50.0]
    assert out["n_orders"].tolist() == [0, 1, 3]
    assert pd.isna(out["first_date"].iloc[0])
    # potential = max(wallet - current * 12/12, 0): 500 - 0, 100 - 70, max(40 - 50, 0)
    assert out["potential_value"].tolist() == [500.0, 30.0, 0.0]
    assert out["growth_potential"].tolist() == out["potential_value"].tolist()
    assert out["annual_wallet"].tolist() == [500.0, 100.0, 40.0]


def test_potential_uses_annualised_current_spend():
    # 6-month window: b spends 70 in 6 months -> 140 a year; wallet 200 -> potential 60
    customers = pd.DataFrame({"customer_id": ["b"], "annual_wallet": [200.0]})
    out = customer_value(TX, as_of="2024-12-31", customers=customers, window_months=6)
    assert out["potential_value"].tolist() == [60.0]


def test_transactions_of_other_customers_are_ignored_with_a_customer_table():
    customers = pd.DataFrame({"customer_id": ["b"]})
    out = customer_value(TX, as_of="2024-12-31", customers=customers)
    assert out["customer_id"].tolist() == ["b"]
    assert "annual_wallet" not in out.columns


def test_profit_with_negative_values():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "date": ["2024-03-01", "2024-04-01"],
            "gross_profit": [10.0, -4.0],
        }
    )
    out = customer_value(tx, value="gross_profit", allow_negative=True)
    assert out["current_value"].tolist() == [6.0]


def test_leap_day_as_of():
    # as_of 2024-02-29 minus 12 months = 2023-02-28 -> window starts 2023-03-01
    tx = tx_frame([("a", "2023-02-28", 1.0), ("a", "2023-03-01", 2.0)])
    out = customer_value(tx, as_of="2024-02-29")
    assert out["historical_value"].tolist() == [1.0]
    assert out["current_value"].tolist() == [2.0]


def test_input_not_modified():
    before = TX.copy()
    customer_value(TX, as_of="2024-12-31")
    assert TX.equals(before)


# ----------------------------------------------------------------------- properties

day = st.dates(min_value=pd.Timestamp("2022-01-01").date(),
               max_value=pd.Timestamp("2025-06-30").date())
rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d"]), day, st.floats(0, 1e5)),
    min_size=1,
    max_size=40,
)


@given(rows, st.integers(1, 24))
def test_historical_plus_current_is_everything_up_to_as_of(data, months):
    tx = pd.DataFrame(data, columns=["customer_id", "date", "amount"])
    tx["date"] = pd.to_datetime(tx["date"])
    as_of = pd.Timestamp("2024-12-31")
    out = customer_value(tx, as_of=as_of, window_months=months).set_index("customer_id")
    upto = tx[tx["date"] <= as_of].groupby("customer_id")["amount"].sum()
    total = out["historical_value"] + out["current_value"]
    np.testing.assert_allclose(total.reindex(upto.index).to_numpy(), upto.to_numpy(), rtol=1e-9)
    assert (out["historical_value"] >= 0).all()
    assert (out["current_value"] >= 0).all()
    assert (out["n_orders"] >= 1).all()
    start = as_of - pd.DateOffset(months=months)
    current = tx[(tx["date"] > start) & (tx["date"] <= as_of)].groupby("customer_id")["amount"]
    np.testing.assert_allclose(
        out["current_value"].reindex(current.sum().index).to_numpy(),
        current.sum().to_numpy(),
        rtol=1e-9,
    )


@given(rows, st.floats(0, 1e6))
def test_potential_never_negative(data, wallet):
    tx = pd.DataFrame(data, columns=["customer_id", "date", "amount"])
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"], "annual_wallet": wallet})
    out = customer_value(tx, as_of="2024-12-31", customers=customers)
    assert (out["potential_value"] >= 0).all()
    assert (out["potential_value"] <= wallet).all()
    assert len(out) == 5


# ----------------------------------------------------------------------- bad input


def test_missing_columns():
    with pytest.raises(DataError, match="'date'"):
        customer_value(TX.drop(columns="date"))
    with pytest.raises(DataError, match="transactions"):
        customer_value("not a table")


def test_bad_dates():
    bad = TX.copy()
    bad.loc[1, "date"] = "someday"
    with pytest.raises(DataError, match="'date'.*dates"):
        customer_value(bad)


def test_negative_amount_is_an_error_by_default():
    bad = TX.copy()
    bad.loc[0, "amount"] = -5.0
    with pytest.raises(DataError, match="'amount'.*>= 0"):
        customer_value(bad)


def test_nan_amount_and_missing_id():
    bad = TX.copy()
    bad.loc[0, "amount"] = np.nan
    with pytest.raises(DataError, match="'amount'.*missing"):
        customer_value(bad)
    bad = TX.copy()
    bad.loc[0, "customer_id"] = None
    with pytest.raises(DataError, match="'customer_id'.*missing"):
        customer_value(bad)


def test_bad_as_of_and_window():
    with pytest.raises(ParameterError, match="'as_of'"):
        customer_value(TX, as_of="not a date")
    with pytest.raises(ParameterError, match="'window_months'"):
        customer_value(TX, window_months=0)
    with pytest.raises(ParameterError, match="'window_months'"):
        customer_value(TX, window_months=1.5)


def test_empty_transactions_need_as_of():
    empty = TX.iloc[:0]
    with pytest.raises(DataError, match="as_of"):
        customer_value(empty)
    customers = pd.DataFrame({"customer_id": ["a"]})
    out = customer_value(empty, as_of="2024-12-31", customers=customers)
    assert out["current_value"].tolist() == [0.0]


def test_bad_customer_table():
    dup = pd.DataFrame({"customer_id": ["a", "a"], "annual_wallet": [1.0, 2.0]})
    with pytest.raises(DataError, match="'customer_id'.*'a'"):
        customer_value(TX, customers=dup)
    neg = pd.DataFrame({"customer_id": ["a"], "annual_wallet": [-1.0]})
    with pytest.raises(DataError, match="'annual_wallet'"):
        customer_value(TX, customers=neg)
