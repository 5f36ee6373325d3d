"""Real processes for the integration tests: a Celery worker (and beat) run as
subprocesses against the test database, Redis and an SMTP server."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the test database this test process uses."""
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def service_env(**overrides) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({k: str(v) for k, v in overrides.items()})
    return env


class Process:
    def __init__(self, args, env, log_path: Path):
        self.args, self.env, self.log_path = args, env, log_path
        self.proc = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def children(self) -> list[int]:
        try:
            out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                                 text=True, check=False).stdout
        except FileNotFoundError:
            return []
        return [int(pid) for pid in out.split()]

    def kill_children(self) -> int:
        killed = 0
        for pid in self.children():
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        return killed

    def kill(self) -> int:
        """SIGKILL the whole process group (main process and pool children)."""
        if self.proc is None or self.proc.poll() is not None:
            return 0
        count = 1 + len(self.children())
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return 0
        self.proc.wait(timeout=10)
        return count

    def stop(self, timeout=20):
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def celery_worker(tmp_path, *, concurrency=2, name="w1", **env) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info",
            "-c", str(concurrency), "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-O", "fair"]
    return Process(args, service_env(**env), tmp_path / f"worker-{name}.log")


def celery_beat(tmp_path, **env) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info",
            "-s", str(tmp_path / "beat-schedule")]
    return Process(args, service_env(**env), tmp_path / "beat.log")


def wait_for(predicate, timeout=120.0, interval=0.5, on_wait=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if on_wait:
            on_wait()
        time.sleep(interval)
    return predicate()
