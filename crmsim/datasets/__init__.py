"""The bundled office-supplies distributor data set and its loaders.

Four files describe a fictitious office-supplies distributor, the textbook's running example
(see ``datasets/README.md`` for the full data dictionary):

- ``customers.csv``: about 600 business customers (客户) with type, region, acquisition channel,
  account manager, first purchase, estimated annual wallet and 6C credit scores (6C分析);
- ``transactions.csv``: order lines from 2022-01-01 to 2024-12-31;
- ``account_managers.csv``: 15 account managers (客户经理) by tier, specialty and cost;
- ``relationship_map.json``: the sales team's customer relationship map (客户关系图).

All of it is synthetic and rebuilt from a seed by :func:`generate`/:func:`write`.

Examples
--------
>>> from crmsim.datasets import load_customers, load_transactions
>>> customers = load_customers()
>>> customers["customer_id"].is_unique
True
>>> load_transactions()["amount"].gt(0).all()
np.True_
"""

from __future__ import annotations

import importlib.resources
import json
import re
from pathlib import Path

import pandas as pd

from crmsim import _validation as v
from crmsim.datasets.cdnow import CDNOW_COLUMNS, load_cdnow
from crmsim.datasets.generate import (
    ARCHETYPES,
    CATEGORIES,
    DEFAULT_SEED,
    FILE_NAMES,
    REGIONS,
    generate,
    write,
)
from crmsim.datasets.generate import END as DATA_END
from crmsim.datasets.generate import START as DATA_START
from crmsim.io import read_table
from crmsim.terms import (
    CHANNELS,
    CUSTOMER_TYPES,
    INDUSTRY_GROUPS,
    SIX_C,
    SPECIALTIES,
    TIERS,
    label,
    resolve_language,
)

__all__ = [
    "ACCOUNT_MANAGER_COLUMNS",
    "ARCHETYPES",
    "AS_OF",
    "CATEGORIES",
    "CDNOW_COLUMNS",
    "CHANNELS",
    "CUSTOMER_COLUMNS",
    "CUSTOMER_TYPES",
    "DATA_END",
    "DATA_START",
    "DEFAULT_SEED",
    "FILE_NAMES",
    "INDUSTRY_GROUPS",
    "REGIONS",
    "SIX_C",
    "SPECIALTIES",
    "TIERS",
    "TRANSACTION_COLUMNS",
    "data_dir",
    "generate",
    "load_account_managers",
    "load_cdnow",
    "load_customers",
    "load_relationship_map",
    "load_relationship_map_data",
    "load_transactions",
    "write",
]


#: The "as of" date for analyses: the last day covered by transactions.csv (the first and last
#: days, DATA_START and DATA_END, come from crmsim.datasets.generate).
AS_OF = DATA_END

#: Columns of customers.csv, in file order.
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "name",
    "customer_type",
    "industry_group",
    "region",
    "channel",
    "manager_id",
    "first_purchase",
    "annual_wallet",
    *SIX_C,
    "avg_days_late",
)
#: Columns of transactions.csv, in file order.
TRANSACTION_COLUMNS: tuple[str, ...] = (
    "date",
    "order_id",
    "customer_id",
    "category",
    "amount",
    "gross_profit",
)
#: Columns of account_managers.csv, in file order.
ACCOUNT_MANAGER_COLUMNS: tuple[str, ...] = (
    "manager_id",
    "name",
    "tier",
    "specialty",
    "industry_focus",
    "hire_date",
    "monthly_cost",
    "skill",
)

_BUNDLED = "_bundled_datasets"

_CUSTOMER_SCHEMA = {
    "customer_id": "id",
    "name": "str",
    "customer_type": "str",
    "industry_group": "str",
    "region": "str",
    "channel": "str",
    "manager_id": "str",
    "first_purchase": "date",
    "annual_wallet": "nonnegative",
    **{c: "int1to5" for c in SIX_C},
    "avg_days_late": "nonnegative",
}
_TRANSACTION_SCHEMA = {
    "date": "date",
    "order_id": "str",
    "customer_id": "str",
    "category": "str",
    "amount": "nonnegative",
    "gross_profit": "number",
}
_MANAGER_SCHEMA = {
    "manager_id": "id",
    "name": "str",
    "tier": "str",
    "specialty": "str",
    "industry_focus": "str",
    "hire_date": "date",
    "monthly_cost": "nonnegative",
    "skill": "nonnegative",
}


