"""The textbook's fits (domain.md §7) on company profiles of every kind (run by hand; prints a
table, asserts nothing).

Every profile of :data:`crmsim.sim.fits.FULL_GRID` (small/mid/large books, one to six business
lines, simple to very complex needs, special expertise, confidentiality, a highly profitable
group, horizons of 12 to 72 months) is simulated under the four structures on common random
numbers and ranked on customer value created; the table sets the winner against the structure
the textbook pairs with the profile (:func:`crmsim.sim.fits.textbook_fits`). ``tests/
test_structure_fits.py`` runs a fast subset.

``--expertise`` runs instead the sweep behind lesson 07's note on the operations units'
threshold: mid-size and larger firms at ordinary margins whose share of customers needing special
expertise rises from 50% to 80% (the textbook's rule names the units from half). ``--mid-size``
runs the firms of 1,000 to 1,800 customers with one or two lines, off the grid, for which the
textbook names the dedicated post (lesson 07: where the model puts the department first).

Usage::

    python benchmarks/fit_grid.py                  # the full grid, 3 replications
    python benchmarks/fit_grid.py --replications 6 --csv /tmp/fits.csv
    python benchmarks/fit_grid.py --expertise --replications 4 --seed 23
    python benchmarks/fit_grid.py --mid-size --replications 8 --seed 31
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmsim.sim.fits import FULL_GRID, Profile, fit_table  # noqa: E402
from crmsim.terms import STRUCTURES  # noqa: E402

#: Firms of 700 customers (one or two lines) and 1,500 (three lines), needs of complexity 0.4,
#: 36 months, ordinary margins, with 50% to 80% of customers needing special expertise.
EXPERTISE_SWEEP = tuple(
    Profile(customers, lines, 0.4, expertise=share, months=36, seed=8)
    for customers, lines in ((700, 1), (700, 2), (1500, 3))
    for share in (0.5, 0.6, 0.7, 0.8)
)

#: Firms between the grid's 700 and 2,500 customers, with one or two lines: the textbook names
#: the dedicated post for each (not "a large firm with many lines").
MID_SIZE = (
    Profile(1000, 2, 0.6, months=36, seed=2),
    Profile(1200, 2, 0.45, months=48, seed=6),
    Profile(1500, 1, 0.5, months=24, seed=5),
    Profile(1800, 1, 0.8, expertise=0.1, months=42, seed=3),
)

SHORT = {"extended_roles": "ext", "dedicated_post": "post", "dedicated_department": "dept",
         "department_with_operations": "ops"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--csv", help="also write the table here")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--expertise", action="store_true",
                       help="the expertise-share sweep instead of the grid")  # fmt: skip
    which.add_argument("--mid-size", action="store_true",
                       help="the mid-size firms with one or two lines instead of the grid")
    args = parser.parse_args()
    t0 = time.perf_counter()
    profiles = EXPERTISE_SWEEP if args.expertise else MID_SIZE if args.mid_size else FULL_GRID
    table = fit_table(profiles, replications=args.replications, seed=args.seed,
                      workers=args.workers, progress=False)  # fmt: skip
    if args.csv:
        table.to_csv(args.csv, index=False)
    shown = pd.DataFrame({
        "profile": table["profile"],
        "positions": table["positions"],
        "textbook": table["textbook"].map(
            lambda t: "/".join(SHORT[s] for s in t.split(" or ")) if isinstance(t, str)
            else "(silent)"),
        "model": table["best"].map(SHORT),
        "lead (M CNY)": (table["lead"] / 1e6).round(2),
        "95% CI": [f"[{lo / 1e6:+.2f}, {hi / 1e6:+.2f}]"
                   for lo, hi in zip(table["lead_low"], table["lead_high"], strict=True)],
        "agrees": table["agrees"].map({True: "yes", False: "NO", None: "-"}),
        **{SHORT[s]: (table[s] / 1e6).round(2) for s in STRUCTURES},
    })  # fmt: skip
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(shown.to_string(index=False))
    named = table["agrees"].notna()
    print(f"\nagrees with the textbook on {int(table.loc[named, 'agrees'].sum())} of "
          f"{int(named.sum())} profiles it names ({int((~named).sum())} it does not name); "
          f"{args.replications} replications each, seed {args.seed}, "
          f"{time.perf_counter() - t0:.0f} s")  # fmt: skip


if __name__ == "__main__":
    main()
