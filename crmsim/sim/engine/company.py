"""What the company profile does to each structure, and each customer's needs (domain.md §7).

The profile's parameters (business lines, need complexity, special expertise, confidentiality)
and their meaning are in :mod:`crmsim.sim.scenario.company`; :func:`contingency` turns them
into the structure's effects for one run, :func:`customer_needs` draws each customer's needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from crmsim.sim.scenario.company import CompanyParams
from crmsim.sim.scenario.structures import SUITABLE_CORE


@dataclass(frozen=True)
class Contingency:
    """What a company profile does to one structure: the effects the engine applies.

    Attributes
    ----------
    work_factor : float
        Multiplies the work time of every contact (service requests, maintenance, funnel steps).
    skill_shift : float
        Subtracted from every manager's effective skill (complex needs, uneven suitability).
    coordination_factor : float
        Multiplies the structure's coordination delay.
    line_wallet_factor : float
        Multiplies every customer's wallet: the other lines' business the structure captures,
        and the larger purchases of complex needs (``company.complexity_value``).
    expertise_wallet_factor, expertise_skill_shift : float
        Wallet multiplier and skill loss for customers needing special expertise.
    isolation_wallet_factor : float
        Wallet multiplier for customers needing confidentiality.
    operations_units : int
        Separate operations units (one per business line) when the structure has operations staff.
    """

    work_factor: float = 1.0
    skill_shift: float = 0.0
    coordination_factor: float = 1.0
    line_wallet_factor: float = 1.0
    expertise_wallet_factor: float = 1.0
    expertise_skill_shift: float = 0.0
    isolation_wallet_factor: float = 1.0
    operations_units: int = 1

    def wallet_factor(self, expertise: np.ndarray, confidential: np.ndarray) -> np.ndarray:
        """Per-customer wallet multiplier from the customers' needs (boolean arrays)."""
        factor = np.full(len(expertise), self.line_wallet_factor)
        factor = np.where(expertise, factor * self.expertise_wallet_factor, factor)
        return np.where(confidential, factor * self.isolation_wallet_factor, factor)

    def skill_loss(self, expertise: np.ndarray) -> np.ndarray:
        """Per-customer service-skill loss (the general shift plus the expertise gap)."""
        return self.skill_shift + np.where(expertise, self.expertise_skill_shift, 0.0)


def contingency(company: CompanyParams, structure, people: int = 0) -> Contingency:
    """Combine a company profile with a structure's parameters.

    *people* is the number of people doing account work (it matters only for a structure whose
    suitability declines as more staff must take customers: extended roles).

    Examples
    --------
    >>> from crmsim.sim.scenario.structures import StructureParams
    >>> simple = CompanyParams()
    >>> c = contingency(simple, StructureParams.preset("extended_roles"))
    >>> c.work_factor, c.skill_shift, c.line_wallet_factor, c.coordination_factor
    (1.0, 0.0, 1.0, 1.0)
    >>> broad = CompanyParams(business_lines=3, need_complexity=0.5)
    >>> c = contingency(broad, StructureParams.preset("dedicated_department"))
    >>> round(c.line_wallet_factor, 2), round(c.work_factor, 3), c.coordination_factor
    (2.41, 1.783, 1.2)
    >>> round(contingency(broad, StructureParams.preset("extended_roles")).work_factor, 3)
    2.047

    The further lines a structure sells raise its revenue (``other_line_wallet`` of the core
    wallet per line sold) and the work of every contact (``cross_line_work`` per line sold), and
    a customer buys from only a few lines (:meth:`CompanyParams.further_lines`).
    """
    extra_lines = company.business_lines - 1
    sold = company.further_lines() * structure.cross_line_reach
    cx = company.need_complexity
    cover = structure.expertise_coverage
    units = company.business_lines if structure.operations_staff_per_100 > 0 else 1
    return Contingency(
        work_factor=(1.0 + (company.complexity_work + structure.complexity_work_extra) * cx)
        * (1.0 + company.cross_line_work * sold),
        skill_shift=structure.complexity_skill_gap * cx
        + structure.suitability_decline * math.log2(max(people / SUITABLE_CORE, 1.0)),
        coordination_factor=1.0
        + company.coordination_per_line * extra_lines * (1.0 - structure.line_integration),
        line_wallet_factor=(1.0 + company.other_line_wallet * sold)
        * (1.0 + company.complexity_value * cx),
        expertise_wallet_factor=1.0 - company.expertise_wallet_loss * (1.0 - cover),
        expertise_skill_shift=company.expertise_skill_gap * (1.0 - cover),
        isolation_wallet_factor=1.0
        - company.confidential_wallet_loss * (1.0 - structure.isolation),
        operations_units=units,
    )


def customer_needs(
    u: np.ndarray, company: CompanyParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which customers need special expertise or confidentiality, and each one's business line.

    *u* holds three uniforms per customer (shape ``(n, 3)``), drawn by the engine from the
    ``"needs"`` stream, which no structure parameter touches, so every structure compared on one
    book sees the same customers with the same needs (common random numbers).

    Returns
    -------
    expertise, confidential : bool arrays of length *n*
    line : int array of length *n* (0 .. business_lines - 1), the line whose operations unit
        serves the customer

    Examples
    --------
    >>> u = np.array([[0.1, 0.9, 0.0], [0.6, 0.2, 0.99]])
    >>> e, c, line = customer_needs(u, CompanyParams(expertise_share=0.5, confidential_share=0.5,
    ...                                              business_lines=2))
    >>> e.tolist(), c.tolist(), line.tolist()
    ([True, False], [False, True], [0, 1])
    """
    u = np.asarray(u, dtype=float).reshape(-1, 3)
    expertise = u[:, 0] < company.expertise_share
    confidential = u[:, 1] < company.confidential_share
    lines = company.business_lines
    line = np.minimum((u[:, 2] * lines).astype(np.int64), lines - 1)
    return expertise, confidential, line