def data_dir() -> Path:
    """Return the folder holding the bundled data files.

    An installed wheel carries them inside the package (``crmsim/_bundled_datasets``); a source
    or editable checkout keeps them in the repository's ``datasets/`` folder.

    Raises
    ------
    FileNotFoundError
        Neither location holds ``customers.csv``; the message lists both places looked at.

    Examples
    --------
    >>> (data_dir() / "customers.csv").is_file()
    True
    """
    tried = []
    try:
        bundled = importlib.resources.files("crmsim") / _BUNDLED
        tried.append(str(bundled))
        if bundled.is_dir() and (bundled / FILE_NAMES["customers"]).is_file():
            return Path(str(bundled))
    except (ModuleNotFoundError, NotADirectoryError):  # pragma: no cover - odd installs
        pass
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    tried.append(str(checkout))
    if (checkout / FILE_NAMES["customers"]).is_file():
        return checkout
    raise FileNotFoundError(
        "the bundled crmsim data files were not found; looked in: " + "; ".join(tried)
        + ". Reinstall crmsim, or rebuild them with `python -m crmsim.datasets OUT_DIR`"
    )


def _load(key: str, schema: dict[str, str], columns: tuple[str, ...]) -> pd.DataFrame:
    path = data_dir() / FILE_NAMES[key]
    df = read_table(path, columns=list(columns), schema=schema, encoding="utf-8")
    df.attrs.clear()  # loaders return plain tables; the path is documented, not carried along
    return df


def load_customers() -> pd.DataFrame:
    """Load the ~600 customers of the bundled distributor (customers.csv).

    Returns
    -------
    pandas.DataFrame
        One row per customer, columns :data:`CUSTOMER_COLUMNS`:

        - ``customer_id`` (str, "C0001"...), ``name`` (str);
        - ``customer_type`` (:data:`CUSTOMER_TYPES`), ``industry_group`` (:data:`INDUSTRY_GROUPS`),
          ``region`` (:data:`REGIONS`), ``channel`` (acquisition channel, :data:`CHANNELS`);
        - ``manager_id`` (str, the account manager serving the customer);
        - ``first_purchase`` (datetime64[ns]; may precede 2022 for long-standing customers);
        - ``annual_wallet`` (float, CNY: the customer's yearly office-supplies spend across all
          suppliers);
        - ``character`` ... ``continuity`` (int64 1-5, the 6C credit scores, 5 = best);
        - ``avg_days_late`` (float, mean days payments arrived after the due date).

    Examples
    --------
    >>> df = load_customers()
    >>> df[["customer_id", "customer_type", "character"]].dtypes.astype(str).tolist()
    ['str', 'str', 'int64']
    """
    df = _load("customers", _CUSTOMER_SCHEMA, CUSTOMER_COLUMNS)
    source = FILE_NAMES["customers"]
    for col, allowed in (
        ("customer_type", CUSTOMER_TYPES),
        ("industry_group", INDUSTRY_GROUPS),
        ("region", REGIONS),
        ("channel", CHANNELS),
    ):
        v.categorical_column(df, col, allowed, source=source, id_column="customer_id")
    return df


def load_transactions() -> pd.DataFrame:
    """Load the order lines of 2022-01-01 .. 2024-12-31 (transactions.csv).

    Returns
    -------
    pandas.DataFrame
        One row per order line, columns :data:`TRANSACTION_COLUMNS`: ``date`` (datetime64[ns]),
        ``order_id`` (str, "O000001"...; an order has one line per product category),
        ``customer_id`` (str), ``category`` (:data:`CATEGORIES`), ``amount`` (float, CNY, > 0) and
        ``gross_profit`` (float, CNY; negative on a few discounted lines).

    Examples
    --------
    >>> tx = load_transactions()
    >>> str(tx["date"].min().date()) >= "2022-01-01"
    True
    """
    df = _load("transactions", _TRANSACTION_SCHEMA, TRANSACTION_COLUMNS)
    source = FILE_NAMES["transactions"]
    v.numeric_column(df, "amount", source=source, id_column="order_id", minimum=0.01)
    v.categorical_column(df, "category", CATEGORIES, source=source, id_column="order_id")
    return df


