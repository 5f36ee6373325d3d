"""Django's Redis cache backend, keeping its client objects and surviving an outage.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and
redis-py fills a table of a few hundred response callbacks for each one: on a
cached reader page that costs more than the round trip to Redis itself. This
client keeps one redis.Redis per connection pool (a redis.Redis is safe to
share between threads; the pool hands out the connections).

A cache is an optimisation, so an unreachable Redis must not take the site
down: every call that fails with a Redis error answers as a miss (get → the
default, add/set → not stored, incr → None), is counted, and is logged at
most once a minute per process. After a failure the backend does not ask
Redis again for OUTAGE_BACKOFF_SECONDS, so a page that makes several cache
calls pays for one refused connection, not for each. The first call that
succeeds after an outage sends `cache_recovered`: writes made during the
outage (a publication's invalidation among them) were lost, so its listener
(bulletin.pagecache.invalidation) makes everything cached before it stale.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

import redis
from django.core.cache.backends import redis as django_redis

from bulletin.signals import cache_recovered

log = logging.getLogger(__name__)

OUTAGE_BACKOFF_SECONDS = 1.0
LOG_INTERVAL_SECONDS = 60.0


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _Outage:
    """This process's view of the cache's health: whether it is down, since
    when, how many calls failed, and when that was last logged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic; calls before it answer as misses
        self.down = False
        self.failures = 0
        self.logged_at = float("-inf")

    def skip(self) -> bool:
        return self.down and time.monotonic() < self.down_until

    def failed(self, location: str, exc: Exception):
        now = time.monotonic()
        with self.lock:
            self.down, self.down_until = True, now + OUTAGE_BACKOFF_SECONDS
            self.failures += 1
            quiet = now - self.logged_at < LOG_INTERVAL_SECONDS
            if not quiet:
                self.logged_at = now
            failures = self.failures
        if not quiet:
            log.warning(
                "cache unreachable (%s): answering as a miss (%d failed calls so far): %s",
                location, failures, exc,
            )

    def succeeded(self) -> bool:
        """True for the first success after a failure."""
        if not self.down:
            return False
        with self.lock:
            recovered, self.down = self.down, False
        return recovered


def _guarded(name: str, on_failure, *, read=False, method=None):
    """Wrap RedisCache.<name> (or `method`): a Redis error answers `on_failure(args, kwargs)`.
    The first read after an outage answers a miss too: what it read was
    written before the listeners of `cache_recovered` made it stale."""
    method = method or getattr(django_redis.RedisCache, name)

    def call(self, *args, **kwargs):
        if self.outage.skip():
            self.outage.failures += 1
            return on_failure(args, kwargs)
        try:
            result = method(self, *args, **kwargs)
        except redis.RedisError as exc:
            self.outage.failed(self._where, exc)
            return on_failure(args, kwargs)
        if self.outage.succeeded():
            log.warning("cache reachable again (%s)", self._where)
            cache_recovered.send(sender=self)
            if read:
                return on_failure(args, kwargs)
        return result

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


_COMPARE_AND_SET = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2])
    return 1
end
return 0
"""


def _compare_and_set(cache, key, expected, value, version=None) -> bool:
    """Set `key` to `value` (no expiry) only if it holds `expected` now, in one
    step on the server: True if it did (the page cache's generation)."""
    key = cache.make_and_validate_key(key, version=version)
    client = cache._cache
    script = client.get_client(key, write=True).register_script(_COMPARE_AND_SET)
    serialize = client._serializer.dumps
    return bool(script(keys=[key], args=[serialize(expected), serialize(value)]))


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.outage = _Outage()
        # Where, for the log: host and port, never a password from the URL.
        first = urlsplit(server if isinstance(server, str) else server[0])
        self._where = first.netloc.rpartition("@")[2] or first.path

    @property
    def available(self) -> bool:
        """False while this process considers the cache down (after a failed call)."""
        return not self.outage.down

    compare_and_set = _guarded("compare_and_set", lambda args, kwargs: False,
                               method=_compare_and_set)
    get = _guarded("get", _default, read=True)
    get_many = _guarded("get_many", lambda args, kwargs: {}, read=True)
    has_key = _guarded("has_key", lambda args, kwargs: False, read=True)
    add = _guarded("add", lambda args, kwargs: False)
    set = _guarded("set", lambda args, kwargs: None)
    set_many = _guarded("set_many", lambda args, kwargs: list(args[0]) if args else [])
    touch = _guarded("touch", lambda args, kwargs: False)
    delete = _guarded("delete", lambda args, kwargs: False)
    delete_many = _guarded("delete_many", lambda args, kwargs: None)
    incr = _guarded("incr", lambda args, kwargs: None)
    clear = _guarded("clear", lambda args, kwargs: False)
