"""Run one submission isolated: a private working copy, bubblewrap, an unprivileged user, limits.

Each submission runs :mod:`crmsim.exercises.runner` on a private copy of its notebook, in its own
temporary job folder, under these protections:

- **sandbox** (bubblewrap, Debian's ``bubblewrap`` package, where it works): the system, Python
  and crmsim are mounted read-only and nothing else of the machine is visible — not the
  submissions folder, not the grader's home, not other students' work; no network (a new,
  empty network namespace); its own process tree (``/proc`` shows only the sandbox), IPC and
  host name; a private, size-limited ``/tmp`` and working folder (``/home/student``), the only
  places it can write, gone when it ends; the job folder read-only; it dies with the grader;
- **unprivileged user**: when the grader runs as root, each notebook runs as an unprivileged uid
  of its own (from :data:`SANDBOX_UIDS`, one per notebook graded at the same time, so that one
  notebook's processes never count against another's limit), with no capabilities and no
  supplementary groups; otherwise as the grader's own (unprivileged) user, inside a user
  namespace;
- **scrubbed environment**: a handful of variables (``PATH``, ``HOME``, locale, thread counts);
  none of the grader's;
- **limits** (``setrlimit``): CPU time, address space (memory), size of a file written, number
  of processes, open files, no core dumps; and a wall-clock limit after which the whole sandbox
  is killed.

Without bubblewrap (another OS, or a machine where it cannot create namespaces) the grader still
works: the notebook runs in its private temporary folder with the scrubbed environment and the
limits, but it can read and write whatever the grader's user can, and reach the network.
:func:`isolation` says which protections apply; the grader reports it.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Isolation", "Limits", "RunResult", "isolation", "limit_values", "run_job"]

#: The unprivileged uids a root grader runs notebooks as, one per notebook running at the same
#: time (no account needs to exist; Debian leaves 61000-61999 unassigned).
SANDBOX_UIDS = range(61000, 61064)
#: Where the notebook works inside the sandbox (its home and current folder).
WORKDIR = "/home/student"
#: Where the job folder (the private copy, the spec, the unseen inputs) is mounted.
JOBDIR = "/job"

_ALWAYS = (
    "a private copy of the notebook in its own temporary folder (the submission is never opened "
    "for writing)",
    "a scrubbed environment (none of the grader's variables)",
    "limits on CPU time, memory, file size, processes and open files",
    "a wall-clock limit, after which every process of the notebook is killed",
)
_SANDBOXED = (
    "bubblewrap sandbox: read-only system, Python and crmsim; nothing else of the machine "
    "visible (not the submissions folder)",
    "no network",
    "its own process tree (/proc shows only the sandbox), IPC and host name",
    "a private, size-limited /tmp and working folder, the only places it can write",
)
_MISSING = (
    "no sandbox: the notebook can read and write whatever the grader's user can",
    "the network is reachable",
    "/proc shows the grader's processes",
    "a process the notebook starts in its own session may outlive the run (a sandbox's "
    "processes all end with it)",
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one notebook run.

    Attributes
    ----------
    cpu_seconds : int
        CPU time of each process (RLIMIT_CPU).
    memory_bytes : int
        Address space of each process (RLIMIT_AS).
    file_bytes : int
        Largest file a process may write (RLIMIT_FSIZE).
    processes : int
        Processes and threads of the sandbox's user (RLIMIT_NPROC; counted per user, so shared
        by notebooks graded at the same time).
    open_files : int
        Open file descriptors per process (RLIMIT_NOFILE).
    disk_bytes : int
        Size of each writable folder in the sandbox (``/tmp`` and the working folder).
    """

    cpu_seconds: int = 120
    memory_bytes: int = 3 * 2**30
    file_bytes: int = 64 * 2**20
    processes: int = 512
    open_files: int = 1024
    disk_bytes: int = 128 * 2**20

    @classmethod
    def for_timeout(cls, timeout: float) -> Limits:
        """Limits for a notebook allowed *timeout* seconds: CPU time twice that, at least 60 s."""
        return cls(cpu_seconds=int(max(60.0, 2 * timeout + 30)))


