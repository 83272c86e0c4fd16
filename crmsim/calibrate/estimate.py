"""A scenario calibrated from a company's own transaction history: what is estimated, and how.

Longer than most modules (about 800 lines) because :func:`calibrate` is one documented recipe
whose steps share the history and the bootstrap; its parts that stand alone live beside it.

:func:`calibrate` turns a transaction list (one row per order or order line: customer, date,
amount) into a :class:`~crmsim.sim.scenario.Scenario` whose book is the company's customers as of
``as_of`` and whose lifecycle parameters are estimated from the history, and checks the result by
simulating the history back (a back-test).

What is estimated, and how
--------------------------
1. **Stage history.** Every customer's lifecycle stage (客户关系生命周期) is first read at every
   month end with the transparent rules of :mod:`crmsim.methods.lifecycle` (the same rules
   ``infer_stage`` applies once); :attr:`Calibration.transitions` counts the rules' moves. The
   rules are only the starting point: counting their month-to-month flips overstates every move.
2. **The stage as a hidden state** (:mod:`crmsim.calibrate.hidden`): a hidden Markov model of
   each customer's monthly orders and spend per order, with the simulation's chain, a purchase
   level per stage and each customer's own level, fitted by EM from several starting points.
   Its recent-period matrix gives the **transition rates** (``lifecycle.*_to_*``; formation or
   stability from exploration is the upward move, decline or lost the downward one, as
   :data:`~crmsim.calibrate.result.TRANSITION_PARAMETERS` maps them), its smoothed posterior
   every customer's stage at every month end (the back-test's "actual" stage counts; the
   back-test's book starts from the most probable stages, the scenario's book at ``as_of``,
   where no later month settles the stage, from stages drawn from the posterior), and its
   season of orders times a season of spend per order the **seasonal factors** of revenue
   (``season.factors``, from 24 months of history: two of every calendar month;
   :func:`~crmsim.calibrate.hidden.revenue_season`).
3. **Purchase level per stage** (``lifecycle.share_of_wallet``): spend in the months a customer
   spent in the stage (each month weighted by the posterior probability of the stage, the
   season taken out) over a twelfth of its annual wallet, summed over customers (a ratio
   estimator, so the simulated revenue of a stage matches the history's). The wallet is the
   ``annual_wallet`` column of the customers table when given; otherwise a proxy, the
   customer's best three consecutive months of spend, times four (a yearly rate at its best;
   the share of wallet is then the share of that rate).
4. **Order frequency** (``lifecycle.orders_per_month``, ``lifecycle.size_elasticity``): orders
   per month are Poisson with mean ``rate[stage] × (wallet / median wallet) ** elasticity`` in
   the model, the median being that of the book the simulation starts from (as the simulation
   reads it; the back-test's book, another median, gets the same rates in its unit); the
   elasticity maximises the Poisson likelihood (profiled over the stage rates,
   :func:`scipy.optimize.minimize_scalar`), the rates are then ``orders / Σ size``, months
   weighted by the posterior as in 3.
5. **Gross margin** (``lifecycle.gross_margin``): gross profit over revenue, when the
   transactions carry a gross-profit column.
   Intervals come from a bootstrap over customers (a customer's months are not independent of
   each other), percentile 95% read with the (B + 1) rule
   (:data:`~crmsim.calibrate.backtest.PERCENTILE`): the hidden-state model is refitted on up to
   :data:`~crmsim.calibrate.hidden.BOOTSTRAP_REFITS` resamples, and 2-4 are worked out again
   from each refit's stages (so the intervals carry the uncertainty of which stage a month was
   in too); the margin's sums are resampled.
6. **Churn** is the decline → lost rate of 2; the table :attr:`Calibration.observed` also gives
   the annual loss the history shows and the one the estimated chain implies.
7. **Acquisition, service level and turnover** (a pilot simulation of the calibrated model):
   the channels' lead rates are scaled so that the simulated new customers per month match the
   history's recent rate (by a factor within
   :data:`~crmsim.calibrate.result.ACQUISITION_FACTOR_RANGE`, zero for a history without new
   customers; the back-test replays the history's new customers instead, see below);
   the satisfaction at which the base transition rates apply
   (``lifecycle.satisfaction_reference``) is set to the mean satisfaction the company's current
   organisation produces in the model — so the estimated rates hold under today's organisation,
   and a structure that serves customers better or worse moves them, as in any other scenario;
   and decline → lost is lowered by the customers the model loses with departing managers
   (turnover), which the history's losses already include. The scenario starts with the leads
   of the last :data:`~crmsim.calibrate.result.WARM_START_MONTHS` months still in its funnel
   (``funnel.warm_start_months``), as a running business has them: an empty funnel would win
   nobody for a sales cycle and leave the simulated book short of young customers for good.

Everything else (funnel, service, structure, team, pay, CRM...) cannot be read from transactions
and keeps the value of the ``base`` scenario; :attr:`Calibration.estimates` lists what was
estimated and what kept its default, and why.

Left-censoring
--------------
A transaction export starts on some date; customers who were already buying before it look new.
The rules look back two windows (24 months by default), so a customer's stage is only trusted
(``observable``) from the month when that look-back lies inside the history, unless the customer
is known to be new: its ``first_purchase`` in the customers table falls inside the history, or
its first order in the file comes at least ``recency_lost_months`` (6) after the history starts
(by the rules' own definition it was not an active customer at the start), or ``cohort=True``
says every customer's first order is in the file (e.g. CDNOW). A ``first_purchase`` earlier
than the customer's first order in the file sets its tenure, so only the spend look-back (23
months) has to lie inside the history. Months before that are left out of the rules' counts;
the hidden-state model reads every month, an old customer's stage at the start being estimated
like any other.

The back-test
-------------
The calibrated model is simulated from the book as it was at the start of the fit window (the
last ``fit_months`` months; the hidden stages are known from the first month, so no
look-back is needed) over the months to ``as_of``, ``replications`` times, and compared month
by month with the history: revenue, active customers and customers in each stage, with the
95% range of the replications (the (B + 1) rule: with the default 39, smallest to largest).
The customers the company won in those months join the
simulated book in the month of their first order (``joins_month`` of the book), and the
funnel wins nobody else: acquisition is replayed, not simulated. A funnel at the estimated
constant rate wins as many customers on average but not in the same months (a history's new
customers come in bursts: campaigns, seasons, a new market), and every month's active and
exploring customers would then differ from the history's by the customers not yet won, whatever
the lifecycle estimates; replayed, the back-test checks what was estimated from the history.
The lead rates are checked against the history's new customers per month by the pilot run
(the note ``calibrate.note.acquisition``).
It is an in-sample check (the estimates use the same months): it shows whether the model
reproduces the history, not how well it forecasts (``benchmarks/calibrate_cdnow.py`` does
that on CDNOW's hold-out weeks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim._version import __version__
from crmsim.calibrate.alive import (
    ALIVE_MODELS,
    ALIVE_UNITS,
    DEFAULT_ALIVE_MODEL,
    probability_alive,
)
from crmsim.calibrate.backtest import (
    BACKTEST_REPLICATIONS,
    PERCENTILE,
    _agreement,
    _fit_tables,
    _observed,
    _panel_table,
    _seasonality,
)
from crmsim.calibrate.book import (
    _CUSTOMER_CATEGORIES,
    _book_table,
    _kept_columns,
    _kept_scores,
    _managers_and_assignment,
    _wallets,
    _with_book,
)
from crmsim.calibrate.hidden import (
    SEASON_MIN_ORDERS,
    SEASON_MONTHS,
    HiddenEstimate,
    estimate_hidden,
    implied_loss,
    season_orders,
)
from crmsim.calibrate.history import (
    _as_of,
    _clean_customers,
    _clean_managers,
    _clean_transactions,
    _History,
    _history,
)
from crmsim.calibrate.result import (
    ACQUISITION_FACTOR_RANGE,
    MIN_EXPOSURE,
    PILOT_REPLICATIONS,
    TRANSITION_PARAMETERS,
    WARM_START_MONTHS,
    Calibration,
    D,
    E,
    F,
    L,
    S,
)
from crmsim.errors import DataError, ParameterError
from crmsim.methods.lifecycle import LifecycleRules, _coerce_rules
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.season import MONTHS as SEASON_KEYS
from crmsim.terms import (
    STAGES,
    STATES,
)
from crmsim.terms.notes import LabelledNote, Note

# ------------------------------------------------------------------------------- estimators


def _transition_counts(h: _History) -> np.ndarray:
    valid = h.observable[:, :-1] & (h.stage[:, :-1] >= 0)
    a, b = h.stage[:, :-1][valid], h.stage[:, 1:][valid]
    counts = np.zeros((5, 5), dtype=np.int64)
    np.add.at(counts, (a.astype(int), b.astype(int)), 1)
    return counts


def _posterior_stage_sums(hidden: HiddenEstimate, wallet: np.ndarray,
                          gamma: np.ndarray | None = None,
                          season: np.ndarray | None = None) -> dict[str, np.ndarray]:  # fmt: skip
    """Per customer and stage (customers × 4): months, revenue (seasonal factor removed),
    orders and wallet/12, each month counted by the probability that the customer was in the
    stage then (the hidden-state model's posterior, or *gamma* and *season* of a refit)."""
    p = hidden.panel
    g = (hidden.fit.posterior if gamma is None else gamma)[..., :L]
    factors = hidden.season if season is None else season
    revenue = p.spend * (wallet / 12.0)[:, None] / factors[p.calendar][None, :]
    out = {"months": g.sum(axis=1), "revenue": (g * revenue[..., None]).sum(axis=1),
           "orders": (g * p.orders[..., None]).sum(axis=1)}  # fmt: skip
    out["wallet12"] = out["months"] * (wallet / 12.0)[:, None]
    return out


def _with_hidden_stages(h: _History, hidden: HiddenEstimate) -> _History:
    """The history with every customer's most probable hidden stage in place of the rules'
    (trusted from each customer's first month: the model needs no look-back)."""
    stage = hidden.stage
    names = np.array(STATES, dtype=object)
    at_end = pd.DataFrame({"_id": h.ids, "stage": names[np.maximum(stage[:, -1], 0)]})
    return dataclasses.replace(h, stage=stage, observable=stage >= 0, guard=0,
                               stage_at_as_of=at_end)  # fmt: skip


def _drawn_stages(posterior: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Every customer's stage at every month of *posterior* (customers × months × 5; -1 before
    its start) drawn from the hidden-state model's posterior, one uniform per customer and month.

    The scenario's book starts from these rather than from each customer's most probable
    stage. At as_of the posterior knows no month after: a customer silent for a few months may
    still be exploring or forming, or already declining, and the most probable stage sends every
    such customer to the likeliest one, usually decline, losing the purchases of those who were
    not (on CDNOW's hold-out book the posterior expects 120 customers in exploration and 429 in
    formation at the split, the most probable stages put 25 and 177 there, and the simulated
    purchases of the first month were a third short of what the posterior's stages buy). Drawn,
    the stage counts are the posterior's expected counts up to the draw's noise."""
    cum = np.cumsum(posterior, axis=2)
    total = cum[..., -1]
    u = rng.random(total.shape) * total
    drawn = np.minimum((u[..., None] >= cum).sum(axis=2), posterior.shape[2] - 1)
    return np.where(total > 0, drawn, -1).astype(np.int8)


def _book_median(wallets: np.ndarray) -> float:
    """The median wallet of a book, the simulation's unit of size (its ``wallet_median``:
    the median of the book's wallets, 50,000 for an empty book or a median of 0)."""
    median = float(np.median(np.round(wallets, 2))) if len(wallets) else 0.0
    return median if median > 0 else 50_000.0


def _rates_for_book(rates: dict[str, float], elasticity: float, median: float,
                    book_median: float) -> dict[str, float]:  # fmt: skip
    """Orders per month per stage of a median customer of a book whose median wallet is
    *book_median*, from those of a customer of wallet *median*: ``rate × (book_median /
    median) ** elasticity`` (the same customers, the same orders; only the unit of size
    changes)."""
    factor = (max(book_median, 1.0) / max(median, 1.0)) ** elasticity
    return {k: round(float(x) * factor, 6) for k, x in rates.items()}


def _elasticity(
    orders: np.ndarray, months: np.ndarray, logx: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """The size elasticity that maximises the Poisson likelihood, profiled over stage rates.

    ``orders`` and ``months`` are customers × stages; ``logx`` is log(wallet / median)."""
    from scipy.optimize import minimize_scalar

    w = np.ones(len(logx)) if weights is None else weights
    K = orders * w[:, None]
    N = months * w[:, None]
    k_total = K.sum(axis=0)
    k_logx = float((K.sum(axis=1) * logx).sum())
    use = k_total > 0

    def negloglik(e: float) -> float:
        exposure = (N * np.exp(e * logx)[:, None]).sum(axis=0)
        lam = k_total[use] / exposure[use]
        return -(float((k_total[use] * np.log(lam)).sum()) + e * k_logx)

    res = minimize_scalar(negloglik, bounds=(0.0, 2.0), method="bounded",
                          options={"xatol": 1e-5})  # fmt: skip
    return float(res.x)


def _rates_given_elasticity(
    orders: np.ndarray, months: np.ndarray, logx: np.ndarray, e: float, w: np.ndarray
) -> np.ndarray:
    exposure = ((months * w[:, None]) * np.exp(e * logx)[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (orders * w[:, None]).sum(axis=0) / exposure


def _bootstrap_weights(n: int, b: int, rng: np.random.Generator) -> np.ndarray:
    """*b* bootstrap resamples of *n* customers as multiplicity weights (b × n)."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=b).astype(float)


def _settled(monthly: pd.DataFrame) -> pd.DataFrame:
    """The months of a pilot run (its ``monthly`` table) once satisfaction has settled, after
    the first months (three, or half the run if shorter): what the lead rates and the
    satisfaction reference are read from."""
    return monthly[monthly["month"] > min(3, int(monthly["month"].max()) // 2)]


def _percentile(values: np.ndarray) -> tuple[float, float]:
    """95% percentile interval of bootstrap *values* (NaNs left out): see :data:`PERCENTILE`."""
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return np.nan, np.nan
    lo, hi = np.percentile(values, [2.5, 97.5], method=PERCENTILE)
    return float(lo), float(hi)


# ------------------------------------------------------------------------------- calibrate


def calibrate(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    managers: pd.DataFrame | None = None,
    *,
    as_of: Any = None,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    order: str | None = "order_id",
    profit: str | None = "gross_profit",
    rules: LifecycleRules | Mapping[str, Any] | None = None,
    cohort: bool = False,
    base: Scenario | None = None,
    months: int = 12,
    fit_months: int = 12,
    replications: int = BACKTEST_REPLICATIONS,
    bootstrap: int = 200,
    alive: bool | str = False,
    alive_unit: str = "day",
    seed: int = 0,
    sources: Mapping[str, str] | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
) -> Calibration:
    """Estimate a scenario from a transaction history and check it against that history.

    See the module docstring for what is estimated and how.

    Parameters
    ----------
    transactions : DataFrame
        One row per order or order line: customer id, date, amount (>= 0); optionally an order
        id (orders are its distinct values, else each row is an order) and gross profit.
    customers : DataFrame, optional
        One row per customer: ``customer_id`` (or the *id* column); used when present:
        ``annual_wallet`` (> 0), ``first_purchase``, ``manager_id``, ``customer_type``,
        ``industry_group``, ``channel``, the 6C scores.
    managers : DataFrame, optional
        One row per account manager: ``manager_id``; used when present: ``tier``, ``specialty``,
        ``industry_focus``, ``hire_date``, ``monthly_cost``, ``skill``. Without managers, the
        managers named in the customers table are used, or a team of one manager per
        :data:`CUSTOMERS_PER_MANAGER` active customers is made up (and said so in the notes).
    as_of : date-like, optional
        End of the history; later rows are ignored. Default: the end of the month of the last
        order.
    id, date, value, order, profit : str
        Column names in *transactions* (``order`` and ``profit`` are optional columns).
    rules : LifecycleRules or dict, optional
        Thresholds of the stage rules (:class:`~crmsim.methods.lifecycle.LifecycleRules`).
    cohort : bool
        Every customer's first order is in the file (a cohort data set such as CDNOW), so no
        customer is left-censored.
    base : Scenario, optional
        The scenario whose other parameters the calibrated one keeps (default ``Scenario()``).
    months : int
        Horizon of the calibrated scenario (default 12).
    fit_months : int
        Longest back-test (default 12 months, ending at ``as_of``).
    replications : int
        Replications of the back-test (default 39,
        :data:`~crmsim.calibrate.backtest.BACKTEST_REPLICATIONS`: the fewest whose
        smallest-to-largest range is a 95% range); the pilot run uses as many, up to
        :data:`~crmsim.calibrate.result.PILOT_REPLICATIONS`, at least 4.
    bootstrap : int
        Bootstrap resamples of customers for the intervals (default 200; 0 for none).
    alive : bool or {"mbgnbd", "bgnbd", "paretonbd"}
        Also compute the probability that each customer is alive by a buy-till-you-die model
        of the ``lifetimes`` package (optional extra ``cdnow``) and compare it with the stages:
        True for the modified BG/NBD, or the model's name (:func:`probability_alive`).
    alive_unit : {"day", "week"}
        Time unit of that model (its parameters depend on it; the published CDNOW fits use
        weeks).
    seed : int
        Seed of the bootstrap, the pilot and the back-test: the same seed gives the same result.
    sources : dict, optional
        Names of the tables in messages, e.g. ``{"transactions": "sales.csv"}`` (default
        "transactions", "customers", "managers").
    executor, workers
        Where the simulations run (as in :func:`~crmsim.sim.experiments.replicate`).

    Returns
    -------
    Calibration

    Raises
    ------
    crmsim.errors.DataError
        A table lacks a column, holds a value that is not a date or a number, a negative
        amount, a wallet <= 0 or an unknown manager (the message names the table, row and
        column), the history is empty, or ``as_of`` is before the first order.
    crmsim.errors.ParameterError
        An argument is impossible (the message names it).

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["C1"] * 8 + ["C2"] * 3,
    ...     "date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05",
    ...                             "2024-05-05", "2024-06-05", "2024-07-05", "2024-08-05",
    ...                             "2024-01-10", "2024-02-10", "2024-03-10"]),
    ...     "amount": [100.0] * 11})
    >>> cal = calibrate(tx, as_of="2024-12-31", cohort=True, replications=2, bootstrap=0,
    ...                 workers=1)
    >>> cal.transitions.loc["exploration"].tolist()  # the rules' moves: 15 stays, 1 up, 1 lost
    [15, 1, 0, 0, 1]
    >>> cal.panel.groupby("customer_id")["stage"].last().to_dict()  # the hidden stages at the end
    {'C1': 'lost', 'C2': 'lost'}
    >>> len(cal.book)  # both gone: no one left to simulate
    0

    The rules would still call C1 "decline" (no order for four months; they wait six before
    "lost"); the hidden-state model, which saw C1 order every month for eight months, reads four
    silent months as gone.
    """
    names = {"transactions": "transactions", "customers": "customers", "managers": "managers"}
    names.update(dict(sources or {}))
    chosen = _coerce_rules(rules)
    for pname, val, lo in (("months", months, 1), ("fit_months", fit_months, 1),
                           ("replications", replications, 1), ("bootstrap", bootstrap, 0),
                           ("seed", seed, 0)):  # fmt: skip
        v.check_number(pname, val, minimum=lo, integer=True)
    alive_model = DEFAULT_ALIVE_MODEL if alive is True else alive
    if alive is not False and alive_model not in ALIVE_MODELS:
        raise ParameterError(f"parameter 'alive' must be true, false or one of "
                             f"{', '.join(ALIVE_MODELS)}; got {alive!r}")  # fmt: skip
    if alive_unit not in ALIVE_UNITS:
        raise ParameterError(f"parameter 'alive_unit' must be one of {', '.join(ALIVE_UNITS)}; "
                             f"got {alive_unit!r}")  # fmt: skip
    if not isinstance(cohort, bool):
        raise ParameterError(f"parameter 'cohort' must be true or false; got {cohort!r}")
    base = Scenario() if base is None else base
    if not isinstance(base, Scenario):
        raise ParameterError(f"parameter 'base' must be a Scenario; got {type(base).__name__}")

    tx = _clean_transactions(transactions, id=id, date=date, value=value, order=order,
                             profit=profit, source=names["transactions"])  # fmt: skip
    cust = _clean_customers(customers, id, names["customers"]) if customers is not None else None
    team_in = _clean_managers(managers, names["managers"]) if managers is not None else None
    when, given = _as_of(as_of, tx, names["transactions"])
    notes: list[Note] = []
    later = int((tx["_date"] > when).sum())
    if later:
        notes.append(Note("calibrate.note.rows_after", {"n": later, "as_of": when.date()}))
    last = tx["_date"].max()
    if not given and (when - last).days > 7:
        notes.append(Note("calibrate.note.as_of_default",
                          {"as_of": when.date(), "last": last.date()}))  # fmt: skip
    first_purchase = None
    if cust is not None and "first_purchase" in cust.columns:
        first_purchase = cust.set_index("customer_id")["first_purchase"]
    h = _history(tx, when, chosen, cohort=cohort, first_purchase=first_purchase)
    if cust is not None and not cust["customer_id"].isin(h.ids).any():
        raise DataError(
            f"{names['customers']}: none of its customer ids (e.g. "
            f"{cust['customer_id'].iloc[0]!r}) appears in column {id!r} of "
            f"{names['transactions']} (e.g. {h.ids[0]!r}); the two tables must use the same ids"
        )
    n_months = len(h.month_starts)
    if n_months < 2:
        raise DataError(
            f"{names['transactions']}: the history from {tx['_date'].min().date()} to "
            f"{when.date()} covers {n_months} complete month(s); at least 2 are needed"
        )
    if when != h.month_ends[-1]:
        notes.append(Note("calibrate.note.partial_month", {"as_of": when.date()}))

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
    est_rows: list[dict[str, Any]] = []
    lc_default = base.lifecycle

    # ---------------------------------------------------------------- wallets
    wallet, wallet_note = _wallets(h, cust, n_months)
    notes.append(wallet_note)

    # ---------------------------------------------------------------- the hidden stages
    # the hidden-state model's sizes are relative to the median wallet of the customers the
    # rules call active at as_of (only its intercept depends on the choice; the order rates
    # below are relative to the book's median, as the simulation reads them)
    final_rules = np.flatnonzero(h.stage_at_as_of["stage"].isin(STAGES).to_numpy())
    ref = wallet[final_rules] if len(final_rules) else wallet
    median_wallet = float(np.median(ref[ref > 0])) if (ref > 0).any() else 1.0
    boots = _bootstrap_weights(len(h.ids), bootstrap, rng) if bootstrap and len(h.ids) else None
    counts = _transition_counts(h)  # the rules' moves, shown beside the estimates
    hidden = estimate_hidden(h, wallet, median_wallet, min(fit_months, n_months - 1), boots,
                             chain=lc_default.transition_matrix())  # fmt: skip
    h = _with_hidden_stages(h, hidden)

    # ---------------------------------------------------------------- transitions
    changes: dict[str, Any] = {}
    A = hidden.fit.transition[-1]
    for pname, (frm, targets) in TRANSITION_PARAMETERS.items():
        n = int(round(hidden.moves[frm].sum()))
        p_hat = float(A[frm, list(targets)].sum())
        default = float(getattr(lc_default, pname))
        if n >= MIN_EXPOSURE:
            lo, hi = _percentile(hidden.transition_boot[:, frm, list(targets)].sum(axis=1))
            changes[f"lifecycle.{pname}"] = round(p_hat, 6)
            est_rows.append(_row(f"lifecycle.{pname}", p_hat, lo, hi, default, n,
                                 "hidden_state", True))  # fmt: skip
        else:
            est_rows.append(_row(f"lifecycle.{pname}", np.nan, np.nan, np.nan, default, n,
                                 "default", False))  # fmt: skip
            notes.append(LabelledNote("calibrate.note.too_few",
                                      {"parameter": f"lifecycle.{pname}", "n": n,
                                       "min": MIN_EXPOSURE, "stage": STATES[frm]},
                                      labelled=("stage",)))  # fmt: skip
    if counts[:, :].sum() == 0:
        notes.append(Note("calibrate.note.no_observable",
                          {"guard": h.guard + 1}))  # fmt: skip
    transitions = pd.DataFrame(counts, index=list(STATES), columns=list(STATES))
    transitions.index.name = "from"
    transitions.columns.name = "to"
    odd = {
        "stability_to_formation": int(counts[S, F]),
        "decline_to_stability": int(counts[D, S]),
        "reactivated": int(counts[L, :L].sum()),
        "exploration_to_lost": int(counts[E, L]),
    }
    for key, k in odd.items():
        if k:
            notes.append(Note(f"calibrate.note.moved_{key}", {"n": k}))

    # ---------------------------------------------------------------- seasonality
    seasonal = hidden.fit.seasonal
    if seasonal:
        changes["season.factors"] = {m: round(float(x), 6) for m, x in
                                     zip(SEASON_KEYS, hidden.season, strict=True)}  # fmt: skip
    for i, month in enumerate(SEASON_KEYS):
        path = f"season.factors.{month}"
        if seasonal:
            lo, hi = _percentile(hidden.season_boot[:, i])
            est_rows.append(_row(path, hidden.season[i], lo, hi, 1.0,
                                 int((h.month_starts.month == i + 1).sum()), "hidden_state",
                                 True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, 1.0,
                                 int((h.month_starts.month == i + 1).sum()), "default", False))
    if not seasonal and n_months < SEASON_MONTHS:
        notes.append(Note("calibrate.note.season_short", {"months": n_months,
                                                          "need": SEASON_MONTHS}))
    elif not seasonal:
        fewest = int(season_orders(hidden.panel).min())
        notes.append(Note("calibrate.note.season_thin", {"orders": fewest,
                                                         "need": SEASON_MIN_ORDERS}))

    # ---------------------------------------------------------------- purchases per stage
    sums = _posterior_stage_sums(hidden, wallet)
    # each bootstrap resample with its own refit's stages: the intervals carry the uncertainty
    # of which stage a month was in, not only of which customers were drawn
    n_refits = len(hidden.posterior_boot)
    refits = [(w, _posterior_stage_sums(hidden, wallet, g, f)) for w, g, f in
              zip(boots[:n_refits] if n_refits else [], hidden.posterior_boot,
                  hidden.season_boot[:n_refits], strict=True)]  # fmt: skip
    stage_months = sums["months"].sum(axis=0)
    # the book's stages at as_of: each customer's drawn from the posterior, so that the
    # simulation starts from the stage mix the model estimates (see _drawn_stages)
    book_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(13,)))
    final_codes = _drawn_stages(hidden.fit.posterior[:, -1:], book_rng)[:, 0]
    final_rows = np.flatnonzero((final_codes >= 0) & (final_codes < L))
    # the simulation's size is (wallet / median wallet of the book it starts from) **
    # elasticity, so the rates are a median customer's of that book: the customers the hidden
    # stages leave active at as_of (not those the rules do: CDNOW's hold-out book has 1,732
    # customers whose median proxy wallet is 43% of that of the customers the rules call
    # active, and rates relative to the latter made the simulated customers buy 1.8 times as
    # often as estimated)
    book_median = _book_median(wallet[final_rows])
    logx = np.log(np.maximum(wallet, 1e-9) / book_median)
    sow = sums["revenue"].sum(axis=0) / np.where(
        sums["wallet12"].sum(axis=0) > 0, sums["wallet12"].sum(axis=0), np.nan
    )
    if refits:
        with np.errstate(invalid="ignore", divide="ignore"):
            sow_b = np.array([(w @ b["revenue"]) / (w @ b["wallet12"]) for w, b in refits])
    sow_map = dict(lc_default.share_of_wallet)
    for s, stage in enumerate(STAGES):
        path = f"lifecycle.share_of_wallet.{stage}"
        default = float(lc_default.share_of_wallet[stage])
        if stage_months[s] >= MIN_EXPOSURE and np.isfinite(sow[s]):
            lo, hi = _percentile(sow_b[:, s]) if refits else (np.nan, np.nan)
            sow_map[stage] = round(float(sow[s]), 6)
            est_rows.append(_row(path, sow[s], lo, hi, default, int(stage_months[s]),
                                 "hidden_ratio", True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default,
                                 int(stage_months[s]), "default", False))  # fmt: skip
    too_big = {k: x for k, x in sow_map.items() if x > 1}
    if too_big and wallet_note.key == "calibrate.note.wallet_table":
        stage, x = next(iter(too_big.items()))
        raise DataError(
            f"{names['customers']}: column 'annual_wallet' is below what customers bought: in "
            f"the {stage} stage they bought {x:.0%} of their annual wallet; check the wallets "
            "(or leave the column out to use each customer's best quarter's spend times four)"
        )
    for stage, x in too_big.items():  # a proxy below a stage's buying: the model's cap is 1
        sow_map[stage] = 1.0
        notes.append(LabelledNote("calibrate.note.share_capped", {"stage": stage, "share": x},
                                  labelled=("stage",)))  # fmt: skip
    changes["lifecycle.share_of_wallet"] = sow_map
    # a running business has leads in progress: the scenario starts with them, not empty
    changes["funnel.warm_start_months"] = WARM_START_MONTHS

    # ---------------------------------------------------------------- order frequency
    opm_map = dict(lc_default.orders_per_month)
    seen = logx[sums["months"].sum(axis=1) > 0]
    has_spread = bool(len(seen) and np.ptp(seen) > 0)
    e_default = float(lc_default.size_elasticity)
    if has_spread and stage_months.sum() >= MIN_EXPOSURE:
        ones = np.ones(len(h.ids))
        e_hat = _elasticity(sums["orders"], sums["months"], logx)
        e_b = np.array([_elasticity(b["orders"], b["months"], logx, w) for w, b in refits])
        lo, hi = _percentile(e_b)
        changes["lifecycle.size_elasticity"] = round(e_hat, 6)
        est_rows.append(_row("lifecycle.size_elasticity", e_hat, lo, hi, e_default,
                             int((sums["months"].sum(axis=1) > 0).sum()), "hidden_poisson",
                             True))  # fmt: skip
        rates = _rates_given_elasticity(sums["orders"], sums["months"], logx, e_hat, ones)
        rates_b = (np.array([_rates_given_elasticity(b["orders"], b["months"], logx, e, w)
                             for e, (w, b) in zip(e_b, refits, strict=True)])
                   if refits else None)  # fmt: skip
    else:
        e_hat = e_default
        est_rows.append(_row("lifecycle.size_elasticity", np.nan, np.nan, np.nan, e_default,
                             0, "default", False))  # fmt: skip
        ones = np.ones(len(h.ids))
        rates = _rates_given_elasticity(sums["orders"], sums["months"], logx, e_hat, ones)
        rates_b = (np.array([_rates_given_elasticity(b["orders"], b["months"], logx, e_hat, w)
                             for w, b in refits]) if refits else None)  # fmt: skip
    for s, stage in enumerate(STAGES):
        path = f"lifecycle.orders_per_month.{stage}"
        default = float(lc_default.orders_per_month[stage])
        if stage_months[s] >= MIN_EXPOSURE and np.isfinite(rates[s]):
            lo, hi = _percentile(rates_b[:, s]) if rates_b is not None else (np.nan, np.nan)
            opm_map[stage] = round(float(rates[s]), 6)
            est_rows.append(_row(path, rates[s], lo, hi, default, int(stage_months[s]),
                                 "hidden_poisson", True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default,
                                 int(stage_months[s]), "default", False))  # fmt: skip
    changes["lifecycle.orders_per_month"] = opm_map
    used = {r["parameter"] for r in est_rows if r["used"]}
    e_draws = e_b if refits and "lifecycle.size_elasticity" in used else None
    draws = _parameter_draws(changes, used, hidden, sow_b if refits else None, rates_b, e_draws)

    # ---------------------------------------------------------------- gross margin
    margin_default = float(lc_default.gross_margin)
    has_profit = tx["_profit"].notna().any()
    if has_profit:
        upto = tx[tx["_date"] <= when]
        index = pd.Index(h.ids)
        rows = index.get_indexer(upto["_id"].to_numpy(dtype=object))
        amount_c = np.bincount(rows, weights=upto["_value"].to_numpy(), minlength=len(h.ids))
        profit_c = np.bincount(rows, weights=upto["_profit"].fillna(0.0).to_numpy(),
                               minlength=len(h.ids))  # fmt: skip
        margin = float(profit_c.sum() / amount_c.sum()) if amount_c.sum() > 0 else np.nan
        lo, hi = (_percentile((boots @ profit_c) / (boots @ amount_c)) if boots is not None
                  else (np.nan, np.nan))  # fmt: skip
        if np.isfinite(margin) and 0 <= margin <= 1:
            changes["lifecycle.gross_margin"] = round(margin, 6)
            est_rows.append(_row("lifecycle.gross_margin", margin, lo, hi, margin_default,
                                 len(upto), "margin", True))  # fmt: skip
        else:
            est_rows.append(_row("lifecycle.gross_margin", margin, lo, hi, margin_default,
                                 len(upto), "default", False))  # fmt: skip
            notes.append(Note("calibrate.note.margin_out_of_range", {"margin": margin}))
    else:
        est_rows.append(_row("lifecycle.gross_margin", np.nan, np.nan, np.nan, margin_default,
                             0, "default", False))  # fmt: skip
        notes.append(Note("calibrate.note.no_profit", {"default": margin_default}))

    # ---------------------------------------------------------------- the scenario
    try:
        scenario = base.with_(changes)
    except ParameterError as exc:  # pragma: no cover - estimates are probabilities by design
        raise ParameterError(f"an estimate from the data is not a valid parameter: {exc}") from exc

    # ---------------------------------------------------------------- books
    manager, team = _managers_and_assignment(
        h.ids, wallet, len(final_rows), cust, team_in, names, notes
    )
    kept: list[str] = []
    if cust is not None:
        kept = _kept_columns(cust, _CUSTOMER_CATEGORIES, names["customers"], notes)
        kept += _kept_scores(cust, names["customers"], notes)
    book = _book_table(h, final_rows, final_codes[final_rows], wallet, manager, cust, kept)
    lost_at_end = int((final_codes == L).sum())
    if lost_at_end:
        notes.append(Note("calibrate.note.lost_left_out", {"n": lost_at_end}))
    if cust is not None:
        never = int((~cust["customer_id"].isin(h.ids)).sum())
        if never:
            notes.append(
                Note("calibrate.note.no_orders", {"n": never, "source": names["customers"]})
            )
    start = (when + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    name = f"calibrated from {names['transactions']} as of {when.date()}"
    scenario = _with_book(scenario, book, team, start, months, name)
    estimated = scenario  # before the pilot's adjustments

    # ---------------------------------------------------------------- back-test set-up
    m0 = max(h.guard, n_months - 1 - fit_months)
    fit_start = None
    backtest = None
    if m0 < n_months - 1:
        # inside the history the posterior is smoothed by the months after, nearly certain
        # (on the bundled company the most probable stages at the back-test's start are within
        # 3 customers of the expected counts per stage): the most probable stage, which adds no
        # draw's noise to a comparison whose band does not carry it
        start_codes = h.stage[:, m0]
        rows0 = np.flatnonzero((start_codes >= 0) & (start_codes < L))
        book0 = _book_table(h, rows0, start_codes[rows0], wallet, manager, cust, kept)
        fit_start = h.month_ends[m0]
        # its book has a median wallet of its own: the same rates in its unit of size
        median0 = _book_median(wallet[rows0])
        backtest = _with_book(
            scenario.with_({"lifecycle.orders_per_month": _rates_for_book(
                opm_map, e_hat, book_median, median0)}),
            book0, team, h.month_starts[m0 + 1].strftime("%Y-%m-%d"),
            n_months - 1 - m0, f"back-test from {fit_start.date()}",
        )  # fmt: skip
        draws = [d if "lifecycle.orders_per_month" not in d else
                 {**d, "lifecycle.orders_per_month": _rates_for_book(
                     d["lifecycle.orders_per_month"],
                     d.get("lifecycle.size_elasticity", e_hat), book_median, median0)}
                 for d in draws]  # fmt: skip
    else:
        notes.append(Note("calibrate.note.no_backtest",
                          {"months": n_months, "need": h.guard + 2}))  # fmt: skip

    # ---------------------------------------------------------------- acquisition (observed)
    first = pd.DatetimeIndex(h.first_order)
    first_month = ((first.year - h.month_starts[0].year) * 12
                   + (first.month - h.month_starts[0].month)).to_numpy()  # fmt: skip
    window_from = m0 + 1 if backtest is not None else max(0, n_months - 12)
    window = n_months - window_from
    new_here = h.new & (first_month >= window_from) & (first_month < n_months)
    new_in_window = int(new_here.sum())
    new_per_month = new_in_window / window if window else np.nan

    # ---------------------------------------------------------------- pilot
    from crmsim.sim.experiments import replicate

    pilot_scenario = backtest if backtest is not None else scenario
    pilot_seed = np.random.SeedSequence(seed, spawn_key=(12,))
    n_pilot = max(4, min(PILOT_REPLICATIONS, replications))
    pilot = replicate(pilot_scenario, n_pilot, seed=pilot_seed, executor=executor,
                      workers=workers, progress=False)  # fmt: skip
    pm = pilot.monthly
    settled = _settled(pm)
    settled_sat = settled["mean_satisfaction"]
    # the back-test's satisfaction reference is its own: the rates were estimated from the
    # months the history's customers came in, so they hold at the satisfaction the organisation
    # reaches serving those customers as they came (the replay: a constant-rate funnel wins
    # fewer of them in the first months, a lighter load). The scenario's is the pilot's (the
    # book served with acquisition at a steady rate, as the scenario runs from now on), so the
    # estimated rates hold in the scenario under today's organisation.
    backtest_sat = None
    if backtest is not None and scenario.lifecycle.service_effects:
        replay, _ = _replaying_new_customers(backtest, h, m0, new_here, first_month, wallet,
                                             manager, cust, kept)  # fmt: skip
        rm = replicate(replay, n_pilot, seed=pilot_seed, executor=executor, workers=workers,
                       progress=False).monthly  # fmt: skip
        replay_sat = _settled(rm)["mean_satisfaction"]
        if replay_sat.notna().any():
            backtest_sat = round(min(max(float(replay_sat.mean()), 0.0), 1.0), 4)
    sat = float(settled_sat.mean()) if settled_sat.notna().any() else None
    pilot_changes: dict[str, Any] = {}
    for pname in ("satisfaction_reference", "initial_satisfaction"):
        path = f"lifecycle.{pname}"
        default = float(getattr(lc_default, pname))
        if sat is not None and scenario.lifecycle.service_effects:
            pilot_changes[path] = round(min(max(sat, 0.0), 1.0), 4)
            est_rows.append(_row(path, pilot_changes[path], np.nan, np.nan, default,
                                 len(pm), "pilot_run", True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default, 0, "default", False))
    sim_new = float(settled["new_customers"].mean())
    # the scenario's lead rates are scaled so that its settled months win the history's recent
    # new customers per month (the back-test does not use them: it replays the history's)
    if np.isfinite(new_per_month) and sim_new > 0:
        n_start = pilot.runs[0].meta["n_customers_start"]
        lo, hi = ACQUISITION_FACTOR_RANGE if new_per_month > 0 else (0.0, 0.0)
        factor = min(max(new_per_month / sim_new, lo), hi)
        for ch in scenario.channels:
            for pname in ("leads_per_month", "leads_per_stable_customer"):
                # a lead rate left to scale with the book: the rate the pilot ran with
                old = ch.rate(n_start) if pname == "leads_per_month" else float(getattr(ch, pname))
                pilot_changes[f"channels.{ch.name}.{pname}"] = round(old * factor, 6)
        for ch in scenario.channels:
            path = f"channels.{ch.name}.leads_per_month"
            default = base.channel(ch.name).rate(n_start)
            est_rows.append(_row(path, pilot_changes[path], np.nan, np.nan, default, window,
                                 "pilot_run", True))  # fmt: skip
        notes.append(Note("calibrate.note.acquisition",
                          {"observed": new_per_month, "simulated": sim_new, "factor": factor,
                           "months": window}))  # fmt: skip
    else:
        notes.append(Note("calibrate.note.acquisition_kept", {}))
    # customers who leave with a departing manager (turnover) are losses the history already
    # holds: take the pilot's defections off the decline -> lost rate, so they are not counted
    # twice
    defections = float(pm["defections"].mean())
    in_decline = float(pm["customers_decline"].mean())
    p_lost = changes.get("lifecycle.decline_to_lost")
    if p_lost is not None and defections > 0 and in_decline > 0:
        net = max(0.0, p_lost - defections / in_decline)
        pilot_changes["lifecycle.decline_to_lost"] = round(net, 6)
        for r in est_rows:
            if r["parameter"] == "lifecycle.decline_to_lost":
                r["value"] = net
        notes.append(Note("calibrate.note.defections",
                          {"defections": defections, "estimate": p_lost, "net": net}))  # fmt: skip
    if pilot_changes:
        scenario = scenario.with_(pilot_changes)
        if backtest is not None:
            backtest = backtest.with_(pilot_changes)
    if backtest is not None and backtest_sat is not None:
        backtest = backtest.with_({f"lifecycle.{p}": backtest_sat
                                   for p in ("satisfaction_reference", "initial_satisfaction")})
    replayed = 0
    if backtest is not None:
        backtest, replayed = _replaying_new_customers(backtest, h, m0, new_here, first_month,
                                                      wallet, manager, cust, kept)  # fmt: skip

    # ---------------------------------------------------------------- back-test
    if backtest is not None:
        loss_adjustment = (p_lost - pilot_changes["lifecycle.decline_to_lost"]
                           if "lifecycle.decline_to_lost" in pilot_changes else 0.0)  # fmt: skip
        reps = _backtest_runs(backtest, draws, loss_adjustment, replications, seed,
                              executor=executor, workers=workers)  # fmt: skip
        fit, fit_summary = _fit_tables(h, m0, reps.monthly, hidden.fit.posterior)
        for row in fit_summary.itertuples():
            if row.measure != "revenue_total" and row.verdict == "poor":
                notes.append(LabelledNote("calibrate.note.poor_fit",
                                          {"measure": f"calibrate.measure.{row.measure}",
                                           "inside": row.inside_share,
                                           "difference": row.relative_difference},
                                          labelled=("measure",)))  # fmt: skip
        swing = _seasonality(h)
        if swing is not None and not seasonal:
            notes.append(Note("calibrate.note.seasonality", swing))
    else:
        fit = pd.DataFrame(
            columns=[
                "month",
                "date",
                "measure",
                "actual",
                "simulated",
                "low",
                "high",
                "difference",
                "relative_difference",
                "inside",
            ]
        )
        fit_summary = pd.DataFrame(
            columns=[
                "measure",
                "actual_mean",
                "simulated_mean",
                "relative_difference",
                "mean_abs_error",
                "inside_share",
                "low",
                "high",
                "verdict",
            ]
        )

    # ---------------------------------------------------------------- observed figures
    observed = _observed(h, counts, estimated, new_per_month, window, tx, when)
    figures = dict(zip(observed["measure"], observed["value"], strict=True))
    if "annual_loss_observed" in figures and figures["annual_loss_observed"] > 0:
        obs, imp = figures["annual_loss_observed"], figures["annual_loss_implied"]
        if abs(imp - obs) / obs > 0.25:
            notes.append(Note("calibrate.note.loss_gap",
                              {"implied": imp, "observed": obs,
                               "date": h.month_ends[n_months - 13].date()}))  # fmt: skip
    out_of_exploration = int(counts[E, F:].sum())
    if counts[E, L] >= MIN_EXPOSURE and counts[E, L] > 0.25 * out_of_exploration:
        notes.append(Note("calibrate.note.lost_wave", {"months": chosen.recency_lost_months}))

    # ---------------------------------------------------------------- defaults kept
    notes.append(Note("calibrate.note.defaults_kept", {}))
    censored = int((~h.new).sum())
    if censored:
        notes.append(Note("calibrate.note.censored",
                          {"n": censored, "total": len(h.ids),
                           "start": h.month_ends[h.guard].date() if h.guard < n_months
                           else "-"}))  # fmt: skip
        if h.guard >= n_months - 1 and not cohort:
            notes.append(Note("calibrate.note.cohort_hint", {"months": n_months}))

    # ---------------------------------------------------------------- BG/NBD cross-check
    alive_table = agreement = alive_meta = None
    if alive:
        try:
            p = probability_alive(
                tx.rename(columns={"_id": "customer_id", "_date": "date", "_value": "amount"}),
                as_of=when, model=alive_model, unit=alive_unit,
            )  # fmt: skip
        except DataError as exc:
            p = None
            notes.append(Note("calibrate.note.alive_failed", {"reason": str(exc)}))
    if alive and p is not None:
        stage_end = h.stage_at_as_of[["_id", "stage"]].rename(columns={"_id": "customer_id"})
        alive_table = stage_end.merge(p[["customer_id", "probability_alive"]], on="customer_id",
                                      how="left")  # fmt: skip
        agreement = _agreement(alive_table)
        alive_meta = {"model": alive_model, "unit": alive_unit, "params": p.attrs["params"],
                      "one_time_buyers": int((p["frequency"] == 0).sum()),
                      "one_time_pinned": int(((p["frequency"] == 0)
                                              & (p["probability_alive"] > 0.999)).sum())}
        if alive_meta["one_time_pinned"]:
            notes.append(LabelledNote("calibrate.note.alive_pinned",
                                      {"n": alive_meta["one_time_pinned"],
                                       "model": f"calibrate.alive_model.{alive_model}"},
                                      labelled=("model",)))  # fmt: skip

    estimates = pd.DataFrame(est_rows)
    panel = _panel_table(h)
    meta = {
        "as_of": when,
        "history_start": h.month_starts[0],
        "fit_start": fit_start,
        "backtest_new_customers": replayed,
        "months": n_months,
        "rows": len(tx),
        "customers": len(h.ids),
        "seed": seed,
        "replications": replications,
        "bootstrap": bootstrap,
        "crmsim_version": __version__,
        "source": names["transactions"],
        "wallet": "table" if wallet_note.key == "calibrate.note.wallet_table" else "proxy",
        "alive": alive_meta,
        "hidden": {
            "log_likelihood": hidden.fit.log_likelihood,
            "iterations": hidden.fit.iterations,
            "exploration_to_lost": float(hidden.fit.transition[-1][E, L]),
            "annual_loss": {"estimate": implied_loss(hidden.fit.transition[-1],
                                                     hidden.fit.posterior, n_months),
                            "ci_low": _percentile(hidden.loss_boot)[0],
                            "ci_high": _percentile(hidden.loss_boot)[1]},
        },
    }
    return Calibration(
        scenario=scenario,
        estimates=estimates,
        transitions=transitions,
        observed=observed,
        fit=fit,
        fit_summary=fit_summary,
        panel=panel,
        book=book,
        alive=alive_table,
        alive_agreement=agreement,
        notes=notes,
        meta=meta,
    )


def _replaying_new_customers(
    backtest: Scenario, h: _History, m0: int, new_here: np.ndarray, first_month: np.ndarray,
    wallet: np.ndarray, manager: np.ndarray, customers: pd.DataFrame | None, kept: list[str],
) -> tuple[Scenario, int]:  # fmt: skip
    """The back-test replaying the history's acquisitions, and how many customers it replays:
    each customer won in the back-test's months (*new_here*) joins the simulated book in the
    month of its first order, in exploration (``joins_month``, :mod:`crmsim.sim.scenario.book`),
    and the funnel wins nobody else (no leads, no leads in progress at the start).

    Acquisition is what the company did in those months (its campaigns, its markets), not what
    the lifecycle estimates explain: a funnel at a constant rate wins the same number of
    customers on average, but not in the same months, and the active customers and the
    exploration stage then differ from the history by the customers not yet won, month after
    month, whatever the rest of the model does. Replayed, the back-test checks what was
    estimated: how the customers there and those who came bought, moved and left."""
    start = backtest.book.customers
    rows = np.flatnonzero(new_here & (h.stage[:, m0] < 0))
    if len(rows):
        joining = _book_table(h, rows, np.zeros(len(rows), dtype=np.int64), wallet, manager,
                              customers, kept)  # fmt: skip
        joining["joins_month"] = (first_month[rows] - m0).astype(np.int64)
        book = pd.concat([start.assign(joins_month=0), joining], ignore_index=True)
        backtest = dataclasses.replace(
            backtest, book=dataclasses.replace(backtest.book, customers=book)
        )
    changes: dict[str, Any] = {"funnel.warm_start_months": 0.0}
    for ch in backtest.channels:
        changes[f"channels.{ch.name}.leads_per_month"] = 0.0
        changes[f"channels.{ch.name}.leads_per_stable_customer"] = 0.0
    return backtest.with_(changes), len(rows)


def _parameter_draws(changes: dict[str, Any], used: set[str], hidden: HiddenEstimate,
                     sow_b: np.ndarray | None, rates_b: np.ndarray | None,
                     e_b: np.ndarray | None) -> list[dict[str, Any]]:  # fmt: skip
    """One set of the estimated parameters per bootstrap refit: those of *changes* estimated
    from the data (*used*, dotted paths), each at its refit's value (a value a refit could not
    give keeps the estimate); what the back-test simulates under, so that its band carries the
    uncertainty of the estimates besides the simulation's own noise."""
    draws = []
    for b in range(len(hidden.transition_boot)):
        d: dict[str, Any] = {}
        for pname, (frm, targets) in TRANSITION_PARAMETERS.items():
            path = f"lifecycle.{pname}"
            x = float(hidden.transition_boot[b, frm, list(targets)].sum())
            if path in changes and np.isfinite(x):
                d[path] = round(min(max(x, 0.0), 1.0), 6)
        if "season.factors" in changes and np.all(np.isfinite(hidden.season_boot[b])):
            d["season.factors"] = {
                m: round(float(x), 6)
                for m, x in zip(SEASON_KEYS, hidden.season_boot[b], strict=True)
            }
        for key, values in (("share_of_wallet", sow_b), ("orders_per_month", rates_b)):
            if values is None:
                continue
            point = dict(changes[f"lifecycle.{key}"])
            for s, stage in enumerate(STAGES):
                x = float(values[b, s])
                if np.isfinite(x) and x >= 0 and f"lifecycle.{key}.{stage}" in used:
                    point[stage] = round(min(x, 1.0) if key == "share_of_wallet" else x, 6)
            d[f"lifecycle.{key}"] = point
        if e_b is not None and np.isfinite(e_b[b]):
            d["lifecycle.size_elasticity"] = round(float(e_b[b]), 6)
        draws.append(d)
    return draws


