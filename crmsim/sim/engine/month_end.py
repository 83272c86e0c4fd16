"""Month end, vectorised over all customers: purchases and revenue, maintenance contacts with
the farming time left, satisfaction, lifecycle moves, manager time and pay, skill diffusion, and
the month's row of the monthly table.

The effects of CRM adoption and of deferred pay sit here as small functions next to the
parameters they read (``scenario.crm``, ``scenario.incentives``); the structure's effects come
from :class:`~crmsim.sim.engine.effects.StructureEffects`.

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from crmsim.sim.engine.lifecycle import (
    monthly_orders,
    move_stages,
    satisfaction_target,
    service_multipliers,
)
from crmsim.sim.engine.records import MONTH, MonthFlows
from crmsim.sim.scenario.crm import CrmParams
from crmsim.sim.scenario.incentives import IncentiveParams
from crmsim.sim.scenario.lifecycle import DECLINE, LOST, UP_TARGET
from crmsim.terms import STATES


@functools.lru_cache(maxsize=1024)
def month_start_date(start: pd.Timestamp, month: int) -> pd.Timestamp:
    """First day of month *month* (0 = the first) of a run starting on *start*; kept, as every
    replication of a study labels its months alike (a date offset takes a while to apply).

    Examples
    --------
    >>> month_start_date(pd.Timestamp("2025-01-31"), 1)
    Timestamp('2025-02-28 00:00:00')
    """
    return start + pd.DateOffset(months=month)


# ------------------------------------------------------------------ CRM and pay, by parameter


def crm_time_share(crm: CrmParams) -> float:
    """Share of account time left after CRM data entry: ``1 - time_cost * adoption``.

    Examples
    --------
    >>> from crmsim.sim.scenario.crm import CrmParams
    >>> crm_time_share(CrmParams(adoption=0.5, time_cost=0.1))
    0.95
    """
    return 1.0 - crm.time_cost * crm.adoption


def crm_monthly_cost(crm: CrmParams, managers_active: int) -> float:
    """CRM licences and support per month: ``cost_per_manager * adoption * managers``."""
    return crm.cost_per_manager * crm.adoption * managers_active


def skill_diffusion_rate(crm: CrmParams, knowledge_sharing: float) -> float:
    """Monthly share of the gap to the top fifth's skill closed: CRM templates
    (``diffusion_rate * adoption``) plus the structure's knowledge sharing."""
    return crm.diffusion_rate * crm.adoption + knowledge_sharing


def deferred_pay_factor(
    incentives: IncentiveParams, mean_satisfaction: np.ndarray, reference: float
) -> np.ndarray:
    """Pay multiplier per manager under deferred pay: the deferred share ``d`` is paid in
    proportion to his customers' satisfaction over the reference (capped at 1.5 times);
    1 under any other scheme.

    Examples
    --------
    >>> from crmsim.sim.scenario.incentives import IncentiveParams
    >>> inc = IncentiveParams(scheme="deferred", deferred_share=0.5)
    >>> deferred_pay_factor(inc, np.array([0.35, 0.7]), 0.7).tolist()
    [0.75, 1.0]
    """
    if incentives.scheme != "deferred":
        return np.ones(len(mean_satisfaction))
    d = incentives.deferred_share
    return (1 - d) + d * np.clip(mean_satisfaction / reference, 0.0, 1.5)


