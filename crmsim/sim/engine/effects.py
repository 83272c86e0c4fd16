"""How the account-manager structure acts on the model: one record, built once at set-up.

Every effect of the structure (domain.md §7) flows through :class:`StructureEffects`; the rest of
the engine reads this record, never ``scenario.structure`` directly. Adding a mechanism of the
company profile (size, business lines, need complexity...) therefore means changing
:meth:`StructureEffects.from_scenario` and, if it is a new kind of effect, adding one field here
and reading it in the one place named in its description.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from crmsim.sim.engine.company import Contingency, contingency
from crmsim.sim.scenario import Scenario


@dataclass(frozen=True, slots=True)
class StructureEffects:
    """The structure's effects on capacity, work, skill, revenue and costs.

    Attributes
    ----------
    account_time_share : float
        (a) Share of a manager's working time available for account work (before CRM data
        entry); read in book.py when a manager's desk speeds are set.
    work_multiplier : float
        (b) Multiplier on the work time of every contact (funnel step, service request,
        maintenance contact); read in book.py (desk speeds).
    skill_spread : float
        (c) Spread of skills around the team mean (1 = as in the book); read in book.py.
    skill_shift : float
        (c) Shift added to every manager's skill (pass probabilities and service quality);
        read in book.py.
    share_of_wallet_uplift : float
        (d) Multiplier on every customer's share of wallet (cross-selling); read in month_end.py.
    revenue_multiplier : float
        (d) Multiplier on every customer's monthly revenue; read in month_end.py through
        :meth:`revenue_factor`.
    pay_share : float
        Share of a manager's monthly cost charged to customer work; read in month_end.py.
    monthly_overhead, operations_cost : float
        (e) Fixed costs per month (CNY): the structure's overhead and its operations staff.
    ramp_up_months : float
        Months a new manager needs to reach full skill; read in book.py.
    knowledge_sharing : float
        Monthly share of the gap to the top fifth closed by sharing; read in month_end.py.
    coordination_delay_days : float
        Mean extra delay (exponential) at agreement and after each service request.
    defection_factor : float
        Multiplier on the chance that a departing manager's customers follow him (turnover.py).
    operations_staff : int
        Size of the operations pool (0: requests go to the customer's own manager).
    operations_speed : float
        Hours of request work per day of one operations desk.
    operations_skill : float
        Skill of the operations staff.
    operations_unit_sizes : tuple of int
        Staff of each operations unit (queue), one unit per business line; empty without
        operations staff. Set by :meth:`with_operations_units`.
    charged_by_use : bool
        Pay only for the share of account time actually used (extended roles); month_end.py.
    start_training_cost : float
        One-off training charged in month 1 when the firm adopts the structure (CNY).
    needs : Contingency
        What the company profile does to this structure (crmsim.sim.scenario.company); per-customer
        wallet factors and skill losses are drawn from it in book.py and funnel.py.
    """

    account_time_share: float
    work_multiplier: float
    skill_spread: float
    skill_shift: float
    share_of_wallet_uplift: float
    revenue_multiplier: float
    pay_share: float
    monthly_overhead: float
    operations_cost: float
    ramp_up_months: float
    knowledge_sharing: float
    coordination_delay_days: float
    defection_factor: float
    operations_staff: int
    operations_speed: float
    operations_skill: float
    operations_unit_sizes: tuple[int, ...] = ()
    charged_by_use: bool = False
    start_training_cost: float = 0.0
    needs: Contingency = Contingency()

    @classmethod
    def from_scenario(
        cls, scenario: Scenario, n_customers: int, hours_per_day: float, people: int = 0
    ) -> StructureEffects:
        """The effects of ``scenario.structure`` in ``scenario.company`` on a book of
        *n_customers* customers served by *people* account managers.

        Examples
        --------
        >>> from crmsim.sim.scenario import Scenario
        >>> fx = StructureEffects.from_scenario(Scenario(), 200, 160 / 30.4375)
        >>> fx.work_multiplier, fx.fixed_costs == fx.monthly_overhead + fx.operations_cost
        (1.0, True)
        """
        st = scenario.structure
        needs = contingency(scenario.company, st, people)
        staff = st.operations_staff(n_customers)
        trained = scenario.team.trained_at_start
        return cls(
            account_time_share=float(st.time_share),
            work_multiplier=needs.work_factor,
            skill_spread=float(st.skill_spread),
            skill_shift=-needs.skill_shift,
            share_of_wallet_uplift=1.0,
            revenue_multiplier=needs.line_wallet_factor,
            pay_share=float(st.cost_share),
            monthly_overhead=float(st.monthly_overhead),
            operations_cost=float(staff * st.operations_monthly_cost)
            + (st.operations_unit_cost if staff else 0.0),
            ramp_up_months=float(st.ramp_up_months),
            knowledge_sharing=float(st.knowledge_sharing),
            coordination_delay_days=float(st.coordination_delay_days)
            * needs.coordination_factor,
            defection_factor=float(st.defection_factor),
            operations_staff=int(staff),
            operations_speed=float(hours_per_day * st.operations_speed) / needs.work_factor,
            operations_skill=float(st.operations_skill),
            charged_by_use=bool(st.charged_by_use),
            start_training_cost=0.0 if trained else float(st.training_cost) * people,
            needs=needs,
        )

    def with_operations_units(self, customers_per_line: np.ndarray, structure) -> StructureEffects:
        """The operations pool split into one unit per business line, each staffed for its own
        customers (rounded up) and paying its own unit cost: weak economies of scale (§7)."""
        if not self.operations_staff:
            return self
        units = tuple(structure.operations_staff(int(k)) for k in customers_per_line)
        staff = sum(units)
        return replace(
            self,
            operations_staff=staff,
            operations_unit_sizes=units,
            operations_cost=staff * structure.operations_monthly_cost
            + len(units) * structure.operations_unit_cost,
        )

    @property
    def fixed_costs(self) -> float:
        """(e) Fixed costs of the structure per month (CNY)."""
        return self.monthly_overhead + self.operations_cost

    def revenue_factor(self, count: int) -> np.ndarray:
        """(d) Revenue multiplier of each of *count* customers from the structure alone (the
        business lines it sells); the customers' own needs are in ``C.wallet_factor``."""
        return np.full(count, self.revenue_multiplier)
