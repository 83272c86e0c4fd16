"""crmsim.calibrate.hidden: the lifecycle stage as a hidden state.

The forward-backward recursions against hmmlearn's on the same chain and emissions; EM that
never lowers its objective; and a fit that recovers the model it was simulated from.
"""

from __future__ import annotations

import numpy as np
import pytest

from crmsim.calibrate import hidden as H
from crmsim.sim.scenario.lifecycle import LifecycleParams

E, F, S, D, L = range(5)

#: A chain unlike the simulation's default one (so a fit started from the default has to move).
TRUE_CHAIN = np.array([
    [0.87, 0.07, 0.00, 0.06, 0.00],
    [0.00, 0.88, 0.09, 0.03, 0.00],
    [0.00, 0.00, 0.98, 0.02, 0.00],
    [0.00, 0.06, 0.00, 0.72, 0.22],
    [0.00, 0.00, 0.00, 0.00, 1.00],
])  # fmt: skip


def _panel(orders: np.ndarray, *, new: bool = False) -> H.Panel:
    n, m = orders.shape
    return H.Panel(orders=orders, spend=np.where(orders > 0, 0.3 * orders, 0.0),
                   start=np.zeros(n, dtype=int), new=np.full(n, new), logx=np.zeros(n),
                   calendar=np.arange(m) % 12, period=np.zeros(m, dtype=int))  # fmt: skip


def _fit(n: int, transition: np.ndarray, **params) -> H.HiddenFit:
    base = dict(start=np.array([0.1, 0.15, 0.65, 0.1, 0.0]),
                rate=np.array([0.3, np.sqrt(0.3), 1.0, 0.4, 0.0]),
                level=np.array([-1.0, -0.5, 0.0, -0.7, 0.0]), order_effect=np.zeros(n),
                order_prior=np.array([np.log(1.5), 0.3, 0.3]), spend_effect=np.zeros(n),
                spend_prior=np.array([-0.5, -0.3, 0.3]), order_season=np.ones(12),
                spend_season=np.zeros(12), sigma=0.4, seasonal=False, mask=H.allowed_mask())
    base.update(params)
    return H.HiddenFit(transition=transition[None], **base)


def _simulated(n: int, m: int, seed: int) -> tuple[H.HiddenFit, H.Panel, np.ndarray]:
    """Customers simulated from a known model: half already buying when the history starts,
    half new (first order in a random month); sizes, own levels and purchases drawn."""
    rng = np.random.default_rng(seed)
    truth = _fit(n, TRUE_CHAIN)
    truth.order_effect = truth.order_prior[2] * rng.standard_normal(n)
    truth.spend_effect = truth.spend_prior[2] * rng.standard_normal(n)
    new = rng.random(n) < 0.5
    empty = H.Panel(orders=np.zeros((n, m), int), spend=np.zeros((n, m)),
                    start=np.where(new, rng.integers(0, m, n), 0), new=new,
                    logx=rng.normal(0.0, 1.0, n), calendar=np.arange(m) % 12,
                    period=np.zeros(m, int))  # fmt: skip
    panel, stages = H.simulate(truth, empty, rng)
    return truth, panel, stages


def test_forward_backward_matches_hmmlearn():
    hmm = pytest.importorskip("hmmlearn.hmm")
    from scipy.stats import poisson

    rng = np.random.default_rng(4)
    A = rng.dirichlet(np.ones(5), size=5)
    pi = rng.dirichlet(np.ones(5))
    rates = np.array([0.3, 1.0, 2.5, 0.6, 4.0])
    orders = rng.poisson(2.0, size=(7, 15))
    panel = _panel(orders)
    fit = _fit(7, A, start=pi, rate=rates, mask=np.ones((5, 5), dtype=bool))
    logb = poisson.logpmf(orders[..., None], rates[None, None, :])
    gamma, moves, _, loglik = H.forward_backward(panel, fit, logb)

    model = hmm.PoissonHMM(n_components=5, init_params="", params="")
    model.startprob_, model.transmat_, model.lambdas_ = pi, A, rates[:, None]
    for i in range(7):
        x = orders[i][:, None]
        assert loglik[i] == pytest.approx(model.score(x), rel=1e-9)
        np.testing.assert_allclose(gamma[i], model.predict_proba(x), atol=1e-9)
    # expected moves sum to the months after the first
    assert moves.sum() == pytest.approx(7 * 14)


