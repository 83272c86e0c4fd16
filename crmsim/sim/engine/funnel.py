"""The lead funnel: leads drawn at month start, each walking the nine development steps on its
manager's hunting desk, until it is won, lost, goes cold or is declined for credit.

A hunting desk serves one step at a time, first come first served, and a step's work
(``work_hours`` / the manager's hunting speed) is known when the lead gets the desk. So the
desk is a per-manager *free-at* time rather than a SimPy resource: a lead that asks at ``t``
gets the desk at ``start = max(t, free_at)`` and books it until ``start + work``. The lead
itself is a small story on the funnel's :class:`~crmsim.sim.engine.tasks.Agenda`, which wakes
it at the time it asked for (:meth:`Funnel._advance`, a state machine): wait for its turn (if
the desk is busy), then the work and the prospect's response, then pass or fail the step. Leads
contend for no SimPy resource and nothing waits for them, so they need no SimPy events; the
month clock runs the agenda up to each month end. Managers leave only at month starts, so a lead
whose turn comes in a later month waits for each month start and goes to a new manager if its
own has left.

A step that ends within the month it is worked in has its manager and chances fixed (both change
only at month starts), so its outcome is known when the lead books it: a lead that fails it, or
goes cold waiting for its turn, ends then, on the day it would have woken, without waking again
(a big run saves about a fifth of its wake-ups); its manager's open-lead count falls on that day
all the same (:meth:`Funnel._settle_endings`), so allocation sees the leads open at its moment.

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin).
"""

from __future__ import annotations

import array
import heapq
import math

import numpy as np

from crmsim.sim.engine.allocation import importance_class, wanted_specialty
from crmsim.sim.engine.book import SOLUTION, TYPE_INDEX
from crmsim.sim.engine.records import (
    ARRIVED,
    CHANCE,
    COLD,
    DECLINED,
    DELAY,
    LOST_LEAD,
    LUCK,
    MONTH,
    N_STEPS,
    OUTCOMES,
    PASS,
    PASSED,
    PATIENCE,
    RESPONDED,
    WAITING,
    WON,
    Lead,
    ended_columns,
    month_luck,
)
from crmsim.sim.scenario.funnel import CHANNEL_NAMES, STEP_NAMES
from crmsim.sim.scenario.lifecycle import EXPLORATION, STABILITY
from crmsim.sim.streams import exponential_from_uniform, normal_from_uniform, poisson_quantile

#: Uniforms per lead from the arrivals stream: time, quality, profile, wallet, manager pick.
ARRIVAL_COLUMNS = 5
#: Uniforms per lead from the funnel stream: per step (pass, duration, patience), coordination,
#: and one for picking a new manager if his leaves.
FUNNEL_COLUMNS = 3 * len(STEP_NAMES) + 2
_REFERRAL = CHANNEL_NAMES.index("referral")


