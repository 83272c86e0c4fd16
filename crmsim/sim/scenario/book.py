"""The initial book: the customers and account managers a simulation starts from.

Three sources:

- ``"bundled"`` (default): the bundled office-supplies company (about 600 customers, 15 managers)
  from :func:`crmsim.datasets.load_customers` and :func:`crmsim.datasets.load_account_managers`,
  looked up when the simulation runs. If those loaders are not available (an installation without
  the data), the book falls back to a synthetic company of ``n_customers``/``n_managers``
  (600/15) and the simulation's ``meta["book_note"]`` says so.
- ``"synthetic"``: a company of ``n_customers`` customers and ``n_managers`` managers generated
  from ``seed`` (tiers, specialties, skills, wallets and 6C scores shaped like the bundled data;
  key customers sit with senior managers). Used for the classroom (300/10) and large (20,000/200)
  benchmarks and by the tests.
- ``"tables"``: any customer and manager tables a user loads — DataFrames passed as
  ``customers``/``managers`` or CSV files named by ``customers_path``/``managers_path``.

Customer table columns (as in datasets/README.md): ``customer_id``, ``manager_id`` and
``annual_wallet`` are required; ``customer_type``, ``industry_group``, ``channel``,
``first_purchase`` and the six 6C scores are used when present (defaults: small_business,
commercial, lead_platform, 12 months before the start, score 3). An optional ``stage`` column
(exploration, formation, stability, decline) sets initial stages; otherwise the stage follows the
relationship age at the start date (< 6 months exploration, < 18 formation, else stability) and a
share ``initial_decline_share`` of customers, drawn with ``seed``, starts in decline.
An optional ``joins_month`` column (whole months, 0 = in the book at the start) names customers
who join later: a customer with ``joins_month`` *k* >= 1 is not in the book at the start but
joins it at the start of month *k* of the run, as a new customer in exploration (its ``stage``
is not read), with its manager (another, by the allocation rule, if its own has left); a
back-test replays a history's new customers this way (:mod:`crmsim.calibrate.estimate`).
Manager table columns: ``manager_id`` required; ``tier``, ``specialty``, ``industry_focus``,
``hire_date``, ``monthly_cost`` and ``skill`` used when present (defaults: regular,
new_business, commercial, 3 years before the start, 12,000 CNY, 0.7).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError, ParameterError
from crmsim.sim.scenario.funnel import CHANNEL_NAMES
from crmsim.sim.scenario.params import Params, param, section
from crmsim.terms import CUSTOMER_TYPES, INDUSTRY_GROUPS, SIX_C, SPECIALTIES, STAGES, TIERS

SOURCES: tuple[str, ...] = ("bundled", "synthetic", "tables")
DAYS_PER_MONTH = 365.25 / 12


class BookTables(NamedTuple):
    """Validated, normalised initial tables and a note on where they came from."""

    customers: pd.DataFrame
    managers: pd.DataFrame
    note: str


def _frame_hash(df: pd.DataFrame | None) -> str | None:
    if df is None:
        return None
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


@section("book")
@dataclass(frozen=True, eq=False)
class Book(Params):
    """Where the initial customers and managers come from (see the module docstring)."""

    source: str = param(
        "bundled", unit="-", doc="'bundled', 'synthetic' or 'tables' (see the module's text)."
    )
    n_customers: int = param(
        600, unit="customers", doc="Size of a synthetic book (also the bundled fallback)."
    )
    n_managers: int = param(
        15, unit="managers", doc="Managers of a synthetic book (also the bundled fallback)."
    )
    seed: int = param(
        2024,
        unit="-",
        doc="Seed of the synthetic book and of the initial decline draw (part of the company, "
        "not of a replication's luck).",
    )
    start_date: str = param(
        "2025-01-01", unit="ISO date", doc="First day of the simulation (bundled data end 2024)."
    )
    wallet_scale: float = param(
        1.0, unit="multiplier",
        doc="Scales the annual wallets of a synthetic book (median 48,500 CNY at 1).",
    )
    wallet_spread: float = param(
        0.9, unit="log-sd",
        doc="Spread of a synthetic book's wallets (standard deviation of their logarithm): "
        "higher puts more of the profit in a few large customers.",
    )
    initial_decline_share: float = param(
        0.1,
        unit="share of customers",
        doc="Share of customers starting in decline when the table has no 'stage' column.",
    )
    customers_path: str = param(
        "", unit="path", doc="CSV of customers for source 'tables' (instead of a DataFrame)."
    )
    managers_path: str = param(
        "", unit="path", doc="CSV of managers for source 'tables' (instead of a DataFrame)."
    )
    customers: pd.DataFrame | None = dataclasses.field(default=None, repr=False)
    managers: pd.DataFrame | None = dataclasses.field(default=None, repr=False)

    def _validate(self, prefix: str) -> None:
        self._choice(prefix, "source", SOURCES)
        self._number(prefix, "n_customers", minimum=0, integer=True)
        self._number(prefix, "n_managers", minimum=0, integer=True)
        self._number(prefix, "seed", minimum=0, integer=True)
        self._number(prefix, "wallet_scale", minimum=0, strict_minimum=True)
        self._number(prefix, "wallet_spread", minimum=0)
        try:
            pd.Timestamp(self.start_date)
        except (ValueError, TypeError) as exc:
            raise ParameterError(
                f"parameter '{prefix}.start_date' must be an ISO date such as 2025-01-01; "
                f"got {self.start_date!r}"
            ) from exc
        self._probability(prefix, "initial_decline_share")
        if self.source == "synthetic" and self.n_customers > 0 and self.n_managers < 1:
            raise ParameterError(
                f"parameter '{prefix}.n_managers' must be >= 1 when there are customers to "
                f"serve ({prefix}.n_customers = {self.n_customers}); got {self.n_managers}"
            )
        if self.source == "tables":
            if self.customers is None and not self.customers_path:
                raise ParameterError(
                    f"parameter '{prefix}.customers' (a DataFrame) or "
                    f"'{prefix}.customers_path' (a CSV file) is needed for source 'tables'"
                )
            if self.managers is None and not self.managers_path:
                raise ParameterError(
                    f"parameter '{prefix}.managers' (a DataFrame) or "
                    f"'{prefix}.managers_path' (a CSV file) is needed for source 'tables'"
                )
            for name in ("customers", "managers"):
                table = getattr(self, name)
                if table is not None:
                    v.require_dataframe(table, name=f"{prefix}.{name}")
                    # keep a private copy: the caller's frame is never modified or aliased
                    object.__setattr__(self, name, table.copy())
            if self.customers is not None and self.managers is not None:
                normalise_tables(
                    self.customers, self.managers, pd.Timestamp(self.start_date), self.seed,
                    self.initial_decline_share, source=prefix,
                )  # fmt: skip

    # ------------------------------------------------------------------ equality and hashing

    def content(self) -> dict[str, Any]:
        """Canonical description: the parameters, with tables replaced by a content hash."""
        out = {k: val for k, val in self.to_dict().items() if k not in ("customers", "managers")}
        out["customers_hash"] = _frame_hash(self.customers)
        out["managers_hash"] = _frame_hash(self.managers)
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Book) and self.content() == other.content()

    __hash__ = None  # type: ignore[assignment]

    # ---------------------------------------------------------------------------- resolution

    def resolve(self) -> BookTables:
        """Load or generate the initial tables, validated and normalised.

        Examples
        --------
        >>> tables = Book(source="synthetic", n_customers=30, n_managers=3).resolve()
        >>> len(tables.customers), len(tables.managers)
        (30, 3)
        """
        start = pd.Timestamp(self.start_date)
        note = ""
        if self.source == "bundled":
            try:
                from crmsim.datasets import load_account_managers, load_customers

                customers, managers = load_customers(), load_account_managers()
                note = "bundled company (crmsim.datasets)"
            except (ImportError, AttributeError, FileNotFoundError, OSError):
                customers, managers = synthetic_book(
                    self.n_customers, self.n_managers, seed=self.seed, start=start,
                    wallet_scale=self.wallet_scale, wallet_spread=self.wallet_spread,
                )
                note = (
                    "bundled datasets not available; synthetic book of "
                    f"{self.n_customers} customers and {self.n_managers} managers used instead"
                )
        elif self.source == "synthetic":
            customers, managers = synthetic_book(
                self.n_customers, self.n_managers, seed=self.seed, start=start,
                wallet_scale=self.wallet_scale, wallet_spread=self.wallet_spread,
            )
            note = f"synthetic book (seed {self.seed})"
        else:
            customers = self.customers
            managers = self.managers
            names = ["book.customers", "book.managers"]
            if customers is None:
                customers = _read_csv(self.customers_path, "book.customers_path")
                names[0] = Path(self.customers_path).name  # messages name the user's file
            if managers is None:
                managers = _read_csv(self.managers_path, "book.managers_path")
                names[1] = Path(self.managers_path).name
            note = "user tables"
        c, m = normalise_tables(
            customers, managers, start, self.seed, self.initial_decline_share,
            source=tuple(names) if self.source == "tables" else "book",
        )  # fmt: skip
        return BookTables(c, m, note)


def _read_csv(path: str, name: str) -> pd.DataFrame:
    """A user's table via :func:`crmsim.read_table`: CSV in UTF-8, UTF-8 with BOM or GBK, or
    .xlsx, with Chinese headers (客户编号, 客户经理, 年度采购潜力...) mapped to the kit's names."""
    from crmsim.io import read_table

    try:
        return read_table(path, rename="auto")
    except FileNotFoundError as exc:
        raise ParameterError(f"parameter '{name}': file not found: {path!r}") from exc


