"""The lifecycle stage as a hidden state: a hidden Markov model of monthly purchases.

The stage rules of :mod:`crmsim.methods.lifecycle` read a customer's stage off twelve-month
windows of spend; month after month they flip a steady customer in and out of "decline" when a
quarter is light, and they need two years of look-back before they trust a stage. Estimating the
simulation's transition rates by counting those flips overstates every move. Here the stage is
*latent*: each customer's stage follows the simulation's own Markov chain, and what a month shows
(how many orders, how much spend) depends on the stage only through its purchase level. The
stage path is never observed; the model weighs every path by how well it explains the months.

The model (per customer *i*, month *t*, stage *s*)
---------------------------------------------------
- **Chain**: the simulation's moves (:data:`ALLOWED`): exploration → formation, decline or
  lost; formation → stability or decline; stability → decline; decline → formation (recovery)
  or lost; lost is final. The matrix may differ before and inside the last ``recent`` months
  (two periods), so the scenario gets today's rates, not a three-year average.
- **Start**: a customer whose first order is in the history starts in exploration that month
  (the month of the first order itself is not used as evidence: it has an order by definition);
  a customer who was already buying when the history starts is in stage *s* with probability
  ``start[s]`` (estimated).
- **Orders**: Poisson with mean ``rate[s] × x_i ** elasticity × h[month of year]``, where
  ``x_i`` is the customer's wallet over the median wallet (as in the simulation) and ``h`` the
  orders' seasonal factors (mean 1). Lost customers order nothing.
- **Spend per order** (months with orders): ``log(spend / (orders × wallet / 12))`` is normal
  with mean ``level[s] + slope × log x_i + d[month of year]`` and one variance.

Fitting is by expectation-maximisation (the Baum-Welch algorithm; Baum et al. 1970; Rabiner
1989, "A tutorial on hidden Markov models", Proc. IEEE 77(2)), vectorised over customers, with
scaled forward-backward recursions; the M-step is closed form except the size elasticity (a
one-dimensional maximisation of the expected Poisson likelihood, as in
:func:`crmsim.calibrate.estimate._elasticity`) and the spend regression (one weighted least
squares pass per iteration, an ECM step, Meng & Rubin 1993, Biometrika 80(2)). The starting
point is the rule-based stage history: its stage counts give the first transition matrix and its
stage means the first purchase levels. The forward-backward recursions are tested against
``hmmlearn`` (``tests/test_hidden.py``).

What the scenario reads from the fit
------------------------------------
- transition rates: the recent period's matrix;
- share of wallet per stage: spend in months spent in the stage over a twelfth of the wallet,
  each month weighted by the probability the customer was in that stage, seasonal factor removed
  (the ratio estimator of :mod:`crmsim.calibrate.estimate`, with posterior weights);
- orders per month per stage and the size elasticity: ``rate[s]`` and ``elasticity``;
- seasonal factors of revenue (month of year): actual revenue in a calendar month over the
  revenue the fitted stages predict without season, normalised to mean 1;
- every customer's stage at any month end: the smoothed posterior (all months considered).

Intervals come from refitting on bootstrap resamples of customers (warm-started).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import gammaln

E, F, S, D, L = range(5)
N_STATES = 5
#: Moves the chain allows (from, to), besides staying: the simulation's moves plus
#: exploration -> lost (a first-time buyer who never comes back).
ALLOWED: tuple[tuple[int, int], ...] = ((E, F), (E, D), (E, L), (F, S), (F, D), (S, D), (D, F),
                                        (D, L))  # fmt: skip
_FLOOR = 1e-300
#: Strength of the pull of a customer's own purchase level toward the average, in months of
#: evidence (a gamma prior of shape 2 on the order frequency; the same weight on spend): a
#: customer seen for a few months is not given an extreme level of its own.
PRIOR_MONTHS = 2.0


def allowed_mask(extra: tuple[tuple[int, int], ...] = ()) -> np.ndarray:
    """The 5×5 boolean mask of moves the chain may make (staying included; lost absorbs)."""
    mask = np.eye(N_STATES, dtype=bool)
    for a, b in (*ALLOWED, *extra):
        mask[a, b] = True
    return mask


@dataclass
class Panel:
    """What the hidden-state model reads: customers × months.

    ``orders`` and ``spend`` (spend over a twelfth of the wallet) per month; ``start`` the month
    each customer's sequence starts; ``new`` whether it starts with the first order (then in
    exploration) or with the history (a customer already buying); ``logx`` log(wallet / median
    wallet); ``calendar`` the month of year (0 = January) of each month; ``period`` 0 or 1 per
    month (1 = the recent period)."""

    orders: np.ndarray
    spend: np.ndarray
    start: np.ndarray
    new: np.ndarray
    logx: np.ndarray
    calendar: np.ndarray
    period: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.orders.shape


@dataclass
class HiddenFit:
    """A fitted hidden-state model: parameters, posteriors and the fit's log-likelihood."""

    transition: np.ndarray  # periods × 5 × 5
    start: np.ndarray  # 5: stage of customers already buying when the history starts
    rate: np.ndarray  # 5: orders per month of a customer of usual frequency (lost 0)
    order_effect: np.ndarray  # per customer: its usual order frequency (mean of logs 0)
    order_season: np.ndarray  # 12, mean 1
    level: np.ndarray  # 5: mean log spend per order, relative to the customer's usual
    spend_effect: np.ndarray  # per customer: its usual log spend per order (mean 0)
    spend_season: np.ndarray  # 12, mean 0 (log scale)
    sigma: float
    seasonal: bool
    mask: np.ndarray
    log_likelihood: float = np.nan
    iterations: int = 0
    posterior: np.ndarray | None = field(default=None, repr=False)  # customers × months × 5

    def copy_params(self) -> HiddenFit:
        return HiddenFit(self.transition.copy(), self.start.copy(), self.rate.copy(),
                         self.order_effect.copy(), self.order_season.copy(), self.level.copy(),
                         self.spend_effect.copy(), self.spend_season.copy(), self.sigma,
                         self.seasonal, self.mask)  # fmt: skip


