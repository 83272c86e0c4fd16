"""Seasonality: month-of-year factors on what customers buy.

A business whose sales swing with the calendar (the Spring Festival dip in February, the school
season in August and September, year-end budgets in December) buys ``factors[month]`` times its
usual amount in that calendar month. The factors multiply every customer's monthly revenue (and
so gross profit); orders, stages and service are not seasonal in the model. Factors whose mean is
1 move revenue between months without changing the year's total.

Off by default (every factor 1): the synthetic books have no season. ``crmsim calibrate``
estimates the factors from a history (:mod:`crmsim.calibrate.estimate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crmsim.sim.scenario.params import FrozenMap, Params, param, section

#: Keys of the factors, January to December.
MONTHS: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip


@section("season")
@dataclass(frozen=True)
class SeasonParams(Params):
    """Month-of-year factors on customers' purchases (1 = no season)."""

    factors: FrozenMap = param(
        unit="multiplier",
        doc="Revenue in each calendar month relative to an average month (jan..dec); all 1 "
        "means no seasonality.",
        factory=lambda: FrozenMap({m: 1.0 for m in MONTHS}),
    )

    _maps = {"factors": (MONTHS, "number")}

    def _validate(self, prefix: str) -> None:
        self._map(prefix, "factors")

    def factor(self, month: int) -> float:
        """The factor of calendar month *month* (1 = January).

        Examples
        --------
        >>> SeasonParams(factors={**{m: 1.0 for m in MONTHS}, "feb": 0.7}).factor(2)
        0.7
        """
        return float(self.factors[MONTHS[month - 1]])

    def array(self) -> np.ndarray:
        """The twelve factors, January first."""
        return np.array([self.factors[m] for m in MONTHS], dtype=float)
