"""Customer value (客户价值) from transactions: historical, current and potential value.

The course splits a customer's value into three parts: historical value (历史价值, what the
customer has bought before), current value (当前价值, what it buys now) and potential value
(潜在价值, what it could still buy from us). :func:`customer_value` turns a transaction table
into one row per customer with these three numbers, ready for the customer pyramid
(:func:`crmsim.methods.pyramid.customer_pyramid`) or ABC classification.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    check_number,
    date_column,
    non_missing_column,
    numeric_column,
    require_columns,
    require_dataframe,
    unique_column,
)
from crmsim.errors import DataError, ParameterError


def _as_of(value: Any, default: pd.Timestamp | None) -> pd.Timestamp:
    if value is None:
        if default is None or pd.isna(default):
            raise DataError(
                "transactions: no dates to take 'as_of' from; pass as_of explicitly"
            )
        return pd.Timestamp(default).normalize()
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError(
            f"parameter 'as_of' must be a date such as '2024-12-31'; got {value!r}"
        )
    return ts.normalize()


def customer_value(
    transactions: pd.DataFrame,
    as_of: Any = None,
    customers: pd.DataFrame | None = None,
    value: str = "amount",
    id: str = "customer_id",
    date: str = "date",
    window_months: int = 12,
    wallet: str | None = "annual_wallet",
    allow_negative: bool = False,
    order: str | None = "order_id",
) -> pd.DataFrame:
    """Historical, current and potential value per customer.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction (order or order line) with an id, a date and a value column.
    as_of : date-like, optional
        Analysis date; default the latest transaction date. Transactions after it are
        ignored everywhere (values, order counts, first/last dates).
    customers : DataFrame, optional
        Customer table (unique ids). When given, the result has exactly these customers, in
        this order: customers without transactions get zeros, and transactions of ids not in
        the table are ignored (so passing one region's customers analyses that region).
    value : str, default "amount"
        Numeric value column (sales; use ``"gross_profit"`` with ``allow_negative=True``
        for profit).
    id : str, default "customer_id"
        Customer id column, in both tables.
    date : str, default "date"
        Transaction date column (ISO dates such as 2024-03-31). Times of day are ignored.
    window_months : int, default 12
        Length of the current window in months.
    wallet : str or None, default "annual_wallet"
        Column of *customers* with the customer's estimated yearly spend on the category
        across all suppliers. Ignored when *customers* is None or lacks the column, or when
        ``wallet=None``.
    allow_negative : bool, default False
        Allow negative values (needed for profit). Sales amounts must be >= 0.
    order : str or None, default "order_id"
        Order id column; when present, ``n_orders`` counts distinct orders, otherwise rows.

    Returns
    -------
    DataFrame
        One row per customer, sorted by id unless *customers* fixes the order. Columns:

        - ``<id>``;
        - ``historical_value``: total value on or before ``as_of - window_months`` months,
          i.e. strictly before the current window;
        - ``current_value``: total value in the current window, the ``window_months`` months
          ending on ``as_of`` inclusive: ``as_of - window_months months < date <= as_of``
          (as_of 2024-12-31, 12 months: 2024-01-01 to 2024-12-31);
        - ``annual_wallet`` (only with a wallet column): the wallet as given;
        - ``potential_value`` (only with a wallet column): the room left in the wallet,
          ``max(annual_wallet - current_value * 12 / window_months, 0)``, i.e. the wallet minus
          the current spend scaled to a year, never below 0;
        - ``growth_potential`` (only with a wallet column): the same number under the name the
          customer pyramid expects (增值潜力);
        - ``n_orders``: number of orders (or rows) up to ``as_of``;
        - ``first_date``, ``last_date``: first and last transaction date up to ``as_of``
          (NaT for customers without transactions).

        ``result.attrs`` holds ``as_of``, ``window_start`` (first day of the current window)
        and ``window_months``.

    Raises
    ------
    DataError
        Missing columns, dates that do not parse, non-numeric or NaN values, negative values
        (unless ``allow_negative``), missing or duplicated customer ids.
    ParameterError
        Bad ``as_of`` or ``window_months``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b"],
    ...     "date": ["2023-06-01", "2024-03-01", "2024-12-31"],
    ...     "amount": [100.0, 40.0, 70.0],
    ... })
    >>> out = customer_value(tx, as_of="2024-12-31")
    >>> out[["customer_id", "historical_value", "current_value"]]
      customer_id  historical_value  current_value
    0           a             100.0           40.0
    1           b               0.0           70.0
    """
    require_dataframe(transactions, name="transactions")
    source = "transactions"
    months = int(check_number("window_months", window_months, minimum=1, integer=True))
    require_columns(transactions, [id, date, value], source=source)
    dates = date_column(transactions, date, source=source, id_column=id).dt.normalize()
    amounts = numeric_column(
        transactions, value, source=source, id_column=id, allow_negative=allow_negative
    )
    non_missing_column(transactions, id, source=source)
    ids = transactions[id]

    as_of_ts = _as_of(as_of, dates.max() if len(dates) else None)
    start = as_of_ts - pd.DateOffset(months=months)  # last day *before* the current window

    keep = (dates <= as_of_ts).to_numpy()
    d = dates.to_numpy()[keep]
    v = amounts.to_numpy()[keep]
    in_window = d > start.to_datetime64()
    frame = pd.DataFrame(
        {
            id: ids.to_numpy()[keep],
            "historical_value": np.where(in_window, 0.0, v),
            "current_value": np.where(in_window, v, 0.0),
            "first_date": d,
            "last_date": d,
        }
    )
    grouped = frame.groupby(id, sort=True)
    result = grouped.agg(
        historical_value=("historical_value", "sum"),
        current_value=("current_value", "sum"),
        first_date=("first_date", "min"),
        last_date=("last_date", "max"),
    )
    if order is not None and order in transactions.columns:
        orders = pd.Series(transactions[order].to_numpy()[keep], index=frame[id].to_numpy())
        n_orders = orders.groupby(level=0, sort=True).nunique()
    else:
        n_orders = grouped.size()
    result["n_orders"] = n_orders.reindex(result.index).to_numpy()

    wallet_values: pd.Series | None = None
    if customers is not None:
        require_dataframe(customers, name="customers")
        unique_column(customers, id, source="customers")
        result = result.reindex(pd.Index(customers[id].to_numpy(), name=id))
        if wallet is not None and wallet in customers.columns:
            wallet_values = numeric_column(
                customers, wallet, source="customers", id_column=id, allow_negative=False
            )

    out = pd.DataFrame({id: result.index.to_numpy()})
    out["historical_value"] = result["historical_value"].fillna(0.0).to_numpy(dtype="float64")
    out["current_value"] = result["current_value"].fillna(0.0).to_numpy(dtype="float64")
    if wallet_values is not None:
        annual_wallet = wallet_values.to_numpy()
        annualised = out["current_value"].to_numpy() * 12.0 / months
        potential = np.maximum(annual_wallet - annualised, 0.0)
        out["annual_wallet"] = annual_wallet
        out["potential_value"] = potential
        out["growth_potential"] = potential
    out["n_orders"] = result["n_orders"].fillna(0).to_numpy().astype("int64")
    out["first_date"] = pd.to_datetime(result["first_date"].to_numpy())
    out["last_date"] = pd.to_datetime(result["last_date"].to_numpy())
    out.attrs = {
        "as_of": as_of_ts,
        "window_start": start + pd.Timedelta(days=1),
        "window_months": months,
        "value_column": value,
    }
    return out