class MonthEnd:
    """Economics, service quality, lifecycle and pay at the end of each month."""

    def _month_end(self, month: int) -> None:
        sc, C, M, fx = self.sc, self.C, self.M, self.fx
        lc = sc.lifecycle
        n, nm = self.n_at_start, M.n
        idx = np.flatnonzero(C.stage[:n] != LOST)
        u = self.streams.generator("lifecycle", month).random((n, 3))[idx]
        st = C.stage[idx]
        mgr = C.manager[idx]
        valid = mgr >= 0
        mgr0 = np.maximum(mgr, 0)
        everyone = bool(valid.all())  # every customer has a manager (the usual case)
        mv = mgr if everyone else mgr[valid]

        def per_manager(weights: np.ndarray | None = None) -> np.ndarray:
            """Sum of *weights* (or count) over each manager's customers."""
            w = weights if weights is None or everyone else weights[valid]
            return np.bincount(mv, weights=w, minlength=nm)[:nm]

        customers_per_manager = per_manager()
        # purchases
        orders, expected = monthly_orders(lc, st, C.size[idx], u[:, 1])
        sow = self.share_of_wallet[st]
        sow = np.where(C.cash_only[idx], sow * sc.credit.cash_only_wallet_factor, sow)
        ratio = np.divide(orders, expected, out=np.zeros(len(idx)), where=expected > 0)
        revenue = C.wallet[idx] / 12.0 * sow * ratio
        if fx.revenue_multiplier != 1.0:
            revenue = revenue * fx.revenue_factor(len(idx))
        revenue = revenue * C.wallet_factor[idx]  # the customers' own needs (company profile)
        revenue = revenue * sc.season.factor(month_start_date(self.start, month).month)  # season
        bad_debt = np.where(C.cash_only[idx], 0.0, revenue * self.bad_debt[C.grade[idx]])
        gross = revenue * lc.gross_margin - bad_debt
        C.revenue[idx] += revenue
        C.gross_profit[idx] += gross
        C.orders[idx] += orders
        C.months_active[idx] += 1
        M.revenue[:nm] += per_manager(revenue)
        M.orders[:nm] += per_manager(orders).astype(np.int64)
        M.customer_months[:nm] += customers_per_manager
        # complaints about product or delivery, whatever the service
        C.m_complaints[idx[u[:, 2] < sc.service.background_complaint_rate]] += 1
        # maintenance contacts: farming time left after service requests, spread by need
        key = C.importance[idx] == 0
        need = self.need[st] * np.where(key, sc.service.key_contact_factor, 1.0)
        need_hours = per_manager(need * sc.service.maintenance_hours)
        act = M.active[:nm]
        farm_cap = np.where(act, M.farm_speed[:nm] * MONTH, 0.0)
        hunt_cap = np.where(act, M.hunt_speed[:nm] * MONTH, 0.0)
        farm_busy = np.array(self.busy_farm) * M.farm_speed[:nm]
        if self.limited:
            farm_free = np.maximum(farm_cap - farm_busy, 0.0)
            maint_used = np.minimum(farm_free, need_hours)
            cov_m = np.divide(maint_used, need_hours, out=np.ones(nm), where=need_hours > 0)
        else:
            maint_used = np.where(act, need_hours, 0.0)
            cov_m = np.ones(nm)
        coverage = np.where(valid & act[mgr0], cov_m[mgr0], 0.0)
        coverage *= 1.0 - np.minimum(C.handover_left[idx], 1.0)
        C.handover_left[idx] = np.maximum(C.handover_left[idx] - 1.0, 0.0)
        # satisfaction
        skill = np.where(valid, self.eff_skill[mgr0] + C.fit[idx], 0.3)
        if fx.operations_staff:
            skill = 0.5 * skill + 0.5 * fx.operations_skill
        skill = skill - C.skill_loss[idx]  # expertise a structure without specialists lacks
        req = C.m_requests[idx]
        on_time = np.divide(C.m_on_time[idx], req, out=np.ones(len(idx)), where=req > 0)
        complaints = C.m_complaints[idx]
        praise = C.m_praise[idx]
        target = satisfaction_target(
            lc, coverage, np.minimum(skill, 1.0), on_time, complaints, praise
        )
        sat = lc.satisfaction_memory * C.satisfaction[idx] + (1 - lc.satisfaction_memory) * target
        C.satisfaction[idx] = sat
        C.complaints[idx] += complaints
        C.praise[idx] += praise
        M.complaints[:nm] += per_manager(complaints).astype(np.int64)
        M.praise[:nm] += per_manager(praise).astype(np.int64)
        # lifecycle transitions
        mu, md = service_multipliers(lc, sat)
        new = move_stages(st, u[:, 0], self.p_up[st] * mu, self.p_down[st] * md)
        first, last = self.joined_now
        if last > first:  # customers who joined the book this month keep their stage till next
            joined = (idx >= first) & (idx < last)
            new[joined] = st[joined]
        up = (new != st) & (new == UP_TARGET[st])
        down = (new == DECLINE) & (st != DECLINE)
        lost = new == LOST
        C.stage[idx] = new
        M.upgrades[:nm] += np.bincount(mgr[valid & up], minlength=nm)[:nm]
        M.downgrades[:nm] += np.bincount(mgr[valid & down], minlength=nm)[:nm]
        C.lost_month[idx[lost]] = month + 1
        lost_count = np.bincount(mgr[lost & valid], minlength=nm)[:nm]
        M.customers_lost[:nm] += lost_count
        M.load[:nm] -= lost_count
        if self.record_events:
            for c in idx[up | down | lost]:
                self._log("stage_change", customer=int(c), manager=int(C.manager[c]),
                          detail=STATES[int(C.stage[c])])  # fmt: skip
        # manager time, pay and skills
        hunt_used = np.where(act, np.array(self.busy_hunt) * M.hunt_speed[:nm], 0.0)
        farm_used = np.where(act, farm_busy, 0.0) + maint_used
        worked = hunt_used + farm_used
        M.hours_worked[:nm] += worked
        M.hours_available[:nm] += farm_cap + hunt_cap
        pay = M.cost[:nm] * fx.pay_share
        if fx.charged_by_use:  # extended roles: reserved time and hours used, at main-job value
            pay = pay * fx.pay_factor(worked, farm_cap + hunt_cap)
        if sc.incentives.scheme == "deferred":
            count = customers_per_manager
            mean_sat = np.divide(
                per_manager(sat),
                count,
                out=np.full(nm, lc.satisfaction_reference),
                where=count > 0,
            )
            pay = pay * deferred_pay_factor(sc.incentives, mean_sat, lc.satisfaction_reference)
        pay = np.where(act, pay, 0.0)
        M.total_cost[:nm] += pay
        self._diffuse_skills()
        flows = MonthFlows(
            revenue=revenue, gross=gross, bad_debt=bad_debt, orders=orders,
            complaints=complaints, praise=praise, up=up, down=down, lost=lost, pay=pay,
            active=act, maint_used=maint_used, need_hours=need_hours, worked=worked,
            hunt_used=hunt_used, farm_used=farm_used, farm_cap=farm_cap, hunt_cap=hunt_cap,
        )  # fmt: skip
        self.rows.append(self._monthly_row(month, flows))

    def _monthly_row(self, month: int, f: MonthFlows) -> dict[str, Any]:
        """One row of the monthly table (columns documented in crmsim.sim.result)."""
        sc, C, st, fx = self.sc, self.C, self.tally, self.fx
        stage_now = C.stage[: C.n]
        counts = np.bincount(stage_now, minlength=5)
        alive = stage_now != LOST
        managers_active = int(f.active.sum())
        crm_cost = crm_monthly_cost(sc.crm, managers_active)
        gross_t, pay_t = float(f.gross.sum()), float(f.pay.sum())
        costs = pay_t + fx.fixed_costs + st.lead_cost + crm_cost + st.hiring_cost
        self.cost_hours.append((pay_t + fx.fixed_costs + crm_cost, float(f.worked.sum())))
        requests = st.requests
        hunt_cap, farm_cap = float(f.hunt_cap.sum()), float(f.farm_cap.sum())
        available = farm_cap + hunt_cap
        need_total = float(f.need_hours.sum())
        return {
            "month": month + 1,
            "date": month_start_date(self.start, month),
            "revenue": float(f.revenue.sum()),
            "gross_profit": gross_t,
            "bad_debt": float(f.bad_debt.sum()),
            "manager_cost": pay_t,
            "operations_cost": fx.operations_cost,
            "overhead": fx.monthly_overhead,
            "lead_cost": float(st.lead_cost),
            "crm_cost": float(crm_cost),
            "hiring_cost": float(st.hiring_cost),
            "net_contribution": gross_t - costs,
            "customers_exploration": int(counts[0]),
            "customers_formation": int(counts[1]),
            "customers_stability": int(counts[2]),
            "customers_decline": int(counts[3]),
            "active_customers": int(alive.sum()),
            "new_customers": int(st.new_customers),
            "lost_customers": int(f.lost.sum()) + int(st.defections),
            "defections": int(st.defections),
            "upgrades": int(f.up.sum()),
            "downgrades": int(f.down.sum()),
            "orders": int(f.orders.sum()),
            "complaints": int(f.complaints.sum()),
            "praise": int(f.praise.sum()),
            "mean_satisfaction": float(C.satisfaction[: C.n][alive].mean())
            if alive.any()
            else np.nan,
            "leads": int(st.leads),
            "service_requests": int(requests),
            "service_level": st.on_time / requests if requests else np.nan,
            "mean_response_days": st.response_sum / requests if requests else np.nan,
            "mean_wait_days": st.wait_sum / requests if requests else np.nan,
            "maintenance_coverage": float(f.maint_used.sum()) / need_total if need_total else 1.0,
            "managers_active": managers_active,
            "manager_utilisation": float(f.worked.sum()) / available if available else np.nan,
            "hunting_utilisation": float(f.hunt_used.sum()) / hunt_cap if hunt_cap else np.nan,
            "farming_utilisation": float(f.farm_used.sum()) / farm_cap if farm_cap else np.nan,
        }

    def _diffuse_skills(self) -> None:
        """Close part of each manager's gap to the top fifth (CRM templates, knowledge sharing)."""
        M = self.M
        rate = skill_diffusion_rate(self.sc.crm, self.fx.knowledge_sharing)
        act = np.flatnonzero(M.active[: M.n])
        if rate <= 0 or not len(act):
            return
        skills = M.skill[act]
        k = max(1, math.ceil(0.2 * len(act)))
        top = float(np.sort(skills)[-k:].mean())
        M.skill[act] = skills + rate * np.maximum(top - skills, 0.0)
