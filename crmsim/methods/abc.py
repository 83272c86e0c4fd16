"""ABC classification (ABC分类法), also called Pareto analysis (帕累托分析).

Customers are ranked by value (sales or profit), and the cumulative share of value decides the
class: A (main, 主要), B (secondary, 次要) and C (general, 一般). The textbook split is A up to
80% of value, B up to 90%, C the rest. Which class the customer that *crosses* a line belongs to
is a choice, so :func:`abc_classify` states it with the ``boundary`` argument.

Public functions
----------------
- :func:`abc_classify` -- one row per customer with rank, share, cumulative share and class.
- :func:`abc_summary` -- count and value per class (A, B and C always present).
- :func:`abc_excluded` -- customers left out of the ranking by ``negative="exclude"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    categorical_column,
    check_choice,
    non_missing_column,
    numeric_column,
    require_columns,
    require_dataframe,
    unique_column,
)
from crmsim.errors import DataError, ParameterError

#: The three classes, best first.
ABC_CLASSES: tuple[str, str, str] = ("A", "B", "C")

#: Tolerance on cumulative shares, so that floating-point error never moves a customer that sits
#: exactly on a cut-off (e.g. cumulative share 0.8 computed as 0.8000000000000002).
_TOL = 1e-12

_MAX_SHOWN = 5


def _check_cutoffs(cutoffs: Any) -> tuple[float, float]:
    """Return ``(a, b)`` as floats if ``0 < a < b <= 1``, else raise ParameterError."""
    try:
        a, b = cutoffs
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise ParameterError(
            f"parameter 'cutoffs' must be two numbers (a, b) with 0 < a < b <= 1, "
            f"e.g. (0.80, 0.90); got {cutoffs!r}"
        ) from None
    if not (np.isfinite(a) and np.isfinite(b) and 0.0 < a < b <= 1.0):
        raise ParameterError(
            f"parameter 'cutoffs' must satisfy 0 < a < b <= 1 (e.g. (0.80, 0.90)); got {cutoffs!r}"
        )
    return a, b


def _ids_text(ids: Sequence[Any]) -> str:
    shown = ", ".join(map(repr, list(ids)[:_MAX_SHOWN]))
    more = len(ids) - _MAX_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _customer_values(
    data: pd.DataFrame, value: str, id: str, aggregate: bool | None, source: str
) -> tuple[pd.Series, np.ndarray]:
    """Validate *aggregate* and *data*; return ids (Series, RangeIndex) and values, one per id."""
    if aggregate is not None and not isinstance(aggregate, (bool, np.bool_)):
        raise ParameterError(
            f"parameter 'aggregate' must be True, False or None; got {aggregate!r}"
        )
    require_columns(data, [id, value], source=source)
    values = numeric_column(data, value, source=source, id_column=id)
    non_missing_column(data, id, source=source)
    ids = data[id].reset_index(drop=True)
    repeated = not pd.Index(ids).is_unique
    if aggregate is None:
        aggregate = repeated
    if not aggregate:
        if repeated:
            try:
                unique_column(data, id, source=source)  # raises, naming the duplicated ids
            except DataError as err:
                raise DataError(
                    f"{err} (aggregate=False expects one row per id; use aggregate=None or True "
                    f"to sum {value!r} over the rows of each id)"
                ) from None
        return ids, values.to_numpy(dtype="float64")
    if not repeated:
        return ids, values.to_numpy(dtype="float64")
    summed = pd.Series(values.to_numpy(), index=pd.Index(ids)).groupby(level=0, sort=False).sum()
    return pd.Series(summed.index, name=id), summed.to_numpy(dtype="float64")


def _rank_desc(ids: pd.Series, values: np.ndarray) -> np.ndarray:
    """Positions sorting *values* descending, ties broken by id ascending (deterministic).

    Sorting by value alone is fast; only the runs of equal values are then re-sorted by id,
    which keeps a million customers well under a second unless most values are tied.
    """
    order = np.argsort(-values, kind="stable")
    ranked = values[order]
    equal = ranked[1:] == ranked[:-1]
    if not equal.any():
        return order
    tied = np.zeros(order.size, dtype=bool)
    tied[1:] |= equal
    tied[:-1] |= equal
    positions = order[tied]
    # Tied runs are contiguous and already in descending value order, so sorting the tied
    # subset by (value desc, id asc) and writing it back keeps the whole order consistent.
    sub_ids = ids.take(positions)
    if isinstance(sub_ids.dtype, pd.StringDtype):
        key = sub_ids.to_numpy(dtype=str)  # fixed-width unicode sorts much faster than objects
    elif sub_ids.dtype.kind in "iuf":
        key = sub_ids.to_numpy()
    else:
        key = None
    if key is not None:
        perm = np.lexsort((key, -ranked[tied]))
    else:
        subset = pd.DataFrame({"value": ranked[tied], "id": sub_ids.array})
        perm = subset.sort_values(
            ["value", "id"], ascending=[False, True], kind="mergesort"
        ).index.to_numpy()
    order[tied] = positions[perm]
    return order


def abc_classify(
    data: pd.DataFrame,
    value: str = "amount",
    id: str = "customer_id",
    cutoffs: tuple[float, float] = (0.80, 0.90),
    boundary: str = "including",
    negative: str = "error",
    aggregate: bool | None = None,
) -> pd.DataFrame:
    """Classify customers into A, B and C by their cumulative share of value.

    ABC classification (ABC分类法, Pareto analysis 帕累托分析) ranks customers by value and
    puts the few that bring most of it in class A (main), the next group in B (secondary) and
    the long tail in C (general).

    Parameters
    ----------
    data : DataFrame
        Either one row per customer (e.g. a customer table with a yearly sales column) or many
        rows per customer (e.g. transactions). With repeated ids the rows are first aggregated
        by ``id``, summing ``value`` (see ``aggregate``).
    value : str, default "amount"
        Numeric column to rank on (sales, gross profit...). No missing values allowed.
    id : str, default "customer_id"
        Column identifying the entity (customer, salesperson, product...).
    cutoffs : (float, float), default (0.80, 0.90)
        Cumulative-share lines ``(a, b)`` with ``0 < a < b <= 1``: A up to ``a``, B up to
        ``b``, C the rest. The textbook uses 80/90 (an 80/10/10 split). Practice varies:
        80/15/5 is ``(0.80, 0.95)``, 70/25/5 is ``(0.70, 0.95)``.
    boundary : {"including", "before"}, default "including"
        Which class the customer that crosses a line gets (see Notes).
    negative : {"error", "exclude"}, default "error"
        What to do with customers whose (aggregated) value is negative, e.g. loss-making
        customers when ranking on profit. ``"error"`` raises a DataError naming them;
        ``"exclude"`` leaves them out of the ranking and records them, see
        :func:`abc_excluded`.
    aggregate : bool or None, default None
        ``None`` aggregates (sums ``value`` by ``id``) only when ids repeat; ``True`` always
        aggregates; ``False`` requires one row per id and raises a DataError naming the id
        column and the duplicated ids otherwise.

    Returns
    -------
    DataFrame
        One row per customer, sorted by value descending with ties broken by id ascending
        (stable, so the same data always gives the same order). Columns:

        - ``<id>``: the id column;
        - ``rank``: 1 for the most valuable customer, then 2, 3, ... n;
        - ``value``: the customer's (aggregated) value;
        - ``share``: value / total value;
        - ``cum_share``: cumulative share including this customer (ends at exactly 1);
        - ``class``: "A", "B" or "C".

        ``result.attrs`` holds ``cutoffs``, ``boundary``, ``value_column`` and ``excluded``
        (a dict id -> value of customers left out; use :func:`abc_excluded` for a table).

    Raises
    ------
    DataError
        Missing, non-numeric or NaN columns; missing ids; duplicated ids with
        ``aggregate=False``; negative values with ``negative="error"``; a total of 0.
    ParameterError
        Bad ``cutoffs``, ``boundary``, ``negative`` or ``aggregate``.

    Notes
    -----
    Two rules for the customer that crosses a cut-off, with ``cutoffs=(a, b)``:

    - ``boundary="including"``: a customer is A when its cumulative share *including itself*
      is <= ``a``, B when it is <= ``b``, else C. The crossing customer goes to the lower
      class, so A can be empty when the top customer alone holds more than ``a``.
    - ``boundary="before"``: a customer is A when the cumulative share of the customers
      ranked *above it* is < ``a``, B when it is < ``b``, else C. The crossing customer goes
      to the higher class, so A is never empty when the total is positive.

    Worked example, values 50, 35, 10, 5 (total 100), cutoffs (0.80, 0.90):

    ======  =====  =========  ============  ===========  ========
    value   share  cum_share  share before  including    before
    ======  =====  =========  ============  ===========  ========
    50      0.50   0.50       0.00          A            A
    35      0.35   0.85       0.50          B            A
    10      0.10   0.95       0.85          C            B
    5       0.05   1.00       0.95          C            C
    ======  =====  =========  ============  ===========  ========

    A customer sitting exactly on a line (cumulative share 0.80 with ``"including"``) stays in
    the higher class; a tolerance of 1e-12 makes sure floating-point error never flips it.
    Customers with equal values are ordered by id, so tied customers on a line may land in
    different classes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [50, 35, 10, 5]})
    >>> abc_classify(df)["class"].tolist()
    ['A', 'B', 'C', 'C']
    >>> abc_classify(df, boundary="before")["class"].tolist()
    ['A', 'A', 'B', 'C']
    """
    require_dataframe(data, name="data")
    # a table read from a file names it in every message (read_table sets attrs["source"])
    source = str(data.attrs.get("source") or "data").replace("\\", "/").rsplit("/", 1)[-1]
    a, b = _check_cutoffs(cutoffs)
    check_choice("boundary", boundary, ["including", "before"])
    check_choice("negative", negative, ["error", "exclude"])

    ids, v = _customer_values(data, value, id, aggregate, source)
    below = v < 0
    excluded: dict[Any, float] = {}
    if below.any():
        bad_ids = ids[below].tolist()
        if negative == "error":
            found = (f"{source}: column {value!r} must be >= 0 per customer for ABC "
                     f"classification; negative total for id(s) {_ids_text(bad_ids)}")
            raise DataError(
                f"{found} (use negative='exclude' to leave them out)",
                cli=f"{found} (give --negative exclude to leave them out of the ranking)",
            )
        excluded = dict(zip(bad_ids, v[below].tolist(), strict=True))
        ids = ids[~below].reset_index(drop=True)
        v = v[~below]

    if v.size == 0:
        raise DataError(f"{source}: no customers to classify (column {value!r} is empty)")
    order = _rank_desc(ids, v)
    v = v[order]
    cum = np.cumsum(v)
    total = cum[-1]
    if not total > 0:
        raise DataError(f"{source}: total of {value!r} is 0; ABC shares are undefined")
    share = v / total
    cum_share = cum / total
    cum_share[-1] = 1.0
    if boundary == "including":
        code = np.where(cum_share <= a + _TOL, 0, np.where(cum_share <= b + _TOL, 1, 2))
    else:
        before = np.concatenate(([0.0], cum_share[:-1]))
        code = np.where(before < a - _TOL, 0, np.where(before < b - _TOL, 1, 2))

    result = pd.DataFrame(
        {
            id: ids.take(order).array,
            "rank": np.arange(1, v.size + 1, dtype="int64"),
            "value": v,
            "share": share,
            "cum_share": cum_share,
            "class": pd.array(np.asarray(ABC_CLASSES, dtype=object)[code], dtype="str"),
        }
    )
    result.attrs = {
        "cutoffs": (a, b),
        "boundary": boundary,
        "value_column": value,
        "id_column": id,
        "excluded": excluded,
    }
    return result


def abc_excluded(table: pd.DataFrame) -> pd.DataFrame:
    """Return the customers :func:`abc_classify` left out with ``negative="exclude"``.

    The ids and values are kept in ``table.attrs["excluded"]`` as a plain dict (a DataFrame in
    ``attrs`` would break :func:`pandas.concat` of two results); this helper turns them into a
    table.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`abc_classify`.

    Returns
    -------
    DataFrame
        Columns ``<id>`` and ``value`` (the negative aggregated value), one row per excluded
        customer; empty when none were excluded.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [90, 10, -5]})
    >>> abc_excluded(abc_classify(df, negative="exclude"))
      customer_id  value
    0           c   -5.0
    """
    require_dataframe(table, name="table")
    id_column = table.attrs.get("id_column", "customer_id")
    excluded = table.attrs.get("excluded", {}) or {}
    return pd.DataFrame(
        {
            id_column: list(excluded.keys()),
            "value": np.asarray(list(excluded.values()), dtype="float64"),
        }
    )


def abc_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Count customers and value per ABC class.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`abc_classify` (needs columns ``class`` and ``value``).

    Returns
    -------
    DataFrame
        Index ``class`` with rows A, B and C, always all three (an empty class has count 0 and
        value 0). Columns:

        - ``count``: number of customers in the class;
        - ``share_of_customers``: count / all customers;
        - ``value``: total value of the class;
        - ``share_of_value``: value / total value.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [50, 35, 10, 5]})
    >>> abc_summary(abc_classify(df))["count"].tolist()
    [1, 1, 2]
    """
    require_dataframe(table, name="table")
    require_columns(table, ["class", "value"], source="table")
    categorical_column(table, "class", ABC_CLASSES, source="table")
    values = numeric_column(table, "value", source="table")
    grouped = values.groupby(table["class"].to_numpy())
    count = grouped.size().reindex(list(ABC_CLASSES), fill_value=0).astype("int64")
    value = grouped.sum().reindex(list(ABC_CLASSES), fill_value=0.0).astype("float64")
    n = int(count.sum())
    total = float(values.sum())
    summary = pd.DataFrame(
        {
            "count": count.to_numpy(),
            "share_of_customers": count.to_numpy() / n if n else np.full(3, np.nan),
            "value": value.to_numpy(),
            "share_of_value": value.to_numpy() / total if total else np.full(3, np.nan),
        },
        index=pd.Index(list(ABC_CLASSES), name="class"),
    )
    return summary
