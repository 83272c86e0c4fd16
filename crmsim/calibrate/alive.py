"""Probability alive: a buy-till-you-die cross-check of the lifecycle rules on the same history."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim.calibrate.history import _as_of, _clean_transactions
from crmsim.errors import DataError


def probability_alive(
    transactions: pd.DataFrame,
    as_of: Any = None,
    *,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    freq: str = "D",
    penalizer: float = 0.0,
) -> pd.DataFrame:
    """The BG/NBD probability that each customer is still "alive", fitted by ``lifetimes``.

    A cross-check of the lifecycle rules' "lost" and "decline" verdicts with a published model
    (the beta-geometric / negative binomial distribution model of Fader, Hardie & Lee, "Counting
    your customers the easy way", Marketing Science, 2005), fitted by the ``lifetimes`` package's
    :class:`~lifetimes.BetaGeoFitter` — not by crmsim. Needs the optional extra ``cdnow``
    (``pip install "crmsim[cdnow]"``).

    Parameters
    ----------
    transactions : DataFrame
        Customer id, date and amount columns.
    as_of : date-like, optional
        End of the observation period (default: the last date).
    id, date, value : str
        Column names.
    freq : str
        Time unit of the model (``"D"`` days, ``"W"`` weeks), as in ``lifetimes``.
    penalizer : float
        ``lifetimes``' penalizer coefficient (0: plain maximum likelihood).

    Returns
    -------
    DataFrame
        ``customer_id``, ``frequency`` (repeat purchase periods), ``recency``, ``T`` (in
        *freq* units) and ``probability_alive``; ``attrs["params"]`` holds the fitted r,
        alpha, a, b.

    Raises
    ------
    ImportError
        ``lifetimes`` is not installed (the message names the ``cdnow`` extra).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "C", "C"],
    ...                    "date": ["2024-01-02", "2024-03-01", "2024-06-01", "2024-01-05",
    ...                             "2024-02-01", "2024-02-20"], "amount": [1.0] * 6})
    >>> p = probability_alive(tx, as_of="2024-06-30")
    >>> p.columns.tolist()
    ['customer_id', 'frequency', 'recency', 'T', 'probability_alive']
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifetimes sets a pandas option pandas 3 deprecates
            from lifetimes import BetaGeoFitter
            from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data
    except ImportError:
        raise ImportError(
            "probability_alive needs the 'lifetimes' package, which is not installed; install "
            'the optional extra with: pip install "crmsim[cdnow]" (or pip install lifetimes)'
        ) from None
    v.check_number("penalizer", penalizer, minimum=0)
    tx = _clean_transactions(transactions, id=id, date=date, value=value, order=None,
                             profit=None, source="transactions")  # fmt: skip
    when, _ = _as_of(as_of, tx, "transactions")
    if as_of is None:
        when = tx["_date"].max()
    tx = tx[tx["_date"] <= when]
    summary = summary_data_from_transaction_data(
        tx, "_id", "_date", observation_period_end=when, freq=freq
    )
    # lifetimes prints the optimiser's state when a fit fails and suggests a penalizer: try the
    # one asked for, then two small ones, silently
    tried = [penalizer] + [x for x in (0.001, 0.01) if x > penalizer]
    fitter = None
    for coef in tried:
        candidate = BetaGeoFitter(penalizer_coef=coef)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore", RuntimeWarning)
                candidate.fit(summary["frequency"], summary["recency"], summary["T"])
        except ConvergenceError:
            continue
        fitter = candidate
        break
    if fitter is None:
        raise DataError(
            "the BG/NBD model (lifetimes.BetaGeoFitter) did not converge on these transactions, "
            f"with penalizer {', '.join(f'{x:g}' for x in tried)}; its probability alive is not "
            "available for this data"
        )
    p = fitter.conditional_probability_alive(summary["frequency"], summary["recency"],
                                             summary["T"])  # fmt: skip
    out = pd.DataFrame(
        {
            "customer_id": summary.index.to_numpy().astype(str),
            "frequency": summary["frequency"].to_numpy(),
            "recency": summary["recency"].to_numpy(),
            "T": summary["T"].to_numpy(),
            "probability_alive": np.asarray(p, dtype=float),
        }
    )
    out.attrs["params"] = {k: float(x) for k, x in fitter.params_.items()}
    out.attrs["penalizer"] = float(fitter.penalizer_coef)
    return out
