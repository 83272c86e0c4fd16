"""Customer credit analysis with the 6C method (6C分析) and credit grades A–D.

Longer than most modules (about 600 lines) because the 6C scores, the grades and the sales
policy per grade are one method, taught and used together.

Why credit management? Selling on credit wins orders, but every credit sale carries a risk.
Credit management has two aims:

1. **lower the risk of credit sales** — fewer customers who pay very late or never, so fewer
   bad-debt losses (坏账损失);
2. **shorten days-sales-outstanding (DSO)** — cash comes in sooner, so less working capital is
   tied up in receivables.

The 6C analysis scores each customer from 1 (poor) to 5 (excellent) on six attributes:

========================  ==============  ===================================================
attribute                 Chinese         question it answers
========================  ==============  ===================================================
``character``             品德            honest and responsible? Best proxy: repayment record
``capacity``              能力            able to run the business and its cash, so to repay?
``capital``               资本            cash at hand and ability to raise funds
``collateral``            抵押物品        movable and immovable assets that can be pledged
``condition``             经济状况        the micro and macro operating environment
``continuity``            连续性          prospects of continuing operations
========================  ==============  ===================================================

The sixth C, continuity (连续性), comes from the Chinese credit-analysis tradition (信用6C); the
international textbook standard is the **5 Cs** (character, capacity, capital, collateral,
conditions). To work with the 5 Cs, give ``continuity`` a weight of 0 in :func:`credit_score`.

The weighted score (1–5) puts each customer in a credit grade, A best, and each grade gets its own
sales/credit policy (:class:`CreditPolicy`): how much credit, on what payment terms, cash only.

Functions
---------
- :func:`character_from_repayment` — derive the character score from the average days late.
- :func:`credit_score` — weighted 6C score, grade and policy columns, one row per customer.
- :func:`credit_grade` — score → grade with documented cut-offs (a score exactly on a cut-off
  gets the better grade: 4.0 is an A).
- :func:`credit_policy` — add the policy of each customer's grade (credit limit, terms, cash only).
- :func:`grade_summary` — count and share of customers per grade (all four grades listed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    check_number,
    numeric_column,
    require_columns,
    require_dataframe,
    unique_column,
)
from crmsim.errors import DataError, ParameterError
from crmsim.methods._tally import category_counts
from crmsim.terms import GRADES, SIX_C

__all__ = [
    "DEFAULT_CUTOFFS",
    "DEFAULT_POLICIES",
    "GRADES",
    "POLICY_COLUMNS",
    "REPAYMENT_THRESHOLDS",
    "SIX_C",
    "CreditPolicy",
    "character_from_repayment",
    "credit_grade",
    "credit_policy",
    "credit_score",
    "grade_summary",
]


#: Default day limits for :func:`character_from_repayment`: on time → 5, up to 15 days late → 4,
#: up to 30 → 3, up to 60 → 2, more than 60 → 1.
REPAYMENT_THRESHOLDS: tuple[float, float, float, float] = (0.0, 15.0, 30.0, 60.0)

#: Default grade cut-offs: A when score >= 4.0, B >= 3.0, C >= 2.0, otherwise D.
DEFAULT_CUTOFFS: tuple[float, float, float] = (4.0, 3.0, 2.0)

# Float noise guard: a weighted mean such as 24/6 may come out as 3.9999999999999996; scores are
# rounded to this many decimals before grading so a hand-computed 4.0 really is an A.
_SCORE_DECIMALS = 9


# ---------------------------------------------------------------------------- character


def character_from_repayment(
    avg_days_late: Any,
    thresholds: Sequence[float] = REPAYMENT_THRESHOLDS,
) -> pd.Series:
    """Score character (品德) from the repayment record, on the 1–5 scale.

    The mapping with the default ``thresholds=(0, 15, 30, 60)`` is

    ===========================  =====
    average days late *d*        score
    ===========================  =====
    d <= 0  (pays on time)       5
    0 < d <= 15                  4
    15 < d <= 30                 3
    30 < d <= 60                 2
    d > 60                       1
    ===========================  =====

    Each limit belongs to the better score: exactly 15 days late scores 4.

    Parameters
    ----------
    avg_days_late : Series, array-like or number
        Mean number of days payments arrived after their due date (>= 0).
    thresholds : sequence of four numbers
        Increasing, non-negative day limits for scores 5, 4, 3 and 2.

    Returns
    -------
    pandas.Series
        Integer scores 1..5 (int64), with the input's index and name ``"character"``.

    Raises
    ------
    DataError
        If a value is negative, missing (NaN) or not a number.
    ParameterError
        If ``thresholds`` is not four increasing non-negative numbers.

    Examples
    --------
    >>> character_from_repayment([0, 15, 16, 45, 90]).tolist()
    [5, 4, 3, 2, 1]
    """
    limits = _check_thresholds(thresholds)
    if isinstance(avg_days_late, pd.Series):
        name = avg_days_late.name if isinstance(avg_days_late.name, str) else "avg_days_late"
        index = avg_days_late.index
        raw = avg_days_late.to_numpy()
    else:
        name = "avg_days_late"
        raw = np.atleast_1d(np.asarray(avg_days_late, dtype=object))
        index = pd.RangeIndex(len(raw))
    frame = pd.DataFrame({name: raw})
    days = numeric_column(frame, name, source="character_from_repayment", allow_negative=False)
    scores = 5 - np.searchsorted(limits, days.to_numpy(), side="left")
    return pd.Series(scores.astype("int64"), index=index, name="character")


def _check_thresholds(thresholds: Any) -> np.ndarray:
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Sequence):
        raise ParameterError(
            f"parameter 'thresholds' must be a sequence of four day limits; got {thresholds!r}"
        )
    if len(thresholds) != 4:
        raise ParameterError(
            f"parameter 'thresholds' must hold four day limits (for scores 5, 4, 3, 2); "
            f"got {len(thresholds)}: {list(thresholds)!r}"
        )
    values = [check_number(f"thresholds[{i}]", t, minimum=0.0) for i, t in enumerate(thresholds)]
    if any(b <= a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ParameterError(
            f"parameter 'thresholds' must be strictly increasing; got {list(thresholds)!r}"
        )
    return np.asarray(values, dtype="float64")


# ---------------------------------------------------------------------------- grades


def _check_cutoffs(cutoffs: Any) -> tuple[float, float, float]:
    if isinstance(cutoffs, (str, bytes)) or not isinstance(cutoffs, Sequence):
        raise ParameterError(
            f"parameter 'cutoffs' must be three scores for grades A, B, C; got {cutoffs!r}"
        )
    if len(cutoffs) != 3:
        raise ParameterError(
            f"parameter 'cutoffs' must hold three scores (lower limits of A, B, C); "
            f"got {len(cutoffs)}: {list(cutoffs)!r}"
        )
    values = [
        check_number(f"cutoffs[{i}]", c, minimum=1.0, maximum=5.0) for i, c in enumerate(cutoffs)
    ]
    if any(b >= a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ParameterError(
            f"parameter 'cutoffs' must be strictly descending (A > B > C); got {list(cutoffs)!r}"
        )
    return values[0], values[1], values[2]


def credit_grade(score: Any, cutoffs: Sequence[float] = DEFAULT_CUTOFFS) -> Any:
    """Turn 6C scores (1–5) into credit grades A–D.

    With the default ``cutoffs=(4.0, 3.0, 2.0)``: A when score >= 4.0, B when >= 3.0, C when
    >= 2.0, otherwise D. A score exactly on a cut-off gets the better grade (4.0 is an A,
    3.999 is a B).

    Parameters
    ----------
    score : number, array-like or Series
        Scores on the 1–5 scale.
    cutoffs : sequence of three numbers
        Lower limits of grades A, B and C; strictly descending, within [1, 5].

    Returns
    -------
    str or pandas.Series
        A single grade for a scalar score; otherwise a Series of grades (with the input's index
        when a Series is given) named ``"grade"``.

    Raises
    ------
    DataError
        If a score is missing or outside [1, 5].
    ParameterError
        If ``cutoffs`` is not three descending numbers within [1, 5].

    Examples
    --------
    >>> credit_grade(4.0)
    'A'
    >>> credit_grade([4.5, 3.9, 2.0, 1.2]).tolist()
    ['A', 'B', 'C', 'D']
    """
    a, b, c = _check_cutoffs(cutoffs)
    scalar = np.ndim(score) == 0 and not isinstance(score, pd.Series)
    if isinstance(score, pd.Series):
        index = score.index
        raw = score.to_numpy()
    else:
        raw = np.atleast_1d(np.asarray(score, dtype=object))
        index = pd.RangeIndex(len(raw))
    frame = pd.DataFrame({"score": raw})
    values = numeric_column(
        frame, "score", source="credit_grade", minimum=1.0, maximum=5.0
    ).to_numpy()
    grades = np.select([values >= a, values >= b, values >= c], ["A", "B", "C"], default="D")
    if scalar:
        return str(grades[0])
    return pd.Series(grades, index=index, name="grade", dtype="str")


# ---------------------------------------------------------------------------- policies


@dataclass(frozen=True)
class CreditPolicy:
    """The sales/credit policy applied to one credit grade.

    Attributes
    ----------
    credit_limit_months : float
        Credit limit expressed as months of the customer's average monthly purchases
        (0 = no credit).
    payment_terms_days : int
        Days the customer has to pay an invoice (0 = payment on delivery).
    cash_only : bool
        True when the customer must pay cash (no credit sales at all).
    deposit_share : float
        Share of each order's value paid up front as a deposit, in [0, 1].
    description : str
        One line a salesperson can read to the customer.
    """

    credit_limit_months: float
    payment_terms_days: int
    cash_only: bool = False
    deposit_share: float = 0.0
    description: str = ""

    def __post_init__(self) -> None:
        check_number("credit_limit_months", self.credit_limit_months, minimum=0.0)
        check_number("payment_terms_days", self.payment_terms_days, minimum=0.0, integer=True)
        check_number("deposit_share", self.deposit_share, minimum=0.0, maximum=1.0)
        if not isinstance(self.cash_only, (bool, np.bool_)):
            raise ParameterError(
                f"parameter 'cash_only' must be True or False; got {self.cash_only!r}"
            )
        if self.cash_only and (self.credit_limit_months > 0 or self.payment_terms_days > 0):
            raise ParameterError(
                "parameter 'cash_only' is True, so 'credit_limit_months' and "
                "'payment_terms_days' must be 0; got "
                f"{self.credit_limit_months!r} and {self.payment_terms_days!r}"
            )


#: Default policy per grade (illustrative, not a recommendation for a real firm).
DEFAULT_POLICIES: dict[str, CreditPolicy] = {
    "A": CreditPolicy(
        credit_limit_months=3.0,
        payment_terms_days=60,
        description="Credit up to 3 months of purchases, 60-day payment terms.",
    ),
    "B": CreditPolicy(
        credit_limit_months=1.5,
        payment_terms_days=30,
        description="Credit up to 1.5 months of purchases, 30-day payment terms.",
    ),
    "C": CreditPolicy(
        credit_limit_months=0.5,
        payment_terms_days=15,
        deposit_share=0.3,
        description="Credit up to half a month of purchases, 15-day terms, 30% deposit.",
    ),
    "D": CreditPolicy(
        credit_limit_months=0.0,
        payment_terms_days=0,
        cash_only=True,
        description="No credit: cash (payment before delivery) only.",
    ),
}

#: Columns :func:`credit_policy` adds.
POLICY_COLUMNS: tuple[str, ...] = (
    "credit_limit_months",
    "credit_limit",
    "payment_terms_days",
    "cash_only",
    "deposit_share",
)


def _check_policies(policies: Any, grades_needed: Sequence[str]) -> dict[str, CreditPolicy]:
    if policies is None:
        return dict(DEFAULT_POLICIES)
    if not isinstance(policies, Mapping):
        raise ParameterError(
            f"parameter 'policies' must be a dict grade -> CreditPolicy; got "
            f"{type(policies).__name__}"
        )
    for key, value in policies.items():
        if not isinstance(value, CreditPolicy):
            raise ParameterError(
                f"parameter 'policies' must map grades to CreditPolicy objects; "
                f"grade {key!r} has {type(value).__name__}"
            )
    missing = [g for g in grades_needed if g not in policies]
    if missing:
        raise ParameterError(
            f"parameter 'policies' has no policy for grade(s) {missing}; "
            f"given: {sorted(map(str, policies))}"
        )
    return dict(policies)


def credit_policy(
    table: pd.DataFrame,
    policies: Mapping[str, CreditPolicy] | None = None,
    monthly_sales: pd.Series | str | None = None,
    *,
    id: str = "customer_id",
    grade: str = "grade",
) -> pd.DataFrame:
    """Add the sales/credit policy of each customer's grade.

    Parameters
    ----------
    table : DataFrame
        One row per customer with a grade column (A–D), e.g. the output of :func:`credit_score`.
    policies : dict grade -> CreditPolicy, optional
        Defaults to :data:`DEFAULT_POLICIES` (A: 3 months, 60 days; B: 1.5 months, 30 days;
        C: 0.5 month, 15 days, 30% deposit; D: cash only). Must cover every grade in the table.
    monthly_sales : Series, str or None
        Average monthly purchases of each customer in CNY: a column name of ``table`` or a Series
        indexed by customer id. A customer missing from the Series has no purchase history and
        gets a limit of 0; a Series that matches no customer at all is an error.
    id, grade : str
        Names of the customer id and grade columns.

    Returns
    -------
    DataFrame
        A copy of ``table`` with columns ``credit_limit_months``, ``credit_limit`` (CNY =
        months × monthly sales; without ``monthly_sales`` it is NaN, except 0.0 where the policy
        gives no credit), ``payment_terms_days`` (int), ``cash_only`` (bool) and
        ``deposit_share``. Existing columns of those names are replaced.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["C1", "C2"], "grade": ["A", "D"],
    ...                   "sales": [10_000.0, 2_000.0]})
    >>> credit_policy(t, monthly_sales="sales")[["credit_limit", "cash_only"]].values.tolist()
    [[30000.0, False], [0.0, True]]
    """
    require_dataframe(table, name="table")
    require_columns(table, [grade], source="credit_policy table")
    bad = ~table[grade].isin(list(GRADES))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        who = f" (id {table[id].iloc[pos]})" if id in table.columns else ""
        raise DataError(
            f"credit_policy table: column {grade!r} must hold grades {list(GRADES)}; "
            f"found {table[grade].iloc[pos]!r} at row {pos + 1}{who}"
        )
    present = [g for g in GRADES if (table[grade] == g).any()]
    chosen = _check_policies(policies, present)

    # position of each row's grade in GRADES: a vectorised lookup (Series.map over strings is
    # pointwise and dominates the run time on a million customers)
    codes = pd.Categorical(table[grade], categories=list(GRADES)).codes

    def per_grade(attribute: str, dtype: str) -> np.ndarray:
        values = [getattr(chosen[g], attribute) if g in chosen else 0 for g in GRADES]
        return np.asarray(values, dtype=dtype)[codes]

    months = per_grade("credit_limit_months", "float64")
    out = table.copy()
    out["credit_limit_months"] = months
    sales = _monthly_sales(table, monthly_sales, id)
    if sales is None:
        out["credit_limit"] = np.where(months == 0.0, 0.0, np.nan)
    else:
        out["credit_limit"] = months * sales.to_numpy()
    out["payment_terms_days"] = per_grade("payment_terms_days", "int64")
    out["cash_only"] = per_grade("cash_only", "bool")
    out["deposit_share"] = per_grade("deposit_share", "float64")
    return out


def _monthly_sales(table: pd.DataFrame, monthly_sales: Any, id: str) -> pd.Series | None:
    if monthly_sales is None:
        return None
    if isinstance(monthly_sales, str):
        return numeric_column(
            table, monthly_sales, source="credit_policy table", id_column=id,
            allow_negative=False,
        ).set_axis(table.index)
    if not isinstance(monthly_sales, pd.Series):
        raise ParameterError(
            "parameter 'monthly_sales' must be a column name or a Series indexed by customer id; "
            f"got {type(monthly_sales).__name__}"
        )
    require_columns(table, [id], source="credit_policy table")
    frame = monthly_sales.rename("monthly_sales").rename_axis("id").reset_index()
    checked = numeric_column(
        frame, "monthly_sales", source="monthly_sales", id_column="id", allow_negative=False
    )
    lookup = pd.Series(checked.to_numpy(), index=monthly_sales.index)
    if lookup.index.has_duplicates:
        dup = lookup.index[lookup.index.duplicated()].unique().tolist()[:5]
        raise ParameterError(f"parameter 'monthly_sales' has duplicated customer ids: {dup}")
    matched = table[id].isin(lookup.index)
    if len(table) and not matched.any():
        raise ParameterError(
            f"parameter 'monthly_sales' is indexed by {lookup.index[:3].tolist()!r}..., which "
            f"matches no value of column {id!r}; index it by customer id"
        )
    return table[id].map(lookup).fillna(0.0).astype("float64")


# ---------------------------------------------------------------------------- scores


def _check_weights(weights: Any) -> np.ndarray:
    if weights is None:
        return np.ones(len(SIX_C))
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if not isinstance(weights, Mapping):
        raise ParameterError(
            f"parameter 'weights' must be a dict of the six Cs -> weight; got "
            f"{type(weights).__name__}"
        )
    unknown = [k for k in weights if k not in SIX_C]
    if unknown:
        raise ParameterError(
            f"parameter 'weights' has unknown key(s) {unknown}; expected the six Cs {list(SIX_C)}"
        )
    missing = [c for c in SIX_C if c not in weights]
    if missing:
        raise ParameterError(
            f"parameter 'weights' must give a weight for each of the six Cs; missing {missing} "
            "(use 0 to leave one out, e.g. continuity=0 for the international 5 Cs)"
        )
    values = np.array(
        [check_number(f"weights[{c!r}]", weights[c], minimum=0.0) for c in SIX_C], dtype="float64"
    )
    if values.sum() <= 0:
        raise ParameterError("parameter 'weights' must not be all zero")
    return values


def credit_score(
    data: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    id: str = "customer_id",
    derive_character: bool = False,
    repayment: str = "avg_days_late",
    *,
    cutoffs: Sequence[float] = DEFAULT_CUTOFFS,
    policies: Mapping[str, CreditPolicy] | None = None,
    monthly_sales: pd.Series | str | None = None,
) -> pd.DataFrame:
    """Weighted 6C credit score, grade A–D and credit policy for each customer.

    ``score = sum(w_c * s_c) / sum(w_c)`` over the six Cs, where ``s_c`` are the 1–5 scores
    and ``w_c`` the weights (equal by default). The score is therefore also on the 1–5 scale.
    It is rounded to 9 decimals, so float noise cannot push a hand-computed 4.0 below a cut-off.

    Parameters
    ----------
    data : DataFrame
        One row per customer: the id column and the six score columns (whole numbers 1..5).
    weights : dict or Series, optional
        Weight of each of the six Cs (all six keys, non-negative, not all zero); normalised to
        sum 1. ``None`` means equal weights. A weight of 0 leaves an attribute out (e.g.
        ``continuity=0`` gives the international 5 Cs).
    id : str
        Name of the customer id column (values must be unique).
    derive_character : bool
        If True, ``character`` is computed from the ``repayment`` column with
        :func:`character_from_repayment` (any existing ``character`` column is overridden).
    repayment : str
        Column with average days late, used when ``derive_character`` is True.
    cutoffs : sequence of three numbers
        Grade cut-offs passed to :func:`credit_grade`.
    policies, monthly_sales
        Passed to :func:`credit_policy`.

    Returns
    -------
    DataFrame
        Columns: id, the six scores (int64), ``score`` (float, 1–5), ``grade`` (A–D), then the
        policy columns of :func:`credit_policy` (``credit_limit_months``, ``credit_limit``,
        ``payment_terms_days``, ``cash_only``, ``deposit_share``). Row order follows ``data``.

    Raises
    ------
    DataError
        A missing column, duplicated id, or a score that is missing, not whole or outside 1..5
        (the message names the column, the row and the customer id).
    ParameterError
        Bad ``weights`` or ``cutoffs``.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": ["C1"], "character": [5], "capacity": [4],
    ...                   "capital": [3], "collateral": [4], "condition": [5], "continuity": [3]})
    >>> credit_score(d)[["score", "grade"]].values.tolist()   # (5+4+3+4+5+3)/6 = 4.0 -> A
    [[4.0, 'A']]
    """
    require_dataframe(data, name="data")
    w = _check_weights(weights)
    _check_cutoffs(cutoffs)
    source = "credit_score data"
    needed = [id] + [c for c in SIX_C if not (derive_character and c == "character")]
    if derive_character:
        needed.append(repayment)
    require_columns(data, needed, source=source)
    unique_column(data, id, source=source)

    out = pd.DataFrame({id: data[id].to_numpy()}, index=data.index)
    for c in SIX_C:
        if derive_character and c == "character":
            frame = pd.DataFrame({repayment: data[repayment].to_numpy(), id: data[id].to_numpy()})
            numeric_column(frame, repayment, source=source, id_column=id, allow_negative=False)
            out[c] = character_from_repayment(frame[repayment]).to_numpy()
        else:
            values = numeric_column(
                data, c, source=source, id_column=id, minimum=1, maximum=5, integer=True
            )
            out[c] = values.astype("int64")
    scores = out[list(SIX_C)].to_numpy(dtype="float64")
    out["score"] = np.round(scores @ w / w.sum(), _SCORE_DECIMALS)
    out["grade"] = (
        credit_grade(out["score"], cutoffs).to_numpy() if len(out) else pd.Series([], dtype="str")
    )
    out = out.reset_index(drop=True)
    sales = monthly_sales
    if isinstance(monthly_sales, str):
        sales = _monthly_sales(data, monthly_sales, id).reset_index(drop=True)
        out = out.assign(_monthly_sales=sales.to_numpy())
        return credit_policy(out, policies, "_monthly_sales", id=id).drop(
            columns="_monthly_sales"
        )
    return credit_policy(out, policies, sales, id=id)


def grade_summary(table: pd.DataFrame, *, grade: str = "grade") -> pd.DataFrame:
    """Count and share of customers in each credit grade.

    Parameters
    ----------
    table : DataFrame
        A table with a grade column, e.g. the output of :func:`credit_score`.
    grade : str
        Name of the grade column.

    Returns
    -------
    DataFrame
        Four rows, always A, B, C, D in that order, with columns ``grade``, ``count`` (int) and
        ``share`` (count / customers; shares sum to 1, NaN for an empty table).

    Examples
    --------
    >>> grade_summary(pd.DataFrame({"grade": ["A", "A", "C", "D"]}))["count"].tolist()
    [2, 0, 1, 1]
    """
    summary = category_counts(table, grade, GRADES, source="grade_summary table")
    return summary.rename(columns={grade: "grade"})
