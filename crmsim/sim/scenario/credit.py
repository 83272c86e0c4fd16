"""The 6C credit check (6C分析) made before an agreement is signed, and bad-debt losses.

A prospect's credit grade (A best … D worst, domain.md §3) comes from the mean of its six 6C
scores (1–5). Grade D prospects are either declined, offered cash-only terms, or accepted like the
others (``grade_d_policy``). Customers buying on credit lose a grade-dependent share of revenue as
bad debt; cash-only customers cause none but buy less.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crmsim.errors import ParameterError
from crmsim.sim.scenario.params import FrozenMap, Params, param, section
from crmsim.terms import GRADES

GRADE_D_POLICIES: tuple[str, ...] = ("decline", "cash_only", "accept")


@section("credit")
@dataclass(frozen=True)
class CreditParams(Params):
    """Credit grading (A–D from the 6C scores) and the policy for grade D prospects."""

    grade_a_min: float = param(4.0, unit="mean 6C score (1-5)", doc="Lowest mean score of grade A.")
    grade_b_min: float = param(3.0, unit="mean 6C score (1-5)", doc="Lowest mean score of grade B.")
    grade_c_min: float = param(
        2.0, unit="mean 6C score (1-5)", doc="Lowest mean score of grade C; below is grade D."
    )
    grade_d_policy: str = param(
        "cash_only",
        unit="-",
        doc="What happens to a grade D prospect at the agreement step: 'decline' (lost), "
        "'cash_only' (offered cash terms, accepted with cash_only_acceptance) or 'accept'.",
    )
    cash_only_acceptance: float = param(
        0.5, unit="probability", doc="Share of grade D prospects who accept cash-only terms."
    )
    cash_only_wallet_factor: float = param(
        0.6,
        unit="multiplier",
        doc="Cash-only customers buy this share of what they otherwise would.",
    )
    bad_debt_rate: FrozenMap = param(
        unit="share of revenue",
        doc="Revenue lost as bad debt per credit grade (customers buying on credit).",
        factory=lambda: FrozenMap(A=0.002, B=0.008, C=0.025, D=0.08),
    )

    _maps = {"bad_debt_rate": (GRADES, "prob")}

    def _validate(self, prefix: str) -> None:
        for name in ("grade_a_min", "grade_b_min", "grade_c_min"):
            self._number(prefix, name, minimum=1, maximum=5)
        if not self.grade_a_min >= self.grade_b_min >= self.grade_c_min:
            raise ParameterError(
                f"parameters '{prefix}.grade_a_min' >= '{prefix}.grade_b_min' >= "
                f"'{prefix}.grade_c_min' must hold; got {self.grade_a_min}, {self.grade_b_min}, "
                f"{self.grade_c_min}"
            )
        self._choice(prefix, "grade_d_policy", GRADE_D_POLICIES)
        self._probability(prefix, "cash_only_acceptance")
        self._probability(prefix, "cash_only_wallet_factor")
        self._map(prefix, "bad_debt_rate")

    def grade_codes(self, mean_scores: np.ndarray) -> np.ndarray:
        """Grade codes 0 (A) … 3 (D) for mean 6C scores.

        Examples
        --------
        >>> CreditParams().grade_codes(np.array([4.5, 3.0, 2.5, 1.2])).tolist()
        [0, 1, 2, 3]
        """
        s = np.asarray(mean_scores, dtype=float)
        return np.where(
            s >= self.grade_a_min,
            0,
            np.where(s >= self.grade_b_min, 1, np.where(s >= self.grade_c_min, 2, 3)),
        ).astype(np.int64)

    def bad_debt_array(self) -> np.ndarray:
        """Bad-debt rates indexed by grade code."""
        return np.array([self.bad_debt_rate[g] for g in GRADES])
