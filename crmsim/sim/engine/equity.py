"""Customer equity: what the book of active customers is worth, from the model's own lifecycle
chain (the yardstick and its sources are in :mod:`crmsim.sim.scenario.value`).

A customer in active stage ``s`` brings a margin ``m[s]`` a month (gross margin on its expected
purchases less bad debt, less the cost of serving it) and moves between stages with the monthly
matrix ``P`` (lost is absorbing and worth nothing). Its value counted from the next month,
discounted monthly by ``δ``, is ``δ [(I - δP)⁻¹ m][s]`` (Pfeifer & Carraway 2000): the margins of
months 1, 2, ... weighted by the chance of being in each stage then. :func:`stage_values` is that
formula; :func:`retention_clv` the one-stage closed form it reduces to.

Two valuations per run (part of :class:`~crmsim.sim.engine.model.Simulation`, a mixin):

- **at the start**, the book as it stands, the same for every option on one company: purchases
  at the book's own wallets and the company's needs (no structure's effects), the chain at the
  initial satisfaction, and service paid at the managers' pay per hour of a team working
  :data:`START_UTILISATION` of its hours;
- **at the horizon**, the book the option leaves: each customer's purchases with the option's
  effects (lines it sells, specialists and isolation it gives), the chain with the service
  multipliers of the satisfaction each stage has reached, and service paid at the option's own
  cost per hour worked over the last twelve months (its pay, its structure's overhead, its
  operations staff and CRM, over the hours its people worked, counted as the engine counts
  them: in standard contacts, so the structure's work per contact is in the rate).
"""

from __future__ import annotations

import numpy as np

from crmsim.sim.engine.lifecycle import service_multipliers
from crmsim.sim.scenario.lifecycle import DOWN_TARGET, LOST, UP_TARGET

#: Months over which the option's cost per hour worked is read at the horizon.
COST_WINDOW = 12
#: Share of its hours a team is taken to work when the book is valued at the start.
START_UTILISATION = 0.75


def stage_values(P: np.ndarray, margin: np.ndarray, delta: float) -> np.ndarray:
    """Discounted value of a customer by its current stage: ``v = (I - δP)⁻¹ m``.

    *P* is the monthly transition matrix between the active stages (rows may sum below 1: the
    rest is the chance of being lost), *margin* the margin a month in each stage (one vector,
    or one row per customer), *delta* the monthly discount factor. ``v[s]`` counts this
    month's margin in full and each later month's discounted (Pfeifer & Carraway 2000).

    Examples
    --------
    A customer kept with probability 0.9 a month, margin 100, δ = 0.99: v = 100 / (1 - 0.891)

    >>> round(float(stage_values(np.array([[0.9]]), np.array([100.0]), 0.99)[0]), 2)
    917.43
    """
    n = len(P)
    A = np.eye(n) - delta * np.asarray(P, dtype=float)
    return np.linalg.solve(A, np.asarray(margin, dtype=float).T).T


def retention_clv(margin: float, retention: float, rate: float) -> float:
    """Lifetime value with a constant margin, retention and discount rate per period,
    margin counted at the start of each period: ``m (1 + i) / (1 + i - r)`` (Gupta & Lehmann
    2003; Gupta, Lehmann & Stuart 2004).

    >>> round(retention_clv(100.0, 0.9, 1 / 0.99 - 1), 2)
    917.43
    """
    return margin * (1.0 + rate) / (1.0 + rate - retention)


def chain(p_up: np.ndarray, p_down: np.ndarray, mu: np.ndarray, md: np.ndarray) -> np.ndarray:
    """The 4x4 monthly matrix between the active stages, with per-stage multipliers *mu*,
    *md* of the upward and downward moves (scaled down where they would sum above 1, as the
    engine does).

    Examples
    --------
    >>> from crmsim.sim.engine.lifecycle import up_down_probabilities
    >>> from crmsim.sim.scenario.lifecycle import LifecycleParams
    >>> lc = LifecycleParams()
    >>> up, down = up_down_probabilities(lc)
    >>> P = chain(up, down, np.ones(4), np.ones(4))
    >>> bool(np.allclose(P, lc.transition_matrix()[:4, :4]))
    True
    """
    P = np.zeros((4, 4))
    for s in range(4):
        up, down = p_up[s] * mu[s], p_down[s] * md[s]
        total = up + down
        if total > 1.0:
            up, down = up / total, down / total
        if UP_TARGET[s] != s and up > 0:
            P[s, UP_TARGET[s]] += up
        if DOWN_TARGET[s] != LOST:
            P[s, DOWN_TARGET[s]] += down
        P[s, s] += 1.0 - up - down
    return P