@dataclass(frozen=True)
class Isolation:
    """How notebooks are isolated on this machine.

    ``kind`` is ``"bubblewrap"`` or ``"none"``; ``user`` is who the notebook runs as;
    ``protections`` and ``missing`` list, in words, what applies and what does not.
    """

    kind: str
    user: str
    protections: tuple[str, ...]
    missing: tuple[str, ...] = ()
    reason: str = ""
    bwrap: str | None = field(default=None, repr=False)

    @property
    def sandboxed(self) -> bool:
        return self.kind == "bubblewrap"

    def describe(self) -> str:
        """A few lines for the instructor: what protects the machine from the notebooks."""
        head = (
            "isolation: bubblewrap sandbox"
            if self.sandboxed
            else f"isolation: NO sandbox ({self.reason})"
        )
        lines = [f"{head}; notebooks run as {self.user}"]
        lines += [f"  + {p}" for p in self.protections]
        lines += [f"  - {m}" for m in self.missing]
        return "\n".join(lines)


def _user(uid: int) -> str:
    if _is_root() and uid in SANDBOX_UIDS:
        return (
            f"an unprivileged uid of its own ({SANDBOX_UIDS.start}-{SANDBOX_UIDS.stop - 1}, "
            "one per notebook running)"
        )
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@functools.cache
def _probe(bwrap: str) -> str:
    """Empty when bubblewrap can build our sandbox here, else why not."""
    cmd = [
        bwrap,
        *_namespace_args(),
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--",
        sys.executable,
        "-c",
        "pass",
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{bwrap} could not run: {exc}"
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"{bwrap} failed: {err[-1] if err else f'exit status {done.returncode}'}"
    return ""


def isolation(mode: str = "auto") -> Isolation:
    """The isolation notebooks get here.

    Parameters
    ----------
    mode : {"auto", "require", "off"}
        ``"auto"``: bubblewrap when it works, else the fallback; ``"require"``: bubblewrap or a
        RuntimeError saying why not; ``"off"``: the fallback (trusted notebooks only).
    """
    if mode not in ("auto", "require", "off"):
        raise ValueError(f"parameter 'mode' must be 'auto', 'require' or 'off'; got {mode!r}")
    uid = SANDBOX_UIDS[0] if _is_root() else os.getuid() if hasattr(os, "getuid") else -1
    reason = "switched off (--sandbox off)"
    if mode != "off":
        bwrap = shutil.which("bwrap")
        if sys.platform != "linux":
            reason = f"bubblewrap needs Linux; this is {sys.platform}"
        elif bwrap is None:
            reason = "bwrap not found (install Debian's bubblewrap package)"
        else:
            reason = _probe(bwrap)
            if not reason:
                return Isolation("bubblewrap", _user(uid), _SANDBOXED + _ALWAYS, bwrap=bwrap)
        if mode == "require":
            raise RuntimeError(f"a sandbox is required but unavailable: {reason}")
    fallback_uid = uid if not _is_root() or _can_drop() else 0
    missing = _MISSING
    if fallback_uid == 0:
        missing += (
            "the notebook runs as root: the Python installation is not readable by "
            "an unprivileged user",
        )
    return Isolation("none", _user(fallback_uid), _ALWAYS, missing, reason)


def _can_drop() -> bool:
    """True when an unprivileged user can run this Python (every parent folder is searchable)."""
    for path in {
        Path(sys.executable).resolve(),
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(__file__).resolve(),
    }:
        for parent in path.parents:
            try:
                if not parent.stat().st_mode & 0o001:
                    return False
            except OSError:
                return False
    return True


# --------------------------------------------------------------------------- the command


def _namespace_args() -> list[str]:
    ns = [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
    ]
    if not _is_root():
        ns.insert(0, "--unshare-user")
    return ns


def _system_mounts() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in (
        "ld.so.cache",
        "ld.so.conf",
        "ld.so.conf.d",
        "localtime",
        "nsswitch.conf",
        "passwd",
        "group",
        "hosts",
        "fonts",
        "ssl",
        "alternatives",
        "mime.types",
    ):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _python_paths() -> list[Path]:
    """Folders the notebook's Python needs: the interpreter's prefixes, crmsim and its data."""
    import crmsim
    from crmsim.datasets import data_dir

    package = Path(crmsim.__file__).resolve().parent
    paths = [
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix).resolve(),
        Path(sys.executable).resolve().parent,
        package,
        data_dir().resolve(),
    ]
    for entry in sys.path:  # site-packages outside the prefix (a user site, a --target install)
        p = Path(entry or ".").resolve()
        if p.name in ("site-packages", "dist-packages") and p.is_dir():
            paths.append(p)
    kept: list[Path] = []
    for p in sorted(set(paths), key=lambda q: len(q.parts)):
        if not any(p == k or k in p.parents for k in kept) and not _system(p):
            kept.append(p)
    return kept


