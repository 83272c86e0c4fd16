"""Count a categorical column over a fixed, ordered set of categories (shared by the summaries)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmsim._validation import categorical_column, require_dataframe


def category_counts(
    table: pd.DataFrame, column: str, categories: Sequence[str], *, source: str
) -> pd.DataFrame:
    """Count *column* per category, every category present in the given order, with shares.

    Returns a DataFrame with columns ``column`` (the categories), ``count`` (int64) and ``share``
    (count / rows; sums to 1, NaN for an empty table). A value outside *categories* raises a
    DataError naming the column and the row.
    """
    require_dataframe(table, name=source)
    categorical_column(table, column, categories, source=source)
    counts = table[column].value_counts().reindex(list(categories), fill_value=0)
    counts = counts.to_numpy(dtype="int64")
    total = int(counts.sum())
    share = counts / total if total else np.full(len(counts), np.nan)
    return pd.DataFrame({column: list(categories), "count": counts, "share": share})
