"""Concentration of value: Lorenz curve, Gini coefficient and the 80/20 rule (二八法则).

The 80/20 rule says a few entities hold most of the value: about 80% of profit comes from 20% of
customers, and 20% of salespeople bring 80% of sales (the "double 80/20 rule"). Real data need
not follow it exactly: in the CDNOW music-retail cohort (Fader & Hardie; 23,570 customers,
1997-98) the top 20% of customers bring about two thirds of revenue. These functions measure how
concentrated value really is, for customers, salespeople or any entity with a value.

All functions take a 1-D array-like of non-negative values (list, NumPy array, Series) and are
vectorised (a million values take a fraction of a second).

Public functions
----------------
- :func:`lorenz_curve` -- points of the Lorenz curve, from (0, 0) to (1, 1).
- :func:`gini` -- Gini coefficient of the discrete Lorenz curve.
- :func:`top_share` -- share of value held by the top x% of entities.
- :func:`share_reaching` -- smallest share of entities that holds a target share of value.
- :func:`concentration_summary` -- the above for a table, aggregated by id (one-row table).

Fractional entities
-------------------
``top_share(values, top=0.2)`` with 12 entities asks for the value of 2.4 entities. The kit
interpolates linearly on the Lorenz curve: the top 2 entities count in full and the third
largest counts for 0.4 of its value. :func:`share_reaching` inverts the same piecewise-linear
curve, so ``top_share(v, share_reaching(v, t)) == t`` (up to rounding).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    check_probability,
    numeric_column,
    require_columns,
    require_dataframe,
)
from crmsim.errors import DataError

_TOL = 1e-12


def _as_values(values: Any, name: str = "values") -> np.ndarray:
    """Return *values* as a 1-D float64 array, raising DataError naming *name* if bad.

    Rules: one dimension, at least one value, numeric, no NaN/inf, no negatives, positive total.
    """
    if isinstance(values, pd.DataFrame):
        raise DataError(
            f"{name!r} must be one-dimensional (a list, array or Series); got a DataFrame"
        )
    if isinstance(values, pd.Series):
        arr = values.to_numpy()
    else:
        arr = np.asarray(values)
    if arr.ndim != 1:
        raise DataError(f"{name!r} must be one-dimensional; got an array of shape {arr.shape}")
    if arr.size == 0:
        raise DataError(f"{name!r} is empty; at least one value is needed")
    if arr.dtype.kind in "iuf":
        out = arr.astype("float64", copy=False)
        if np.isfinite(out).all() and (out >= 0).all():
            return _positive_total(out, name)
    # Slow path: let the shared validator find and describe the offending entries.
    frame = pd.DataFrame({name: arr})
    out = numeric_column(frame, name, source=None, allow_negative=False).to_numpy()
    return _positive_total(out, name)


def _positive_total(arr: np.ndarray, name: str) -> np.ndarray:
    if not arr.sum() > 0:
        raise DataError(f"total of {name!r} is 0; shares of value are undefined")
    return arr


def _top_curve(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entity share and value share of the top-k entities, k = 0..n (descending order)."""
    desc = np.sort(arr)[::-1]
    cum = np.concatenate(([0.0], np.cumsum(desc)))
    value_share = cum / cum[-1]
    value_share[-1] = 1.0
    entity_share = np.arange(arr.size + 1, dtype="float64") / arr.size
    return entity_share, value_share


def _gini_sorted(asc: np.ndarray) -> float:
    cum = np.cumsum(asc)
    lorenz = cum / cum[-1]
    n = asc.size
    # 1 - twice the trapezoid area under the Lorenz curve: sum_i (L[i-1] + L[i]) / n.
    g = 1.0 - (2.0 * lorenz.sum() - lorenz[-1]) / n
    return float(min(max(g, 0.0), (n - 1) / n))


def lorenz_curve(values: Any) -> pd.DataFrame:
    """Points of the Lorenz curve (洛伦兹曲线) of *values*.

    Entities are sorted by value ascending; point k gives the share of entities in the
    bottom k (``pop_share = k / n``) and the share of value they hold.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per entity (customer, salesperson...), positive total.

    Returns
    -------
    DataFrame
        n + 1 rows, columns ``pop_share`` and ``value_share``, starting at (0, 0) and ending
        at exactly (1, 1). The curve lies on or below the diagonal and is convex.

    Raises
    ------
    DataError
        Values that are empty, not one-dimensional, non-numeric, NaN, negative or all zero.

    Examples
    --------
    >>> lorenz_curve([1, 1, 2])["value_share"].tolist()
    [0.0, 0.25, 0.5, 1.0]
    """
    arr = _as_values(values)
    cum = np.concatenate(([0.0], np.cumsum(np.sort(arr))))
    value_share = cum / cum[-1]
    value_share[-1] = 1.0
    pop_share = np.arange(arr.size + 1, dtype="float64") / arr.size
    return pd.DataFrame({"pop_share": pop_share, "value_share": value_share})


