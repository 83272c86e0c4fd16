"""The calibrated scenario's book: the customers active at ``as_of``, their wallets, scores and
managers, taken from the user's tables (and what was left out of them, with a note).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmsim.calibrate.history import _best_quarter_rate, _dates, _History, _numbers
from crmsim.calibrate.result import CUSTOMERS_PER_MANAGER
from crmsim.errors import DataError
from crmsim.io.clean import numbers_of
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.funnel import CHANNEL_NAMES
from crmsim.terms import (
    CUSTOMER_TYPES,
    INDUSTRY_GROUPS,
    SIX_C,
    SPECIALTIES,
    STATES,
    TIERS,
)
from crmsim.terms.notes import Note

_CUSTOMER_CATEGORIES = {
    "customer_type": CUSTOMER_TYPES,
    "industry_group": INDUSTRY_GROUPS,
    "channel": CHANNEL_NAMES,
}
_MANAGER_CATEGORIES = {"tier": TIERS, "specialty": SPECIALTIES, "industry_focus": INDUSTRY_GROUPS}
_MANAGER_NUMBERS = ("monthly_cost", "skill")


def _kept_columns(
    table: pd.DataFrame, categories: Mapping[str, tuple[str, ...]], source: str,
    notes: list[Note],
) -> list[str]:  # fmt: skip
    """Columns of *table* the simulation can use: categorical ones only if every value is one
    of the kit's categories (otherwise left out with a note)."""
    kept = []
    for col, allowed in categories.items():
        if col not in table.columns:
            continue
        values = table[col].dropna().astype(str)
        if len(values) == len(table) and values.isin(allowed).all():
            kept.append(col)
        else:
            odd = sorted(set(values) - set(allowed))[:3]
            notes.append(
                Note(
                    "calibrate.note.column_left_out",
                    {"source": source, "column": col, "values": ", ".join(odd)},
                )
            )
    return kept


def _kept_scores(table: pd.DataFrame, source: str, notes: list[Note]) -> list[str]:
    """The 6C score columns (1-5, every customer scored) the book can use; others are left
    out with a note (the simulation then scores 3)."""
    kept = []
    for col in SIX_C:
        if col not in table.columns:
            continue
        numbers, bad, _ = numbers_of(table[col].reset_index(drop=True))
        values = numbers.to_numpy(dtype=float)
        if not bad.any() and np.isfinite(values).all() and ((values >= 1) & (values <= 5)).all():
            kept.append(col)
            table[col] = values
        else:
            odd = [str(x) for x in table[col][bad | ~np.isfinite(values)
                                              | (values < 1) | (values > 5)].head(3)]  # fmt: skip
            notes.append(
                Note(
                    "calibrate.note.column_left_out",
                    {"source": source, "column": col, "values": ", ".join(odd)},
                )
            )
    return kept


def _managers_and_assignment(
    ids: np.ndarray,
    wallet: np.ndarray,
    n_active: int,
    customers: pd.DataFrame | None,
    managers: pd.DataFrame | None,
    sources: Mapping[str, str],
    notes: list[Note],
) -> tuple[np.ndarray, pd.DataFrame]:
    """The manager of every customer (ids order) and the managers table."""
    given = None
    if customers is not None and "manager_id" in customers.columns:
        given = customers.set_index("customer_id")["manager_id"].reindex(ids)
    if managers is not None:
        team = managers.copy()
        kept = _kept_columns(team, _MANAGER_CATEGORIES, sources["managers"], notes)
        columns = ["manager_id", *kept]
        for col in ("hire_date",):
            if col in team.columns:
                team[col] = _dates(team, col, sources["managers"], "manager_id").to_numpy()
                columns.append(col)
        for col in _MANAGER_NUMBERS:
            if col in team.columns:
                team[col] = _numbers(team, col, sources["managers"], "manager_id",
                                     allow_negative=False)  # fmt: skip
                columns.append(col)
        if "skill" in team.columns:
            bad = (team["skill"] <= 0) | (team["skill"] > 1)
            if bad.any():
                r = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    f"{sources['managers']}: column 'skill' must be in (0, 1]; found "
                    f"{team['skill'].iloc[r]:g} at row {r + 1} (id {team['manager_id'].iloc[r]})"
                )
        team = team[columns]
    elif given is not None and given.notna().any():
        team = pd.DataFrame({"manager_id": sorted(given.dropna().unique())})
        notes.append(Note("calibrate.note.managers_from_customers", {"n": len(team)}))
    else:
        k = max(1, round(n_active / CUSTOMERS_PER_MANAGER))
        team = pd.DataFrame({"manager_id": [f"M{i + 1:02d}" if k < 100 else f"M{i + 1:04d}"
                                            for i in range(k)]})  # fmt: skip
        notes.append(Note("calibrate.note.managers_made",
                          {"n": k, "per": CUSTOMERS_PER_MANAGER}))  # fmt: skip
    manager = np.empty(len(ids), dtype=object)
    team_ids = team["manager_id"].to_numpy(dtype=object)
    if given is not None:
        unknown = given.notna() & ~given.isin(team_ids)
        if unknown.any():
            bad = given[unknown]
            rows = customers.reset_index(drop=True)
            pos = rows.index[rows["customer_id"].isin(bad.index)][:5]
            found = ", ".join(
                f"{rows['manager_id'].iloc[p]!r} at row {p + 1} (id {rows['customer_id'].iloc[p]})"
                for p in pos
            )
            raise DataError(
                f"{sources['customers']}: column 'manager_id' must name a manager of "
                f"{sources['managers']}; found {found}"
            )
        manager[:] = given.to_numpy(dtype=object)
    missing = np.array([m is None or (isinstance(m, float) and np.isnan(m)) or m is pd.NA
                        for m in manager], dtype=bool)  # fmt: skip
    if missing.any():
        # round robin by wallet, largest first, so every manager gets large and small accounts
        order = np.flatnonzero(missing)[np.argsort(-wallet[missing], kind="stable")]
        manager[order] = team_ids[np.arange(len(order)) % len(team_ids)]
        if given is not None:
            notes.append(Note("calibrate.note.managers_assigned", {"n": int(missing.sum())}))
    return manager.astype(str), team


