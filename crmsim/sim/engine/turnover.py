"""Turnover at month start: scheduled hires join, managers leave (monthly hazard, or the star
in the star-leaves month), their customers defect or are handed over to a new manager.

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin).
"""

from __future__ import annotations

import numpy as np

from crmsim.sim.engine.allocation import wanted_specialty
from crmsim.sim.engine.book import SOLUTION
from crmsim.sim.scenario.lifecycle import LOST
from crmsim.sim.scenario.turnover import TurnoverParams
from crmsim.terms import STAGES, TIERS


class Turnover:
    """Hiring, leaving, defection and handover."""

    def _hire_due(self, month: int) -> None:
        sc = self.sc
        for hire in [h for h in self.pending_hires if h["month"] == month]:
            i = self._add_manager(
                hire["id"],
                tier=TIERS.index("junior"),
                specialty=hire["specialty"],
                industry=hire["industry"],
                raw_skill=hire["skill"],
                cost=sc.team.hire_monthly_cost,
                hired_month=month + 1,
                ramp_from=month,
            )
            self.tally.hiring_cost += sc.turnover.hiring_cost
            self._log("manager_hired", manager=i)
        self.pending_hires = [h for h in self.pending_hires if h["month"] != month]

    def _turnover(self, month: int) -> None:
        sc, M = self.sc, self.M
        self._hire_due(month)
        n = M.n
        u = self.streams.generator("turnover", month, 0).random(n)
        leavers = [int(i) for i in np.flatnonzero(M.active[:n] & (u < sc.turnover.monthly_hazard))]
        star = -1
        if sc.turnover.star_leaves_month == month + 1:
            act = np.flatnonzero(M.active[:n])
            if len(act):
                star = int(act[np.lexsort((-M.load[act], -M.skill[act]))[0]])
                if star not in leavers:
                    leavers.append(star)
        if leavers:
            leavers.sort()
            u_def = self.streams.generator("turnover", month, 1).random(self.C.n)
            u_hire = self.streams.generator("turnover", month, 2).random(len(leavers))
            low, high = sc.team.hire_skill_low, sc.team.hire_skill_high
            for k, m in enumerate(leavers):
                self._leave(m, month, star=(m == star), u_def=u_def)
                self.hire_counter += 1
                self.pending_hires.append(
                    {
                        "month": month + sc.turnover.vacancy_months,
                        "id": f"H{self.hire_counter:03d}",
                        "specialty": int(M.specialty[m]),
                        "industry": int(M.industry[m]),
                        "skill": low + (high - low) * float(u_hire[k]),
                    }
                )
            self._hire_due(month)  # replacements with no vacancy join at once
        self._reassign_orphans()

    def _leave(self, m: int, month: int, *, star: bool, u_def: np.ndarray) -> None:
        sc, M, C = self.sc, self.M, self.C
        M.active[m] = False
        self.active_list[m] = False
        self.team_version += 1
        M.left_month[m] = month + 1
        M.star[m] = star
        self._log("manager_left", manager=m, detail="star" if star else "")
        mine = np.flatnonzero((C.manager[: C.n] == m) & (C.stage[: C.n] != LOST))
        if not len(mine):
            return
        years = np.maximum((self.env.now - C.since_day[mine]) / 365.25, 0.0)
        p = defection_probability(
            sc.turnover,
            star=star,
            adoption=sc.crm.adoption,
            retention_effect=sc.crm.retention_effect,
            structure_factor=self.fx.defection_factor,
            stage=C.stage[mine],
            years_with_manager=years,
        )
        gone = mine[u_def[mine] < p]
        C.stage[gone] = LOST
        C.lost_month[gone] = month + 1
        C.defected[gone] = True
        M.load[m] -= len(gone)
        M.lost_when_left[m] += len(gone)
        M.customers_lost[m] += len(gone)
        self.tally.defections += len(gone)
        for c in gone:
            self._log("defection", customer=int(c), manager=m)

    def _reassign_orphans(self) -> None:
        """Give every active customer whose manager has gone to a new one (with a handover).

        Customers lose their manager only when he leaves, so once every customer has one the
        check waits for the next change of team (``team_version``)."""
        if self.team_checked == self.team_version:
            return
        C, M = self.C, self.M
        n = C.n
        mgr = C.manager[:n]
        alive = C.stage[:n] != LOST
        orphan = alive & ((mgr < 0) | ~M.active[np.maximum(mgr, 0)])
        if not orphan.any():
            self.team_checked = self.team_version
            return
        if not M.active[: M.n].any():
            return  # nobody to hand them to: they wait for a hire
        relationship = self.sc.allocation.rule == "by_relationship"
        handover = self.sc.crm.handover()
        orphans = np.flatnonzero(orphan)
        specs = wanted_specialty(
            C.importance[orphans] == 0, C.grade[orphans], SOLUTION[C.ctype[orphans]]
        )
        for c, spec in zip(orphans.tolist(), specs.tolist(), strict=True):
            network = None
            if relationship:
                same = alive & (C.industry[:n] == C.industry[c]) & (mgr >= 0)
                network = np.bincount(mgr[same], minlength=M.n)[: M.n]
            m = self._allocate(
                importance=int(C.importance[c]),
                industry=int(C.industry[c]),
                spec=spec,
                for_lead=False,
                network=network,
            )
            old = int(C.manager[c])
            if old >= 0:
                M.load[old] -= 1
            C.manager[c] = m
            M.load[m] += 1
            C.fit[c] = self._fit_of(c, m, spec)
            C.since_day[c] = self.env.now
            C.handover_left[c] = handover
            self._log("reassigned", customer=int(c), manager=m)
        self.team_checked = self.team_version


def defection_probability(
    params: TurnoverParams,
    *,
    star: bool,
    adoption: float,
    retention_effect: float,
    structure_factor: float,
    stage: np.ndarray,
    years_with_manager: np.ndarray,
) -> np.ndarray:
    """Per-customer defection probability when their manager leaves (clipped to [0, 1]).

    Examples
    --------
    >>> p = defection_probability(TurnoverParams(), star=True, adoption=0.0,
    ...     retention_effect=0.7, structure_factor=1.0, stage=np.array([1]),
    ...     years_with_manager=np.array([0.0]))
    >>> round(float(p[0]), 3)
    0.45
    """
    base = params.star_defection if star else params.leaver_defection
    stage_f = np.array([params.stage_factor[s] for s in STAGES] + [0.0])[stage]
    length_f = np.minimum(params.length_cap, 1.0 + params.length_per_year * years_with_manager)
    p = base * (1.0 - retention_effect * adoption) * structure_factor * stage_f * length_f
    return np.clip(p, 0.0, 1.0)
