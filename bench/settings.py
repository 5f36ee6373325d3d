"""Settings for the pages benchmark: Bulletin's own, plus the floor view's URL.

BENCH_CACHE=dummy turns every cache off (the uncached runs); otherwise the
cache is Bulletin's usual one (Redis at REDIS_URL, here the bench's own).
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    PAGE_CACHE_LOCAL_ITEMS = 0

if os.environ.get("BENCH_COUNT_RENDERS"):
    INSTALLED_APPS = [*INSTALLED_APPS, "bench.render_counter.RenderCounter"]  # noqa: F405
