"""Re-run the lessons from a clean kernel and save them with their outputs.

Usage, from the repository root (after any change to the model or the methods)::

    python notebooks/execute.py                 # every notebook, both editions
    python notebooks/execute.py 02_abc_and_pareto.ipynb zh/02_abc_and_pareto.ipynb

Each notebook runs top to bottom in a fresh kernel started in ``notebooks/`` (nbclient), so the
committed outputs are exactly what a fresh seeded run produces — ``pytest`` (nbval) then checks
that they still are. Saved widget state (``metadata.widgets``) is dropped: its random model ids
would change on every run and it only matters to a live kernel, where the widgets are rebuilt.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent


def execute(path: Path, timeout: int = 180, attempts: int = 3) -> float:
    """Execute *path* in place; return the seconds it took.

    A cell that runs longer than *timeout* seconds stops the run; the notebook is then tried
    again from a fresh kernel (a kernel that fails to answer at start-up is the usual cause), up
    to *attempts* times. The file is written only after a complete run.
    """
    for attempt in range(1, attempts + 1):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        client = NotebookClient(nb, timeout=timeout, startup_timeout=60, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except (TimeoutError, RuntimeError) as exc:  # nbclient's CellTimeoutError is a TimeoutError
            if attempt == attempts:
                raise
            print(f"{path.name}: attempt {attempt} failed ({type(exc).__name__}: {exc}); again",
                  flush=True)
            continue
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
        return time.perf_counter() - start
    raise AssertionError("unreachable")


def main(argv: list[str]) -> int:
    paths = ([HERE / a for a in argv] if argv
             else sorted(HERE.glob("*.ipynb")) + sorted(HERE.glob("zh/*.ipynb")))
    for path in paths:
        print(f"{path.relative_to(HERE)}: {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
