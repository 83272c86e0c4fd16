"""Seeded generator of the bundled office-supplies distributor data set.

Longer than most modules (about 730 lines) because the generator is one seeded recipe whose
steps share their random streams and run in the order the data dictionary describes them;
splitting it would scatter one story.

The bundled files in ``datasets/`` describe a fictitious office-supplies distributor (the
textbook's running example): about 600 business customers, 15 account managers (客户经理) and
three years of order lines (2022-01-01 .. 2024-12-31). Everything is synthetic and comes from one
seed, so the committed files can be rebuilt byte for byte::

    python -m crmsim.datasets                     # rewrites the repository's datasets/
    python -m crmsim.datasets OUT_DIR             # writes the four files into OUT_DIR

The modelling choices (heavy-tailed customer size, lifecycle trajectories, seasonality, margins,
6C credit scores, star account managers) are described in ``datasets/README.md``. Each customer
follows a hidden trajectory archetype (still exploring, forming, stable, declining, lost, declined
during formation, recovered); it is not written to the CSV files, but :func:`generate` returns it
under the key ``"truth"`` so tests and instructors can check that analyses recover it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crmsim.io.writing import csv_bytes, write_bytes
from crmsim.terms import CHANNELS, CUSTOMER_TYPES, INDUSTRY_GROUPS

__all__ = ["ARCHETYPES", "DEFAULT_SEED", "FILE_NAMES", "generate", "write"]

DEFAULT_SEED = 2024

#: File names of the four bundled data files, by the key :func:`generate` returns them under.
FILE_NAMES: dict[str, str] = {
    "customers": "customers.csv",
    "transactions": "transactions.csv",
    "account_managers": "account_managers.csv",
    "relationship_map": "relationship_map.json",
}

#: Hidden lifecycle trajectories (domain.md §2), in the order used for sampling.
ARCHETYPES: tuple[str, ...] = (
    "exploring",
    "forming",
    "stable",
    "declining",
    "lost",
    "declined_in_formation",
    "recovered",
)

# ------------------------------------------------------------------ constants of the world
START = pd.Timestamp("2022-01-01")
END = pd.Timestamp("2024-12-31")
N_MONTHS = 36
N_CUSTOMERS = 600

TYPE_PROBS = (0.24, 0.30, 0.12, 0.26, 0.08)
#: P(industry group | customer type): schools, government bodies and hospitals are mostly filed
#: under "group" (public institutions and large groups), shops under commercial/private.
INDUSTRY_BY_TYPE = {
    "retail_store": (0.65, 0.00, 0.35, 0.00),
    "enterprise": (0.25, 0.45, 0.10, 0.20),
    "school_government": (0.10, 0.00, 0.00, 0.90),
    "small_business": (0.45, 0.00, 0.55, 0.00),
    "hospital": (0.10, 0.00, 0.20, 0.70),
}
REGIONS = ("north", "east", "south", "west", "central")
REGION_PROBS = (0.22, 0.30, 0.22, 0.12, 0.14)
CHANNEL_PROBS = (0.25, 0.20, 0.30, 0.25)

#: Median annual office-supplies wallet (CNY) by customer type; log-sd of the lognormal.
WALLET_MEDIAN = {
    "retail_store": 45_000,
    "enterprise": 80_000,
    "school_government": 110_000,
    "small_business": 18_000,
    "hospital": 90_000,
}
WALLET_SIGMA = 1.05
WALLET_Z_LIMIT = 2.5  # log-wallets are cut at +-2.5 sd: no single customer dwarfs the firm

ARCHETYPE_PROBS = np.array([0.12, 0.15, 0.30, 0.13, 0.12, 0.08, 0.10])
#: Multipliers on ARCHETYPE_PROBS by acquisition channel: referred customers are retained better.
ARCHETYPE_BY_CHANNEL = {
    "referral": np.array([1.0, 1.0, 1.35, 0.7, 0.45, 0.6, 1.2]),
    "market_research": np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    "telemarketing": np.array([1.0, 1.0, 0.9, 1.1, 1.25, 1.3, 0.9]),
    "lead_platform": np.array([1.25, 1.1, 0.85, 1.0, 1.25, 1.1, 0.9]),
}

CATEGORIES = ("paper", "writing", "filing", "ink_toner", "furniture", "technology", "cleaning")
#: How often a category appears on an order, by customer type (rows follow CATEGORIES).
CATEGORY_FREQ = {
    "retail_store": (0.25, 0.25, 0.15, 0.12, 0.03, 0.08, 0.12),
    "enterprise": (0.25, 0.15, 0.15, 0.20, 0.07, 0.12, 0.06),
    "school_government": (0.30, 0.20, 0.15, 0.15, 0.07, 0.08, 0.05),
    "small_business": (0.30, 0.15, 0.15, 0.20, 0.04, 0.10, 0.06),
    "hospital": (0.25, 0.12, 0.20, 0.13, 0.05, 0.08, 0.17),
}
#: Relative size of a line of each category within an order (furniture and technology are big).
CATEGORY_SIZE = np.array([1.0, 0.5, 0.6, 1.3, 3.5, 3.0, 0.7])
#: Typical gross margin by category.
CATEGORY_MARGIN = np.array([0.12, 0.28, 0.22, 0.25, 0.30, 0.10, 0.20])
MARGIN_SD = 0.025
DISCOUNT_PROB = 0.015  # share of order lines sold below cost in a promotion or price match
MIN_LINE_AMOUNT = 8.0

#: Month-of-year seasonality (Jan..Dec): Spring Festival dip in February, school season in
#: August-September, National Day lull in October, year-end budget spending in December.
SEASON = np.array([0.90, 0.70, 1.00, 1.00, 1.00, 0.95, 0.95, 1.25, 1.20, 0.90, 1.05, 1.30])
SCHOOL_AUGUST_BOOST = 1.8  # schools and government bodies stock up before term

#: Cut points turning a standard-normal latent score into a 1-5 rating.
SCORE_CUTS = np.array([-1.55, -0.75, 0.35, 1.25])
N_RISKY = 12  # customers with a bad payment record ("grade D material")

# account managers
MANAGER_TIERS = ("senior",) * 4 + ("regular",) * 6 + ("junior",) * 5
N_STARS = 3  # the first three seniors
#: Monthly cost (salary, bonus and overheads, CNY) by role; stars sit at the top of the senior band.
MONTHLY_COST = {"star": (22_000, 25_000), "senior": (18_000, 22_000), "regular": (11_000, 15_000),
                "junior": (7_000, 9_000)}
SKILL = {"star": (0.90, 0.97), "senior": (0.72, 0.82), "regular": (0.55, 0.72),
         "junior": (0.35, 0.55)}
#: Customers a manager aims to carry, by tier (sums to about 600 over the 15 managers).
TARGET_LOAD = {"star": 30, "senior": 40, "regular": 42, "junior": 45}
#: Affinity of (customer importance band) x (manager tier): seniors serve key accounts.
BAND_FIT = {
    "key": {"star": 3.0, "senior": 1.5, "regular": 0.3, "junior": 0.02},
    "mid": {"star": 0.4, "senior": 1.0, "regular": 1.4, "junior": 0.5},
    "small": {"star": 0.03, "senior": 0.3, "regular": 1.0, "junior": 1.6},
}

# ------------------------------------------------------------------ word lists for names
_BRANDS = (
    "Huaxin", "Jinding", "Hongda", "Xinyuan", "Tianyi", "Boya", "Ruifeng", "Changsheng",
    "Mingtai", "Zhongke", "Haitian", "Yongxin", "Dongfang", "Jiahe", "Shengshi", "Baoli",
    "Kaiyuan", "Fuxing", "Lianhe", "Jinqiao", "Xinghai", "Anda", "Tongda", "Huamei",
    "Longsheng", "Qiming", "Ruida", "Hengtai", "Wanjia", "Chenguang", "Yida", "Guanghua",
    "Jiuzhou", "Xiangyun", "Zhixin", "Huitong", "Jinyu", "Hexin", "Dingsheng", "Yuanfang",
)
_CITIES = {
    "north": ("Beijing", "Tianjin", "Shijiazhuang", "Taiyuan", "Jinan"),
    "east": ("Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Hefei", "Ningbo"),
    "south": ("Guangzhou", "Shenzhen", "Xiamen", "Nanning", "Fuzhou"),
    "west": ("Chengdu", "Chongqing", "Xi'an", "Kunming"),
    "central": ("Wuhan", "Changsha", "Zhengzhou", "Nanchang"),
}
#: Name endings by customer type: (for customers below the type's median wallet, above it).
_SUFFIXES = {
    "retail_store": (
        ("Stationery Store", "Office Mart", "Bookstore", "Copy Shop"),
        ("Supermarket", "Department Store", "Convenience Store Chain", "Office Mart"),
    ),
    "enterprise": (
        ("Trading Co., Ltd.", "Technology Co., Ltd.", "Logistics Co., Ltd.",
         "Electronics Co., Ltd.", "Property Management Co., Ltd."),
        ("Manufacturing Co., Ltd.", "Construction Group", "Pharmaceutical Co., Ltd.",
         "Holdings Group", "Property Management Co., Ltd."),
    ),
    "small_business": (
        ("Design Studio", "Consulting", "Travel Agency", "Advertising Studio"),
        ("Law Firm", "Accounting Firm", "Training Centre", "Real Estate Agency"),
    ),
    "hospital": (
        ("Dental Clinic", "Community Health Centre", "Eye Clinic"),
        ("People's Hospital", "Maternity Hospital", "Hospital of Traditional Medicine"),
    ),
    "school_government": (
        ("No. {n} Primary School", "No. {n} Middle School", "Public Library",
         "Experimental School"),
        ("Vocational College", "District Education Bureau", "Municipal Tax Bureau",
         "District Government Office", "Foreign Languages School"),
    ),
}
_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu",
             "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo")
_GIVEN = ("Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Yang", "Jie", "Juan", "Tao",
          "Ming", "Chao", "Xiu", "Hui", "Ping", "Gang", "Yan", "Hao", "Lin", "Ting", "Bo")


# ------------------------------------------------------------------ relationship map (hand-made)
#: The need items of the textbook's office-supplies example and how the organisation judges them:
#: item -> (valuable?, result-based evaluation dimension or None).
_NEEDS: dict[str, tuple[bool, str | None]] = {
    "sales revenue": (True, "sales revenue against target"),
    "profit": (True, "gross profit margin"),
    "urgent orders": (True, "urgent-order fill rate"),
    "merchandise display design": (True, "in-store sell-through rate"),
    "timely supply": (True, "on-time delivery rate"),
    "answering questions": (False, None),
    "price information": (False, None),
    "problem solutions": (True, "problems resolved at first contact"),
    "office supplies for specific groups": (True, "sales of group-specific supply packages"),
    "product design": (True, "product improvements adopted"),
    "production specifications": (True, "orders made to specification"),
    "sales data": (True, "accuracy and timeliness of sales reports"),
}
_MAP_CUSTOMERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("E1", "Retail stores", "external",
     ("urgent orders", "merchandise display design", "timely supply", "price information",
      "answering questions")),
    ("E2", "Enterprise buyers", "external",
     ("timely supply", "urgent orders", "problem solutions", "price information",
      "answering questions")),
    ("E3", "Schools and government", "external",
     ("office supplies for specific groups", "timely supply", "price information",
      "answering questions")),
    ("E4", "Manufacturers and suppliers", "external",
     ("product design", "production specifications", "sales data")),
    ("I1", "Management", "internal", ("sales revenue", "profit", "sales data")),
    ("I2", "Finance department", "internal", ("profit", "sales data", "answering questions")),
    ("I3", "Warehouse and logistics", "internal",
     ("urgent orders", "timely supply", "sales data")),
    ("I4", "Marketing department", "internal",
     ("sales data", "merchandise display design", "price information", "problem solutions")),
)


def _relationship_map() -> dict:
    """The office-supplies sales team's customer relationship map (客户关系图), domain.md §6."""
    order = list(_NEEDS)
    customers = []
    for cid, name, kind, items in _MAP_CUSTOMERS:
        needs = [
            {"item": item, "valuable": _NEEDS[item][0], "dimension": _NEEDS[item][1]}
            for item in sorted(items, key=order.index)
        ]
        customers.append({"id": cid, "name": name, "kind": kind, "needs": needs})
    return {
        "team": "Office-supplies sales team",
        "organisation_goal": (
            "Grow profitable, long-term sales of office supplies to business and public-sector "
            "customers"
        ),
        "customers": customers,
    }


