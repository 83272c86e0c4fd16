"""Incentives: commission at signing vs pay deferred and paid by customer satisfaction.

domain.md §8: paying commission at signing breeds one-off selling; one leader pays 25% of
salespeople's pay only a year after the contract, according to the customer's satisfaction then.
The scheme changes behaviour, and the model shows it through two mechanics:

- *time split*: under commission managers give ``hunting_share`` of their customer time to new
  business (the funnel) and the rest to farming (service requests, maintenance contacts); under
  deferred pay the hunting share falls by ``hunting_shift × deferred_share`` (default
  0.40 → 0.30), so more maintenance is done and fewer leads are worked quickly;
- *closing push*: under commission the objections and agreement steps get an extra
  ``closing_push`` on the log-odds of passing (hard selling wins more deals), but customers won
  that way start with satisfaction lowered by ``hard_sell_penalty``.

Pay: under deferred pay, ``deferred_share`` of each manager's monthly cost is accrued according to
the mean satisfaction of his customers (relative to lifecycle.satisfaction_reference, capped at
1.5×) and paid ``deferral_months`` later; the model books it on accrual.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmsim.sim.scenario.params import Params, param, section


@section("incentives")
@dataclass(frozen=True)
class IncentiveParams(Params):
    """Pay scheme of the account managers and how it shifts hunting vs farming."""

    scheme: str = param(
        "commission",
        unit="-",
        doc="'commission' (paid at signing) or 'deferred' (by satisfaction).",
    )
    deferred_share: float = param(
        0.25, unit="share of pay", doc="Part of pay deferred under the deferred scheme."
    )
    deferral_months: int = param(12, unit="months", doc="Delay before the deferred part is paid.")
    hunting_share: float = param(
        0.40,
        unit="share of customer time",
        doc="Time given to new business (the funnel) under commission; the rest is farming.",
    )
    hunting_shift: float = param(
        0.4,
        unit="-",
        doc="Under deferred pay the hunting share falls by hunting_shift × deferred_share.",
    )
    closing_push: float = param(
        0.3,
        unit="log-odds",
        doc="Extra log-odds of passing the objections and agreement steps under commission.",
    )
    hard_sell_penalty: float = param(
        0.1,
        unit="satisfaction points",
        doc="Lower starting satisfaction of customers won under commission.",
    )

    def _validate(self, prefix: str) -> None:
        self._term(prefix, "scheme", "scheme")
        self._probability(prefix, "deferred_share")
        self._number(prefix, "deferral_months", minimum=0, integer=True)
        self._number(prefix, "hunting_share", minimum=0, maximum=1, strict_minimum=True)
        self._number(prefix, "hunting_shift", minimum=0)
        self._number(prefix, "closing_push", minimum=0)
        self._probability(prefix, "hard_sell_penalty")
        if self.hunting_share >= 1:
            from crmsim.errors import ParameterError

            raise ParameterError(
                f"parameter '{prefix}.hunting_share' must be < 1 (some time must go to "
                f"farming); got {self.hunting_share!r}"
            )

    def effective_hunting_share(self) -> float:
        """Share of customer time spent hunting under the chosen scheme (at least 0.02).

        Examples
        --------
        >>> IncentiveParams(scheme="deferred").effective_hunting_share()
        0.3
        """
        if self.scheme == "commission":
            return self.hunting_share
        return round(max(0.02, self.hunting_share - self.hunting_shift * self.deferred_share), 12)

    def push(self) -> float:
        """Closing push (log-odds) at the closing steps under this scheme."""
        return self.closing_push if self.scheme == "commission" else 0.0

    def start_satisfaction_penalty(self) -> float:
        """Satisfaction points removed from a newly won customer's start."""
        return self.hard_sell_penalty if self.scheme == "commission" else 0.0