def normalise_tables(
    customers: pd.DataFrame,
    managers: pd.DataFrame,
    start: pd.Timestamp,
    seed: int,
    decline_share: float,
    *,
    source: str | tuple[str, str] = "book",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate the initial tables and return normalised copies with every column filled.

    Messages name *source* (``book.customers``), or the two files the tables were read from
    when *source* is a pair of names.

    Returns a customers frame with columns ``customer_id, customer_type, industry_group,
    channel, manager_id, first_purchase, annual_wallet, <6C>, stage`` (and ``joins_month`` when
    given) and a managers frame with
    ``manager_id, tier, specialty, industry_focus, hire_date, monthly_cost, skill``.
    """
    csrc, msrc = source if isinstance(source, tuple) else (f"{source}.customers",
                                                           f"{source}.managers")  # fmt: skip
    v.require_dataframe(customers, name=csrc)
    v.require_dataframe(managers, name=msrc)
    v.require_columns(customers, ["customer_id", "manager_id", "annual_wallet"], source=csrc)
    v.require_columns(managers, ["manager_id"], source=msrc)
    if len(customers) and not len(managers):
        raise ParameterError(
            f"parameter '{msrc}' must list at least one account manager when there are "
            f"customers to serve ({len(customers)} customers)"
        )
    v.unique_column(customers, "customer_id", source=csrc)
    v.unique_column(managers, "manager_id", source=msrc)
    n = len(customers)
    c = pd.DataFrame({"customer_id": customers["customer_id"].astype(str).to_numpy()})

    def cat(col: str, allowed: tuple[str, ...], default: str) -> None:
        _copy_categorical(customers, c, col, allowed, default, csrc, "customer_id")

    cat("customer_type", CUSTOMER_TYPES, "small_business")
    cat("industry_group", INDUSTRY_GROUPS, "commercial")
    cat("channel", CHANNEL_NAMES, "lead_platform")
    c["manager_id"] = customers["manager_id"].astype(str).to_numpy()
    if "first_purchase" in customers.columns:
        c["first_purchase"] = v.date_column(
            customers, "first_purchase", source=csrc, id_column="customer_id"
        ).to_numpy()
    else:
        c["first_purchase"] = start - pd.DateOffset(months=12)
    c["annual_wallet"] = v.numeric_column(
        customers, "annual_wallet", source=csrc, id_column="customer_id", allow_negative=False
    ).to_numpy()
    for col in SIX_C:
        if col in customers.columns:
            c[col] = v.numeric_column(
                customers, col, source=csrc, id_column="customer_id", minimum=1, maximum=5
            ).to_numpy()
        else:
            c[col] = 3.0
    if "stage" in customers.columns:
        v.categorical_column(customers, "stage", STAGES, source=csrc, id_column="customer_id")
        c["stage"] = customers["stage"].astype(str).to_numpy()
    else:
        months = (start - pd.to_datetime(c["first_purchase"])).dt.days.to_numpy() / DAYS_PER_MONTH
        stage = np.where(months < 6, "exploration", np.where(months < 18, "formation", "stability"))
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7,)))
        decline = rng.random(n) < decline_share
        c["stage"] = np.where(decline, "decline", stage)
    if "joins_month" in customers.columns:
        c["joins_month"] = v.numeric_column(
            customers, "joins_month", source=csrc, id_column="customer_id", minimum=0,
            integer=True,
        ).to_numpy().astype(np.int64)  # fmt: skip

    m = pd.DataFrame({"manager_id": managers["manager_id"].astype(str).to_numpy()})

    def mcat(col: str, allowed: tuple[str, ...], default: str) -> None:
        _copy_categorical(managers, m, col, allowed, default, msrc, "manager_id")

    mcat("tier", TIERS, "regular")
    mcat("specialty", SPECIALTIES, "new_business")
    mcat("industry_focus", INDUSTRY_GROUPS, "commercial")
    if "hire_date" in managers.columns:
        m["hire_date"] = v.date_column(
            managers, "hire_date", source=msrc, id_column="manager_id"
        ).to_numpy()
    else:
        m["hire_date"] = start - pd.DateOffset(years=3)
    if "monthly_cost" in managers.columns:
        m["monthly_cost"] = v.numeric_column(
            managers, "monthly_cost", source=msrc, id_column="manager_id", allow_negative=False
        ).to_numpy()
    else:
        m["monthly_cost"] = 12_000.0
    if "skill" in managers.columns:
        skill = v.numeric_column(managers, "skill", source=msrc, id_column="manager_id", maximum=1)
        if (skill <= 0).any():
            raise DataError(f"{msrc}: column 'skill' must be in (0, 1]; found values <= 0")
        m["skill"] = skill.to_numpy()
    else:
        m["skill"] = 0.7
    unknown = ~c["manager_id"].isin(m["manager_id"]).to_numpy()
    if unknown.any():
        rows = np.flatnonzero(unknown)[:5]
        found = ", ".join(
            f"{c['manager_id'].iloc[r]!r} at row {r + 1} (id {c['customer_id'].iloc[r]})"
            for r in rows
        )
        raise DataError(f"{csrc}: column 'manager_id' must name a manager of {msrc}; found {found}")
    return c, m


def synthetic_book(
    n_customers: int,
    n_managers: int,
    *,
    seed: int = 2024,
    start: pd.Timestamp | str = "2025-01-01",
    wallet_scale: float = 1.0,
    wallet_spread: float = 0.9,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a customers and a managers table shaped like the bundled company.

    Managers: about a quarter senior (skill 0.75-0.95, the stars), 40% regular, the rest junior;
    specialties and industry focus rotate. Customers: types, industry groups and channels in
    bundled-like proportions, lognormal annual wallets (median 48,500 CNY), 6C scores 1-5 that
    move together, first purchases spread over the previous 12 years, and key customers assigned
    to senior managers, mid-size ones to regular, small ones to juniors (round robin within tier).

    Examples
    --------
    >>> customers, managers = synthetic_book(20, 2, seed=1)
    >>> sorted(customers["manager_id"].unique()) == sorted(managers["manager_id"])
    True
    """
    if n_customers > 0 and n_managers < 1:
        raise ParameterError(
            f"parameter 'n_managers' must be >= 1 when there are customers to serve; "
            f"got {n_managers}"
        )
    start = pd.Timestamp(start)
    # managers and customers come from separate streams, so a book with more managers has the
    # same customers (common random numbers across team sizes)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
    # managers
    n_sen = max(1, round(0.27 * n_managers)) if n_managers else 0
    n_reg = round(0.4 * n_managers) if n_managers > 2 else max(0, n_managers - n_sen)
    n_jun = max(0, n_managers - n_sen - n_reg)
    tier = np.array(["senior"] * n_sen + ["regular"] * n_reg + ["junior"] * n_jun, dtype=object)
    low = {"senior": 0.74, "regular": 0.55, "junior": 0.40}
    high = {"senior": 0.95, "regular": 0.66, "junior": 0.52}
    cost = {"senior": 23_000.0, "regular": 12_500.0, "junior": 8_000.0}
    years = {"senior": (10, 15), "regular": (4, 10), "junior": (1, 4)}
    skill = np.array([rng.uniform(low[t], high[t]) for t in tier])
    hire_years = np.array([rng.uniform(*years[t]) for t in tier])
    managers = pd.DataFrame(
        {
            "manager_id": [f"M{i + 1:02d}" if n_managers < 100 else f"M{i + 1:04d}"
                           for i in range(n_managers)],
            "tier": tier.astype(str),
            "specialty": [SPECIALTIES[i % len(SPECIALTIES)] for i in range(n_managers)],
            "industry_focus": [INDUSTRY_GROUPS[i % 4] for i in range(n_managers)],
            "hire_date": [
                (start - pd.Timedelta(days=float(y) * 365.25)).normalize() for y in hire_years
            ],
            "monthly_cost": np.round([cost[t] * rng.uniform(0.9, 1.15) for t in tier], -1),
            "skill": np.round(skill, 2),
        }
    )  # fmt: skip
    # customers
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(12,)))
    types = np.array(CUSTOMER_TYPES)
    ctype = rng.choice(types, size=n_customers, p=[0.25, 0.30, 0.12, 0.25, 0.08])
    type_factor = {
        "retail_store": 0.6,
        "enterprise": 1.8,
        "school_government": 1.3,
        "small_business": 0.45,
        "hospital": 1.6,
    }
    # wallet_spread rescales one standard-normal draw, so books of different spread see the
    # same customers in the same order (common random numbers)
    wallet = (
        48_500
        * wallet_scale
        * np.array([type_factor[t] for t in ctype])
        * np.exp(wallet_spread * rng.normal(0.0, 1.0, n_customers))
    )
    wallet = np.round(np.clip(wallet, 3_000, None), -2)
    industry = rng.choice(np.array(INDUSTRY_GROUPS), size=n_customers, p=[0.35, 0.3, 0.25, 0.1])
    channel = rng.choice(np.array(CHANNEL_NAMES), size=n_customers, p=[0.3, 0.2, 0.25, 0.25])
    common = rng.normal(0.0, 0.8, n_customers)
    six = {
        col: np.clip(np.round(3.4 + common + rng.normal(0.0, 0.7, n_customers)), 1, 5).astype(int)
        for col in SIX_C
    }
    days_back = rng.uniform(20, 12 * 365.25, n_customers)
    first = (start - pd.to_timedelta(np.round(days_back), unit="D")).normalize()
    # key customers to seniors, mid-size to regular, small to juniors
    manager_of = deal_by_seniority(wallet, managers)
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i + 1:04d}" if n_customers < 10_000 else f"C{i + 1:06d}"
                            for i in range(n_customers)],
            "customer_type": ctype.astype(str),
            "industry_group": industry.astype(str),
            "channel": channel.astype(str),
            "manager_id": manager_of.astype(str),
            "first_purchase": first,
            "annual_wallet": wallet,
            **six,
        }
    )  # fmt: skip
    return customers, managers


