"""Outages with real parts: a Redis server of the test's own (its own port and
data folder) that a test stops and starts again, and ports nothing listens on."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from tests.conftest import need


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """redis-server on a free port with an append-only file, so that a restart
    brings back what it held (as a Redis that was only unreachable would)."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    need(shutil.which("redis-server") is not None, "redis-server (apt-get install redis-server)")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder).start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, own_redis):
    """Django's cache on the test's own Redis (the project's backend and options)."""
    from config.env import cache_config

    settings.CACHES = cache_config(own_redis.url)
    return own_redis