class Funnel:
    """Leads through the development steps, on the managers' hunting desks."""

    def _schedule_leads(self, month: int) -> None:
        warm = self.sc.funnel.warm_start_months
        drawn = self._draw_leads("arrivals", "funnel", month, 1.0)
        if drawn is not None:
            self._start_leads(month, *drawn)
        if month == 0 and warm > 0:
            backlog = self._draw_leads("backlog", "backlog", 0, warm, funnel_key=1)
            if backlog is not None:
                self._start_leads(month, *backlog, backlog=warm)

    def _draw_leads(self, arrivals: str, funnel: str, month: int, months: float,
                    funnel_key: int | None = None,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:  # fmt: skip
        """Leads of *months* months from each channel, in arrival order: their channel, their
        arrival uniforms and their funnel uniforms (None if there are none)."""
        C = self.C
        n = C.n
        stable = np.flatnonzero(C.stage[:n] == STABILITY)
        blocks = []
        for ch_index, ch in enumerate(self.channels):
            rate = (self.channel_rate[ch_index] + ch.leads_per_stable_customer * len(stable)) \
                * months
            if rate <= 0:
                continue
            g = self.streams.generator(arrivals, ch_index, month)
            count = poisson_quantile(g.random(), rate)
            if count:
                ua = g.random((count, ARRIVAL_COLUMNS))
                key = month if funnel_key is None else funnel_key
                uf = self.streams.generator(funnel, ch_index, key).random((count, FUNNEL_COLUMNS))
                blocks.append((ch_index, ua, uf))
        if not blocks:
            return None
        channel = np.concatenate([np.full(len(b[1]), b[0]) for b in blocks])
        ua = np.concatenate([b[1] for b in blocks])
        uf = np.concatenate([b[2] for b in blocks])
        order = np.argsort(ua[:, 0], kind="stable")
        return channel[order], ua[order], uf[order]

    def _start_leads(self, month: int, channel: np.ndarray, ua: np.ndarray, uf: np.ndarray,
                     backlog: float = 0.0) -> None:  # fmt: skip
        """Profiles, managers and luck of drawn leads, which then start walking the steps.

        With *backlog* (months), the leads arrived that long before the run at most (their
        first arrival uniform gives how long); each has passed, with its own luck and its
        manager's chances now, the steps its durations allowed: one that failed a step or
        was won is gone (a customer won before the start is in the book), the others go on
        from the step they are in for what is left of it, paid for before the run (no lead cost
        this month), with month 0 and a negative arrival day in the lead table. The hunting
        desks' time in those months is not booked."""
        sc, C = self.sc, self.C
        stable = np.flatnonzero(C.stage[: C.n] == STABILITY)
        count = len(channel)
        if not backlog:
            self.tally.leads = count
            self.tally.lead_cost = float(self.channel_cost[channel].sum())
        # profiles: a referral copies a stable customer (the referrer), others a book customer
        quality_mean = self.channel_quality[channel]
        spread = self.channel_quality_spread[channel]
        quality = np.clip(quality_mean + spread * (ua[:, 1] - 0.5), 0.01, 0.99)
        referral = (channel == _REFERRAL) & (len(stable) > 0)
        pool_size = np.where(referral, len(stable), self.n_book)
        pick = np.minimum((ua[:, 2] * pool_size).astype(np.int64), np.maximum(pool_size - 1, 0))
        template = np.where(referral, stable[np.minimum(pick, max(len(stable) - 1, 0))]
                            if len(stable) else -1, pick)  # fmt: skip
        if self.n_book == 0:
            template = np.where(referral, template, -1)
        has = template >= 0
        tpl = np.maximum(template, 0)
        wallet = np.where(has, C.wallet[tpl], self.wallet_median)
        wallet = wallet * np.exp(sc.funnel.wallet_spread * normal_from_uniform(ua[:, 3]))
        ctype = np.where(has, C.ctype[tpl], TYPE_INDEX["small_business"])
        industry = np.where(has, C.industry[tpl], 0)
        mean6 = np.where(has, C.mean6[tpl], 3.0)
        grade = sc.credit.grade_codes(mean6)
        importance = importance_class(wallet, self.key_cut, self.regular_cut)
        spec = wanted_specialty(importance == 0, grade, SOLUTION[ctype])
        referrer_manager = np.where(referral & has, C.manager[tpl], -1)
        # step luck: durations (with the customer type's factor), patience, pass uniforms; the
        # funnel uniforms of step k are in columns 3k (pass), 3k + 1 (duration), 3k + 2 (patience)
        steps = 3 * N_STEPS
        days = self.step_days[None, :] * self.duration_factor[ctype][:, None]
        delays = exponential_from_uniform(uf[:, 1:steps:3], days)
        delays[:, self.agreement] += self.fx.coordination_delays(uf[:, steps])
        patience = exponential_from_uniform(uf[:, 2:steps:3], sc.funnel.patience_days)
        u_pass = uf[:, 0:steps:3]
        times = month * MONTH + ua[:, 0] * MONTH
        start_step = np.zeros(count, dtype=np.int64)
        cash_only = np.zeros(count, dtype=bool)
        if backlog:
            managers = self._allocate_leads(importance, industry, spec, referrer_manager, ua[:, 4])
            p_all = self._pass_probabilities(managers, quality, importance, industry, spec)
            age = ua[:, 0] * backlog * MONTH  # days before the start it arrived
            speed = np.array(self.hunt_speed_list)[np.maximum(managers, 0)]
            took = np.array(self.step_work)[None, :] / speed[:, None] + delays
            done = np.cumsum(took, axis=1)
            start_step = (done <= age[:, None]).sum(axis=1)
            # the step it is in goes on for what is left of it (its wait shortened)
            into = np.minimum(start_step, N_STEPS - 1)
            spent = age - np.take_along_axis(done, into[:, None], axis=1)[:, 0] \
                + took[np.arange(count), into]
            delays[np.arange(count), into] -= np.minimum(spent, took[np.arange(count), into])
            before = np.arange(N_STEPS)[None, :] < start_step[:, None]
            grade_d = (grade == 3) & (start_step > self.agreement)
            policy = sc.credit.grade_d_policy
            if policy == "cash_only":
                p_all[grade_d, self.agreement] *= sc.credit.cash_only_acceptance
                cash_only = grade_d
            failed = ((u_pass >= p_all) & before).any(axis=1)
            failed |= grade_d & (policy == "decline")
            keep = ~failed & (start_step < N_STEPS) & (managers >= 0)
            for m in managers[~keep & (managers >= 0)].tolist():
                self.open_leads[m] -= 1
            rows = np.flatnonzero(keep)
            count = len(rows)
            if not count:
                return
            channel, quality, ctype, industry, wallet, grade, mean6, importance, spec = (
                a[rows] for a in (channel, quality, ctype, industry, wallet, grade, mean6,
                                  importance, spec))  # fmt: skip
            delays, patience, u_pass, uf = delays[rows], patience[rows], u_pass[rows], uf[rows]
            managers, p_all = managers[rows], p_all[rows]
            start_step, cash_only = start_step[rows], cash_only[rows]
            times = np.zeros(count)
            first = self.L.extend(
                count, channel=channel, month=0, arrival_day=-age[rows], quality=quality,
                ctype=ctype, industry=industry, wallet=wallet, grade=grade, mean6=mean6,
                importance=importance, spec=spec, u_pick=uf[:, -1],
            )  # fmt: skip
        else:
            first = self.L.extend(
                count, channel=channel, month=month + 1, arrival_day=times, quality=quality,
                ctype=ctype, industry=industry, wallet=wallet, grade=grade, mean6=mean6,
                importance=importance, spec=spec, u_pick=uf[:, -1],
            )  # fmt: skip
            managers = self._allocate_leads(importance, industry, spec, referrer_manager,
                                            ua[:, 4])  # fmt: skip
            p_all = self._pass_probabilities(managers, quality, importance, industry, spec)
        self.L.manager[first : first + count] = managers
        luck = month_luck(delays, patience, u_pass, p_all)
        in_funnel, leads = self.in_funnel, []
        index = self.manager_index
        shared = [index[m] if m >= 0 else m for m in managers.tolist()]
        # (Python lists, not numpy scalars, read lead by lead)
        for j, (m, cash, k) in enumerate(zip(shared, cash_only.tolist(), start_step.tolist(),
                                             strict=True)):  # fmt: skip
            lead = Lead()
            lead.id = first + j
            lead.luck = luck
            lead.row = j * N_STEPS * LUCK
            lead.cash_only = cash
            lead.fit_manager = -1
            lead.fit = 0.0
            lead.k = k
            lead.manager = m
            lead.p_manager, lead.p_month = m, month
            lead.phase = ARRIVED
            in_funnel[lead.id] = lead
            leads.append(lead)
        self.agenda.start_all(times, leads)

    def _reprice_open_leads(self, month: int) -> None:
        """At month start, the pass probabilities of the leads still in the funnel with their
        managers as they are this month (skills change from month to month), in numpy for all
        of them at once, as for new leads. A lead whose manager has left gets a new one when
        it next wakes, and its chances are then worked out step by step. The chances are
        written into each lead's luck (:func:`month_luck`), in place of last month's."""
        active, L = self.active_list, self.L
        managers, ids, rows, lucks, starts = [], [], [], [], []
        last = None
        for lead in self.in_funnel.values():  # (one pass: a big run has tens of thousands)
            m = lead.manager
            if m < 0 or not active[m]:
                continue
            lead.p_manager = m
            lead.p_month = month
            if lead.luck is not last:  # the leads of one month of arrival share their luck
                last = lead.luck
                lucks.append(last)
                starts.append(len(ids))
            managers.append(m)
            ids.append(lead.id)
            rows.append(lead.row)
        if not ids:
            return
        i = np.array(ids)
        p = self._pass_probabilities(
            np.array(managers), L.quality[i], L.importance[i], L.industry[i], L.spec[i]
        )
        row = np.array(rows) // (N_STEPS * LUCK)
        for luck, a, b in zip(lucks, starts, [*starts[1:], len(ids)], strict=True):
            luck.obj.reshape(-1, N_STEPS, LUCK)[row[a:b], :, CHANCE] = p[a:b]

    def _pass_probabilities(self, managers: np.ndarray, quality: np.ndarray,
                            importance: np.ndarray, industry: np.ndarray,
                            spec: np.ndarray) -> np.ndarray:  # fmt: skip
        """Pass probability at every step (columns) of each lead (rows) with the given managers
        this month: the vectorised :meth:`_pass_probability`."""
        base, fixed = self.step_base_array, self.step_fixed
        M, m = self.M, np.maximum(managers, 0)
        matches = (
            (M.tier[m] == importance).astype(int)
            + (M.industry[m] == industry)
            + (M.specialty[m] == spec)
        )
        fit = self.fit_bonus * matches
        # the log-odds, then 1 / (1 + exp(-x)), worked in place (one table of leads x steps)
        x = (
            self.step_logit_array[None, :]
            + (self.skill_effect * (self.eff_skill[m] + fit - 0.7))[:, None]
        )
        x += (self.quality_effect * (quality - 0.5))[:, None]
        x += self.step_push_array[None, :]
        np.exp(np.negative(x, out=x), out=x)
        x += 1.0
        p = np.divide(1.0, x, out=x)
        p[:, fixed] = base[fixed]
        return p

    def _lead_manager(self, lead: Lead) -> int:
        """The lead's manager, reallocating the lead if he has left."""
        m = lead.manager
        if m >= 0 and self.active_list[m]:
            return m
        if m >= 0:
            self.open_leads[m] -= 1
        self._settle_endings(self.agenda.now)
        L, i = self.L, lead.id
        m = self._allocate(
            importance=int(L.importance[i]),
            industry=int(L.industry[i]),
            spec=int(L.spec[i]),
            for_lead=True,
            u=float(L.u_pick[i]),
        )
        if m >= 0:
            m = self.manager_index[m]  # (the shared object, see _start_leads)
        lead.manager = m
        self.L.manager[lead.id] = m
        if m >= 0:
            self.open_leads[m] += 1
        return m

    def _end_lead(self, lead: Lead, outcome: int, step: int, day: float = -1.0) -> None:
        """The lead leaves the funnel, now or on *day* later in this month (its outcome known
        now, see :meth:`_advance`): until that day it still counts among its manager's open leads
        (:meth:`_settle_endings`). Its record is written with the others at the month's end
        (:meth:`_record_ended_leads`)."""
        i = lead.id
        now = self.agenda.now
        if day < now:
            day = now
        # out of the funnel now, while the lead is in the processor's cache: it goes as its
        # story ends (a big run ends over a million leads)
        del self.in_funnel[i]
        ended = self.ended_leads  # four compact columns (array.array), not a tuple per lead
        ended[0].append(i)
        ended[1].append(outcome)
        ended[2].append(step)
        ended[3].append(day)
        if lead.manager >= 0:
            if day > now:  # (by day, as the agenda keeps its stories)
                bucket = self.ending.get(int(day))
                if bucket is None:
                    self.ending[int(day)] = bucket = (array.array("d"), array.array("i"))
                    heapq.heappush(self.ending_days, int(day))
                bucket[0].append(day)
                bucket[1].append(lead.manager)
            else:
                self.open_leads[lead.manager] -= 1
        if self.record_events:
            self._log(f"lead_{OUTCOMES[outcome]}", manager=lead.manager, lead=i,
                      detail=STEP_NAMES[step], day=day)  # fmt: skip

    def _settle_endings(self, until: float) -> None:
        """Take the leads that ended before *until* (their outcome known earlier, see
        :meth:`_end_lead`) off their managers' open leads: the counts lead allocation reads are
        those of the time it allocates. Leads are reallocated mid-month only when their manager
        has left, so this runs then, and at each month start; the endings wait by day (the
        day's times and managers in two compact columns), so it looks only at the days gone by
        and the entries of today."""
        ending, days = self.ending, self.ending_days
        if not ending:
            return
        open_leads, done = self.open_leads, []
        everything = until >= self.month_end_day  # (at a month start)
        cut = int(until)
        while days and (everything or days[0] < cut):
            done.append(ending.pop(heapq.heappop(days))[1])
        today = ending.get(cut)
        if today is not None and not everything:
            times = np.frombuffer(today[0], dtype=np.float64)
            before = times < until
            if before.any():
                managers = np.frombuffer(today[1], dtype=np.intc)
                done.append(managers[before])
                later = ~before
                ending[cut] = rest = (array.array("d"), array.array("i"))
                rest[0].frombytes(times[later].tobytes())
                rest[1].frombytes(managers[later].tobytes())
        for managers in done:
            for m in managers:
                open_leads[m] -= 1

    def _record_ended_leads(self) -> None:
        """Outcome, last step, steps passed and end day of the leads that ended since last
        time into the lead table (at each month start, and when the run ends); each left the
        funnel as it ended (:meth:`_end_lead`)."""
        L = self.L
        if len(self.ended_leads[0]):
            ids, outcomes, steps, days = self.ended_leads
            i = np.frombuffer(ids, dtype=np.intc).astype(np.int64)
            outcome = np.frombuffer(outcomes, dtype=np.int8)
            step = np.frombuffer(steps, dtype=np.int8)
            day = np.frombuffer(days, dtype=np.float64)
            L.outcome[i] = outcome
            L.last_step[i] = step
            L.steps_passed[i] = np.where(outcome == WON, N_STEPS, step)
            L.end_day[i] = day
            self.ended_leads = ended_columns()

    def _write_lead_records(self) -> None:
        """The lead table as the run ends: the leads that ended as they ended, the open ones at
        the step they are in."""
        self._record_ended_leads()
        L = self.L
        for lead in self.in_funnel.values():
            L.last_step[lead.id] = L.steps_passed[lead.id] = lead.k

    def _lead_fit(self, lead: Lead, m: int) -> float:
        """Fit bonus of *lead* with manager *m* (tier, industry and specialty matches), kept
        on the lead until its manager changes."""
        if lead.fit_manager != m:
            L, i = self.L, lead.id
            lead.fit = self._fit_with(m, L.importance[i], L.industry[i], L.spec[i])
            lead.fit_manager = m
        return lead.fit

    def _pass_probability(self, lead: Lead, k: int, m: int) -> float:
        """Chance that manager *m* takes *lead* through step *k* (see funnel.pass_probability)."""
        base = self.step_base[k]
        if self.fixed_probabilities or base <= 0.0 or base >= 1.0:
            return base
        self._lead_fit(lead, m)
        x = (
            self.step_logit[k]
            + self.skill_effect * (self.eff_list[m] + lead.fit - 0.7)
            + self.quality_effect * (float(self.L.quality[lead.id]) - 0.5)
            + self.step_push[k]
        )
        return 1.0 / (1.0 + math.exp(-x))

    def _advance(self, lead: Lead) -> float | None:
        """Walk *lead* on from where it stopped, now, up to the time it must wait for; return
        that time (None once it has left the funnel). The agenda calls it at each wake-up.

        At each step the lead asks for its manager's hunting desk; if its turn comes later than
        its patience it has gone cold; otherwise the manager works the step (booking the desk
        for the work), the prospect takes its time to respond, and the step is passed or the
        lead is lost. Where it stopped is ``lead.phase``: :data:`ARRIVED` (it has not asked
        yet), :data:`WAITING` (its turn at the desk comes after a month start, at
        ``lead.start``; its manager may leave before), :data:`RESPONDED` (the response to step
        ``lead.k`` is due now, judged now: it ended in a later month than it was worked in) or
        :data:`PASSED` (it passed step ``lead.k``, judged when booked, and asks for the next).

        A small state machine rather than a generator: a big run keeps tens of thousands of
        leads waiting, and a generator's frame is several cache lines of memory the processor
        has forgotten by the time the lead wakes; the lead's own few fields are one or two.
        """
        # (from one tuple: each of millions of wake-ups sets these up)
        clock, active, limited, free_at, speed, step_work, patience_on, agreement = self.lead_env
        now = clock.now  # the time it asked to wake at
        m = lead.manager
        k = lead.k
        phase = lead.phase
        if phase == PASSED:
            k += 1
            phase = ARRIVED  # (below: a step it has yet to ask for)
        elif phase == ARRIVED:
            if self.record_events:
                self._log("lead_arrived", manager=m, lead=lead.id)
            if m < 0 or not active[m]:  # (at later steps he is checked as the lead wakes)
                m = self._lead_manager(lead)
                if m < 0:  # nobody left to work it
                    self._end_lead(lead, LOST_LEAD, 0)
                    return None
        elif phase == RESPONDED and not active[m]:  # (managers leave only at month starts)
            m = self._lead_manager(lead)
            if m < 0:
                self._end_lead(lead, LOST_LEAD, k)
                return None
        luck, row = lead.luck, lead.row  # its luck at step k: from item row + LUCK * k
        month_end = self.month_end_day
        while k < N_STEPS:
            r = row + LUCK * k
            early = False
            if phase != RESPONDED:
                if phase == ARRIVED:  # a new step: it asks for the desk now
                    lead.k = k  # the step the lead is in, if the run ends now
                    work = step_work[k] / speed[m]
                    start = now
                    ask = limited
                else:  # WAITING: its turn came after a month start, if he is still there
                    start, work, cold = lead.start, lead.work, lead.cold
                    if start >= month_end and active[m]:
                        return month_end  # (not yet: another month start)
                    ask = not active[m]
                    if ask:  # he left while the lead waited: it asks its new manager
                        m = self._lead_manager(lead)
                        if m < 0:
                            self._end_lead(lead, LOST_LEAD, k)
                            return None
                        work = step_work[k] / speed[m]
                if ask:
                    start = free_at[m]
                    if start <= now:  # desk free: worked at once
                        start, cold = now, False
                        free_at[m] = start + work
                    else:
                        # desk busy: its turn comes at start (gone cold if past its patience)
                        cold = patience_on and start - now > luck[r + PATIENCE]
                        free_at[m] = start if cold else start + work
                        if start >= month_end:  # he may leave at the month start
                            lead.phase = WAITING
                            lead.start, lead.work, lead.cold = start, work, cold
                            return month_end
                if limited and cold:  # (its turn comes in this month: it ends then)
                    self._end_lead(lead, COLD, k, start)
                    return None
                if work > 0:
                    if start + work <= month_end:  # all of it in this month (inline: hot)
                        self.busy_hunt[m] += work
                    else:
                        self._add_busy(False, m, start, work)
                # one wake-up for the wait, the work and the prospect's response
                wait = start - now + work + luck[r + DELAY]
                if wait > 0:
                    now += wait
                    # a step that ends in this month has the manager and chances of now
                    # (managers leave, and chances change, only at month starts): its outcome
                    # is known now, and a lead that fails it ends without waking again, on the
                    # day it would have woken (:meth:`_end_lead`); one that passes wakes then
                    # for the next step
                    early = now < month_end and luck[r + DELAY] > 0
                    if not early:
                        lead.phase = RESPONDED
                        return now
            if m == lead.p_manager and self.month == lead.p_month:
                p = luck[r + CHANCE]
            else:
                p = self._pass_probability(lead, k, m)
            if k == agreement and self.L.grade[lead.id] == 3:
                policy = self.sc.credit.grade_d_policy
                if policy == "decline":
                    self._end_lead(lead, DECLINED, k, now)
                    return None
                if policy == "cash_only":
                    p *= self.sc.credit.cash_only_acceptance
                    lead.cash_only = True
            if luck[r + PASS] >= p:
                self._end_lead(lead, LOST_LEAD, k, now)
                return None
            if early:
                lead.phase = PASSED
                return now
            k += 1
            phase = ARRIVED
        self._win(lead)
        return None

    def _win(self, lead: Lead) -> None:
        C, M, L, i = self.C, self.M, self.L, lead.id
        m = lead.manager
        self._end_lead(lead, WON, N_STEPS - 1)
        wallet = float(L.wallet[i])
        c = C.append(  # its needs are drawn at month end (_settle_won)
            stage=EXPLORATION,
            initial_stage=EXPLORATION,
            wallet=wallet,
            size=self._size_of(wallet),
            ctype=L.ctype[i],
            industry=L.industry[i],
            channel=L.channel[i],
            grade=L.grade[i],
            mean6=L.mean6[i],
            importance=L.importance[i],
            cash_only=lead.cash_only,
            manager=m,
            since_day=self.agenda.now,
            won_month=self.month + 1,
            satisfaction=self._new_customer_satisfaction(),
        )
        self.customer_ids.append(f"N{c - self.n_book + 1:05d}")
        self.L.customer[lead.id] = c
        M.load[m] += 1
        M.new_customers[m] += 1
        C.fit[c] = self._lead_fit(lead, m)  # the customer keeps the fit it had as a lead
        self.won.append((c, lead.id))
        self.tally.new_customers += 1
        self._log("customer_won", customer=c, manager=m, lead=lead.id)

    def _settle_won(self) -> None:
        """Needs of the customers won this month, set together at month end (before the
        month-end accounts, which count only the customers there at month start: a new
        customer first buys and asks for service in the next month). Each customer's needs come
        from its own key of the "needs" stream, its lead's id, so they are the same whatever
        else happened in the month (common random numbers)."""
        if not self.won:
            return
        customers, lead_ids = zip(*self.won, strict=True)
        u = [self.streams.generator("needs", 1, i).random((1, 3)) for i in lead_ids]
        self._set_needs(np.array(customers), np.concatenate(u))
        self.won = []
