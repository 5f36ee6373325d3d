"""Reliability tests record their figures; at the end of the session they are
written to var/reliability/figures.json (untracked). Running the tests changes
no tracked file: `make reliability-report` writes docs/RELIABILITY.md from the
figures (scripts/reliability_report.py), after a run with every service."""

import inspect
import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "var" / "reliability" / "figures.json"
_recorded: dict = {}


@pytest.fixture
def figures(request):
    """figures["key"] = value; stored under the test's name, with the test's
    docstring as its description (docs/RELIABILITY.md)."""
    entry = {"test": request.node.nodeid}
    if request.function.__doc__:
        entry["description"] = " ".join(inspect.getdoc(request.function).split())
    _recorded[request.node.name] = entry
    start = time.monotonic()
    yield entry
    entry["seconds"] = round(time.monotonic() - start, 1)
    entry["passed"] = not getattr(request.node, "_failed", False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item._failed = True


def pytest_sessionfinish(session, exitstatus):
    if not _recorded:
        return
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    previous.update(_recorded)
    FIGURES.write_text(json.dumps(previous, indent=2, ensure_ascii=False, sort_keys=True))


class RedisServer:
    """A Redis of the test's own, so restarting it disturbs nobody else.
    Persistent: every write goes to an append-only file first, so a restart
    brings back what it held (as a Redis that was only unreachable would)."""

    def __init__(self, tmp_path, persistent=False):
        self.port = free_port()
        self.dir = tmp_path
        self.persistent = persistent
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             *(("--appendonly", "yes", "--appendfsync", "always") if self.persistent
               else ("--appendonly", "no")),
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"],
                              capture_output=True, text=True).stdout.strip() == "PONG":
                return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self, down_seconds=1.0):
        """Unless persistent, everything queued is lost: nothing is kept on disk."""
        self.stop()
        time.sleep(down_seconds)
        self.start()


@pytest.fixture
def own_redis(tmp_path):
    import shutil

    from tests.conftest import need

    need(shutil.which("redis-server") is not None, "redis-server binary")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, tmp_path):
    """Django's cache (the project's backend and options) on a persistent Redis
    of the test's own, which the test stops and starts."""
    import shutil

    from config.env import cache_config
    from tests.conftest import need

    need(shutil.which("redis-server") is not None, "redis-server binary")
    folder = tmp_path / "cache-redis"
    folder.mkdir()
    server = RedisServer(folder, persistent=True).start()
    settings.CACHES = cache_config(server.url)
    yield server
    server.stop()