def _backtest_runs(backtest: Scenario, draws: list[dict[str, Any]], loss_adjustment: float,
                   replications: int, seed: int, *, executor: Executor | None,
                   workers: int | None) -> Any:  # fmt: skip
    """The back-test's replications; replication *r* under the parameters of bootstrap refit
    *r* (cycling through them) when there are refits, so that the band is a predictive one:
    the simulation's noise and the estimates' uncertainty together. *loss_adjustment* is taken
    off every draw's decline → lost rate, as off the estimate (the pilot's defections). If the
    model refuses a draw (its plausibility check), every replication runs under the estimates
    (the band then carries the simulation's noise alone)."""
    from crmsim.sim.experiments import Replications, replicate, replication_seeds
    from crmsim.sim.runner import _execute

    if draws:
        from crmsim.sim.experiments import _run_summary

        tasks = []
        for r, s in enumerate(replication_seeds(seed, replications)):
            d = dict(draws[r % len(draws)])
            if "lifecycle.decline_to_lost" in d:
                d["lifecycle.decline_to_lost"] = round(
                    max(0.0, d["lifecycle.decline_to_lost"] - loss_adjustment), 6
                )
            tasks.append((backtest.with_(d), s))
        try:
            runs = _execute(_run_summary, tasks, executor=executor, workers=workers,
                            progress=False, description=backtest.name)  # fmt: skip
            return Replications(backtest, runs)
        except ParameterError:  # a draw the model refuses (a team far too small for its orders)
            pass
    return replicate(backtest, replications, seed=seed, executor=executor, workers=workers,
                     progress=False)  # fmt: skip


def _row(parameter: str, estimate: float, lo: float, hi: float, default: float, n: int,
         method: str, used: bool) -> dict[str, Any]:  # fmt: skip
    return {
        "parameter": parameter,
        "estimate": float(estimate),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "default": float(default),
        "n": int(n),
        "method": method,
        "used": bool(used),
        "value": float(estimate) if used else float(default),
    }
