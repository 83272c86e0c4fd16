"""Does the second-edition engine keep the statistics of the first? (run by hand; prints a table)

Runs the old engine (main at commit 6aa9fe1, extracted with ``git archive`` into a scratch
folder) and the engine of this checkout, each in its own interpreter, over the same seeds on
three scenarios, and compares the distribution of every KPI of the registry
(:data:`crmsim.sim.kpis.KPIS`, computed the same way from both engines' tables):

- mean and 95% t interval per engine;
- the paired difference new - old with its 95% interval (the seeds are the same, so the runs
  share much of their luck);
- a two-sample Kolmogorov-Smirnov test per KPI (SciPy), p-value shown.

Exact identity is not expected (the engines consume random draws the same way, but queues and
month boundaries are computed rather than simulated event by event, so paths drift apart);
the distributions should agree. With 15 KPIs x 3 scenarios about two p-values under 0.05 are
expected by chance alone; the Bonferroni threshold is 0.05 / 45 = 0.0011.

Usage::

    python benchmarks/engine_equivalence.py              # 50 seeds, 2 processes
    python benchmarks/engine_equivalence.py --seeds 100
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmsim.sim.kpis import KPIS, compute_kpis  # noqa: E402
from crmsim.sim.stats import mean_ci  # noqa: E402

OLD_COMMIT = "6aa9fe1"
SCENARIOS = ("classroom", "default", "stressed")

# Runs inside the engine's own interpreter (old or new tree on PYTHONPATH): the scenarios are
# built with the API both trees share, and only the tables the KPIs need are sent back.
WORKER = r"""
import pickle, sys
from pathlib import Path
import crmsim.sim.engine.model
print("engine:", crmsim.sim.engine.model.__file__, file=sys.stderr)
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario

name, first, last, out, root = sys.argv[1:6]
if name == "classroom":
    sc = Scenario.from_toml(Path(root) / "scenarios" / "classroom.toml")
elif name == "default":
    sc = Scenario().replace(months=24)
else:  # busy desks, turnover every month: queues cross month ends, managers leave mid-queue
    sc = Scenario.synthetic(400, 8, months=24, turnover__monthly_hazard=0.06,
                            channels__telemarketing__leads_per_month=120.0)
runs = []
for seed in range(int(first), int(last)):
    r = simulate(sc, seed=seed)
    runs.append((r.monthly, r.customers[["origin", "stage"]], r.leads[["month", "outcome"]]))
with open(out, "wb") as f:
    pickle.dump(runs, f)
"""


class _Tables:
    def __init__(self, monthly: pd.DataFrame, customers: pd.DataFrame, leads: pd.DataFrame):
        self.monthly, self.customers, self.leads = monthly, customers, leads


def old_tree(path: Path) -> Path:
    """The old engine's source tree (extracted from git on first use)."""
    if not (path / "crmsim" / "sim" / "model.py").exists():
        path.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_COMMIT],
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(path)], input=archive, check=True)
    return path


def run_engine(tree: Path, name: str, seeds: int, folder: Path) -> subprocess.Popen:
    out = folder / f"{tree.name}-{name}.pkl"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # cwd: `python -c` puts the working directory first on sys.path; it must not be a tree
    return subprocess.Popen([sys.executable, "-c", WORKER, name, "0", str(seeds), str(out),
                             str(tree)], env=env, cwd=folder), out  # fmt: skip


def kpi_frame(path: Path) -> pd.DataFrame:
    with open(path, "rb") as f:
        runs = pickle.load(f)
    return pd.DataFrame([compute_kpis(_Tables(*run)) for run in runs])


def compare_table(old: pd.DataFrame, new: pd.DataFrame, scenario: str) -> pd.DataFrame:
    rows = []
    for k in KPIS:
        a, b = old[k.name].to_numpy(float), new[k.name].to_numpy(float)
        ok = ~np.isnan(a) & ~np.isnan(b)
        ca, cb, cd = mean_ci(a[ok]), mean_ci(b[ok]), mean_ci(b[ok] - a[ok])
        ks = stats.ks_2samp(a[ok], b[ok])
        rows.append({
            "scenario": scenario, "kpi": k.name,
            "old": f"{ca['mean']:.4g} ± {ca['half_width']:.2g}",
            "new": f"{cb['mean']:.4g} ± {cb['half_width']:.2g}",
            "paired diff": f"{cd['mean']:+.3g} ± {cd['half_width']:.2g}",
            "diff / old sd": cd["mean"] / a[ok].std(ddof=1) if a[ok].std(ddof=1) else 0.0,
            "KS D": ks.statistic, "KS p": ks.pvalue,
        })  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50, help="replications per engine")
    parser.add_argument("--old", type=Path, default=Path(tempfile.gettempdir()) / "engine_old",
                        help="folder holding (or to receive) the old engine's tree")
    args = parser.parse_args()
    old = old_tree(args.old)
    tables = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in SCENARIOS:  # old and new side by side: two processes at a time
            (p_old, f_old), (p_new, f_new) = (run_engine(old, name, args.seeds, folder),
                                              run_engine(ROOT, name, args.seeds, folder))
            if p_old.wait() or p_new.wait():
                raise SystemExit(f"a worker failed on scenario {name}")
            tables.append(compare_table(kpi_frame(f_old), kpi_frame(f_new), name))
    table = pd.concat(tables, ignore_index=True)
    with pd.option_context("display.width", 160, "display.max_rows", 200,
                           "display.float_format", "{:.3f}".format):  # fmt: skip
        print(f"old engine: main at {OLD_COMMIT}; new engine: {ROOT}; {args.seeds} seeds per "
              f"engine and scenario; {time.perf_counter() - t0:.0f} s")  # fmt: skip
        print(table.to_string(index=False))
    low = table[table["KS p"] < 0.05]
    print(f"\nKS p < 0.05: {len(low)} of {len(table)} (about {0.05 * len(table):.1f} expected by "
          f"chance); p < {0.05 / len(table):.4f} (Bonferroni): "
          f"{int((table['KS p'] < 0.05 / len(table)).sum())}")  # fmt: skip


if __name__ == "__main__":
    main()