def test_em_never_lowers_its_objective():
    """With the spreads of the customers' own levels held, every EM step is a conditional
    maximisation of the same objective: it may not go down (a wrong M-step block would)."""
    _, panel, _ = _simulated(300, 24, seed=3)
    fit = H.initial_fit(panel, np.full(panel.shape, -1), n_periods=1, seasonal=False)
    w = np.ones(panel.shape[0])
    seen = []
    for _ in range(12):
        gamma, counts, start, loglik = H.forward_backward(panel, fit, H.log_emissions(panel, fit))
        seen.append(H.objective(panel, fit, loglik, w))
        fit = H.m_step(panel, fit, gamma, counts, start, w, spread=False)
    assert np.all(np.diff(seen) >= -1e-6 * np.abs(seen[:-1])), np.diff(seen)
    assert seen[-1] > seen[0] + 100


def test_the_fit_recovers_the_model_it_was_simulated_from():
    """1,200 customers over 36 months drawn from a known chain, fitted from the simulation's
    default chain and from every move equally likely (as calibrate does, without the rules'
    stages). Over seeds the moves out of a stage come within about 0.045 of the truth (the
    decline row and the split of formation's exits between stability and decline are the
    least determined: formation is a transit stage) and stability -> decline within 0.003;
    the tolerances are about that."""
    truth, panel, stages = _simulated(1200, 36, seed=11)
    chains = {"base": LifecycleParams().transition_matrix(), "uniform": None}
    fit, reached = H.best_fit(panel, np.full(panel.shape, -1), seasonal=False, chains=chains)
    assert set(reached) == {"base", "uniform", "base ordered", "uniform ordered"}
    A = fit.transition[0]
    for a, b in [(E, F), (E, D), (F, S), (F, D), (D, F), (D, L)]:
        assert A[a, b] == pytest.approx(TRUE_CHAIN[a, b], abs=0.05), (a, b)
    assert A[F, S] + A[F, D] == pytest.approx(TRUE_CHAIN[F, S] + TRUE_CHAIN[F, D], abs=0.03)
    assert A[S, D] == pytest.approx(TRUE_CHAIN[S, D], abs=0.005)
    np.testing.assert_allclose(fit.rate[[E, F, D]], truth.rate[[E, F, D]], atol=0.06)
    np.testing.assert_allclose(fit.level[[E, F, D]], truth.level[[E, F, D]], atol=0.15)
    np.testing.assert_allclose(fit.order_prior, truth.order_prior, atol=0.06)
    np.testing.assert_allclose(fit.spend_prior, truth.spend_prior, atol=0.06)
    assert fit.sigma == pytest.approx(truth.sigma, abs=0.02)
    seen = stages >= 0
    assert (fit.posterior.argmax(axis=2)[seen] == stages[seen]).mean() > 0.8
    # the annual loss the fitted chain implies is the true chain's, within 2 points
    m = panel.shape[1]
    assert H.implied_loss(A, fit.posterior, m) == pytest.approx(
        H.implied_loss(TRUE_CHAIN, fit.posterior, m), abs=0.02)


