"""Real faults, real processes: Ctrl-C, SIGTERM and a killed worker during ``crmsim compare``, a
full disk and a read-only folder while a report is written (a tiny tmpfs mounted in a private
mount namespace with ``unshare``, so no root is needed), and an earlier run's truncated page.

Each ends with one line on stderr, no worker process left behind, nothing half-written and the
inputs unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLASSROOM = ROOT / "scenarios" / "classroom.toml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CRMSIM_DEBUG", None)
    return env


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(x) for x in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stream:
            return stream.read().split()[2] != "Z"
    except OSError:
        return False


def _start_compare(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "crmsim.app.cli", "compare", str(CLASSROOM), "--vary",
         "crm.adoption=0,1", "--replications", "60", "--workers", "2", "--out",
         str(tmp_path / "out")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path,
        start_new_session=True,
    )  # fmt: skip


def _wait_for_workers(proc: subprocess.Popen, n: int = 2, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = [k for k in _children(proc.pid) if _alive(k)]
        if len(kids) >= n:
            time.sleep(1.0)  # let them start working
            return kids
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"the workers did not start: {proc.communicate()[1][-500:]}")


needs_procfs = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not shutil.which(
    "pgrep"), reason="needs /proc and pgrep to see the worker processes")


@needs_procfs
@pytest.mark.parametrize(("how", "code", "says"), [
    (signal.SIGINT, 130, "stopped (Ctrl-C)"),
    (signal.SIGTERM, 143, "stopped (SIGTERM)"),
])  # fmt: skip
def test_an_interrupt_stops_the_workers_and_says_one_line(tmp_path, how, code, says):
    proc = _start_compare(tmp_path)
    workers = _wait_for_workers(proc)
    os.kill(proc.pid, how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    lines = [line for line in err.splitlines() if "runs (" not in line]
    assert lines[-1].startswith("crmsim compare: ") and says in lines[-1], err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "worker processes were left running"
    assert not (tmp_path / "out" / "index.html").exists()


@needs_procfs
def test_ctrl_c_in_the_terminal_reaches_every_process_and_still_one_line(tmp_path):
    """A terminal's Ctrl-C goes to the whole process group: workers ignore it, the main
    process stops them."""
    proc = _start_compare(tmp_path)
    workers = _wait_for_workers(proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]


@needs_procfs
def test_a_killed_worker_is_one_line_and_no_report(tmp_path):
    proc = _start_compare(tmp_path)
    workers = _wait_for_workers(proc)
    os.kill(workers[-1], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    errors = [line for line in err.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "worker process stopped" in errors[0], err
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]
    assert not (tmp_path / "out" / "index.html").exists()


# ------------------------------------------------------------------ disks that refuse writes
def _can_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _can_mount(),
                                 reason="needs unshare -rm to mount a private tmpfs")


def _in_tmpfs(mount: Path, options: str, *commands: str) -> subprocess.CompletedProcess:
    """Run shell *commands* with a tmpfs mounted on *mount* (private to this process)."""
    mount.mkdir(parents=True, exist_ok=True)
    script = f"mount -t tmpfs -o {options} tmpfs {mount} && " + " && ".join(commands)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, env=_env(), check=False, timeout=300)  # fmt: skip


def _crmsim(*args: str) -> str:
    return " ".join([sys.executable, "-m", "crmsim.app.cli", *map(str, args)])


@pytest.fixture()
def sales(tmp_path) -> Path:
    path = tmp_path / "sales.csv"
    rows = "\n".join(f"C{i % 40:03d},2023-{i % 12 + 1:02d}-0{i % 9 + 1},{100 + i}.50"
                     for i in range(400))  # fmt: skip
    path.write_text("customer_id,date,amount\n" + rows + "\n", encoding="utf-8")
    return path


@needs_mount
def test_a_full_disk_leaves_no_half_written_report_and_a_rerun_works(tmp_path, sales):
    digest = hashlib.sha256(sales.read_bytes()).hexdigest()
    mount = tmp_path / "disk"
    listing = f"ls -A {mount} {mount}/out 2>/dev/null; true"
    proc = _in_tmpfs(mount, "size=96k", "cd " + str(tmp_path),
                     f"{{ {_crmsim('analyze', sales, '--out', mount / 'out')}; echo rc=$?; }}",
                     listing)
    err = proc.stderr
    assert "rc=2" in proc.stdout, (proc.stdout, err)
    errors = [line for line in err.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "No space left on device" in errors[0], err
    assert "index.html" not in proc.stdout and ".part" not in proc.stdout, proc.stdout
    assert hashlib.sha256(sales.read_bytes()).hexdigest() == digest


@needs_mount
def test_scenario_new_on_a_full_disk_leaves_no_empty_file(tmp_path):
    mount = tmp_path / "disk"
    fill = f"dd if=/dev/zero of={mount}/filler bs=1k count=200 2>/dev/null; true"
    proc = _in_tmpfs(mount, "size=64k", fill,
                     f"{{ {_crmsim('scenario', 'new', mount / 'mine.toml')}; echo rc=$?; }}",
                     f"ls -A {mount}")
    assert "rc=2" in proc.stdout, (proc.stdout, proc.stderr)
    assert "mine.toml" not in proc.stdout.split("rc=2", 1)[1], proc.stdout
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr


@needs_mount
def test_a_read_only_folder_is_one_line(tmp_path, sales):
    mount = tmp_path / "ro"
    proc = _in_tmpfs(mount, "ro,size=64k",
                     f"{{ {_crmsim('analyze', sales, '--out', mount / 'out')}; echo rc=$?; }}",
                     f"{{ {_crmsim('scenario', 'new', mount / 'x.toml')}; echo rc=$?; }}")
    assert proc.stdout.count("rc=2") == 2, (proc.stdout, proc.stderr)
    errors = [line for line in proc.stderr.splitlines() if ": error:" in line]
    assert len(errors) == 2 and all("Read-only file system" in e for e in errors), proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_truncated_page_of_an_earlier_run_does_not_block_a_rerun(tmp_path, sales):
    from crmsim.app.cli import main

    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_bytes(b'<!DOCTYPE html>\n<html lang="en"><head><meta charset='
                                     b'"utf-8"><style>@font-face { src: url(data:font/otf;ba')
    assert main(["analyze", str(sales), "--out", str(out)]) == 0
    assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    # a complete page is a report: replaced only with --force
    assert main(["analyze", str(sales), "--out", str(out)]) == 2
