"""What a machine can hold: the memory a simulation needs, estimated before anything is built.

A book of a billion customers (``n_customers = 1e9`` in a scenario file) would otherwise
allocate until the machine runs out of memory; :func:`check_memory` refuses it at once, in one
line naming the parameter, the estimate and what the machine has available.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from crmsim.errors import ParameterError
from crmsim.sim.scenario import Scenario

__all__ = ["BASE_BYTES", "BYTES_PER_CUSTOMER", "book_size", "check_memory"]


#: Memory one replication needs: a base plus this much per customer of the book (measured on
#: synthetic books of 20,000 to 80,000 customers: about 2 KB each, rounded up).
BASE_BYTES = 150 * 2**20
BYTES_PER_CUSTOMER = 2_500


def book_size(scenario: Scenario) -> int:
    """Customers in *scenario*'s initial book, as far as known before it is built."""
    book = scenario.book
    if book.source == "tables":
        return len(book.customers) if book.customers is not None else 0
    if book.source == "synthetic":
        return int(book.n_customers)
    return 600  # the bundled company


def check_memory(scenarios: Sequence[Scenario], parallel: int) -> None:
    """Refuse, before anything is built, runs whose books this machine cannot hold: the
    estimate (:data:`BASE_BYTES` + :data:`BYTES_PER_CUSTOMER` per customer, times the runs
    held at once) against the memory available now."""
    if not scenarios:
        return
    biggest = max(scenarios, key=book_size)
    n = book_size(biggest)
    need = (BASE_BYTES + BYTES_PER_CUSTOMER * n) * max(1, parallel)
    available = _available_memory()
    if available is None or need <= available:
        return
    runs = f", times {parallel} runs at once" if parallel > 1 else ""
    raise ParameterError(
        f"parameter 'book.n_customers' = {n:,}: the simulation would need about "
        f"{_bytes(need)} of memory ({_bytes(BYTES_PER_CUSTOMER)} per customer{runs}), and this "
        f"machine has {_bytes(available)} available; use a smaller book (a sample of the "
        "customers)" + (" or fewer --workers" if parallel > 1 else "")
    )


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"
