"""Small statistics for comparing replications: Student's t quantile and confidence intervals.

The t quantile comes from SciPy (:func:`scipy.special.stdtrit`); this module only adds the
checks and the ``mean, ci_low, ci_high, half_width, n`` record used by every comparison table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from crmsim._validation import check_number


def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t distribution (e.g. 0.975 for a two-sided 95% interval).

    ``df`` may be ``inf`` (the normal limit).

    Examples
    --------
    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 19), 3)
    (12.706, 2.093)
    """
    check_number("p", p, minimum=0.0, maximum=1.0, strict_minimum=True)
    if p >= 1.0:
        raise ValueError("parameter 'p' must be < 1")
    if not (isinstance(df, float) and math.isinf(df) and df > 0):
        check_number("df", df, minimum=0.0, strict_minimum=True)
    # scipy.special's inverse of Student's t CDF (what scipy.stats.t.ppf computes), imported
    # on first use; scipy.stats itself takes a second or more to import
    from scipy.special import stdtrit

    return float(stdtrit(df, p))


def mean_ci(values: Sequence[float] | np.ndarray, level: float = 0.95) -> dict[str, float]:
    """Mean and two-sided t confidence interval of *values* (NaNs ignored).

    Returns ``{"mean", "ci_low", "ci_high", "half_width", "n"}``; with fewer than two values
    the interval is NaN.

    Examples
    --------
    >>> ci = mean_ci([1.0, 2.0, 3.0])
    >>> ci["mean"], round(ci["half_width"], 4)
    (2.0, 2.4841)
    """
    check_number("level", level, minimum=0.0, maximum=1.0, strict_minimum=True)
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return {"mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "half_width": np.nan, "n": 0}
    mean = float(x.mean())
    if n < 2:
        return {"mean": mean, "ci_low": np.nan, "ci_high": np.nan, "half_width": np.nan, "n": 1}
    half = t_quantile(0.5 + level / 2.0, n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "half_width": half, "n": n}


def t_half_widths(std: Any, count: Any, level: float = 0.95) -> Any:
    """Half-widths of two-sided t intervals for many groups at once: ``q * std / sqrt(n)``
    with the t quantile of each group's ``n - 1`` degrees of freedom; NaN where ``n < 2``.

    *std* and *count* are aligned pandas Series (or arrays), e.g. the ``std`` and ``count``
    columns of a ``groupby(...).agg(["mean", "std", "count"])``.

    Examples
    --------
    >>> import pandas as pd
    >>> [round(h, 4) for h in t_half_widths(pd.Series([1.0, 1.0]), pd.Series([3, 1]))]
    [2.4841, nan]
    """
    import pandas as pd

    count = pd.Series(count) if not isinstance(count, pd.Series) else count
    q = count.map(lambda n: t_quantile(0.5 + level / 2, n - 1) if n > 1 else np.nan)
    return q * std / np.sqrt(count)