# ------------------------------------------------------------------ helpers
def _score(z: np.ndarray) -> np.ndarray:
    """Turn standard-normal latent values into integer ratings 1..5."""
    return (np.searchsorted(SCORE_CUTS, z) + 1).astype("int64")


def _business_days(first: pd.Timestamp, last: pd.Timestamp) -> np.ndarray:
    """Monday-to-Friday dates from *first* to *last* inclusive."""
    days = np.arange(first.date(), (last + pd.Timedelta(days=1)).date(), dtype="datetime64[D]")
    return days[np.is_busday(days)]


def _month_start(m: int) -> pd.Timestamp:
    """First day of month *m*, counted from January 2022 (m may be negative)."""
    return START + pd.DateOffset(months=int(m))


def _levels(archetype: str, start: int, rng: np.random.Generator) -> np.ndarray:
    """Relationship level (0 = no business, 1 = full steady share) for each of the 36 months.

    *start* is the month of the first purchase relative to January 2022 (negative = before).
    """
    m = np.arange(N_MONTHS, dtype=float)
    since = m - start  # months since the first purchase
    level = np.zeros(N_MONTHS)
    if archetype == "exploring":
        level[:] = rng.uniform(0.08, 0.25)
    elif archetype == "forming":
        ramp = rng.uniform(14, 26)
        level = 0.15 + 0.85 * np.clip(since / ramp, 0.0, 1.0) ** 1.2
    elif archetype == "stable":
        level = np.minimum(1.0, 0.35 + 0.65 * np.clip(since / rng.uniform(3, 6), 0, 1))
    elif archetype == "declining":
        level = np.minimum(1.0, 0.35 + 0.65 * np.clip(since / rng.uniform(3, 6), 0, 1))
        onset = rng.integers(23, 30)  # decline starts Dec 2023 .. Jun 2024
        floor = rng.uniform(0.15, 0.40)
        fall = np.clip((m - onset) / (N_MONTHS - 1 - onset), 0.0, 1.0)
        level = level * (1.0 - (1.0 - floor) * fall)
    elif archetype == "lost":
        level = np.minimum(1.0, 0.3 + 0.7 * np.clip(since / rng.uniform(4, 10), 0, 1))
        gone = rng.integers(max(start + 6, 5), 31)  # first month without business, <= Jul 2024
        fade = rng.integers(2, 7)
        fall = np.clip((m - (gone - fade)) / fade, 0.0, 1.0)
        level = level * (1.0 - 0.85 * fall)
        level[m >= gone] = 0.0
    elif archetype == "declined_in_formation":
        rise = rng.uniform(4, 9)
        peak = rng.uniform(0.35, 0.60)
        fall_len = rng.uniform(6, 12)
        floor = rng.uniform(0.05, 0.20)
        up = 0.15 + (peak - 0.15) * np.clip(since / rise, 0, 1)
        down = np.clip((since - rise) / fall_len, 0, 1)
        level = up - (peak - floor) * down
    elif archetype == "recovered":
        level = np.ones(N_MONTHS)
        dip_start = rng.integers(8, 17)
        dip_len = rng.integers(4, 9)
        low = rng.uniform(0.20, 0.35)
        back = rng.uniform(0.85, 1.05)
        level[dip_start : dip_start + dip_len] = low
        after = m >= dip_start + dip_len
        climb = (m[after] - dip_start - dip_len + 1) / 3  # back to normal within three months
        level[after] = np.minimum(back, low + (back - low) * climb)
    else:  # pragma: no cover - guarded by ARCHETYPES
        raise AssertionError(archetype)
    level = np.where(since < 0, 0.0, level)
    # month-to-month wobble of the relationship (a busy quarter, a delayed budget...)
    return level * rng.lognormal(0.0, 0.12, N_MONTHS)


