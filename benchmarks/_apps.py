"""What the widget benchmarks share: the latency of a series of control changes."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from typing import Any


def latency(app: Any, changes: Sequence[tuple[str, Any]]) -> list[float]:
    """Apply each (control, value) change to *app* and collect its callback time
    (``App.last_seconds``); an app error stops the benchmark."""
    times = []
    for name, value in changes:
        with contextlib.redirect_stdout(io.StringIO()):  # Output widgets print outside a kernel
            app.controls[name].value = value
        if app.error is not None:
            raise RuntimeError(f"{name}={value!r}: {app.error}")
        times.append(app.last_seconds)
    return times
