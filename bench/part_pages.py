"""Part 3: reader pages against Django's floor, served by gunicorn over loopback.

A realistic database (three languages, 200 weekly issues, 2,000 articles with
the demo content's texts) is seeded; gunicorn serves bench.settings (Bulletin's
settings, DEBUG off, plus a minimal floor view at /bench/floor/) with 2 sync
workers; wrk (or bench/loadgen.py when wrk is missing) loads one URL at a time.
Per repetition and cache mode (cached: Bulletin's page cache on the bench's own
Redis; uncached: DummyCache) the floor view is measured on the same server
right before each page, and each page is reported as a ratio of that floor.

Queries per page are counted with Django's test client in this process
(CaptureQueriesContext, cache off), at a small database and at the full one.
"""

import json
import re
import shutil
import subprocess
import sys
import time

from bench import procs, seed

PY = sys.executable
PAGES = [
    # (name, URL name, kwargs builder, query string)
    ("home", "bulletin:home", None, ""),
    ("issue", "bulletin:issue", "issue", ""),
    ("article", "bulletin:article", "article", ""),
    ("topic", "bulletin:topic", "topic", ""),
    ("archive", "bulletin:archive", None, ""),
    ("search", "bulletin:search", None, "?q=gas+price"),
    ("feed", "bulletin:feed_rss", None, ""),
]
# Server settings per mode. cached: PAGE_CACHE_GENERATION_TTL=1 as .env.example
# sets it for production (a process trusts the cache generation it read for 1 s);
# exact: the default 0 (the generation read from Redis on every request);
# uncached: every cache off.
MODES = {
    "cached": {"PAGE_CACHE_GENERATION_TTL": "1"},
    "exact": {"PAGE_CACHE_GENERATION_TTL": "0"},
    "uncached": {"BENCH_CACHE": "dummy", "PAGE_CACHE_GENERATION_TTL": "0"},
}
SMALL = (20, 10)  # issues, articles per issue: the small database for the query counts
FULL = (200, 10)


def page_urls(language="en") -> tuple[dict[str, str], list[str]]:
    """The URL of each page that this code base has, and notes on those it lacks."""
    from django.urls import NoReverseMatch, reverse
    from django.utils.translation import override

    from bulletin.models import Article, Issue

    issue = Issue.objects.filter(status="published").order_by("-start_date").first()
    article = (Article.objects.filter(issue=issue, status="published")
               .exclude(title_en="").order_by("position").first())
    args = {
        "issue": {"number": issue.number},
        "article": {"number": issue.number, "slug": article.slug},
        "topic": {"slug": "security"},
    }
    urls, notes = {}, []
    with override(language):
        for name, url_name, kwargs, query in PAGES:
            try:
                urls[name] = reverse(url_name, kwargs=args.get(kwargs)) + query
            except NoReverseMatch:
                notes.append(f"{name}: this code base has no URL named `{url_name}` yet; "
                             "not measured.")
    return urls, notes


def count_queries(urls: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    counts = {}
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):  # django.test.signals swaps the cache handler
        client = Client()
        for name, url in urls.items():
            client.get(url)  # warm: imports, template loading, translations
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{name} page {url} answered {response.status_code}")
            counts[name] = len(queries)
    return counts