def deal_by_seniority(wallet: Any, managers: pd.DataFrame) -> np.ndarray:
    """The manager of each customer when the largest wallets go to the most senior managers.

    Customers are ranked by annual wallet (largest first, ties in table order) and cut into
    three bands, one per tier of :data:`crmsim.terms.TIERS`, in proportion to the number of
    managers of that tier weighted 0.75 (senior), 1.0 (regular) and 1.2 (junior) — seniors
    carry fewer but larger customers. Within a band, customers are dealt round robin to the
    managers of the tier, in table order. This is how :func:`synthetic_book` assigns its
    customers, and how a customer file without its own assignment can be given to a team.

    Parameters
    ----------
    wallet : array-like of float
        Annual wallet per customer.
    managers : DataFrame
        ``manager_id`` and ``tier`` (values of :data:`crmsim.terms.TIERS`).

    Returns
    -------
    ndarray of object
        The ``manager_id`` of each customer, in the order of *wallet*.

    Examples
    --------
    >>> team = pd.DataFrame({"manager_id": list("SRJ"), "tier": ["senior", "regular", "junior"]})
    >>> wallets = [10.0, 500.0, 40.0, 90.0, 5.0, 60.0]  # bands: 500, 90 | 60, 40 | 10, 5
    >>> deal_by_seniority(wallets, team).tolist()
    ['J', 'S', 'R', 'S', 'J', 'R']
    """
    wallet = np.asarray(wallet, dtype=float)
    n = len(wallet)
    manager_of = np.empty(n, dtype=object)
    if n == 0:
        return manager_of
    if managers.empty:
        raise ParameterError(
            f"parameter 'managers' must list at least one manager to deal {n} customers to"
        )
    tier = managers["tier"].to_numpy(dtype=object)
    unknown = sorted(set(tier) - set(TIERS))
    if unknown:
        raise ParameterError(
            f"parameter 'managers': column 'tier' must hold {list(TIERS)}; found {unknown}"
        )
    order = np.argsort(-wallet, kind="stable")
    groups = [np.flatnonzero(tier == t) for t in TIERS]
    counts = np.array([len(g) for g in groups], dtype=float)
    shares = counts * np.array([0.75, 1.0, 1.2])
    cuts = np.round(np.cumsum(shares / shares.sum()) * n).astype(int)
    ids = managers["manager_id"].to_numpy(dtype=object)
    lo = 0
    for g, hi in zip(groups, cuts, strict=True):
        ranks = order[lo:hi]
        if len(g):  # round robin within the tier
            manager_of[ranks] = ids[g[np.arange(len(ranks)) % len(g)]]
        lo = hi
    return manager_of


def _copy_categorical(
    table: pd.DataFrame, out: pd.DataFrame, col: str, allowed: tuple[str, ...], default: str,
    source: str, id_column: str,
) -> None:  # fmt: skip
    """Copy *col* of *table* into *out* after checking its values, or fill *default*."""
    if col in table.columns:
        v.categorical_column(table, col, allowed, source=source, id_column=id_column)
        out[col] = table[col].astype(str).to_numpy()
    else:
        out[col] = default
