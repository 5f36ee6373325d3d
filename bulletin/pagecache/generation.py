"""The page cache's generation: every cached page is stale at once when it changes.

Pages are cached under a key that includes a generation number; publishing or
editing anything a reader can see bumps the generation, so every cached page
is stale at once, on every web process (the generation lives in the shared
cache). Invalidation costs one cache write, whatever the number of pages.

Each process also keeps what it read of the current generation (whole
responses, the site's languages) in its own memory (`value_read`/`value_store`), up to
PAGE_CACHE_LOCAL_ITEMS entries, dropped as soon as it sees a new generation:
a cached page then costs one round trip to the shared cache (the generation)
and no more. With PAGE_CACHE_GENERATION_TTL > 0 a process trusts the
generation it read for that many seconds, and a cached page costs no round
trip at all; other processes then see a publication up to that many seconds
late (the one that published sees it at once). The default, 0, asks the
shared cache on every request.

A transaction that changes what readers see bumps the generation once
(`bump_for_change`, called by invalidation.py), however many changes it makes:
when it commits, so that a page another process cached before from the old
content, even one cached between the change and the commit, is dropped. Until
then the thread making the change (which already sees it) neither reads nor
writes the page cache (`bypassed()`), so it is never shown a page older than
its own change and never shares one that is not committed yet.

A publication renders the new issue's pages ahead of its commit
(prerender.pages_render_ahead): inside its transaction, under the generation
its commit will bring (`generation_ahead`, `rendering_ahead`), unseen by
anyone until the commit makes that generation current in one step, and only
if no other change bumped the generation meanwhile (else a new one, as for
any change). The first readers after a publication thus find its pages
cached.

Within a request, cache traffic is batched (`prefetch`, `store_later`,
`flush`): an uncached page costs four round trips to the shared cache (the
generation; one MGET of the page, its content and the site's languages; the
single-flight lock; one pipeline of what it stores), not one per value.
"""

import contextlib
import contextvars
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import connection, transaction

GENERATION_KEY = "pages:generation"

# Within one request the generation and what is cached under it are read once
# (request_memo(), entered by bulletin.middleware.LiveLanguageMiddleware); outside a request, every
# call asks the cache.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("page_memo", default=None)

# While pages are rendered ahead of a commit: the generation they are rendered for.
_ahead: contextvars.ContextVar[str | None] = contextvars.ContextVar("pages_ahead", default=None)


@contextlib.contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        try:
            flush()
        finally:
            _memo.reset(token)


def memoised(key: str, compute):
    """compute() once per request for `key` (every call, outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class _ProcessCopy:
    """This process's copy of the current generation and of what is cached under it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation = None
        self.read_at = float("-inf")
        self.values = {}

    def adopt(self, generation: str):
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.values = {}
            self.read_at = time.monotonic()

    def forget(self):
        with self.lock:
            self.generation, self.read_at, self.values = None, float("-inf"), {}


_process = _ProcessCopy()


def _shared_cache_is_real() -> bool:
    # With DummyCache (caching switched off) nothing may be kept here either.
    return not isinstance(caches["default"], DummyCache)


def generation() -> str:
    return _ahead.get() or memoised(GENERATION_KEY, _current_generation)


def _current_generation() -> str:
    ttl = settings.PAGE_CACHE_GENERATION_TTL
    if ttl > 0 and time.monotonic() - _process.read_at < ttl and _process.generation:
        return _process.generation
    value = _read_generation()
    _process.adopt(value)
    _mark_fresh()
    return value


def _mark_fresh():
    memo = _memo.get()
    if memo is not None:
        memo["generation-fresh"] = True


def refresh() -> bool:
    """Before rendering a page on a miss: the generation from the shared cache
    itself, not one trusted for PAGE_CACHE_GENERATION_TTL, so that a page is
    rendered (once) under the generation everyone else renders it under, not
    once more under one another process has replaced. True if it changed (the
    request's reads so far are then forgotten)."""
    memo = _memo.get()
    if (settings.PAGE_CACHE_GENERATION_TTL <= 0 or (memo or {}).get("generation-fresh")
            or _ahead.get()):
        return False
    value = _read_generation()
    changed = value != _process.generation
    _process.adopt(value)
    if changed and memo is not None:
        memo.clear()
    _mark_fresh()
    return changed


def is_current(value: str) -> bool:
    """Whether `value` is the current generation, read from the shared cache
    now (not this process's copy, which may be PAGE_CACHE_GENERATION_TTL old)."""
    return _read_generation() == value


def _read_generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex[:12]
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump():
    """A new generation now: every page cached so far is stale, on every process."""
    value = uuid.uuid4().hex[:12]
    cache.set(GENERATION_KEY, value, timeout=None)
    _process.adopt(value)
    memo = _memo.get()
    if memo is not None:
        memo.clear()  # what this request reads next is of the new generation


def bump_for_change():
    """A change readers will see is being made: bump when the transaction
    commits (at once outside a transaction), once whatever else it changes;
    until then this thread bypasses the page cache (`bypassed()`)."""
    transaction_block = _outermost_atomic_block()
    if transaction_block is None:
        bump()
    elif not getattr(transaction_block, "pages_changed", False):
        transaction_block.pages_changed = True  # gone with the block, committed or rolled back
        if connection.atomic_blocks[0] is not transaction_block:
            # Inside a test case's own transaction, which never commits (its
            # on_commit callbacks run only where a test captures them): the
            # change is as visible as it will ever be, now.
            bump()
        else:
            transaction.on_commit(lambda: _bump_committed(transaction_block))
    elif _ahead.get() is None:
        # A change after pages were rendered ahead: they are not what commits.
        transaction_block.pages_ahead = None