def _book_table(
    h: _History,
    rows: np.ndarray,
    stage_codes: np.ndarray,
    wallet: np.ndarray,
    manager: np.ndarray,
    customers: pd.DataFrame | None,
    kept: list[str],
) -> pd.DataFrame:
    """A customers table for :class:`~crmsim.sim.scenario.book.Book` (source "tables")."""
    ids = h.ids[rows]
    first = pd.Series(h.first_order[rows])
    if customers is not None and "first_purchase" in customers.columns:
        known = customers.set_index("customer_id")["first_purchase"].reindex(ids)
        first = pd.Series(np.where(known.notna(), known.to_numpy(), first.to_numpy()))
    table = pd.DataFrame(
        {
            "customer_id": ids.astype(str),
            "manager_id": manager[rows],
            "first_purchase": pd.to_datetime(first).to_numpy(dtype="datetime64[ns]"),
            "annual_wallet": np.round(wallet[rows], 2),
            "stage": np.array(STATES, dtype=object)[stage_codes].astype(str),
        }
    )
    if customers is not None and kept:
        extra = customers.set_index("customer_id")[kept].reindex(ids)
        for col in kept:
            values = extra[col]
            table[col] = (values.to_numpy(dtype=float) if col in SIX_C
                          else values.astype(str).to_numpy())  # fmt: skip
    return table


def _wallets(h: _History, cust: pd.DataFrame | None, n_months: int) -> tuple[np.ndarray, Note]:
    """Annual wallet per customer: the customers table's, else the best quarter's spend × 4."""
    peak = _best_quarter_rate(h, n_months - 1)
    proxy = np.where(peak > 0, peak, np.nan)
    if cust is not None and "annual_wallet" in cust.columns:
        given = cust.set_index("customer_id")["annual_wallet"].reindex(h.ids).to_numpy(float)
        has = np.isfinite(given)
        if has.all():
            return given, Note("calibrate.note.wallet_table", {})
        if has.any():
            both = has & np.isfinite(proxy)
            scale = float(np.median(given[both] / proxy[both])) if both.any() else 1.0
            filled = np.where(has, given, proxy * scale)
            filled = np.where(np.isfinite(filled), filled, np.nanmedian(given))
            return filled, Note("calibrate.note.wallet_mixed",
                                {"n": int((~has).sum()), "scale": scale})  # fmt: skip
    filled = np.where(np.isfinite(proxy), proxy, np.nanmedian(proxy) if np.isfinite(proxy).any()
                      else 1.0)  # fmt: skip
    return filled, Note("calibrate.note.wallet_proxy", {})


def _with_book(
    scenario: Scenario, customers: pd.DataFrame, managers: pd.DataFrame, start: str,
    months: int, name: str,
) -> Scenario:  # fmt: skip
    """*scenario* on a book of these tables, starting on *start*, for *months*."""
    from crmsim.sim.scenario.book import Book

    old = scenario.book
    book = Book(source="tables", customers=customers, managers=managers, start_date=start,
                seed=old.seed, initial_decline_share=old.initial_decline_share)  # fmt: skip
    return dataclasses.replace(scenario, book=book, months=int(months), name=name)
