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
from crmsim.sim.engine.team import Reorganisation, reorganisation
from crmsim.sim.scenario import Scenario
from crmsim.sim.streams import exponential_from_uniform


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
    coordination_share : float
        Share of service requests and agreements that need another department.
    coordination_delay_days : float
        Mean extra delay (exponential) of a request or agreement that needs another department.
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
        Pay for a reserved share of the account time and for the hours used, at their value in
        the main job (extended roles); month_end.py through :meth:`pay_factor`.
    reserved_share, main_job_value : float
        The reserved share charged whatever the use, and the value of a main-job hour relative
        to its pay (read with ``charged_by_use``).
    reorganisation : Reorganisation
        What moving from today's organisation costs in month 1 (training, hiring, severance)
        and who ramps up (crmsim.sim.engine.team).
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
    reserved_share: float = 1.0
    main_job_value: float = 1.0
    coordination_share: float = 1.0
    reorganisation: Reorganisation = Reorganisation()
    needs: Contingency = Contingency()

    @classmethod
    def from_scenario(
        cls, scenario: Scenario, n_customers: int, hours_per_day: float, people: int = 0,
        positions: int | None = None, mean_pay: float = 0.0,
    ) -> StructureEffects:  # fmt: skip
        """The effects of ``scenario.structure`` in ``scenario.company`` on a book of
        *n_customers* customers served by *people* account managers in *positions* account
        positions (default: *people*) of mean monthly cost *mean_pay*.

        The structure's own cost is its fixed part plus a part per position and per business
        line (:class:`~crmsim.sim.scenario.structures.StructureParams`).

        Examples
        --------
        >>> from crmsim.sim.scenario import Scenario
        >>> fx = StructureEffects.from_scenario(Scenario(), 200, 160 / 30.4375)
        >>> fx.work_multiplier, fx.fixed_costs == fx.monthly_overhead + fx.operations_cost
        (1.0, True)
        """
        st = scenario.structure
        positions = people if positions is None else positions
        needs = contingency(scenario.company, st, people)
        staff = st.operations_staff(n_customers)
        overhead = (
            st.monthly_overhead
            + st.overhead_per_position * positions
            + st.overhead_per_line * scenario.company.business_lines
        )
        return cls(
            account_time_share=float(st.time_share * (1.0 - st.main_job_priority)),
            work_multiplier=needs.work_factor,
            skill_spread=float(st.skill_spread),
            skill_shift=-needs.skill_shift,
            share_of_wallet_uplift=1.0,
            revenue_multiplier=needs.line_wallet_factor,
            pay_share=float(st.cost_share * (1.0 - st.main_job_priority)),
            monthly_overhead=float(overhead),
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
            reserved_share=float(st.reserved_share),
            main_job_value=float(st.main_job_value),
            coordination_share=float(st.coordination_share),
            reorganisation=reorganisation(scenario, positions, people, mean_pay),
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

    def pay_factor(self, worked: np.ndarray, available: np.ndarray) -> np.ndarray:
        """Share of each manager's charged pay the customer function bears this month: 1, or
        with ``charged_by_use`` the reserved share plus the share of account time used, at the
        value of a main-job hour (its opportunity cost).

        Examples
        --------
        >>> from crmsim.sim.scenario import Scenario
        >>> fx = StructureEffects.from_scenario(Scenario(structure="extended_roles"), 10, 5.0, 2)
        >>> fx.pay_factor(np.array([0.0, 50.0]), np.array([100.0, 100.0])).round(3).tolist()
        [0.24, 0.72]
        """
        if not self.charged_by_use:
            return np.ones(len(worked))
        used = np.divide(worked, available, out=np.zeros(len(worked)), where=available > 0)
        r = self.reserved_share
        return (r + (1.0 - r) * np.minimum(used, 1.0)) * self.main_job_value

    def coordination_delays(self, u: np.ndarray) -> np.ndarray:
        """Coordination delay (days) of requests or agreements with uniforms *u*: those with
        ``u < coordination_share`` need another department and wait an exponential time of mean
        ``coordination_delay_days``, read from the same uniform rescaled (so a changed share or
        mean moves each delay smoothly: common random numbers); the others wait nothing.

        Examples
        --------
        >>> from crmsim.sim.scenario import Scenario
        >>> fx = StructureEffects.from_scenario(Scenario(), 10, 5.0, 2)   # share 0.5, 1 day
        >>> fx.coordination_delays(np.array([0.1, 0.25, 0.9])).round(3).tolist()
        [0.223, 0.693, 0.0]
        """
        share = self.coordination_share
        if share <= 0.0 or self.coordination_delay_days <= 0.0:
            return np.zeros(np.shape(u))
        need = u < share
        scaled = np.where(need, u / share, 0.0)
        return np.where(need, exponential_from_uniform(scaled, self.coordination_delay_days), 0.0)

    def revenue_factor(self, count: int) -> np.ndarray:
        """(d) Revenue multiplier of each of *count* customers from the structure alone (the
        business lines it sells); the customers' own needs are in ``C.wallet_factor``."""
        return np.full(count, self.revenue_multiplier)