def test_stage_levels_keep_the_stages_order():
    # exploration's free level above decline's: held, decline is lifted to it; formation halfway
    num, den = np.array([-5.0, -4.0, 0.0, -9.0]), np.array([10.0, 10.0, 1.0, 10.0])
    out = H._stage_levels(num, den, np.zeros(4), ratio=False, ordered=True)
    assert out[S] == 0 and out[F] == pytest.approx(out[E] / 2) and out[D] == out[E]
    assert out[E] == pytest.approx((-5 - 4 / 2) / (10 + 10 / 4))  # both stages' evidence
    free = H._stage_levels(num, den, np.zeros(4), ratio=False)
    assert free[D] == pytest.approx(-0.9) and free[E] == out[E]
    # nothing above stability
    assert H._stage_levels(-num, den, np.zeros(4), ratio=False).max() == 0
    rates = H._stage_levels(np.array([3.0, 7.0, 0.0, 2.0]), np.array([10.0, 10.0, 1.0, 10.0]),
                            np.ones(4), ratio=True)  # fmt: skip
    assert rates[S] == 1 and rates[F] == pytest.approx(np.sqrt(rates[E]))
    assert rates[D] == pytest.approx(0.2)


def _season_panel(orders: np.ndarray, size: np.ndarray, wallet12: np.ndarray) -> H.Panel:
    """Customers in stability all along, spend per order *size* (customers × months, money)."""
    n, m = orders.shape
    return H.Panel(orders=orders, spend=orders * size / wallet12[:, None],
                   start=np.zeros(n, dtype=int), new=np.zeros(n, dtype=bool),
                   logx=np.zeros(n), calendar=np.arange(m) % 12,
                   period=np.zeros(m, dtype=int))  # fmt: skip


def test_revenue_season_counts_orders_one_by_one_and_sizes_them_by_money():
    """The revenue season is the orders' season (the fit's, each order one) times the season of
    spend per order (money over money). A large customer's lucky January (three times its usual
    orders, each of its usual size) leaves the season where it was, where January's revenue
    over its expected revenue would put it a third higher; and a season of sizes that only some
    customers have (schools' August) weighs by their spend, not by their number."""
    n, m = 40, 24
    month = np.arange(m) % 12
    sizes = np.array([1.0, 0.8, 1, 1, 1, 1, 1, 1.2, 1, 1, 1, 1.3])
    wallet12 = np.ones(n)
    wallet12[0] = 50.0  # one customer as large as all the others together
    orders = np.full((n, m), 2)
    orders[0, month == 0] = 6
    size = np.tile(sizes[month], (n, 1)) * wallet12[:, None]
    panel = _season_panel(orders, size, wallet12)
    fit = _fit(n, TRUE_CHAIN, seasonal=True, spend_prior=np.array([0.0, 0.0, 0.3]))
    gamma = np.zeros((n, m, 5))
    gamma[..., S] = 1.0
    w = np.ones(n)
    season = H.revenue_season(panel, fit, gamma, wallet12, w)
    np.testing.assert_allclose(season, sizes / sizes.mean())
    revenue = np.bincount(month, (orders * size).sum(axis=0), minlength=12)
    expected = np.bincount(month, (2 * size).sum(axis=0), minlength=12)
    naive = revenue / expected
    assert naive[0] / naive.mean() > 1.3 * season[0]  # the share of revenue would have moved
    # a resample's weights count a customer as often as it was drawn
    twice = H.revenue_season(panel, fit, gamma, wallet12, np.r_[2.0, np.ones(n - 1)])
    np.testing.assert_allclose(twice, season)

    # half the customers (three quarters of the spend) buy 1.8 times larger orders in August
    wallet12 = np.where(np.arange(n) < n // 2, 3.0, 1.0)
    boost = np.where((np.arange(n) < n // 2)[:, None] & (month == 7)[None, :], 1.8, 1.0)
    orders = np.full((n, m), 2)
    panel = _season_panel(orders, boost * wallet12[:, None], wallet12)
    season = H.revenue_season(panel, fit, gamma, wallet12, w)
    assert season[7] / season[0] == pytest.approx(1 + 0.8 * 0.75)
