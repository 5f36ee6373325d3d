"""Page cache for readers, invalidated as a whole whenever content changes.

Pages are cached under a key that includes a generation number; publishing or
editing anything a reader can see bumps the generation, so every cached page
is stale at once, on every web process (the generation lives in the shared
cache). Invalidation costs one cache write, whatever the number of pages.
"""

import uuid

from django.core.cache import cache

GENERATION_KEY = "pages:generation"


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex[:12]
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate():
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], timeout=None)
