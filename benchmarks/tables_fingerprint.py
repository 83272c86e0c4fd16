"""Fingerprints of the simulation's result tables (run by hand; prints one hash per table).

A change meant to make the engine faster without changing what it computes must leave every
fingerprint unchanged: run this script before the change, save its output, run it after and
compare (``diff``). Each table of ``simulate(scenario, seed, record_events=True)`` is hashed
from its column names, dtypes and the exact bits of its values
(:func:`pandas.util.hash_pandas_object`), so a difference in the last bit of one float shows.
``meta`` is hashed without ``runtime_seconds``. The default scenario is also run without the
event log, the way benchmarks and studies run it.

Scenarios: the default (36 months, two seeds), the default with unlimited capacity, the
scenarios in ``scenarios/`` (classroom, star_leaves, deferred_pay, own_company and each fit_*,
the fit_* also under each of the four structures, shortened to 12 months), a synthetic book
of 2,000 customers and 20 managers over 24 months under each of the four structures, a small
team that comes and goes (half leave each month) under each allocation rule, the default
with leads that never go cold, and a team of 50 managers.

The fingerprints of the current model are kept in ``benchmarks/tables_fingerprint.txt``, with a
note of why they last changed at its top: a change meant to leave the tables as they are must
reproduce that file (less its note); a change that alters them by design refreshes it and says
why in the note.

Usage::

    python benchmarks/tables_fingerprint.py > /tmp/before.txt
    # ... change the engine ...
    python benchmarks/tables_fingerprint.py > /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmsim.sim.experiments import simulate  # noqa: E402
from crmsim.sim.scenario import Scenario  # noqa: E402
from crmsim.sim.scenario.structures import STRUCTURE_NAMES  # noqa: E402

TABLES = ("monthly", "managers", "funnel", "leads", "customers", "events")


def table_hash(table: pd.DataFrame) -> str:
    """Hash of a table's columns, dtypes, index and the bits of its values."""
    h = hashlib.sha256()
    h.update(repr([(str(c), str(t)) for c, t in table.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes())
    return h.hexdigest()[:16]


def scenarios() -> Iterator[tuple[str, Scenario, int]]:
    """(label, scenario, seed) of every run fingerprinted (a label ending in "no events" is run
    without the event log, as benchmarks and studies run)."""
    yield "default seed 0", Scenario(), 0
    yield "default seed 0, no events", Scenario(), 0
    yield "default seed 1", Scenario(), 1
    yield "default unlimited", Scenario(capacity="unlimited", months=12), 3
    for name in ("classroom", "star_leaves", "deferred_pay", "own_company"):
        yield name, Scenario.from_toml(ROOT / "scenarios" / f"{name}.toml"), 2
    for path in sorted((ROOT / "scenarios").glob("fit_*.toml")):
        fit = Scenario.from_toml(path).replace(months=12)
        yield f"{path.stem} (12 months)", fit, 4
        for structure in STRUCTURE_NAMES:
            yield f"{path.stem} (12 months) {structure}", fit.replace(structure=structure), 5
    for structure in STRUCTURE_NAMES:
        yield (
            f"synthetic 2000/20/24 {structure}",
            Scenario.synthetic(2000, 20, months=24, structure=structure),
            6,
        )
    # a team that comes and goes (at times nobody is left), under each allocation rule
    churn = {"turnover.monthly_hazard": 0.5, "turnover.vacancy_months": 2}
    for rule in ("by_seniority", "by_relationship", "by_specialty", "by_industry", "least_loaded"):
        team = Scenario.synthetic(300, 4, months=18).with_({**churn, "allocation.rule": rule})
        yield f"churn 300/4/18 {rule}", team, 7
    yield "no patience", Scenario(months=12).with_("funnel.patience_days", 0.0), 8
    # a big team (more managers than Allocator.choose_each hands out on plain lists)
    for rule in ("by_seniority", "least_loaded"):
        big = Scenario.synthetic(4000, 50, months=12).with_("allocation.rule", rule)
        yield f"synthetic 4000/50/12 {rule}", big, 9


def main() -> None:
    for label, scenario, seed in scenarios():
        events = not label.endswith("no events")
        result = simulate(scenario, seed=seed, record_events=events)
        meta = {k: v for k, v in result.meta.items() if k != "runtime_seconds"}
        hashes = [f"{name}={table_hash(getattr(result, name))}" for name in TABLES]
        hashes.append(
            "meta=" + hashlib.sha256(repr(sorted(meta.items())).encode()).hexdigest()[:16]
        )
        print(f"{label}: rows {len(result.leads)} leads, {len(result.customers)} customers, "
              f"{len(result.events)} events")  # fmt: skip
        for item in hashes:
            print(f"    {item}")


if __name__ == "__main__":
    main()