def _first_purchase_month(archetype: str, rng: np.random.Generator) -> int:
    if archetype == "exploring":
        return int(rng.integers(24, 34))
    if archetype == "forming":
        return int(rng.integers(10, 27))
    if archetype in ("stable", "declining", "recovered"):
        return int(rng.integers(-120, 0)) if rng.random() < 0.8 else int(rng.integers(0, 7))
    if archetype == "lost":
        return int(rng.integers(-96, 0)) if rng.random() < 0.6 else int(rng.integers(0, 13))
    return int(rng.integers(0, 19))  # declined_in_formation


def _unique_names(candidates: list[str], rng: np.random.Generator, make) -> list[str]:
    """Make *candidates* unique by redrawing duplicates with *make()* (deterministic)."""
    seen: set[str] = set()
    out = []
    for name in candidates:
        while name in seen:
            name = make(rng)
        seen.add(name)
        out.append(name)
    return out


# ------------------------------------------------------------------ the generator
def _managers(rng: np.random.Generator) -> pd.DataFrame:
    n = len(MANAGER_TIERS)
    count = MANAGER_TIERS.count
    roles = ["star"] * N_STARS + ["senior"] * (count("senior") - N_STARS)
    roles += ["regular"] * count("regular") + ["junior"] * count("junior")
    specialty = (
        ["key_accounts", "key_accounts", "product_solutions", "credit_collections"]
        + list(rng.permutation(["new_business", "new_business", "product_solutions",
                                "product_solutions", "credit_collections", "key_accounts"]))
        + list(rng.permutation(["new_business", "new_business", "new_business",
                                "credit_collections", "product_solutions"]))
    )
    focus = [INDUSTRY_GROUPS[i] for i in (0, 1, 3, 2)]  # stars: commercial, industrial, group
    focus += list(rng.permutation(INDUSTRY_GROUPS * 3))[: n - 4]
    hire_years = {"star": (2008, 2014), "senior": (2010, 2016), "regular": (2015, 2021),
                  "junior": (2021, 2024)}
    hire = []
    for role in roles:
        lo, hi = hire_years[role]
        year = int(rng.integers(lo, hi))
        day = int(rng.integers(0, 365))
        hire.append(pd.Timestamp(year=year, month=1, day=1) + pd.Timedelta(days=day))
    tiers = ["senior" if r == "star" else r for r in roles]
    cost = [round(float(rng.uniform(*MONTHLY_COST[r])), -1) for r in roles]
    skill = [round(float(rng.uniform(*SKILL[r])), 2) for r in roles]

    def make_name(g: np.random.Generator) -> str:
        return f"{g.choice(_SURNAMES)} {g.choice(_GIVEN)}"

    names = _unique_names([make_name(rng) for _ in range(n)], rng, make_name)
    df = pd.DataFrame(
        {
            "name": names,
            "tier": tiers,
            "specialty": [str(s) for s in specialty],
            "industry_focus": [str(f) for f in focus],
            "hire_date": pd.to_datetime(hire).astype("datetime64[ns]"),
            "monthly_cost": np.array(cost, dtype="float64"),
            "skill": np.array(skill, dtype="float64"),
            "_role": roles,
        }
    )
    # ids follow seniority, as a firm would number its staff (M01 = longest serving)
    df = df.sort_values("hire_date", kind="stable").reset_index(drop=True)
    df.insert(0, "manager_id", [f"M{i + 1:02d}" for i in range(n)])
    return df


