"""Run one submitted notebook inside the sandbox and stream out what it answered, cell by cell.

Started by the grader (:mod:`crmsim.exercises.sandbox`) as ``python -m crmsim.exercises.runner
JOB_DIR``, inside the sandbox. It

1. drops to the unprivileged user when started as root (``--drop-uid``), and makes itself
   non-dumpable so that the student's kernel cannot open its files through ``/proc``;
2. reads the private copy of the notebook (``JOB_DIR/submission.ipynb``) with plain JSON;
3. starts a Jupyter kernel (ipykernel, through jupyter_client) in the sandbox's own working folder,
   with no terminal and its output thrown away;
4. runs the code cells one at a time within the time budget, and after each one asks the
   harness (:mod:`crmsim.exercises.harness`) for the answers so far, as plain data;
5. writes one JSON line per event to its standard output, which the grader reads as it comes:
   ``start``, ``cell`` (ok or the error's name and message), ``answers``, ``timeout``, ``dead``,
   ``done``.

Answers collected before a crash, a timeout or a killed sandbox are already out, so they count.
This module only uses the standard library and jupyter_client: it never imports nbformat or the
grader's checks.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import sys
import time
from pathlib import Path
from typing import Any

#: How the harness is reached from the kernel (names resolved in the notebook's globals).
_COLLECT = (
    "__import__('crmsim.exercises.harness', fromlist=['collect']).collect(globals(), {spec!r})"
)


def _emit(out: Any, record: dict[str, Any]) -> None:
    out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    out.flush()


def _drop_privileges(uid: int) -> None:
    """Become *uid* (and its group) for good, with no supplementary groups and no capabilities."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def _set_limits(limits: dict[str, int]) -> None:
    """Set the rlimits (soft and hard) named in the job, e.g. ``{"RLIMIT_CPU": 150}``."""
    import resource

    for name, value in limits.items():
        kind = getattr(resource, name, None)
        if kind is None:
            continue
        soft = int(value)
        hard = soft + 5 if name == "RLIMIT_CPU" else soft
        current_hard = resource.getrlimit(kind)[1]
        if current_hard != resource.RLIM_INFINITY and os.geteuid() != 0:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        resource.setrlimit(kind, (soft, hard))


def _not_dumpable() -> None:
    """prctl(PR_SET_DUMPABLE, 0): /proc/<runner>/fd and /mem become unreadable to the kernel."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: nothing to do
        pass


def code_cells(notebook: dict[str, Any]) -> list[tuple[int, str]]:
    """(1-based cell number, source) of each non-empty code cell of a notebook read as JSON."""
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(s) for s in source)
        if isinstance(source, str) and source.strip():
            cells.append((number, source))
    return cells


class _Kernel:
    """A started kernel and a blocking client on its shell channel."""

    def __init__(self, workdir: Path, start_timeout: float) -> None:
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(
            kernel_name="python3", transport="ipc", ip=str(workdir / ".kernel" / "k")
        )
        (workdir / ".kernel").mkdir(mode=0o700, exist_ok=True)
        self.km.connection_file = str(workdir / ".kernel" / "connection.json")
        self.km.start_kernel(
            extra_arguments=["--HistoryManager.enabled=False"],
            cwd=str(workdir),
            stdin=_devnull(),
            stdout=_devnull(),
            stderr=_devnull(),
        )
        self.kc = self.km.blocking_client()
        self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=True)
        reply = self.request(self.kc.kernel_info(), time.monotonic() + start_timeout)
        if reply is None:
            raise RuntimeError(f"the kernel did not start within {start_timeout:g} s")

    def alive(self) -> bool:
        return bool(self.km.is_alive())

    def request(self, msg_id: str, deadline: float) -> dict[str, Any] | None:
        """The shell reply to *msg_id*, or None when *deadline* passes or the kernel dies."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                reply = self.kc.get_shell_msg(timeout=min(left, 0.5))
            except queue.Empty:
                if not self.alive():
                    return None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # the sandbox ends anyway, taking every process with it
            pass


def _devnull() -> Any:
    return open(os.devnull, "r+b")  # noqa: SIM115 - handed to the kernel process


