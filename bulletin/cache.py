"""Page cache for readers, invalidated as a whole whenever content changes.

Pages are cached under a key that includes a generation number; publishing or
editing anything a reader can see bumps the generation, so every cached page
is stale at once, on every web process (the generation lives in the shared
cache). Invalidation costs one cache write, whatever the number of pages.
"""

import contextlib
import contextvars
import uuid

from django.core.cache import cache

GENERATION_KEY = "pages:generation"

# Within one request the generation and what is cached under it are read once
# (request_memo(), entered by bulletin.middleware); outside a request, every
# call asks the cache.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("page_memo", default=None)


@contextlib.contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
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


def generation() -> str:
    return memoised(GENERATION_KEY, _read_generation)


def _read_generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex[:12]
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate():
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], timeout=None)
    memo = _memo.get()
    if memo is not None:
        memo.clear()  # what this request reads next is of the new generation