def _customer_names(types, regions, large, rng: np.random.Generator) -> list[str]:
    """Company names from word lists; *large* picks endings that fit a bigger organisation."""

    def make(ctype: str, region: str, big: bool, g: np.random.Generator) -> str:
        city = str(g.choice(_CITIES[region]))
        suffix = str(g.choice(_SUFFIXES[ctype][int(big)]))
        if ctype == "school_government":
            return f"{city} " + suffix.format(n=int(g.integers(1, 40)))
        brand = str(g.choice(_BRANDS))
        if g.random() < 0.5:
            return f"{city} {brand} {suffix}"
        return f"{brand} {suffix}"

    names: list[str] = []
    seen: set[str] = set()
    for ctype, region, big in zip(types, regions, large, strict=True):
        name = make(ctype, region, big, rng)
        while name in seen:
            name = make(ctype, region, big, rng)
        seen.add(name)
        names.append(name)
    return names


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame | dict]:
    """Generate the synthetic office-supplies distributor data set.

    Parameters
    ----------
    seed : int, default 2024
        Seed of every random draw; the committed files use the default.

    Returns
    -------
    dict
        ``"customers"``, ``"transactions"``, ``"account_managers"`` (DataFrames with the columns
        of the bundled CSV files, typed as the ``load_*`` functions return them),
        ``"relationship_map"`` (the dict written to relationship_map.json) and ``"truth"``
        (DataFrame ``customer_id``, ``archetype``: the hidden lifecycle trajectory of each
        customer, one of :data:`ARCHETYPES`; never written to the CSV files).

    Examples
    --------
    >>> data = generate(seed=7)
    >>> sorted(data)
    ['account_managers', 'customers', 'relationship_map', 'transactions', 'truth']
    >>> len(data["customers"])
    600
    """
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)]
    r_mgr, r_cust, r_life, r_orders, r_credit, r_assign, r_names = streams

    managers = _managers(r_mgr)

    # ---- customers: who they are
    n = N_CUSTOMERS
    ctype = r_cust.choice(CUSTOMER_TYPES, size=n, p=TYPE_PROBS)
    industry = np.array(
        [str(r_cust.choice(INDUSTRY_GROUPS, p=INDUSTRY_BY_TYPE[t])) for t in ctype], dtype=object
    )
    region = r_cust.choice(REGIONS, size=n, p=REGION_PROBS)
    channel = r_cust.choice(CHANNELS, size=n, p=CHANNEL_PROBS)
    archetype = []
    for ch in channel:
        w = ARCHETYPE_PROBS * ARCHETYPE_BY_CHANNEL[ch]
        archetype.append(str(r_cust.choice(ARCHETYPES, p=w / w.sum())))
    median = np.array([WALLET_MEDIAN[t] for t in ctype], dtype=float)
    z_wallet = np.clip(r_cust.standard_normal(n), -WALLET_Z_LIMIT, WALLET_Z_LIMIT)
    wallet = np.round(median * np.exp(WALLET_SIGMA * z_wallet), -2)
    wallet = np.maximum(wallet, 3_000.0)
    share = r_cust.beta(5, 5, n) * 0.8 + np.where(channel == "referral", 0.10, 0.0)

    # ---- lifecycle: level of the relationship in each month
    start = np.array([_first_purchase_month(a, r_life) for a in archetype])
    level = np.vstack([_levels(a, s, r_life) for a, s in zip(archetype, start, strict=True)])

    # ---- account managers: importance bands decide who serves whom (素质分配法 + 行业分配法)
    expected = wallet * share * level.mean(axis=1)
    rank = np.argsort(np.argsort(-expected, kind="stable"), kind="stable")
    band = np.where(rank < 0.10 * n, "key", np.where(rank < 0.40 * n, "mid", "small"))
    roles = managers["_role"].to_numpy()
    load = np.zeros(len(managers))
    target = np.array([TARGET_LOAD[r] for r in roles], dtype=float)
    assigned = np.empty(n, dtype=int)
    new_customer = start >= 18  # first purchase from July 2023 on
    for i in np.argsort(-expected, kind="stable"):
        w = np.array([BAND_FIT[band[i]][r] for r in roles])
        w = w * np.where(managers["industry_focus"].to_numpy() == industry[i], 2.0, 1.0)
        spec = managers["specialty"].to_numpy()
        w = w * np.where((spec == "new_business") & new_customer[i], 1.6, 1.0)
        w = w * np.where((spec == "key_accounts") & (band[i] == "key"), 1.5, 1.0)
        w = w * np.where(
            (spec == "product_solutions") & (ctype[i] in ("enterprise", "hospital")), 1.3, 1.0
        )
        w = w * np.maximum(0.02, 1.0 - load / target)
        k = int(r_assign.choice(len(w), p=w / w.sum()))
        assigned[i] = k
        load[k] += 1
    skill = managers["skill"].to_numpy()[assigned]
    share = np.clip(share * (0.85 + 0.3 * skill), 0.05, 0.95)  # better managers win more wallet

    # ---- orders: Poisson counts per month, lognormal sizes around the customer's scale
    season = np.tile(SEASON, N_MONTHS // 12)
    month_spend = (wallet * share / 12.0)[:, None] * level * season[None, :]
    august = (np.arange(N_MONTHS) % 12) == 7
    school = ctype == "school_government"
    month_spend[np.ix_(school, august)] *= SCHOOL_AUGUST_BOOST
    freq = np.clip(1.5 * (wallet * share / 30_000.0) ** 0.35, 0.5, 5.0)
    rate = freq[:, None] * np.sqrt(level) * np.sqrt(season)[None, :]
    counts = r_orders.poisson(rate)
    in_window = (start >= 0) & (start < N_MONTHS)
    first_cell = (np.flatnonzero(in_window), start[in_window])
    counts[first_cell] = np.maximum(counts[first_cell], 1)  # the first purchase is an order

    cust_idx, month_idx = np.nonzero(counts)
    reps = counts[cust_idx, month_idx]
    o_cust = np.repeat(cust_idx, reps)
    o_month = np.repeat(month_idx, reps)
    mean_size = month_spend[o_cust, o_month] / rate[o_cust, o_month]
    o_value = mean_size * r_orders.lognormal(-0.5 * 0.45**2, 0.45, len(o_cust))

    # order dates: business days of the month, not before the first purchase
    month_days = [
        _business_days(_month_start(m), _month_start(m + 1) - pd.Timedelta(days=1))
        for m in range(N_MONTHS)
    ]
    first_day = np.empty(n, dtype="datetime64[D]")
    for i in range(n):
        ms = _month_start(start[i])
        days = _business_days(ms, _month_start(start[i] + 1) - pd.Timedelta(days=1))
        first_day[i] = days[r_orders.integers(0, len(days))]
    o_date = np.empty(len(o_cust), dtype="datetime64[D]")
    u = r_orders.random(len(o_cust))
    for j, (c, mth) in enumerate(zip(o_cust, o_month, strict=True)):
        days = month_days[mth]
        if mth == start[c]:
            days = days[days >= first_day[c]]
        o_date[j] = days[int(u[j] * len(days))]
    # the first order of a customer who started within the window falls on the first purchase
    first_order = np.zeros(len(o_cust), dtype=bool)
    seen_first: set[int] = set()
    for j in np.lexsort((o_date, o_cust)):
        c = int(o_cust[j])
        if c not in seen_first:
            seen_first.add(c)
            first_order[j] = in_window[c]
    o_date[first_order] = first_day[o_cust[first_order]]

    # ---- order lines: 1-4 categories per order, chosen by the customer type's mix
    n_lines = 1 + r_orders.binomial(3, 0.35, len(o_cust))
    freq_table = np.array([CATEGORY_FREQ[t] for t in CUSTOMER_TYPES])
    type_code = np.array([CUSTOMER_TYPES.index(t) for t in ctype])
    gumbel = r_orders.gumbel(size=(len(o_cust), len(CATEGORIES)))
    keys = np.log(freq_table[type_code[o_cust]]) + gumbel
    ranked = np.argsort(-keys, axis=1, kind="stable")
    chosen = np.zeros_like(keys, dtype=bool)
    rows = np.arange(len(o_cust))
    for pos in range(4):
        take = n_lines > pos
        chosen[rows[take], ranked[take, pos]] = True
    weight = chosen * CATEGORY_SIZE[None, :] * r_orders.lognormal(0.0, 0.4, keys.shape)
    amounts = o_value[:, None] * weight / weight.sum(axis=1, keepdims=True)
    l_order, l_cat = np.nonzero(chosen)
    l_amount = np.round(np.maximum(amounts[l_order, l_cat], MIN_LINE_AMOUNT), 2)
    margin = CATEGORY_MARGIN[l_cat] + r_orders.normal(0.0, MARGIN_SD, len(l_cat))
    discounted = r_orders.random(len(l_cat)) < DISCOUNT_PROB
    margin[discounted] = -r_orders.uniform(0.01, 0.08, int(discounted.sum()))
    l_profit = np.round(l_amount * margin, 2)

    # ---- 6C credit scores (6C分析) from a latent credit quality
    quality = r_credit.normal(0.0, 1.0, n)
    arche = np.array(archetype)
    quality -= np.where(np.isin(arche, ("lost", "declining", "declined_in_formation")), 0.3, 0.0)
    risky = r_credit.choice(n, size=N_RISKY, replace=False)
    quality[risky] = r_credit.normal(-2.6, 0.3, N_RISKY)
    days_late = 4.0 * np.exp(-0.9 * quality + r_credit.normal(0.0, 0.35, n)) - 2.0
    days_late = np.round(np.maximum(days_late, 0.0), 1)
    character = np.select(
        [days_late <= 0.5, days_late <= 3.0, days_late <= 8.0, days_late <= 20.0],
        [5, 4, 3, 2], default=1,
    ).astype("int64")
    zw = (np.log(wallet) - np.log(wallet).mean()) / np.log(wallet).std()

    def latent(*parts: tuple[float, np.ndarray]) -> np.ndarray:
        total = sum(w * x for w, x in parts)
        return total / np.sqrt(sum(w * w for w, _ in parts))

    def noise() -> np.ndarray:
        return r_credit.normal(0.0, 1.0, n)

    region_effect = np.select(
        [region == r for r in REGIONS], [0.0, 0.6, 0.4, -0.4, -0.2], default=0.0
    )
    continuity_effect = np.select(
        [arche == a for a in ARCHETYPES], [0.0, 0.4, 0.8, -0.8, -1.2, -0.8, 0.4], default=0.0
    )
    capacity = _score(latent((0.7, quality), (0.3, zw), (0.5, noise())))
    capital = _score(latent((0.75, zw), (0.35, quality), (0.45, noise())))
    collateral = _score(latent((0.55, zw), (0.3, quality), (0.6, noise())))
    condition = _score(latent((0.35, quality), (1.0, region_effect), (0.8, noise())))
    continuity = _score(latent((0.4, quality), (1.0, continuity_effect), (0.7, noise())))

    # ---- first purchase date; ids follow the order customers were first won
    first_purchase = first_day
    order = np.lexsort((np.arange(n), first_purchase))
    cust_id = np.empty(n, dtype=object)
    cust_id[order] = [f"C{i + 1:04d}" for i in range(n)]
    names = np.empty(n, dtype=object)
    names[order] = _customer_names(ctype[order], region[order], (wallet > median)[order], r_names)

    customers = pd.DataFrame(
        {
            "customer_id": cust_id,
            "name": names,
            "customer_type": ctype,
            "industry_group": industry,
            "region": region,
            "channel": channel,
            "manager_id": managers["manager_id"].to_numpy()[assigned],
            "first_purchase": first_purchase.astype("datetime64[ns]"),
            "annual_wallet": wallet.astype("float64"),
            "character": character,
            "capacity": capacity,
            "capital": capital,
            "collateral": collateral,
            "condition": condition,
            "continuity": continuity,
            "avg_days_late": days_late.astype("float64"),
        }
    ).iloc[order]
    customers = customers.astype({c: "str" for c in _STR_CUSTOMER}).reset_index(drop=True)
    truth = pd.DataFrame({"customer_id": cust_id[order], "archetype": arche[order]}).astype("str")

    # ---- transactions table, ordered by date then customer; order ids follow that order
    o_cid = cust_id[o_cust]
    o_order = np.lexsort((np.arange(len(o_cust)), o_cid.astype(str), o_date))
    order_number = np.empty(len(o_cust), dtype=np.int64)
    order_number[o_order] = np.arange(1, len(o_cust) + 1)
    transactions = pd.DataFrame(
        {
            "date": o_date[l_order].astype("datetime64[ns]"),
            "order_id": [f"O{k:06d}" for k in order_number[l_order]],
            "customer_id": o_cid[l_order],
            "category": np.array(CATEGORIES)[l_cat],
            "amount": l_amount,
            "gross_profit": l_profit,
            "_order": order_number[l_order],
            "_cat": l_cat,
        }
    )
    transactions = (
        transactions.sort_values(["_order", "_cat"], kind="stable")
        .drop(columns=["_order", "_cat"])
        .astype({"order_id": "str", "customer_id": "str", "category": "str"})
        .reset_index(drop=True)
    )
    managers = managers.drop(columns="_role").astype(
        {c: "str" for c in ("manager_id", "name", "tier", "specialty", "industry_focus")}
    )
    return {
        "customers": customers,
        "transactions": transactions,
        "account_managers": managers,
        "relationship_map": _relationship_map(),
        "truth": truth,
    }


_STR_CUSTOMER = ("customer_id", "name", "customer_type", "industry_group", "region", "channel",
                 "manager_id")


# ------------------------------------------------------------------ writing the files
def _write_csv(df: pd.DataFrame, path: Path) -> None:
    write_bytes(path, csv_bytes(df, float_format="%.2f", date_format="%Y-%m-%d",
                                lineterminator="\n"))  # fmt: skip


def write(out_dir: str | Path, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate the data set and write the four bundled files into *out_dir*.

    CSV files are UTF-8 without index, floats with two decimals, dates ``YYYY-MM-DD`` and ``\\n``
    line endings; the JSON file is indented by two spaces with sorted keys. The same seed gives
    byte-identical files on every run.

    Parameters
    ----------
    out_dir : str or Path
        Directory to write into; created if missing.
    seed : int, default 2024
        Seed passed to :func:`generate`.

    Returns
    -------
    dict
        Path of each written file, by the keys of :data:`FILE_NAMES`.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write(tmp, seed=7)
    ...     sorted(p.name for p in paths.values())
    ['account_managers.csv', 'customers.csv', 'relationship_map.json', 'transactions.csv']
    """
    data = generate(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {key: out / name for key, name in FILE_NAMES.items()}
    for key in ("customers", "transactions", "account_managers"):
        _write_csv(data[key], paths[key])
    text = json.dumps(data["relationship_map"], indent=2, ensure_ascii=False, sort_keys=True)
    paths["relationship_map"].write_bytes((text + "\n").encode("utf-8"))
    return paths


def _default_out_dir() -> Path | None:
    """The repository's datasets/ folder when running from a source checkout, else None."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file():
        return root / "datasets"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``python -m crmsim.datasets [OUT_DIR]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("usage: python -m crmsim.datasets [OUT_DIR]")
        return 0 if args and args[0] in ("-h", "--help") else 2
    out = Path(args[0]) if args else _default_out_dir()
    if out is None:
        print("not a source checkout: give the output directory, "
              "python -m crmsim.datasets OUT_DIR", file=sys.stderr)
        return 2
    for path in write(out).values():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