def run(job_dir: Path, out: Any) -> None:
    """Run the job in *job_dir* and write its events to *out*."""
    job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
    workdir = Path(job["workdir"])
    workdir.mkdir(parents=True, exist_ok=True)
    os.chdir(workdir)
    notebook = json.loads((job_dir / job["notebook"]).read_text(encoding="utf-8-sig"))
    cells = code_cells(notebook)
    timeout = float(job["timeout"])
    collect_timeout = float(job.get("collect_timeout", 20.0))
    _emit(out, {"type": "start", "cells": len(cells)})
    try:
        kernel = _Kernel(workdir, float(job.get("start_timeout", 60.0)))
    except Exception as exc:
        _emit(out, {"type": "dead", "cell": 0, "error": f"{type(exc).__name__}: {exc}"[:500]})
        return
    expression = _COLLECT.format(spec=str(job_dir / job["spec"]))
    start = time.monotonic()
    try:
        for number, source in cells:
            deadline = start + timeout
            if time.monotonic() >= deadline:
                _emit(out, {"type": "timeout", "cell": number})
                break
            msg_id = kernel.kc.execute(
                source, store_history=True, allow_stdin=False, stop_on_error=False
            )
            reply = kernel.request(msg_id, deadline)
            if reply is None and not kernel.alive():
                _emit(out, {"type": "dead", "cell": number})
                break
            if reply is None:
                kernel.km.interrupt_kernel()
                kernel.request(msg_id, time.monotonic() + 5.0)
                _emit(out, {"type": "timeout", "cell": number})
                _collect(kernel, expression, number, collect_timeout, out)
                break
            content = reply.get("content", {})
            record: dict[str, Any] = {
                "type": "cell",
                "cell": number,
                "status": str(content.get("status", "ok")),
            }
            if record["status"] == "error":
                record["ename"] = str(content.get("ename", ""))[:200]
                record["evalue"] = str(content.get("evalue", ""))[:1000]
            _emit(out, record)
            if not _collect(kernel, expression, number, collect_timeout, out):
                break
    finally:
        kernel.shutdown()
    _emit(out, {"type": "done"})


#: The last record sent of each answer, so that only changes are sent again.
_SENT: dict[str, str] = {}


def _collect(kernel: _Kernel, expression: str, number: int, timeout: float, out: Any) -> bool:
    """Ask the harness for the answers so far and send those that changed; False when the
    kernel is gone."""
    msg_id = kernel.kc.execute(
        "",
        silent=True,
        store_history=False,
        allow_stdin=False,
        user_expressions={"answers": expression},
    )
    reply = kernel.request(msg_id, time.monotonic() + timeout)
    if reply is None:
        if not kernel.alive():
            _emit(out, {"type": "dead", "cell": number})
            return False
        kernel.km.interrupt_kernel()
        kernel.request(msg_id, time.monotonic() + 5.0)
        _emit(
            out,
            {
                "type": "collect_error",
                "cell": number,
                "error": f"collecting the answers took longer than {timeout:g} s",
            },
        )
        return True
    result = reply.get("content", {}).get("user_expressions", {}).get("answers", {})
    try:
        if result.get("status") != "ok":
            raise ValueError(f"{result.get('ename')}: {result.get('evalue')}")
        data = json.loads(ast.literal_eval(result["data"]["text/plain"]))
        changed = {}
        for var, record in dict(data.get("answers", {})).items():
            text = json.dumps(record, sort_keys=True)
            if _SENT.get(var) != text:
                _SENT[var] = text
                changed[var] = record
        data["answers"] = changed
        _emit(out, {"type": "answers", "cell": number, "data": data})
    except Exception as exc:  # whatever the notebook did to the harness, say so and go on
        _emit(
            out,
            {
                "type": "collect_error",
                "cell": number,
                "error": f"{type(exc).__name__}: {exc}"[:500],
            },
        )
    return True


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    drop = None
    if args[:1] == ["--drop-uid"]:
        drop, args = int(args[1]), args[2:]
    job_dir = Path(args[0])
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing else writes into the grader's channel
    job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
    _set_limits(job.get("limits", {}))
    if drop is not None and os.geteuid() == 0:
        _drop_privileges(drop)
    _not_dumpable()
    try:
        run(job_dir, out)
    except Exception as exc:
        _emit(out, {"type": "runner_error", "error": f"{type(exc).__name__}: {exc}"[:500]})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