# ------------------------------------------------------------------------------ emissions


def log_emissions(panel: Panel, fit: HiddenFit) -> np.ndarray:
    """log P(month's orders and spend | stage), customers × months × 5."""
    k = panel.orders.astype(float)
    mu = (fit.rate[None, None, :] * fit.order_effect[:, None, None]
          * fit.order_season[panel.calendar][None, :, None])  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = k[..., None] * np.log(np.maximum(mu, _FLOOR)) - mu - gammaln(k + 1)[..., None]
    logp[..., L] = np.where(k > 0, -np.inf, 0.0)
    buy = k > 0
    z = np.zeros_like(k)
    z[buy] = np.log(np.maximum(panel.spend[buy], 1e-12) / k[buy])
    mean = (fit.level[None, None, :] + fit.spend_effect[:, None, None]
            + fit.spend_season[panel.calendar][None, :, None])  # fmt: skip
    ll_spend = -0.5 * ((z[..., None] - mean) / fit.sigma) ** 2 - np.log(fit.sigma) - 0.9189385
    logp[..., :L] += np.where(buy[..., None], ll_spend[..., :L], 0.0)
    return logp


# ------------------------------------------------------------------------------ E-step


def forward_backward(
    panel: Panel, fit: HiddenFit, logb: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scaled forward-backward over every customer at once.

    Returns the posterior of each stage (customers × months × 5; zero before a customer's
    start), the expected moves per period (periods × customers × 5 × 5, summed over months),
    the expected start (customers × 5, customers already buying) and each customer's
    log-likelihood."""
    n, m = panel.shape
    A = fit.transition
    # emissions scaled per cell; the scale goes back into the log-likelihood
    top = logb.max(axis=2, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    b = np.exp(logb - top)
    top = top[..., 0]
    started = np.arange(m)[None, :] >= panel.start[:, None]
    first = np.arange(m)[None, :] == panel.start[:, None]
    # the first month of a new customer is its first order: no evidence, stage exploration
    b = np.where((first & panel.new[:, None])[..., None], 1.0, b)
    top = np.where(first & panel.new[:, None], 0.0, top)
    top = np.where(started, top, 0.0)
    init = np.where(panel.new[:, None], np.eye(N_STATES)[E][None, :], fit.start[None, :])

    alpha = np.zeros((n, m, N_STATES))
    scale = np.ones((n, m))
    prev = np.zeros((n, N_STATES))
    for t in range(m):
        moved = prev @ A[panel.period[t]]
        a = np.where(first[:, t, None], init, moved) * b[:, t]
        c = a.sum(axis=1)
        live = started[:, t]
        c = np.where(live, np.maximum(c, _FLOOR), 1.0)
        a = np.where(live[:, None], a / c[:, None], 0.0)
        alpha[:, t] = a
        scale[:, t] = c
        prev = a
    beta = np.ones((n, m, N_STATES))
    n_periods = A.shape[0]
    moves = np.zeros((n_periods, n, N_STATES, N_STATES))
    for t in range(m - 2, -1, -1):
        At = A[panel.period[t + 1]]
        nb = b[:, t + 1] * beta[:, t + 1] / scale[:, t + 1, None]
        beta[:, t] = nb @ At.T
        live = started[:, t]
        xi = alpha[:, t, :, None] * At[None] * nb[:, None, :]
        moves[panel.period[t + 1]] += np.where(live[:, None, None], xi, 0.0)
    gamma = alpha * beta
    total = gamma.sum(axis=2, keepdims=True)
    gamma = np.where(total > 0, gamma / np.where(total > 0, total, 1.0), 0.0)
    old_start = np.where((~panel.new)[:, None], gamma[np.arange(n), panel.start], 0.0)
    loglik = (np.log(scale) + top).sum(axis=1)
    return gamma, moves, old_start, loglik


# ------------------------------------------------------------------------------ M-step


def _relative_levels(rsum: np.ndarray, wsum: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Weighted least-squares log spend levels relative to stability (0), with formation's
    halfway between exploration's and stability's (*rsum*, *wsum*: per stage, weighted sums
    of residuals and weights)."""
    out = np.where(wsum > 0, rsum / np.maximum(wsum, _FLOOR), old)
    out[S] = 0.0
    # minimise wE (l - mE)^2 + wF (l / 2 - mF)^2 over exploration's level l
    den = wsum[E] + wsum[F] / 4
    if den > 0:
        out[E] = (rsum[E] + rsum[F] / 2) / den
        out[F] = out[E] / 2
    return out


def _relative_rates(orders: np.ndarray, exposure: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Poisson order rates relative to stability (1), with formation's the geometric mean of
    exploration's and stability's: maximise kE log r - nE r + kF log sqrt(r) - nF sqrt(r)."""
    out = np.where(exposure > 0, orders / np.maximum(exposure, _FLOOR), old)
    out[S] = 1.0
    ke, kf, ne, nf = orders[E], orders[F], exposure[E], exposure[F]
    if ke + kf / 2 > 0 and ne + nf > 0:
        # with q = sqrt(r): ne q^2 + (nf / 2) q - (ke + kf / 2) = 0
        q = (-nf / 2 + np.sqrt(nf * nf / 4 + 4 * ne * (ke + kf / 2))) / (2 * ne) if ne > 0 \
            else (ke + kf / 2) / (nf / 2)
        out[E], out[F] = q * q, q
    return out


def m_step(panel: Panel, fit: HiddenFit, gamma: np.ndarray, moves: np.ndarray,
           old_start: np.ndarray, w: np.ndarray) -> HiddenFit:  # fmt: skip
    """New parameters from the expected stages (customers weighted by *w*); one conditional
    maximisation of each block in turn (ECM)."""
    new = fit.copy_params()
    counts = (moves * w[None, :, None, None]).sum(axis=1)
    counts = np.where(fit.mask[None], counts, 0.0)
    rows = counts.sum(axis=2, keepdims=True)
    new.transition = np.where(rows > 0, counts / np.where(rows > 0, rows, 1.0),
                              fit.transition)  # fmt: skip
    new.transition[:, L] = np.eye(N_STATES)[L]
    s0 = (old_start * w[:, None]).sum(axis=0)
    if s0.sum() > 0:
        new.start = s0 / s0.sum()

    # Purchase levels are relative to the customer's own level in stability (rate 1, log
    # spend 0 there): customers differ in size and share of wallet, the stages in how far
    # below (or above) their stability level they buy. A customer's own level is read from its
    # months in stability only, pulled toward the average stability level by PRIOR_MONTHS
    # months of evidence (a customer never in stability has the average).
    k = panel.orders.astype(float)
    season = fit.order_season[panel.calendar][None, :]
    g = gamma[..., :L]
    gw = g * w[:, None, None]
    g_s = g[..., S]
    v_months = (g_s * season).sum(axis=1)
    v_orders = (g_s * k).sum(axis=1)
    seen = (v_months > 0) & (w > 0)
    mean_v = (float((w * v_orders)[seen].sum() / (w * v_months)[seen].sum())
              if (w * v_months)[seen].sum() > 1e-9 else 1.0)  # fmt: skip
    new.order_effect = (v_orders + PRIOR_MONTHS * mean_v) / (v_months + PRIOR_MONTHS)
    expo = (gw * (new.order_effect[:, None] * season)[..., None]).sum(axis=(0, 1))
    orders_by = (gw * k[..., None]).sum(axis=(0, 1))
    new.rate[:L] = _relative_rates(orders_by, expo, fit.rate[:L])
    if fit.seasonal:
        expected = (g * new.rate[None, None, :L]).sum(axis=2) * new.order_effect[:, None]
        num = np.bincount(panel.calendar, weights=(k * w[:, None]).sum(axis=0), minlength=12)
        den = np.bincount(panel.calendar, weights=(expected * w[:, None]).sum(axis=0),
                          minlength=12)  # fmt: skip
        h = np.where(den > 0, num / np.maximum(den, _FLOOR), 1.0)
        new.order_season = h / h[den > 0].mean()

    buy = k > 0
    z = np.zeros_like(k)
    z[buy] = np.log(np.maximum(panel.spend[buy], 1e-12) / k[buy])
    d = fit.spend_season[panel.calendar][None, :]
    ws = g_s * buy
    u_sum = (ws * (z - d)).sum(axis=1)
    u_w = ws.sum(axis=1)
    seen = (u_w > 0) & (w > 0)
    mean_u = (float((w * u_sum)[seen].sum() / (w * u_w)[seen].sum())
              if (w * u_w)[seen].sum() > 1e-9 else 0.0)  # fmt: skip
    new.spend_effect = (u_sum + PRIOR_MONTHS * mean_u) / (u_w + PRIOR_MONTHS)
    wz = g * buy[..., None] * w[:, None, None]  # customers × months × 4
    resid = z - new.spend_effect[:, None] - d
    new.level[:L] = _relative_levels((wz * resid[..., None]).sum(axis=(0, 1)),
                                     wz.sum(axis=(0, 1)), fit.level[:L])  # fmt: skip
    weight = (g * buy[..., None]).sum(axis=2)
    fitted = (g * new.level[None, None, :L]).sum(axis=2) / np.maximum(g.sum(axis=2), _FLOOR)
    if fit.seasonal:
        r = z - fitted - new.spend_effect[:, None]
        num = np.bincount(panel.calendar, weights=(weight * r * w[:, None]).sum(axis=0),
                          minlength=12)  # fmt: skip
        den = np.bincount(panel.calendar, weights=(weight * w[:, None]).sum(axis=0),
                          minlength=12)  # fmt: skip
        dm = np.where(den > 0, num / np.maximum(den, _FLOOR), 0.0)
        new.spend_season = np.where(den > 0, dm - dm[den > 0].mean(), 0.0)
    r = z - fitted - new.spend_effect[:, None] - new.spend_season[panel.calendar][None, :]
    total = max(float((weight * w[:, None]).sum()), _FLOOR)
    new.sigma = float(np.sqrt(max((weight * w[:, None] * r * r).sum() / total, 1e-6)))
    return new


# ------------------------------------------------------------------------------ fitting


def fit_hidden(panel: Panel, initial: HiddenFit, *, weights: np.ndarray | None = None,
               max_iter: int = 200, tol: float = 1e-6) -> HiddenFit:  # fmt: skip
    """Expectation-maximisation from *initial* until the log-likelihood gains less than *tol*
    (relative) or *max_iter* iterations; the result holds the posterior of the last E-step."""
    w = np.ones(panel.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    fit = initial
    last = -np.inf
    for it in range(1, max_iter + 1):
        logb = log_emissions(panel, fit)
        gamma, moves, old_start, loglik = forward_backward(panel, fit, logb)
        ll = float((loglik * w).sum())
        fit.log_likelihood, fit.iterations, fit.posterior = ll, it, gamma
        if np.isfinite(last) and abs(ll - last) <= tol * abs(last):
            break
        last = ll
        fit = m_step(panel, fit, gamma, moves, old_start, w)
    if fit.posterior is None:  # stopped after an M-step: the posterior of the last parameters
        gamma, _, _, loglik = forward_backward(panel, fit, log_emissions(panel, fit))
        fit.log_likelihood, fit.iterations, fit.posterior = float((loglik * w).sum()), it, gamma
    return fit


def initial_fit(panel: Panel, stages: np.ndarray, observable: np.ndarray, *, n_periods: int,
                seasonal: bool, mask: np.ndarray | None = None) -> HiddenFit:  # fmt: skip
    """A starting point from the rule-based stages: their monthly moves (plus a little of every
    allowed move, so none starts at zero) and their stages' mean purchases."""
    mask = allowed_mask() if mask is None else mask
    counts = np.zeros((N_STATES, N_STATES))
    valid = observable[:, :-1] & (stages[:, :-1] >= 0)
    np.add.at(counts, (stages[:, :-1][valid].astype(int), stages[:, 1:][valid].astype(int)), 1)
    counts = np.where(mask, counts + 1.0, 0.0)
    A = counts / counts.sum(axis=1, keepdims=True)
    A[L] = np.eye(N_STATES)[L]
    k = panel.orders.astype(float)
    size = np.ones_like(panel.logx)[:, None]
    rate = np.zeros(N_STATES)
    level = np.zeros(N_STATES)
    buy = k > 0
    z = np.where(buy, np.log(np.maximum(panel.spend, 1e-12) / np.maximum(k, 1.0)), 0.0)
    for s in range(L):
        here = (stages == s) & (np.arange(panel.shape[1])[None, :] >= panel.start[:, None])
        rate[s] = k[here].sum() / max(size.repeat(k.shape[1], 1)[here].sum(), 1.0)
        level[s] = z[here & buy].mean() if (here & buy).any() else z[buy].mean()
    rate = np.maximum(rate, 0.05)
    at_start = stages[~panel.new, 0] if (~panel.new).any() else np.array([S])
    start = np.bincount(at_start[(at_start >= 0) & (at_start < L)], minlength=N_STATES)[
        :N_STATES].astype(float) + 1.0  # fmt: skip
    start[L] = 0.0
    return HiddenFit(
        transition=np.repeat(A[None], n_periods, axis=0), start=start / start.sum(), rate=rate,
        order_effect=np.ones(panel.shape[0]), order_season=np.ones(12), level=level,
        spend_effect=np.zeros(panel.shape[0]), spend_season=np.zeros(12),
        sigma=max(float(z[buy].std()) if buy.any() else 1.0, 0.1), seasonal=seasonal, mask=mask,
    )  # fmt: skip


# ------------------------------------------------------------------------------ what it implies


def share_of_wallet(panel: Panel, gamma: np.ndarray, wallet12: np.ndarray,
                    revenue_season: np.ndarray, w: np.ndarray) -> np.ndarray:  # fmt: skip
    """Per stage: spend over a twelfth of the wallet, months weighted by the stage's posterior,
    seasonal factor removed (4 stages)."""
    g = gamma[..., :L] * w[:, None, None]
    deseason = panel.spend * wallet12[:, None] / revenue_season[panel.calendar][None, :]
    num = (g * deseason[..., None]).sum(axis=(0, 1))
    den = (g * wallet12[:, None, None]).sum(axis=(0, 1))
    return np.where(den > 0, num / np.maximum(den, _FLOOR), np.nan)


def revenue_season(panel: Panel, gamma: np.ndarray, wallet12: np.ndarray,
                   w: np.ndarray, rounds: int = 3) -> np.ndarray:  # fmt: skip
    """Month-of-year factors of revenue (mean 1): actual revenue in each calendar month over the
    revenue the posterior stages predict without season."""
    factors = np.ones(12)
    revenue = panel.spend * wallet12[:, None] * w[:, None]
    actual = np.bincount(panel.calendar, weights=revenue.sum(axis=0), minlength=12)
    for _ in range(rounds):
        sow = share_of_wallet(panel, gamma, wallet12, factors, w)
        predicted = ((gamma[..., :L] * sow[None, None, :]).sum(axis=2) * wallet12[:, None]
                     * w[:, None]).sum(axis=0)  # fmt: skip
        pred = np.bincount(panel.calendar, weights=predicted, minlength=12)
        factors = np.where(pred > 0, actual / np.maximum(pred, _FLOOR), 1.0)
        factors = factors / factors[np.bincount(panel.calendar, minlength=12) > 0].mean()
    return factors


# ------------------------------------------------------------------------------ for calibrate

#: Fewest complete months for seasonal factors: two of every calendar month, so a season is
#: not mistaken for a trend.
SEASON_MONTHS = 24
#: Bootstrap refits of the hidden-state model at most (each warm-started from the fit, at most
#: BOOTSTRAP_ITERATIONS iterations); the purchase sums use every resample.
BOOTSTRAP_REFITS = 50
BOOTSTRAP_ITERATIONS = 15


@dataclass
class HiddenEstimate:
    """What :func:`calibrate` takes from the hidden-state model."""

    fit: HiddenFit
    panel: Panel
    stage: np.ndarray  # customers × months: most probable stage (-1 before the start)
    moves: np.ndarray  # 5 × 5 expected moves in the recent period
    season: np.ndarray  # 12 revenue factors (all 1 without seasonality)
    transition_boot: np.ndarray  # refits × 5 × 5 (recent period)
    season_boot: np.ndarray  # refits × 12
    loss_boot: np.ndarray  # refits: implied annual loss


def estimate_hidden(h, wallet: np.ndarray, median_wallet: float, recent: int,
                    boots: np.ndarray | None) -> HiddenEstimate:  # fmt: skip
    """Fit the hidden-state model to a calibration history (:class:`_History`), starting from
    its rule-based stages; refit on (up to :data:`BOOTSTRAP_REFITS`) bootstrap resamples."""
    import pandas as pd

    n, m = h.stage.shape
    first = pd.DatetimeIndex(h.first_order)
    first_month = ((first.year - h.month_starts[0].year) * 12
                   + (first.month - h.month_starts[0].month)).to_numpy()  # fmt: skip
    start = np.where(h.new, np.clip(first_month, 0, m - 1), 0)
    wallet12 = wallet / 12.0
    seasonal = m >= SEASON_MONTHS
    panel = Panel(orders=h.orders, spend=h.revenue / wallet12[:, None], start=start,
                  new=h.new.copy(), logx=np.log(np.maximum(wallet, 1e-9) / median_wallet),
                  calendar=(h.month_starts.month - 1).to_numpy(),
                  period=(np.arange(m) >= m - recent).astype(int))  # fmt: skip
    n_periods = 2 if recent < m - 1 else 1
    if n_periods == 1:
        panel.period[:] = 0
    init = initial_fit(panel, h.stage, h.observable, n_periods=n_periods, seasonal=seasonal)
    fit = fit_hidden(panel, init)
    gamma = fit.posterior
    logb = log_emissions(panel, fit)
    _, moves, _, _ = forward_backward(panel, fit, logb)
    recent_moves = moves[-1].sum(axis=0)
    ones = np.ones(n)
    season = revenue_season(panel, gamma, wallet12, ones) if seasonal else np.ones(12)
    started = np.arange(m)[None, :] >= start[:, None]
    stage = np.where(started, gamma.argmax(axis=2), -1).astype(np.int8)
    t_boot, s_boot, l_boot = [], [], []
    if boots is not None:
        for w in boots[:BOOTSTRAP_REFITS]:
            refit = fit_hidden(panel, fit.copy_params(), weights=w,
                               max_iter=BOOTSTRAP_ITERATIONS)  # fmt: skip
            t_boot.append(refit.transition[-1])
            s_boot.append(revenue_season(panel, refit.posterior, wallet12, w) if seasonal
                          else np.ones(12))  # fmt: skip
            l_boot.append(implied_loss(refit.transition[-1], refit.posterior, m, w))
    return HiddenEstimate(fit=fit, panel=panel, stage=stage, moves=recent_moves, season=season,
                          transition_boot=np.array(t_boot).reshape(-1, N_STATES, N_STATES),
                          season_boot=np.array(s_boot).reshape(-1, 12),
                          loss_boot=np.array(l_boot))  # fmt: skip


def implied_loss(transition: np.ndarray, gamma: np.ndarray, m: int,
                 w: np.ndarray | None = None) -> float:  # fmt: skip
    """Share of the customers active 12 months before the end whom the chain loses within a
    year: the stage mix then (posterior), moved 12 months by *transition*."""
    if m <= 12:
        return np.nan
    g = gamma[:, m - 13]
    w = np.ones(len(g)) if w is None else w
    mix = (g[:, :L] * w[:, None]).sum(axis=0)
    if mix.sum() <= 0:
        return np.nan
    mix = np.append(mix / mix.sum(), 0.0)
    return float((mix @ np.linalg.matrix_power(transition, 12))[L])