def load_account_managers() -> pd.DataFrame:
    """Load the 15 account managers (account_managers.csv).

    Returns
    -------
    pandas.DataFrame
        One row per manager, columns :data:`ACCOUNT_MANAGER_COLUMNS`: ``manager_id`` (str,
        "M01"...), ``name``, ``tier`` (:data:`TIERS`), ``specialty`` (:data:`SPECIALTIES`),
        ``industry_focus`` (:data:`INDUSTRY_GROUPS`), ``hire_date`` (datetime64[ns]),
        ``monthly_cost`` (float, CNY per month, salary and overheads) and ``skill`` (float in
        (0, 1], relative selling and service skill; the stars are near 0.9 or above).

    Examples
    --------
    >>> sorted(load_account_managers()["tier"].unique())
    ['junior', 'regular', 'senior']
    """
    df = _load("account_managers", _MANAGER_SCHEMA, ACCOUNT_MANAGER_COLUMNS)
    source = FILE_NAMES["account_managers"]
    v.categorical_column(df, "tier", TIERS, source=source, id_column="manager_id")
    v.categorical_column(df, "specialty", SPECIALTIES, source=source, id_column="manager_id")
    v.categorical_column(
        df, "industry_focus", INDUSTRY_GROUPS, source=source, id_column="manager_id"
    )
    v.numeric_column(df, "skill", source=source, id_column="manager_id", minimum=0.01, maximum=1)
    return df


def load_relationship_map_data(lang: str | None = "en") -> dict:
    """Load relationship_map.json as a plain dict.

    Parameters
    ----------
    lang : {"en", "zh", "both"} or None, default "en"
        Language of the texts: the file is in English; another language takes the team, goal,
        customer names, needs and dimensions from the translation catalogs (keys
        ``dataset.map.<text>``). ``None`` follows the session language
        (:func:`crmsim.set_language`).

    Returns
    -------
    dict
        ``{"team": str, "organisation_goal": str, "customers": [{"id", "name", "kind",
        "needs": [{"item", "valuable", "dimension"}]}]}``: the office-supplies sales team's
        internal and external customers, what each needs from the team, whether the organisation
        keeps the need, and the result-based evaluation dimension it becomes (``None`` if dropped).

    Examples
    --------
    >>> data = load_relationship_map_data()
    >>> sorted({c["kind"] for c in data["customers"]})
    ['external', 'internal']
    >>> load_relationship_map_data("zh")["customers"][0]["name"]
    '零售门店'
    """
    path = data_dir() / FILE_NAMES["relationship_map"]
    data = json.loads(path.read_text(encoding="utf-8"))
    lang = resolve_language(lang)
    if lang == "en":
        return data

    def say(text: str | None) -> str | None:
        if text is None:
            return None
        key = "dataset.map." + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
        return label(key, lang)

    data["team"], data["organisation_goal"] = say(data["team"]), say(data["organisation_goal"])
    for customer in data["customers"]:
        customer["name"] = say(customer["name"])
        for need in customer["needs"]:
            need["item"], need["dimension"] = say(need["item"]), say(need["dimension"])
    return data


def load_relationship_map(lang: str | None = None):
    """Load the sales team's customer relationship map (客户关系图).

    Parameters
    ----------
    lang : {"en", "zh", "both"}, optional
        Language of the team, customers, needs and dimensions; default the session language
        (:func:`crmsim.set_language`), so the Chinese edition of a lesson draws a Chinese map.

    Returns
    -------
    RelationshipMap or dict
        A ``crmsim.methods.relationship_map.RelationshipMap`` when that module is available,
        otherwise the plain dict of :func:`load_relationship_map_data`.

    Examples
    --------
    >>> rmap = load_relationship_map()
    """
    data = load_relationship_map_data(lang)
    try:
        from crmsim.methods.relationship_map import RelationshipMap
    except ImportError:
        return data
    return RelationshipMap.from_dict(data)
