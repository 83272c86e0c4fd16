"""Probability alive: a buy-till-you-die cross-check of the lifecycle rules on the same history.

Three models of the ``lifetimes`` package (Davidson-Pilon et al., MIT licence), each fitted by
maximum likelihood to every customer's (frequency, recency, T):

``bgnbd``
    BG/NBD, Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
    Science 24(2): while alive a customer buys at a Poisson rate (gamma across customers) and
    may drop out only right after a purchase (beta-geometric); a customer with no repeat
    purchase has never had a chance to drop out, so their probability alive is 1 whatever
    their silence.
``mbgnbd``
    the modified BG/NBD, Batislam, Denizel & Filiztekin (2007), International Journal of
    Research in Marketing 24(3): the same, but a customer may also drop out right at the first
    purchase, so one-time buyers who stay silent are gradually given up.
``paretonbd``
    Pareto/NBD, Schmittlein, Morrison & Colombo (1987), Management Science 33(1): lifetimes are
    exponential in continuous time (gamma across customers); a customer may drop out at any
    moment, purchase or not.

``lifetimes`` has been in maintenance mode since 2020 (its successors, ``btyd`` (a 2022 beta)
and PyMC-Marketing (which needs PyMC and a C compiler), are either less mature or far heavier);
its fitters are the reference implementations the published CDNOW figures are usually checked
against, and the kit already reads the CDNOW data from its distribution. ``tests/test_alive.py``
reproduces the published BG/NBD fit on the CDNOW sample (r 0.243, alpha 4.414, a 0.793,
b 2.426; Fader, Hardie & Lee 2005) through :func:`probability_alive` and ``crmsim calibrate``.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim.calibrate.history import _as_of, _clean_transactions
from crmsim.errors import DataError, ParameterError

#: The buy-till-you-die models offered, by name: (lifetimes fitter, names of its parameters).
ALIVE_MODELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bgnbd": ("BetaGeoFitter", ("r", "alpha", "a", "b")),
    "mbgnbd": ("ModifiedBetaGeoFitter", ("r", "alpha", "a", "b")),
    "paretonbd": ("ParetoNBDFitter", ("r", "alpha", "s", "beta")),
}
#: The model of the cross-check when none is named: it does not pin one-time buyers at 1.
DEFAULT_ALIVE_MODEL = "mbgnbd"
#: Time units of the models' frequency, recency and T: lifetimes' period and its multiplier.
#: Weeks are days / 7, as in Fader, Hardie & Lee (2005) (not calendar weeks).
ALIVE_UNITS: dict[str, tuple[str, int]] = {"day": ("D", 1), "week": ("D", 7)}


def probability_alive(
    transactions: pd.DataFrame,
    as_of: Any = None,
    *,
    model: str = DEFAULT_ALIVE_MODEL,
    unit: str = "day",
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    penalizer: float = 0.0,
) -> pd.DataFrame:
    """The probability that each customer is still "alive", by a buy-till-you-die model.

    A cross-check of the lifecycle stages with a published model fitted by the ``lifetimes``
    package, not by crmsim (see the module docstring for what each model assumes). Needs the
    optional extra ``cdnow`` (``pip install "crmsim[cdnow]"``).

    Parameters
    ----------
    transactions : DataFrame
        Customer id, date and amount columns. Purchases on one day count once (as in the
        published models, which count days with a purchase).
    as_of : date-like, optional
        End of the observation (calibration) period (default: the last date); later rows are
        left out.
    model : {"mbgnbd", "bgnbd", "paretonbd"}
        The model (default the modified BG/NBD, which does not pin one-time buyers at 1).
    unit : {"day", "week"}
        Time unit of frequency, recency and T; a week is 7 days counted from the first
        purchase, as in Fader, Hardie & Lee (2005).
    id, date, value : str
        Column names.
    penalizer : float
        ``lifetimes``' penalizer coefficient (0: plain maximum likelihood).

    Returns
    -------
    DataFrame
        ``customer_id``, ``frequency`` (repeat purchases), ``recency``, ``T`` (in *unit*) and
        ``probability_alive``; ``attrs`` holds ``model``, ``unit``, ``params`` (the fitted
        parameters by name), ``penalizer`` and ``log_likelihood`` (mean per customer).

    Raises
    ------
    ImportError
        ``lifetimes`` is not installed (the message names the ``cdnow`` extra).
    crmsim.errors.ParameterError
        An unknown *model* or *unit*.
    crmsim.errors.DataError
        The model does not converge on these transactions.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "C", "C"],
    ...                    "date": ["2024-01-02", "2024-03-01", "2024-06-01", "2024-01-05",
    ...                             "2024-02-01", "2024-02-20"], "amount": [1.0] * 6})
    >>> p = probability_alive(tx, as_of="2024-06-30")
    >>> p.columns.tolist()
    ['customer_id', 'frequency', 'recency', 'T', 'probability_alive']
    >>> p.attrs["model"], sorted(p.attrs["params"])
    ('mbgnbd', ['a', 'alpha', 'b', 'r'])
    """
    if model not in ALIVE_MODELS:
        raise ParameterError(f"parameter 'model' must be one of {', '.join(ALIVE_MODELS)}; "
                             f"got {model!r}")  # fmt: skip
    if unit not in ALIVE_UNITS:
        raise ParameterError(f"parameter 'unit' must be one of {', '.join(ALIVE_UNITS)}; "
                             f"got {unit!r}")  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifetimes sets a pandas option pandas 3 deprecates
            import lifetimes
            from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data
    except ImportError:
        raise ImportError(
            "probability_alive needs the 'lifetimes' package, which is not installed; install "
            'the optional extra with: pip install "crmsim[cdnow]" (or pip install lifetimes)'
        ) from None
    v.check_number("penalizer", penalizer, minimum=0)
    fitter_name, names = ALIVE_MODELS[model]
    freq, multiplier = ALIVE_UNITS[unit]
    tx = _clean_transactions(transactions, id=id, date=date, value=value, order=None,
                             profit=None, source="transactions")  # fmt: skip
    when, _ = _as_of(as_of, tx, "transactions")
    if as_of is None:
        when = tx["_date"].max()
    tx = tx[tx["_date"] <= when]
    summary = summary_data_from_transaction_data(
        tx, "_id", "_date", observation_period_end=when, freq=freq, freq_multiplier=multiplier
    )
    # lifetimes prints the optimiser's state when a fit fails and suggests a penalizer: try the
    # one asked for, then two small ones, silently
    tried = [penalizer] + [x for x in (0.001, 0.01) if x > penalizer]
    fitter = None
    for coef in tried:
        candidate = getattr(lifetimes, fitter_name)(penalizer_coef=coef)
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
            f"the {model} model (lifetimes.{fitter_name}) did not converge on these "
            f"transactions, with penalizer {', '.join(f'{x:g}' for x in tried)}; its "
            "probability alive is not available for this data"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p = fitter.conditional_probability_alive(summary["frequency"], summary["recency"],
                                                 summary["T"])  # fmt: skip
    out = pd.DataFrame(
        {
            "customer_id": summary.index.to_numpy().astype(str),
            "frequency": summary["frequency"].to_numpy(),
            "recency": summary["recency"].to_numpy(),
            "T": summary["T"].to_numpy(),
            "probability_alive": np.clip(np.asarray(p, dtype=float), 0.0, 1.0),
        }
    )
    out.attrs["model"] = model
    out.attrs["unit"] = unit
    out.attrs["params"] = {k: float(fitter.params_[k]) for k in names}
    out.attrs["penalizer"] = float(fitter.penalizer_coef)
    out.attrs["log_likelihood"] = -float(fitter._negative_log_likelihood_)
    return out
