"""The rush after a publication: many readers on the new issue's pages at once.

gunicorn (bench.settings, the page cache on the bench's Redis,
PAGE_CACHE_GENERATION_TTL=1 as .env.example sets it) and a real Celery worker
(`celery -A config.celery worker`, the same Redis as its broker) run as they
would in production. An issue with the demo's 12 articles is published through
bulletin.services.issue_publish (no newsletter), which renders the issue's
pages ahead of its commit and queues the pre-rendering task after it; at once
READERS concurrent readers ask for the new issue's pages (home, archive, the
issue, each article, the topics it touches, both feeds, in every live
language), each reader every page once in its own order: the burst. Then the
same load again on the pages now cached: the cached figures of the same run.

Renders are counted in every process, the bench's own included
(bench/render_counter.py: a hash in the bench's Redis, one field per language
and path, incremented each time a page's content is built or a feed rendered).
"""

import gc
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

from bench import procs

PY = sys.executable

READERS = 50
TARGET_P99 = 2.0


class Worker:
    def __init__(self, ctx):
        env = {**ctx.env, "DJANGO_SETTINGS_MODULE": "bench.settings",
               "BENCH_COUNT_RENDERS": "1"}
        self.process = procs.Process(
            "worker-burst",
            # At a lower CPU priority than the web, as docker-compose.yml's
            # cpu_shares and scripts/stack.sh run it: readers come first.
            ["nice", "-n", "10", PY, "-m", "celery", "-A", "config.celery", "worker", "-l",
             "info", "-c", "1",
             "-n", "burst@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=env, log_path=ctx.workdir / "worker-burst.log")

    def start(self):
        self.process.start()
        if not procs.wait_for(lambda: " ready." in self.process.log(20000)
                              or not self.process.alive(), 90, 0.2):
            raise RuntimeError(f"the Celery worker did not start:\n{self.process.log()}")
        return self

    def stop(self):
        self.process.stop(timeout=30)


def load(server, paths: list[str], readers: int) -> dict:
    """Every reader asks for every path once, in its own order, all at once."""
    latencies: list[float] = []
    timeline: list[tuple[float, float, str]] = []  # (start after the burst began, ms, path)
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(readers)

    def reader(number: int):
        order = random.Random(number).sample(paths, len(paths))
        start.wait()
        for path in order:
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(server.url(path), timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                status = repr(exc)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                timeline.append((began - started, elapsed, path))
                if status != 200:
                    errors.append(f"{path}: {status}")

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    # The readers are this process's threads: its own garbage (the publication
    # just rendered 61 pages here) is collected before they start, not while
    # they time the server.
    gc.collect()
    gc.disable()
    try:
        began = started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        gc.enable()
    latencies.sort()
    return {"requests": len(latencies), "seconds": seconds,
            "p50_ms": statistics.median(latencies),
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "max_ms": latencies[-1], "errors": errors[:20], "error_count": len(errors),
            "slowest": [(round(at, 2), round(ms), path) for at, ms, path
                        in sorted(timeline, key=lambda row: -row[1])[:len(timeline) // 100]]}


def run(ctx) -> dict:
    import redis
    from django.core.management import call_command

    from bench import render_counter, seed
    from bench.part_pages import Server
    from bulletin import services
    from bulletin.models import Article, Issue
    from bulletin.pagecache import prerender

    if not ctx.redis_url:
        return {"skipped": "no redis-server: the burst needs a broker and a page cache"}
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Issue.objects.exists():
        print("burst: seeding 20 issues × 10 articles", flush=True)
        seed.reader_site(20, 10)
    ctx.topics = getattr(ctx, "topics", None) or seed.topics()
    ctx.user = getattr(ctx, "user", None) or seed.editor()
    latest = Issue.objects.order_by("-number").first()
    issue = seed.newsletter_issue(latest.number + 1, latest.number + 10, user=ctx.user,
                                  topic_map=ctx.topics)
    counter = redis.Redis.from_url(ctx.redis_url)
    server_env = {"BENCH_COUNT_RENDERS": "1"}
    ctx_env = ctx.env
    ctx.env = {**ctx_env, **server_env}
    try:
        server = Server(ctx, "cached").start()
        worker = Worker(ctx).start()
    finally:
        ctx.env = ctx_env
    uncount = lambda: None  # noqa: E731
    try:
        # Every server process warm (imports, templates, its copy of the cache)
        # on the last issue's pages, as on a live site: concurrent readers, so
        # that each sync worker serves some (one after another, one worker can
        # take them all and the other's first request, ~180 ms of imports and
        # template loading, would land in the burst).
        load(server, prerender.issue_paths(latest), READERS)
        counter.delete("bench:renders")
        # The publication renders the issue's pages ahead of its commit, here.
        uncount = render_counter.install()
        print(f"burst: publishing issue {issue.number}; {READERS} readers at once", flush=True)
        began = time.monotonic()
        services.issue_publish(issue=issue, user=ctx.user, send_now=False, newsletter=False)
        publish_seconds = time.monotonic() - began
        paths = prerender.issue_paths(Issue.objects.get(pk=issue.pk))
        burst = load(server, paths, READERS)
        time.sleep(1.5)  # past PAGE_CACHE_GENERATION_TTL: everything is of the new generation
        renders = {key.decode(): int(value)
                   for key, value in counter.hgetall("bench:renders").items()}
        cached = load(server, paths, READERS)
        renders_after = sum(int(v) for v in counter.hgetall("bench:renders").values())
        # As the design has it: the readers come with the newsletter, once the
        # pre-rendering is done. Another issue, and the burst after that.
        second = seed.newsletter_issue(issue.number + 1, latest.number + 11, user=ctx.user,
                                       topic_map=ctx.topics)
        done_before = _prerendered(worker)
        services.issue_publish(issue=second, user=ctx.user, send_now=False, newsletter=False)
        began = time.monotonic()
        procs.wait_for(lambda: _prerendered(worker) > done_before, 120, 0.05)
        prerender_seconds = time.monotonic() - began
        after_prerender = load(server, prerender.issue_paths(Issue.objects.get(pk=second.pk)),
                               READERS)
    finally:
        uncount()
        worker.stop()
        server.stop()
    wanted = {_field(path) for path in paths}
    rendered = {field: count for field, count in renders.items() if field in wanted}
    print(f"burst: p50 {burst['p50_ms']:.0f} ms, p99 {burst['p99_ms']:.0f} ms; cached p50 "
          f"{cached['p50_ms']:.0f} ms, p99 {cached['p99_ms']:.0f} ms; renders "
          f"{sum(rendered.values())} for {len(paths)} pages", flush=True)
    return {
        "readers": READERS, "pages": len(paths), "articles": Article.objects.filter(
            issue=issue).count(),
        "burst": burst, "cached": cached, "after_prerender": after_prerender,
        "prerender_seconds": prerender_seconds, "publish_seconds": publish_seconds,
        "renders": rendered, "not_rendered": sorted(wanted - set(rendered)),
        "renders_during_cached": renders_after - sum(renders.values()),
        "prerender_log": _prerender_lines(worker),
    }


def _prerendered(worker) -> int:
    return worker.process.log(2_000_000).count("pre-rendered ")


def _field(path: str) -> str:
    return path  # the language is the path's prefix


def _prerender_lines(worker) -> list[str]:
    return [line for line in worker.process.log(200000).splitlines()
            if "pre-rendered" in line or "prerender" in line][-5:]


def targets(b: dict) -> list:
    if not b or b.get("skipped"):
        return []
    ratio = b["burst"]["p99_ms"] / b["cached"]["p99_ms"]
    most = max(b["renders"].values()) if b["renders"] else 0
    return [
        (f"burst after a publication: p99 ≤ 2× the cached p99 ({b['readers']} readers)",
         f"{ratio:.2f}×", ratio <= TARGET_P99 and not b["burst"]["error_count"]),
        ("burst once the pre-rendering is done: p99 ≤ 2× the cached p99",
         f"{b['after_prerender']['p99_ms'] / b['cached']['p99_ms']:.2f}×",
         b["after_prerender"]["p99_ms"] <= TARGET_P99 * b["cached"]["p99_ms"]),
        ("burst: each page rendered once per language",
         f"at most {most} render{'s' if most != 1 else ''} per page, "
         f"{len(b['not_rendered'])} never", most == 1 and not b["not_rendered"]),
    ]


def render(b: dict, w, mmm):
    w("## The rush after a publication\n")
    if b.get("skipped"):
        w(f"Skipped: {b['skipped']}\n")
        return
    w(f"An issue of {b['articles']} articles published through `issue_publish` on a running "
      "site (gunicorn, 2 sync workers, `PAGE_CACHE_GENERATION_TTL=1`; the publication "
      "renders the issue's pages ahead of its commit, and a real Celery worker runs the "
      f"pre-rendering task after it), then at once {b['readers']} concurrent readers, each "
      f"asking for every one of the issue's {b['pages']} pages (home, archive, issue, "
      "articles, topics, feeds; en/be/ru) once in its own order; then the same load on the "
      "cached pages (`bench/part_burst.py`).\n")
    w("| | requests | p50 | p99 | max | errors |\n|---|---|---|---|---|---|")
    for name, key in (("burst right after the publication", "burst"),
                      ("the same pages, cached", "cached"),
                      ("burst on another issue, once its pre-rendering is done "
                       f"({b['prerender_seconds']:.1f} s after the publication)",
                       "after_prerender")):
        f = b[key]
        w(f"| {name} | {f['requests']:,} | {f['p50_ms']:.0f} ms | {f['p99_ms']:.0f} ms | "
          f"{f['max_ms']:.0f} ms | {f['error_count']} |")
    counts = sorted(b["renders"].values())
    w("")
    if "publish_seconds" in b:
        w(f"The publication (`issue_publish`, rendering its pages ahead of the commit "
          f"included) took {b['publish_seconds']:.2f} s.\n")
    w(f"Renders of the issue's pages during the burst (pre-rendering included), per page "
      f"and language: {len(counts)} pages rendered, "
      f"{sum(1 for c in counts if c == 1)} once, {sum(1 for c in counts if c > 1)} more than "
      f"once (most: {counts[-1] if counts else 0}), {len(b['not_rendered'])} never; renders "
      f"during the cached load: {b['renders_during_cached']}.\n")
    several = {k: v for k, v in b["renders"].items() if v > 1}
    if several:
        w(f"Rendered more than once: `{several}`\n")


def notes(b: dict) -> list[str]:
    ratio = b["burst"]["p99_ms"] / b["cached"]["p99_ms"]
    if ratio <= TARGET_P99:
        return []
    return [
        f"**The burst right after the publication**: p99 {b['burst']['p99_ms']:.0f} ms, "
        f"{ratio:.1f}× the cached p99, not 2×. The readers start the moment the publication "
        f"commits, while the pre-rendering (a worker, {b['prerender_seconds']:.1f} s for the "
        f"{b['pages']} pages on the second issue) is still at work: the first reader of a page "
        "renders it and every other reader of it waits for that copy (single flight: each page "
        "rendered once, as measured), and a waiting reader holds one of the two sync workers, "
        "so the few seconds of rendering show in the slowest percent. Once the pre-rendering "
        f"is done, as when the newsletter brings the readers, the p99 is "
        f"{b['after_prerender']['p99_ms']:.0f} ms ("
        f"{b['after_prerender']['p99_ms'] / b['cached']['p99_ms']:.2f}× the cached p99)."]