def _bump_committed(block):
    """At the commit of a transaction that changed what readers see: the
    generation its pages were rendered ahead for, if nothing else bumped the
    generation since they began; else a new one."""
    ahead = getattr(block, "pages_ahead", None)
    if ahead is None or not _compare_and_set(GENERATION_KEY, *ahead):
        bump()
        return
    _process.adopt(ahead[1])
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def generation_ahead() -> str | None:
    """The generation this thread's transaction will make current when it
    commits, for rendering pages ahead of it (`rendering_ahead`). None where
    there is nothing to render ahead for: outside a transaction or one that
    changed nothing readers see (the bump is done or not needed), inside a
    test case's own transaction (bumped at once), or with the shared cache
    down or switched off (nothing could be kept)."""
    block = _outermost_atomic_block()
    if (
        block is None
        or not getattr(block, "pages_changed", False)
        or connection.atomic_blocks[0] is not block
        or not _shared_cache_is_real()
        or not getattr(cache, "available", True)
    ):
        return None
    ahead = getattr(block, "pages_ahead", None)
    if ahead is None:
        # What it replaces: the commit makes it current only if that is still current.
        ahead = block.pages_ahead = (_read_generation(), uuid.uuid4().hex[:12])
    return ahead[1]


@contextlib.contextmanager
def rendering_ahead(value: str):
    """Within: pages are read and cached under `value` (from `generation_ahead`),
    not the current generation, and the page cache is not bypassed."""
    token = _ahead.set(value)
    try:
        yield
    finally:
        _ahead.reset(token)


_swap_lock = threading.Lock()


def _compare_and_set(key: str, expected: str, value: str) -> bool:
    swap = getattr(cache, "compare_and_set", None)  # config.cache.RedisCache: one step in Redis
    if swap is not None:
        return swap(key, expected, value)
    with _swap_lock:  # a cache of this process alone (locmem)
        if cache.get(key) != expected:
            return False
        cache.set(key, value, timeout=None)
        return True


def bypassed() -> bool:
    """True while this thread's transaction has changed what readers see and
    has not committed: the page cache is neither read nor written."""
    if _ahead.get():
        return False
    block = _outermost_atomic_block()
    return block is not None and getattr(block, "pages_changed", False)


def _outermost_atomic_block():
    """The atomic block whose commit makes the change visible to others, or None
    outside a transaction. A test case's own blocks never commit, so what a test
    does in them counts as outside a transaction (Django's durable check skips
    them the same way)."""
    for block in connection.atomic_blocks:
        if not getattr(block, "_from_testcase", False):
            return block
    return None


def forget_process_copy():
    """Drop this process's copy (for tests that clear the shared cache)."""
    _process.forget()


def value_read(key: str):
    """A value cached under the current generation (`key` includes it): from
    this process's copy, else from what this request prefetched, else from the
    shared cache (and then kept here)."""
    if bypassed():
        return None
    value = _process.values.get(key)
    if value is not None:
        return value
    found, value = prefetched(key)
    if not found:
        value = cache.get(key)
    if value is not None:
        _keep(key, value)
    return value


def value_store(key: str, value, timeout):
    """Cache `value` under `key` (which includes the generation), here and shared
    (within a request, with the request's other writes: `store_later`)."""
    if bypassed():
        return
    store_later(key, value, timeout)
    _keep(key, value)


def held(key: str) -> bool:
    """Whether this process holds its own copy of `key` (no round trip to read it)."""
    return key in _process.values


def prefetch(keys):
    """Read `keys` from the shared cache in one round trip (those this process
    does not hold already), for this request's later reads (`prefetched`).
    Outside a request, nothing."""
    memo = _memo.get()
    if memo is None or bypassed():
        return
    seen = memo.setdefault("prefetched", {})
    wanted = [key for key in keys if key not in seen and key not in _process.values]
    if wanted:
        found = cache.get_many(wanted)
        seen.update({key: found.get(key) for key in wanted})


def prefetched(key: str) -> tuple[bool, object]:
    """(True, value or None) when this request prefetched `key`; (False, None) if not."""
    memo = _memo.get()
    seen = memo.get("prefetched", {}) if memo is not None else {}
    if key in seen:
        return True, seen[key]
    return False, None


def store_later(key: str, value, timeout):
    """Write `value` to the shared cache with the request's other writes, in
    one pipeline when the request ends (`flush`); outside a request, now."""
    memo = _memo.get()
    if memo is None:
        cache.set(key, value, timeout)
        return
    memo.setdefault("writes", {}).setdefault(timeout, {})[key] = value
    memo.setdefault("prefetched", {})[key] = value


def flush():
    """Send the request's pending writes: one pipeline per timeout (usually one)."""
    memo = _memo.get()
    writes = memo.pop("writes", {}) if memo is not None else {}
    for timeout, values in writes.items():
        cache.set_many(values, timeout)


def _keep(key: str, value):
    limit = settings.PAGE_CACHE_LOCAL_ITEMS
    if limit <= 0 or not _shared_cache_is_real() or _ahead.get():
        return  # (pages rendered ahead are of no generation yet: shared only)
    with _process.lock:
        values = _process.values
        if key not in values and len(values) >= limit:
            values.pop(next(iter(values)))  # the oldest
        values[key] = value