class Equity:
    """The value of the book of active customers, at the start and at the horizon."""

    def _service_hours(self, work_multiplier: float) -> tuple[np.ndarray, np.ndarray]:
        """Hours of service a month a customer needs in each active stage (requests and
        maintenance), and the extra for a key customer, at *work_multiplier*."""
        sv = self.sc.service
        base = self.request_rate[:4] * sv.request_hours + self.need[:4] * sv.maintenance_hours
        extra = self.need[:4] * sv.maintenance_hours * (sv.key_contact_factor - 1.0)
        return base * work_multiplier, extra * work_multiplier

    def _book_value(self, *, at_start: bool) -> float:
        """Customer equity of the active book now, discounted to now (see the module text)."""
        sc, C, fx = self.sc, self.C, self.fx
        lc = sc.lifecycle
        n = C.n
        idx = np.flatnonzero(C.stage[:n] != LOST)
        if not len(idx):
            return 0.0
        delta = sc.value.monthly_factor()
        stage = C.stage[idx]
        cash = C.cash_only[idx]
        sow = lc.stage_array(lc.share_of_wallet)[:4]
        gross_rate = lc.gross_margin - np.where(cash, 0.0, self.bad_debt[C.grade[idx]])
        base = C.wallet[idx] / 12.0 * np.where(cash, sc.credit.cash_only_wallet_factor, 1.0)
        if at_start:  # the company's own needs, no structure's effects
            company = sc.company
            cx = company.need_complexity
            revenue = base * (1.0 + company.complexity_value * cx)
            work, rate = 1.0 + company.complexity_work * cx, self.start_rate
            mu, md = service_multipliers(lc, np.full(4, lc.initial_satisfaction))
        else:
            revenue = base * fx.revenue_multiplier * C.wallet_factor[idx]
            sow = np.minimum(sow * fx.share_of_wallet_uplift, 1.0)
            # the engine counts work in standard hours (a complex contact takes several), so
            # the cost per standard hour already holds the structure's work per contact
            work, rate = 1.0, self._cost_per_hour()
            mu, md = self._stage_multipliers(stage, C.satisfaction[idx])
        P = chain(self.p_up, self.p_down, mu, md)
        hours, key_hours = self._service_hours(work)
        # v_i = δ [A m_i][s_i], m_i = revenue_i gross_rate_i sow - rate (hours + key_i key_hours)
        A = np.linalg.inv(np.eye(4) - delta * P)
        margin = revenue * gross_rate * (A @ sow)[stage]
        key = C.importance[idx] == 0
        cost = rate * ((A @ hours)[stage] + np.where(key, (A @ key_hours)[stage], 0.0))
        return float(delta * (margin - cost).sum())

    def _stage_multipliers(self, stage: np.ndarray, satisfaction: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Mean service multipliers of the upward and downward moves per active stage, over
        the customers in it (the reference values for a stage nobody is in)."""
        lc = self.sc.lifecycle
        mu, md = service_multipliers(lc, satisfaction)
        count = np.bincount(stage, minlength=4)[:4]
        ref_u, ref_d = service_multipliers(lc, np.array([lc.satisfaction_reference]))
        mean_u = np.divide(np.bincount(stage, mu, minlength=4)[:4], count,
                           out=np.full(4, ref_u[0]), where=count > 0)  # fmt: skip
        mean_d = np.divide(np.bincount(stage, md, minlength=4)[:4], count,
                           out=np.full(4, ref_d[0]), where=count > 0)  # fmt: skip
        return mean_u, mean_d

    def _cost_per_hour(self) -> float:
        """The option's account cost per hour its people worked, over the last
        :data:`COST_WINDOW` months: pay, structure overhead, operations staff and CRM."""
        recent = self.cost_hours[-COST_WINDOW:]
        cost = sum(c for c, _ in recent)
        hours = sum(h for _, h in recent)
        return cost / hours if hours > 0 else self.start_rate