def _system(path: Path) -> bool:
    return path.parts[1:2] == ("usr",)


def _environment(python_path: Path) -> dict[str, str]:
    """The notebook's whole environment (the grader's is not passed on)."""
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": WORKDIR,
        "USER": "student",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONPATH": str(python_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{WORKDIR}/.config/matplotlib",
        "IPYTHONDIR": f"{WORKDIR}/.ipython",
        "JUPYTER_RUNTIME_DIR": f"{WORKDIR}/.kernel",
        "JUPYTER_PLATFORM_DIRS": "1",
        "CRMSIM_PROGRESS": f"{WORKDIR}/.crmsim/progress.json",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }


class _UidPool:
    """The sandbox uids free for the next notebook (thread-safe; a notebook keeps its uid until
    its sandbox has ended)."""

    def __init__(self) -> None:
        import queue

        self._free: queue.Queue[int] = queue.Queue()
        for uid in SANDBOX_UIDS:
            self._free.put(uid)

    def take(self) -> int:
        return self._free.get()

    def give_back(self, uid: int) -> None:
        self._free.put(uid)


_UIDS = _UidPool()


def sandbox_command(
    info: Isolation,
    job_dir: Path,
    limits: Limits,
    uid: int = SANDBOX_UIDS[0],
    hide: Sequence[Path] = (),
) -> list[str]:
    """The bubblewrap command line that runs the runner on *job_dir*.

    The private ``/tmp`` and working folder are mounted first, then the read-only folders
    Python needs (a virtual environment made under ``/tmp`` stays visible), then *hide*: a
    folder (the submissions) that lies inside a mounted one is covered by an empty one.
    """
    import crmsim

    python_path = Path(crmsim.__file__).resolve().parent.parent
    size = str(limits.disk_bytes)
    args = [info.bwrap or "bwrap", *_namespace_args(), *_system_mounts(),
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", size, "--tmpfs", "/tmp",
            "--perms", "1777", "--size", size, "--tmpfs", WORKDIR]  # fmt: skip
    made: set[Path] = set()
    mounted = _python_paths()
    for path in mounted:
        # parent folders made searchable (bubblewrap would copy /root's 0700, say)
        for parent in reversed(path.parents[:-1]):
            if parent not in made:
                made.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", str(path), str(path)]
    for folder in hide:
        folder = Path(folder).resolve()
        if any(folder == m or m in folder.parents for m in mounted):
            args += ["--perms", "0000", "--tmpfs", str(folder)]
    args += [
        "--ro-bind",
        str(job_dir),
        JOBDIR,
        "--hostname",
        "sandbox",
        "--chdir",
        WORKDIR,
        "--clearenv",
    ]
    for key, value in _environment(python_path).items():
        args += ["--setenv", key, value]
    args += ["--", sys.executable, "-I", "-c", _BOOT, JOBDIR]
    if _is_root():
        args[-1:-1] = ["--drop-uid", str(uid)]
    return args


#: How the runner starts: ``-I`` (isolated mode) ignores PYTHONPATH and the current folder, so
#: crmsim's location is put on the path explicitly, then the runner's ``main`` takes the rest.
_BOOT = (
    "import os, sys; sys.path.insert(0, os.environ['PYTHONPATH']); "
    "from crmsim.exercises.runner import main; sys.exit(main(sys.argv[1:]))"
)


def limit_values(limits: Limits) -> dict[str, int]:
    """The rlimits the runner sets on itself before it drops privileges and starts the kernel
    (every process of the notebook inherits them; none can raise them again)."""
    processes = limits.processes
    if not _is_root():  # RLIMIT_NPROC counts all of this user's tasks, not only the notebook's
        processes += _tasks_of(os.getuid())
    return {
        "RLIMIT_CPU": limits.cpu_seconds,
        "RLIMIT_AS": limits.memory_bytes,
        "RLIMIT_FSIZE": limits.file_bytes,
        "RLIMIT_NPROC": processes,
        "RLIMIT_NOFILE": limits.open_files,
        "RLIMIT_CORE": 0,
    }


