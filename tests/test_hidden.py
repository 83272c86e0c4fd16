"""crmsim.calibrate.hidden: the lifecycle stage as a hidden state.

The forward-backward recursions against hmmlearn's on the same chain and emissions.
"""

from __future__ import annotations

import numpy as np
import pytest

from crmsim.calibrate import hidden as H


def _panel(orders: np.ndarray, *, new: bool = False) -> H.Panel:
    n, m = orders.shape
    return H.Panel(orders=orders, spend=np.where(orders > 0, 0.3 * orders, 0.0),
                   start=np.zeros(n, dtype=int), new=np.full(n, new), logx=np.zeros(n),
                   calendar=np.arange(m) % 12, period=np.zeros(m, dtype=int))  # fmt: skip


def test_forward_backward_matches_hmmlearn():
    hmm = pytest.importorskip("hmmlearn.hmm")
    from scipy.stats import poisson

    rng = np.random.default_rng(4)
    A = rng.dirichlet(np.ones(5), size=5)
    pi = rng.dirichlet(np.ones(5))
    rates = np.array([0.3, 1.0, 2.5, 0.6, 4.0])
    orders = rng.poisson(2.0, size=(7, 15))
    panel = _panel(orders)
    fit = H.HiddenFit(transition=A[None], start=pi, rate=rates, order_effect=np.ones(7),
                      order_season=np.ones(12), level=np.zeros(5), spend_effect=np.zeros(7),
                      spend_season=np.zeros(12), sigma=1.0, seasonal=False,
                      mask=np.ones((5, 5), dtype=bool))  # fmt: skip
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
