"""Customer value as the yardstick of a choice (客户价值, 客户资产; domain.md §1 and §12).

A relationship is an asset (domain.md §1: customer value has a *potential* part). A choice that
earns more inside a planning horizon by losing customers has spent part of that asset, so the
options are ranked on the **value they create**:

    value created = discounted net contribution over the horizon
                    + discounted customer equity of the book left at the horizon
                    - customer equity of the book at the start

Customer equity is the sum of the customers' lifetime values (Blattberg & Deighton 1996, HBR;
Gupta, Lehmann & Stuart 2004, Journal of Marketing Research 41(1); Rust, Lemon & Zeithaml 2004,
Journal of Marketing 68(1)). Each active customer's lifetime value is its expected discounted
future margin less the cost to serve it, given its lifecycle stage, from the model's own
lifecycle chain: with the vector ``m`` of monthly margins by stage and the monthly transition
matrix ``P`` between the active stages (lost is absorbing and worth nothing), the values satisfy
``v = m + δ P v``, so ``v = (I - δP)⁻¹ m`` (Pfeifer & Carraway 2000, Journal of Interactive
Marketing 14(2)); ``δ`` is the monthly discount factor. The mechanics are in
:mod:`crmsim.sim.engine.equity`.

Only the customers the firm already has are valued, not future ones (their acquisition costs and
their value are left out alike).
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import Params, Plausible, param, section


@section("value")
@dataclass(frozen=True)
class ValueParams(Params):
    """How future customer value is discounted."""

    discount_rate: float = param(
        0.12,
        unit="share per year",
        doc="Annual rate at which future margins are discounted (the firm's cost of capital); "
        "Gupta, Lehmann & Stuart (2004) value customers at 12% a year.",
        plausible=Plausible(0.06, 0.20, source="costs of capital of 6-20% a year"),
    )

    def _validate(self, prefix: str) -> None:
        self._number(prefix, "discount_rate", minimum=0, maximum=1)

    def monthly_factor(self) -> float:
        """The monthly discount factor δ = (1 + annual rate)^(-1/12).

        Examples
        --------
        >>> round(ValueParams(discount_rate=0.12).monthly_factor() ** 12, 6)
        0.892857
        """
        return (1.0 + self.discount_rate) ** (-1.0 / 12.0)
