"""Each student's own data, derived from their student id.

:func:`student_data` draws a small company from the bundled office-supplies distributor: a seeded
sample of its customers (the seed comes from the student id) with their orders, and gives the
customers ids of the student's own (``C4821``...). Two students get different customers under
different ids, so a classmate's table or customer id is no answer, while the same id always gives
the same data (on any machine).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DEMO_ID", "StudentData", "seed_of", "student_data"]

#: The id used while a notebook's ``student_id`` is still the ``____`` placeholder.
DEMO_ID = "demo"

#: The analysis date of every exercise: the last day of the bundled transactions.
AS_OF = "2024-12-31"


def seed_of(student_id: str) -> int:
    """A 64-bit seed from the student id (SHA-256, so it is the same on every machine).

    >>> seed_of("2024001") == seed_of("2024001") and seed_of("2024001") != seed_of("2024002")
    True
    """
    if not isinstance(student_id, str) or not student_id.strip():
        raise ValueError(
            f"parameter 'student_id' must be a non-empty string such as \"2024001\"; "
            f"got {student_id!r}"
        )
    digest = hashlib.sha256(f"crmsim-exercises:{student_id.strip()}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


@dataclass
class StudentData:
    """One student's small company.

    Attributes
    ----------
    student_id : str
        The id the data was derived from.
    customers : DataFrame
        The sampled rows of ``crmsim.datasets.load_customers()`` (same columns), sorted by id,
        under the student's own customer ids.
    transactions : DataFrame
        Their orders, rows of ``load_transactions()`` (with the same ids).
    as_of : str
        The analysis date (``"2024-12-31"``).
    tables : dict
        Extra tables a set prepares (e.g. ``sales`` for the ABC set); also readable as
        attributes (``data.sales``).
    """

    student_id: str
    customers: pd.DataFrame
    transactions: pd.DataFrame
    as_of: str = AS_OF
    id_column: str = "customer_id"
    draw: int = 0
    tables: dict[str, Any] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per *key* for this data (the checks reuse crmsim's results)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def ids(self) -> list[str]:
        """The customer ids, sorted."""
        return self.customers[self.id_column].tolist()

    @property
    def rng(self) -> np.random.Generator:
        """A generator seeded from the student id and the draw (a fresh one at each call)."""
        return np.random.default_rng([seed_of(self.student_id), self.draw + 1])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"StudentData has no table {name!r}; tables: {sorted(tables)}")

    def __repr__(self) -> str:
        extra = ", ".join(sorted(self.tables))
        return (
            f"StudentData(student_id={self.student_id!r}: {len(self.customers)} customers, "
            f"{len(self.transactions)} order lines; tables: customers, transactions"
            f"{', ' + extra if extra else ''})"
        )


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    from crmsim import datasets

    return datasets.load_customers(), datasets.load_transactions()


def student_data(
    student_id: str,
    n_customers: int = 40,
    prepare: Callable[[StudentData], dict[str, Any]] | None = None,
    accept: Callable[[StudentData], bool] | None = None,
    tries: int = 50,
) -> StudentData:
    """The student's company: *n_customers* customers sampled (seeded by the id) with their orders.

    Parameters
    ----------
    student_id : str
        The student's id; the same id always gives the same data.
    n_customers : int
        How many customers to sample from the bundled company's 600.
    prepare : callable, optional
        ``prepare(data) -> dict`` of extra tables, stored in ``data.tables``.
    accept : callable, optional
        ``accept(data) -> bool``: a sample that makes a question meaningless (e.g. no declining
        customer) is redrawn, from the same seeded stream, up to *tries* times.

    Raises
    ------
    ValueError
        A bad ``student_id`` or ``n_customers``, or no acceptable sample in *tries* draws.
    """
    if not isinstance(n_customers, int) or not 5 <= n_customers <= 600:
        raise ValueError(f"parameter 'n_customers' must be an integer 5..600; got {n_customers!r}")
    rng = np.random.default_rng(seed_of(student_id))
    customers, transactions = _bundled()
    active = customers[customers["customer_id"].isin(transactions["customer_id"])]
    for draw in range(tries):
        rows = np.sort(rng.choice(len(active), size=n_customers, replace=False))
        mine = active.iloc[rows].sort_values("customer_id").reset_index(drop=True)
        tx = transactions[transactions["customer_id"].isin(mine["customer_id"])]
        # the student's own ids, in the same order as the bundled ones
        codes = np.sort(rng.choice(np.arange(1, 10_000), size=n_customers, replace=False))
        own = dict(zip(mine["customer_id"], [f"C{c:04d}" for c in codes], strict=True))
        mine = mine.assign(customer_id=mine["customer_id"].map(own))
        tx = tx.assign(customer_id=tx["customer_id"].map(own))
        data = StudentData(student_id.strip(), mine, tx.reset_index(drop=True), draw=draw)
        if prepare is not None:
            data.tables = dict(prepare(data))
        if accept is None or accept(data):
            return data
    raise ValueError(f"no usable sample for student_id {student_id!r} in {tries} draws")
