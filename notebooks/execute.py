"""Re-run the lessons from a clean kernel and save them with their outputs.

Usage, from the repository root (after any change to the model or the methods)::

    python notebooks/execute.py                 # every notebook in notebooks/
    python notebooks/execute.py 02_abc_and_pareto.ipynb 04_credit_6c.ipynb

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


def execute(path: Path, timeout: int = 600) -> float:
    """Execute *path* in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    paths = [HERE / a for a in argv] if argv else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        print(f"{path.name}: {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
