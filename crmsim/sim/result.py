"""The result of one simulation: tidy tables and metadata.

Tables (pandas DataFrames, one row per observation):

``monthly`` — one row per month (1 = first):
    month, date (first day of the month), revenue, gross_profit, bad_debt (CNY), manager_cost,
    operations_cost, overhead, lead_cost, crm_cost, hiring_cost, net_contribution (gross profit
    minus all costs), customers_exploration, customers_formation, customers_stability,
    customers_decline (end of month), active_customers, new_customers, lost_customers (all losses,
    including defections), defections (customers who left with a departing manager), upgrades
    (moves up a stage, including recovery), downgrades (moves into decline), orders, complaints,
    praise, mean_satisfaction (active customers), leads, service_requests, service_level (share of
    requests resolved within service.response_target_days; NaN without requests),
    mean_response_days, mean_wait_days (queueing for a server), maintenance_coverage (share of
    needed maintenance contacts made), managers_active, manager_utilisation (hours worked on
    customers / customer hours available; with ``capacity="unlimited"`` it is the offered load
    and can exceed 1), hunting_utilisation, farming_utilisation.

``managers`` — one row per account manager who worked in the run (the KPIs of domain.md §7):
    manager_id, tier, specialty, industry_focus, hired_month (0 = in the initial team),
    left_month (NaN if still there), star (left in the star-leaves event), skill_start, skill_end,
    customers_start, customers_end, new_customers, customers_lost, customers_lost_when_left,
    revenue (spend of his customers), share_of_sales, orders, purchase_frequency (orders per
    customer-month), upgrades, downgrades, complaints, praise, service_requests, utilisation,
    cost.

``funnel`` — one row per channel and step: channel, step, step_number, entries, passes, losses
    (all losses at the step), lost_cold (waited too long for the manager), declined_credit
    (grade D declined at agreement), still_open (in the step at the end), pass_rate.

``leads`` — one row per lead: lead_id, channel, month, arrival_day, quality, customer_type,
    industry_group, annual_wallet, credit_grade, manager_id (who worked it last), outcome (won,
    lost, cold, declined_credit, open), last_step (step where it ended, or where it is if still
    open), steps_passed, end_day, days_in_funnel, customer_id (if won).

``customers`` — one row per customer (initial book and won): customer_id, origin (book/won),
    channel, customer_type, industry_group, annual_wallet, credit_grade, cash_only, manager_id
    (at the end or when lost), initial_stage, stage (at the end), won_month, lost_month,
    months_active, revenue, gross_profit, orders, satisfaction, complaints, praise,
    service_requests, defected.

``events`` — only with ``record_events=True``: day, month, event, customer_id, manager_id,
    lead_id, detail.

``meta`` — a dict: crmsim_version, scenario_name, scenario_hash, seed (entropy and spawn key),
    months, book_note, n_customers_start, n_managers_start, operations_staff,
    customer_equity_start and customer_equity_end (CNY: the active book's customer equity at the
    start and at the horizon, :mod:`crmsim.sim.engine.equity`), discount_factor (monthly),
    reorganisation_cost (CNY charged in month 1 for moving from today's organisation),
    findings (the plausibility guard's findings as tuples, :mod:`crmsim.sim.plausibility`),
    runtime_seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmsim.sim.kpis import compute_kpis


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Tables of one simulated replication (see the module docstring for the columns)."""

    monthly: pd.DataFrame
    managers: pd.DataFrame
    funnel: pd.DataFrame
    leads: pd.DataFrame
    customers: pd.DataFrame
    events: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def kpis(self) -> dict[str, float]:
        """Headline figures of the run, as used by :func:`~crmsim.sim.experiments.compare`:
        every KPI of the registry :data:`crmsim.sim.kpis.KPIS`, by name, in display order
        (revenue, gross_profit, net_contribution, new_customers, lost_customers, defections,
        active_customers_end, retention, service_level, mean_satisfaction, complaints, praise,
        manager_utilisation, conversion, open_leads_end; see each KPI's description there).
        """
        return compute_kpis(self)
