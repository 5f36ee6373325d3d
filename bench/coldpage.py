"""One process, one uncached article page: how long it takes, and what it costs.

    python bench/coldpage.py --runs 60     # in a code tree, with DATABASE_URL and REDIS_URL set

Run by bench/part_coldpage.py in this tree and, as a subprocess, in a copy of
the baseline commit's tree, against the same seeded database and the same
Redis, so both are measured in one run. It imports only Django and the
project (nothing else from bench/), so the same file runs in either tree.

Every page is cold, as right after a publication: the page cache's
generation is bumped, then each article page (every language it has) is asked
for once, in a shuffled order, so none is served from the cache, while the
process stays warm (imports, templates, translations loaded by a warm-up), as
a web worker is; then again under a new generation. The first page after each
bump is reported apart: it also makes what the pages share (the site's
languages, the sidebar).
Prints one JSON line: per-request milliseconds, the queries and the cache
round trips of one request, and digests of each page's HTML with what is
made per request (CSRF tokens, CSP nonces) blanked, to compare the trees'
output: of the whole page, of the page without its sidebar, of the sidebar.
"""

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_REQUEST = [
    re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*'),
    re.compile(rb'(nonce=")[^"]*'),
]


# The sidebar (the subscribe box, the latest issue, the situation box), which
# features added after the baseline commit changed: compared apart.
SIDEBAR = re.compile(rb'<aside class="layout__aside".*?</aside>', re.S)


def normalised(html: bytes) -> bytes:
    for pattern in PER_REQUEST:
        html = pattern.sub(rb"\1-", html)
    return html


def digest(html: bytes) -> str:
    return hashlib.sha256(html).hexdigest()


class RoundTrips:
    """Counts what is sent to Redis: a command, or a whole pipeline, is one."""

    def __init__(self):
        self.count = 0
        import redis.connection

        cls = getattr(redis.connection, "AbstractConnection", redis.connection.Connection)
        original = cls.send_packed_command
        counter = self

        def send_packed_command(self, command, check_health=True):
            counter.count += 1
            return original(self, command, check_health)

        cls.send_packed_command = send_packed_command


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--articles", type=int, default=12)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils.translation import override

    from bulletin.models import Article
    from bulletin.pagecache import generation

    trips = RoundTrips()
    articles = list(
        Article.objects.filter(status="published", issue__status="published")
        .select_related("issue").order_by("-issue__start_date", "position")[: options.articles]
    )
    urls = []
    for code in ("en", "be", "ru"):
        with override(code):
            urls += [a.get_absolute_url() for a in articles if getattr(a, f"title_{code}")]
    client = Client()
    digests = {}
    for url in urls:  # warm the process: imports, templates, translations
        generation.bump()
        response = client.get(url)
        if response.status_code != 200:
            print(json.dumps({"error": f"{url} answered {response.status_code}"}))
            return 1
        html = normalised(response.content)
        digests[url] = {"whole": digest(html), "main": digest(SIDEBAR.sub(b"", html)),
                        "sidebar": digest(b"".join(SIDEBAR.findall(html)))}
    # As after a publication: the generation is new, and every article page is
    # asked for once, none of them cached; what all of them share (the site's
    # languages, the sidebar) is made by the first and kept for the others.
    # `first_*`: the first page after the bump, which makes those too.
    order = random.Random(7)
    times, first_times, queries, round_trips, first = [], [], [], [], {}
    done = 0
    while done < options.runs:
        generation.bump()
        for index, url in enumerate(order.sample(urls, len(urls))):
            before = trips.count
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if index == 0:
                first_times.append(elapsed)
                first = {"queries": len(captured), "round_trips": trips.count - before}
            else:
                times.append(elapsed)
                queries.append(len(captured))
                round_trips.append(trips.count - before)
            done += 1
    # The median page; the most any page took is a page in a language whose
    # sidebar no page of this generation had made yet.
    print(json.dumps({"ms": times, "first_ms": first_times,
                      "queries": statistics.median(queries), "queries_max": max(queries),
                      "round_trips": statistics.median(round_trips),
                      "round_trips_max": max(round_trips), "first": first,
                      "pages": len(urls), "digests": digests}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