class Server:
    """gunicorn with bench.settings, 2 sync workers, on a free loopback port."""

    def __init__(self, ctx, mode: str):
        self.port = procs.free_port()
        env = {**ctx.env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        env.update(MODES[mode])
        self.process = procs.Process(
            f"gunicorn-{mode}",
            [PY, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "--backlog", "512"],
            env=env, log_path=ctx.workdir / f"gunicorn-{mode}.log")

    def start(self):
        self.process.start()
        if not procs.wait_for_port(self.port, 60, self.process):
            raise RuntimeError(f"gunicorn did not start:\n{self.process.log()}")
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.process.stop()


def warm(server: Server, paths: list[str], times: int = 6):
    import urllib.request

    for path in paths:
        for _ in range(times):
            with urllib.request.urlopen(server.url(path), timeout=30) as response:
                if response.status != 200 or response.geturl() != server.url(path):
                    raise RuntimeError(f"{path} answered {response.status} from "
                                       f"{response.geturl()}: a redirect would be measured "
                                       "instead of the page")
                response.read()


def settle(server: Server, timeout: float = 120.0):
    """Wait until the server has worked off what the last load left queued (a slow
    page keeps both workers busy after the load generator stops): two floor
    requests in a row answered within 100 ms."""
    import urllib.request

    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        start = time.perf_counter()
        with urllib.request.urlopen(server.url("/bench/floor/"), timeout=timeout) as response:
            response.read()
        quick = quick + 1 if time.perf_counter() - start < 0.1 else 0


def load(url: str, seconds: float, use_wrk: bool) -> dict:
    if use_wrk:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", "4", "-d", f"{max(round(seconds), 1)}s", "--latency",
             "--timeout", "10s", url],
            capture_output=True, text=True, timeout=seconds + 60, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
        return parse_wrk(out.stdout)
    out = subprocess.run(
        [PY, "bench/loadgen.py", "--url", url, "--connections", "4", "--seconds", str(seconds)],
        cwd=procs.ROOT, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"the load generator failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(text: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    return {"rps": rps,
            "latency_ms": float(p50.group(1)) * _UNITS[p50.group(2)] if p50 else None,
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def run(ctx, missing: list[str]) -> dict:
    from django.core.management import call_command

    if not shutil.which("gunicorn") and not (procs.ROOT / ".venv" / "bin" / "gunicorn").exists():
        return {"skipped": "gunicorn is not installed in the virtualenv (make install)."}
    use_wrk = shutil.which("wrk") is not None
    if not use_wrk:
        missing.append("wrk is not installed (apt-get install wrk): the pages were loaded with "
                       "bench/loadgen.py, a Python client, which saturates before wrk does; "
                       "ratios stay comparable, absolute figures are lower.")
        print(f"bench: {missing[-1]}", flush=True)
    print("pages: collecting static files", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"pages: seeding {SMALL[0]} issues × {SMALL[1]} articles", flush=True)
    seed.reader_site(*SMALL, first_number=1)
    urls, notes = page_urls()
    queries_by_size = {f"{SMALL[0] * SMALL[1]:,} articles": count_queries(urls)}
    print(f"pages: seeding up to {FULL[0]} issues × {FULL[1]} articles", flush=True)
    seed.reader_site(FULL[0] - SMALL[0], FULL[1], first_number=SMALL[0] + 1, first_week=SMALL[0])
    urls, notes = page_urls()
    queries = count_queries(urls)
    queries_by_size[f"{FULL[0] * FULL[1]:,} articles"] = queries
    print(f"pages: queries per page {queries}", flush=True)
    floor_url = "/bench/floor/"
    results = {
        "floor_url": floor_url, "floor": {mode: [] for mode in MODES},
        "pages": {name: {"url": url, "queries": queries[name], **{mode: [] for mode in MODES}}
                  for name, url in urls.items()},
        "queries_by_size": queries_by_size, "notes": notes,
        "load_generator": "wrk -t 2 -c 4" if use_wrk else "bench/loadgen.py, 4 connections",
        "setup_note": (
            f"{FULL[0]} published weekly issues, {FULL[0] * FULL[1]:,} articles in en/be/ru "
            "(every seventh without Belarusian), the demo content's texts. gunicorn, 2 sync "
            f"workers, DEBUG off, over loopback; load: "
            f"{'wrk -t 2 -c 4' if use_wrk else 'bench/loadgen.py with 4 connections'}, "
            f"{ctx.options.page_seconds:g} s per URL and run; {ctx.options.repeat} "
            f"run{'s' if ctx.options.repeat != 1 else ''}. "
            "Cached: Bulletin's page cache on the bench's own Redis (warmed first), with "
            "PAGE_CACHE_GENERATION_TTL=1 as .env.example sets it for production (each process "
            "trusts the cache generation it read for 1 s); exact: the default, 0 (the "
            "generation is read from Redis on every request); uncached: DummyCache, every "
            "cache off. Every request is anonymous and without cookies. Queries per page: "
            "Django's test client, cache off."),
    }
    seconds = ctx.options.page_seconds
    for rep in range(ctx.options.repeat):
        for mode in MODES:
            server = Server(ctx, mode).start()
            try:
                warm(server, [floor_url, *urls.values()])
                print(f"pages [{rep + 1}/{ctx.options.repeat}] {mode}", flush=True)
                for name, url in urls.items():
                    # The floor right before each page: the pair sees the same noise.
                    settle(server)
                    floor = load(server.url(floor_url), seconds, use_wrk)
                    results["floor"][mode].append(floor)
                    settle(server)
                    figures = load(server.url(url), seconds, use_wrk)
                    figures["floor_rps"] = floor["rps"]
                    results["pages"][name][mode].append(figures)
                    ratio = figures["rps"] / floor["rps"] if floor["rps"] else float("nan")
                    print(f"    {name}: {figures['rps']:.0f} req/s, floor {floor['rps']:.0f} "
                          f"({ratio:.2f} × floor), p50 {figures['latency_ms'] or 0:.2f} ms",
                          flush=True)
            finally:
                server.stop()
            time.sleep(1)
    return results