def _tasks_of(uid: int) -> int:
    """Processes and threads of *uid* now (what RLIMIT_NPROC counts)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def _fallback_command(
    info: Isolation, job_dir: Path, workdir: Path, uid: int
) -> tuple[list[str], dict]:
    import crmsim

    python_path = Path(crmsim.__file__).resolve().parent.parent
    env = _environment(python_path)
    env.update(
        {
            "HOME": str(workdir),
            "MPLCONFIGDIR": str(workdir / ".config" / "matplotlib"),
            "IPYTHONDIR": str(workdir / ".ipython"),
            "JUPYTER_RUNTIME_DIR": str(workdir / ".kernel"),
            "CRMSIM_PROGRESS": str(workdir / ".crmsim" / "progress.json"),
            "TMPDIR": str(workdir / "tmp"),
        }
    )
    cmd = [sys.executable, "-I", "-c", _BOOT, str(job_dir)]
    if _is_root() and not info.user.endswith("(uid 0)"):
        cmd[-1:-1] = ["--drop-uid", str(uid)]
    return cmd, env


# --------------------------------------------------------------------------- running


@dataclass
class RunResult:
    """What one run produced: the runner's ``records`` (parsed JSON lines, in order), whether
    the wall-clock limit ``killed`` it, its exit status and the tail of its error output."""

    records: list[dict[str, Any]]
    killed: bool
    returncode: int | None
    stderr: str
    seconds: float


#: Most output accepted from one run (answers are small; a flood is cut and reported).
MAX_OUTPUT = 32 * 2**20


def run_job(
    job_dir: Path, info: Isolation, wall_seconds: float, hide: Sequence[Path] = ()
) -> RunResult:
    """Run the runner on *job_dir* under *info*'s isolation; kill it after *wall_seconds*.

    *job_dir* holds ``job.json`` (with ``workdir``, see :func:`job_workdir`, and ``limits``,
    see :func:`limit_values`), ``spec.json``, the private notebook copy and the unseen inputs.
    """
    uid = _UIDS.take()
    try:
        return _run(job_dir, info, wall_seconds, uid, hide)
    finally:
        _UIDS.give_back(uid)


def _run(
    job_dir: Path, info: Isolation, wall_seconds: float, uid: int, hide: Sequence[Path]
) -> RunResult:
    workdir = job_dir.parent / "home"
    if info.sandboxed:
        job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
        limits = Limits(disk_bytes=int(job.get("disk_bytes") or Limits.disk_bytes))
        cmd, env = sandbox_command(info, job_dir, limits, uid, hide), None
    else:
        cmd, env = _fallback_command(info, job_dir, workdir, uid)
        workdir.mkdir(mode=0o700, exist_ok=True)
        (workdir / "tmp").mkdir(exist_ok=True)
        if "--drop-uid" in cmd:
            _chown_tree(job_dir.parent, uid)
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=str(workdir if not info.sandboxed else job_dir),
        start_new_session=True,
    )
    lines: list[bytes] = []
    err: list[bytes] = []
    size = [0]

    def read_out() -> None:
        for line in proc.stdout:
            size[0] += len(line)
            if size[0] > MAX_OUTPUT:
                _kill(proc)
                break
            lines.append(line)

    def read_err() -> None:
        err.append(proc.stderr.read(64 * 1024))
        for _ in iter(lambda: proc.stderr.read(64 * 1024), b""):
            pass  # keep draining so the process never blocks on a full pipe

    readers = [
        threading.Thread(target=read_out, daemon=True),
        threading.Thread(target=read_err, daemon=True),
    ]
    for t in readers:
        t.start()
    killed = False
    try:
        proc.wait(timeout=wall_seconds)
    except subprocess.TimeoutExpired:
        killed = True
        _kill(proc)
        proc.wait()
    for t in readers:
        t.join(timeout=5)
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    stderr = b"".join(err).decode("utf-8", "replace")[-2000:]
    return RunResult(records, killed, proc.returncode, stderr, time.monotonic() - start)


def _kill(proc: subprocess.Popen) -> None:
    """Kill the run's whole process group (bubblewrap then takes the sandbox down with it)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


def _chown_tree(root: Path, uid: int) -> None:
    for path in [root, *root.rglob("*")]:
        os.chown(path, uid, uid, follow_symlinks=False)


def job_workdir(info: Isolation, job_dir: Path) -> str:
    """Where the notebook works: the sandbox's ``/home/student``, or a private host folder."""
    return WORKDIR if info.sandboxed else str(job_dir.parent / "home")


def mount_paths(info: Isolation) -> Sequence[str]:
    """The host folders the sandbox mounts read-only (for the instructor's information)."""
    return [str(p) for p in _python_paths()] if info.sandboxed else []
