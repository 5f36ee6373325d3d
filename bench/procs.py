"""Processes the benchmark starts, and the guarantee that it ends every one of them.

Each child runs in its own session (process group), so stopping it stops its
children too (a Celery worker's pool, gunicorn's workers). `cleanup()` runs in
`run.py`'s `finally` and again from atexit.
"""

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_started: list["Process"] = []


class Process:
    def __init__(self, name: str, args: list[str], *, env=None, log_path: Path | None = None,
                 cwd: Path = ROOT):
        self.name, self.args, self.env, self.cwd = name, args, env, cwd
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Process":
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                self.args, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if self.log_path:
                out.close()
        _started.append(self)
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def children(self) -> list[int]:
        return children_of(self.pid)

    def stop(self, timeout: float = 20.0):
        """SIGTERM the process group, then SIGKILL what is left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired, ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
        # The group may outlive its leader (orphaned pool children).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        if self in _started:
            _started.remove(self)

    def log(self, tail: int = 3000) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-tail:]


def children_of(pid: int) -> list[int]:
    """Direct children, from /proc (no pgrep needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces and parentheses.
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def status_kb(pid: int, field: str) -> int | None:
    """A field of /proc/<pid>/status in kB (VmHWM: peak resident set, VmRSS: now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cleanup():
    for process in list(reversed(_started)):
        try:
            process.stop(timeout=10)
        except Exception as exc:  # keep stopping the others
            print(f"bench: could not stop {process.name}: {exc}")


atexit.register(cleanup)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, process: Process | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
