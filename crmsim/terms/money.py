"""How money is written: its currency and its unit (one unit family per page).

Amounts in crmsim are plain numbers in the scenario's currency (``Scenario.currency``, CNY by
default); nothing is converted. What changes is how they are named: a page about US-dollar data
says ``M USD`` / ``百万美元``, and a report written in millions writes every table, sentence and
chart axis in millions (never 百万元 in a table and 万 on the chart beside it).

A page sets both for everything it draws with :func:`money`, as :func:`crmsim.terms.language`
sets the language; :func:`money_unit` and the chart formatters read them.

Examples
--------
>>> money_unit("zh", scale="M"), money_unit("en", scale="M", currency="USD")
('百万元', 'M USD')
>>> with money(currency="USD", scale="M"):
...     money_unit("zh"), get_money().scale
('百万美元', 'M')
>>> money_unit("en")
'CNY'
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from dataclasses import dataclass

from crmsim.terms.catalog import label, resolve_language
from crmsim.terms.parameters import currency_label

__all__ = ["SCALES", "Money", "get_money", "money", "money_unit"]

#: Units money is written in: ``"1"`` (plain amounts, charts in compact numbers) or ``"M"``
#: (millions everywhere: tables, sentences and chart axes).
SCALES: dict[str, float] = {"1": 1.0, "M": 1e6}


@dataclass(frozen=True)
class Money:
    """The currency (ISO 4217 code) and the unit money is written in."""

    currency: str = "CNY"
    scale: str = "1"

    @property
    def factor(self) -> float:
        """Amounts are divided by this to be written in :attr:`scale`."""
        return SCALES[self.scale]


_MONEY: contextvars.ContextVar[Money] = contextvars.ContextVar(
    "crmsim_money", default=Money()  # noqa: B039 - Money is frozen
)


def get_money() -> Money:
    """The money setting in force (default: CNY, plain amounts)."""
    return _MONEY.get()


@contextlib.contextmanager
def money(currency: str | None = None, scale: str | None = None) -> Iterator[Money]:
    """Write money in *currency* and *scale* inside the block (the others as they were)."""
    now = _MONEY.get()
    code = now.currency if currency is None else str(currency)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"currency must be a three-letter code such as CNY or USD; got {code!r}")
    unit = now.scale if scale is None else str(scale)
    if unit not in SCALES:
        raise ValueError(f"money scale must be one of {list(SCALES)}; got {unit!r}")
    token = _MONEY.set(Money(code, unit))
    try:
        yield _MONEY.get()
    finally:
        _MONEY.reset(token)


def money_unit(
    lang: str | None = None, *, scale: str | None = None, currency: str | None = None
) -> str:
    """The unit money is written in: ``"CNY"``, ``"M CNY"``, ``"元"``, ``"百万美元"``..."""
    lang = resolve_language(lang)
    if lang == "both":
        lang = "en"
    now = get_money()
    code = now.currency if currency is None else currency
    unit = now.scale if scale is None else scale
    return label(f"unit.money.{unit}", lang).format(currency=currency_label(code, lang))