def gini(values: Any) -> float:
    """Gini coefficient of *values*, exact for the discrete Lorenz curve.

    ``G = 1 - 2 * (area under the Lorenz curve)``, the area taken exactly over the
    piecewise-linear curve through the n + 1 points. This equals the mean-difference form
    ``sum_i sum_j |x_i - x_j| / (2 n^2 mean)``. It is 0 when all values are equal and
    ``(n - 1) / n`` when one entity holds everything, so it is always below 1.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per entity, positive total.

    Returns
    -------
    float
        The Gini coefficient in ``[0, (n - 1) / n]``.

    Examples
    --------
    >>> gini([5, 5, 5, 5])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    return _gini_sorted(np.sort(_as_values(values)))


def top_share(values: Any, top: float = 0.2) -> float:
    """Share of total value held by the top *top* fraction of entities.

    Fractional entity counts are interpolated linearly on the Lorenz curve: with 12 entities
    and ``top=0.2`` (2.4 entities) the two largest count in full and the third largest for 0.4
    of its value. The result is never below *top* (the Lorenz curve lies below the diagonal).

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per entity, positive total.
    top : float, default 0.2
        Fraction of entities, in [0, 1].

    Returns
    -------
    float
        Share of value in [0, 1].

    Examples
    --------
    >>> top_share([50, 30, 10, 6, 4], top=0.2)
    0.5
    >>> top_share([50, 30, 10, 6, 4], top=0.3)  # top entity plus half of the second
    0.65
    """
    top = check_probability("top", top)
    entity_share, value_share = _top_curve(_as_values(values))
    return float(np.interp(top, entity_share, value_share))


def _reaching(entity_share: np.ndarray, value_share: np.ndarray, target: float) -> float:
    if target <= 0.0:
        return 0.0
    k = int(np.searchsorted(value_share, target - _TOL, side="left"))
    k = min(k, value_share.size - 1)
    if abs(value_share[k] - target) <= _TOL or k == 0:
        return float(entity_share[k])
    lo, hi = value_share[k - 1], value_share[k]
    step = entity_share[k] - entity_share[k - 1]
    return float(entity_share[k - 1] + (target - lo) / (hi - lo) * step)


def share_reaching(values: Any, target: float = 0.8) -> float:
    """Smallest share of entities whose top values reach *target* of the total.

    "What share of customers brings 80% of sales?" The 80/20 rule predicts 0.2. The answer is
    interpolated on the same piecewise-linear Lorenz curve as :func:`top_share`, so
    ``top_share(values, share_reaching(values, t))`` gives back ``t``.

    Parameters
    ----------
    values : array-like of float
        Non-negative values, one per entity, positive total.
    target : float, default 0.8
        Share of total value to reach, in [0, 1].

    Returns
    -------
    float
        Share of entities in [0, 1].

    Examples
    --------
    >>> share_reaching([50, 30, 10, 6, 4], target=0.8)  # top 2 of 5 hold exactly 80%
    0.4
    >>> round(share_reaching([60, 20, 20], target=0.7), 12)  # the top one plus half the next
    0.5
    """
    target = check_probability("target", target)
    entity_share, value_share = _top_curve(_as_values(values))
    return _reaching(entity_share, value_share, target)


def concentration_summary(
    data: pd.DataFrame, value: str = "amount", id: str = "customer_id"
) -> pd.DataFrame:
    """Concentration figures for one table, after summing *value* per *id*.

    Works for customers (``id="customer_id"``), salespeople (``id="manager_id"``) or any
    other entity. Rows with the same id (e.g. transactions) are summed first.

    Parameters
    ----------
    data : DataFrame
        Table with an id column and a numeric value column.
    value : str, default "amount"
        Value column; per-entity totals must be non-negative with a positive grand total.
    id : str, default "customer_id"
        Entity id column.

    Returns
    -------
    DataFrame
        One row with columns ``n`` (number of entities), ``total``, ``top10_share`` and
        ``top20_share`` (share of value of the top 10% and 20% of entities, interpolated as in
        :func:`top_share`), ``share_reaching_80`` (share of entities holding 80% of value, as
        in :func:`share_reaching`) and ``gini``. Compare several with :func:`pandas.concat`,
        e.g. after ``.assign(entity="customers")``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": list("abcde"), "amount": [50, 30, 10, 6, 4]})
    >>> concentration_summary(df)[["n", "top20_share", "share_reaching_80"]]
       n  top20_share  share_reaching_80
    0  5          0.5                0.4
    """
    require_dataframe(data, name="data")
    require_columns(data, [id, value], source="data")
    amounts = numeric_column(data, value, source="data", id_column=id)
    ids = data[id]
    if ids.isna().any():
        raise DataError(f"data: id column {id!r} has missing values")
    per_entity = amounts.groupby(ids.to_numpy(), sort=False).sum()
    negative = per_entity[per_entity < 0]
    if len(negative):
        shown = ", ".join(map(repr, negative.index.tolist()[:5]))
        raise DataError(
            f"data: column {value!r} must be >= 0 per entity for concentration measures; "
            f"negative total for id(s) {shown}"
        )
    arr = _as_values(per_entity.to_numpy(), name=value)
    entity_share, value_share = _top_curve(arr)
    row = {
        "n": int(arr.size),
        "total": float(arr.sum()),
        "top10_share": float(np.interp(0.1, entity_share, value_share)),
        "top20_share": float(np.interp(0.2, entity_share, value_share)),
        "share_reaching_80": _reaching(entity_share, value_share, 0.8),
        "gini": _gini_sorted(np.sort(arr)),
    }
    return pd.DataFrame([row])
