"""Running many tasks: in this process, on a pool of worker processes, or on any executor
(a Dask client), with progress for people and clean stops.

Results come back in task order, so they never depend on the number of workers. Ctrl-C and
SIGTERM stop the workers (none is left running), and a worker that dies gives one line, not a
traceback."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from crmsim.errors import ParameterError, WorkerError
from crmsim.sim.capacity import check_memory
from crmsim.sim.scenario import Scenario


class _Progress:
    """Progress of a batch of runs, shown wherever the output goes.

    ``progress`` is ``None`` (a bar when stderr is a terminal, otherwise silent: the library
    default, so notebooks and tests stay quiet), ``True`` (a bar on a terminal, plain lines such as
    ``sweep: 12/40 runs (30%)`` at every tenth in a log or a file), ``False`` (nothing) or a
    callable ``progress(done, total)`` called once before the first run and after each run (for a
    widget's progress bar).
    """

    def __init__(self, progress: Any, total: int, description: str) -> None:
        self.total, self.description, self.done = total, description, 0
        self.callback = progress if callable(progress) else None
        self.bar = None
        self.lines = False
        if self.callback is not None:
            self.callback(0, total)
            return
        if progress is False:
            return
        tty = _stderr_is_terminal()
        if tty:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=description, unit="run")
        elif progress is True:
            self.lines = True
            self._line()

    def _line(self) -> None:
        share = self.done / self.total if self.total else 1.0
        print(
            f"{self.description}: {self.done}/{self.total} runs ({share:.0%})",
            file=sys.stderr,
            flush=True,
        )

    def update(self) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(self.done, self.total)
        elif self.bar is not None:
            self.bar.update()
        elif self.lines:
            tenth = max(1, self.total // 10)
            if self.done % tenth == 0 or self.done == self.total:
                self._line()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # pragma: no cover - closed or odd streams
        return False


def _execute(
    fn: Callable[..., Any],
    tasks: Sequence[tuple[Any, ...]],
    *,
    executor: Executor | None,
    workers: int | None,
    progress: bool | Callable[[int, int], Any] | None,
    description: str,
) -> list[Any]:
    """Run ``fn(*task)`` for every task, in order, on *executor* (or a local pool / serially).

    *executor* is anything with ``submit(fn, *args)`` returning a future with ``result()``: a
    ``concurrent.futures`` executor, ``dask.distributed.Client`` or its ``get_executor()``.
    Results come back in task order whatever the executor, so the output is identical.
    """
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ParameterError(f"parameter 'workers' must be a whole number >= 1; got {workers!r}")
    local = executor is None and not (workers == 1 or len(tasks) <= 1)
    parallel = min(len(tasks), workers or os.cpu_count() or 1) if local else 1
    check_memory([t[0] for t in tasks if t and isinstance(t[0], Scenario)], parallel)
    bar = _Progress(progress, len(tasks), description)
    try:
        if executor is None and (workers == 1 or len(tasks) <= 1):
            out = []
            for task in tasks:
                out.append(fn(*task))
                bar.update()
            return out
        own = executor is None
        pool = executor or ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1, mp_context=_process_context(),
            initializer=_worker_start,
        )  # fmt: skip
        try:
            futures = [pool.submit(fn, *task) for task in tasks]
            started = _workers_of(pool)
            out = []
            for future in futures:
                out.append(future.result())
                bar.update()
            return out
        except BrokenProcessPool:
            codes = [p.exitcode for p in started + _workers_of(pool)]
            raise WorkerError(_broken_message(codes)) from None
        except BaseException:  # Ctrl-C, SIGTERM (see crmsim.app.cli), an error in a task
            if own:
                _stop_pool(pool)
            raise
        finally:
            if own:
                pool.shutdown(cancel_futures=True)
    finally:
        bar.close()


def _worker_start() -> None:
    """Set up a worker process: Ctrl-C in the terminal reaches every process of the group, and
    only the main process should answer it (it stops the workers); SIGTERM ends a worker at
    once; and on Linux a worker dies with the main process, even a killed one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _workers_of(pool: Executor) -> list[Any]:
    return list((getattr(pool, "_processes", None) or {}).values())


def _stop_pool(pool: Executor) -> None:
    """End a local pool's worker processes now (not after the running tasks finish)."""
    workers = _workers_of(pool)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(Exception):
            process.kill()
    for process in workers:
        with contextlib.suppress(Exception):
            process.join(5)


def _broken_message(codes: list[int | None]) -> str:
    dead = [c for c in codes if c not in (None, 0)]
    how = ""
    if dead:
        code = dead[0]
        if code < 0 and -code in signal.valid_signals():
            name = f"signal {signal.Signals(-code).name}"
        else:
            name = f"exit status {code}"
        how = f" ({name}{': killed, perhaps for lack of memory' if code == -9 else ''})"
    return (
        f"a worker process stopped without an answer{how}; nothing was written. Run the "
        "command again, with fewer --workers (or --workers 1) if memory is short"
    )


def _process_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: by fork where that is safe (one thread, e.g. the command
    line: fast), by a fork server when the caller runs other threads — a Jupyter kernel does
    (its message threads) — because forking a threaded process can leave the child holding a
    lock no thread will release, and the run then hangs."""
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
    return multiprocessing.get_context("fork")
