"""The ledger at scale: a send and the admin on a year of history.

A year of weekly sends to every subscriber is seeded straight into
newsletter_delivery with one INSERT ... SELECT (52 issues × 3 languages; with
200,000 subscribers that is 10.4 million rows), then:

- a send of `--ledger-send` recipients through a real worker runs on the
  empty ledger and again on the full one (same worker settings, same run);
- the admin pages editors use while it grows (the issue's page with its
  dispatch panel, the dispatch list, the subscriber list with a search, a
  dispatch's deliveries) are timed as a signed-in superuser, median of
  seven after a warm-up; the slowest queries of each get EXPLAIN ANALYZE.
"""

import datetime
import statistics
import time

from django.db import connection

from bench import part_sending, seed

WEEKS = 52
ADMIN_RUNS = 7


def seed_history(weeks: int) -> dict:
    """`weeks` sent issues, a dispatch per language, a sent Delivery for every
    subscriber of the language; returns the row count and the seconds it took."""
    from bulletin.models import Issue
    from newsletter.dispatch.ledger import counts_store
    from newsletter.models import Dispatch

    started = time.monotonic()
    now = datetime.datetime.now(datetime.UTC)
    first = 5000  # apart from the numbers the timed sends use (1000 + run)
    issues = [Issue.objects.create(number=first + week, start_date=seed.monday(-200 + week),
                                   title=f"History {week}") for week in range(weeks)]
    dispatches = Dispatch.objects.bulk_create(
        Dispatch(issue=issue, language=language, status=Dispatch.Status.SENT,
                 scheduled_for=now - datetime.timedelta(weeks=weeks - i), started_at=now,
                 finished_at=now, subject=f"History {i}")
        for i, issue in enumerate(issues)
        for language in seed.LANGUAGES
    )
    columns, values = _delivery_columns()
    with connection.cursor() as cursor:
        for dispatch in dispatches:
            cursor.execute(
                f"INSERT INTO newsletter_delivery ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {', '.join(values)} FROM newsletter_subscriber s "
                "WHERE s.language = %s", [dispatch.pk, dispatch.language])
        cursor.execute("VACUUM ANALYZE newsletter_delivery")
    for dispatch in dispatches:  # as a finished send stores them
        counts_store(dispatch.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM newsletter_delivery")
        rows = cursor.fetchone()[0]
    return {"rows": rows, "seconds": round(time.monotonic() - started, 1), "weeks": weeks}


def _delivery_columns() -> tuple[list[str], list[str]]:
    """Every NOT NULL column without a default gets a value: sent rows."""
    given = {"dispatch_id": "%s::bigint", "subscriber_id": "s.id", "status": "'sent'",
             "attempts": "1", "sent_at": "now()"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'newsletter_delivery' AND is_nullable = 'NO' "
            "AND column_default IS NULL AND column_name <> 'id'")
        required = cursor.fetchall()
    filler = {"integer": "0", "smallint": "0", "bigint": "0", "boolean": "false",
              "timestamp with time zone": "now()", "jsonb": "'{}'::jsonb"}
    columns, values = list(given), [given[c] for c in given]
    for name, kind in required:
        if name not in given:
            columns.append(name)
            values.append(filler.get(kind, "''"))
    return columns, values


def time_admin(issue) -> dict:
    """Median milliseconds, query count and the plans of the slowest queries."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from newsletter.models import Dispatch

    call_command("collectstatic", interactive=False, verbosity=0)  # production static files
    user = get_user_model().objects.filter(username="bench-admin").first() or (
        get_user_model().objects.create_superuser("bench-admin", "admin@example.org", "x"))
    client = Client()
    client.force_login(user)
    dispatch = Dispatch.objects.filter(issue=issue).order_by("pk").first()
    pages = {
        "issue page with its dispatch panel": reverse("admin:bulletin_issue_change",
                                                      args=[issue.pk]),
        "dispatch list": reverse("admin:newsletter_dispatch_changelist"),
        "subscriber list, search": reverse("admin:newsletter_subscriber_changelist")
        + "?q=reader-0123",
        "a dispatch's deliveries": reverse("admin:newsletter_delivery_changelist")
        + f"?dispatch__id__exact={dispatch.pk}",
    }
    out = {}
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            out[name] = {"url": url, "error": f"status {response.status_code}"}
            continue
        times = []
        for _i in range(ADMIN_RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]
        out[name] = {"url": url, "median_ms": statistics.median(times), "ms": times,
                     "queries": len(queries.captured_queries),
                     "plans": [_plan(q["sql"]) for q in slowest]}
    return out


def _plan(sql: str) -> dict:
    if not sql.lstrip().upper().startswith("SELECT"):
        return {"sql": sql[:300], "plan": "(not a SELECT)"}
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"sql": sql[:600], "plan": plan}


def run(ctx) -> dict:
    options = ctx.options
    subscribers = options.ledger_subscribers
    send = min(options.ledger_send, subscribers)
    print(f"ledger: seeding {subscribers:,} subscribers", flush=True)
    seed.subscribers(subscribers)
    ctx.topics = seed.topics()
    ctx.user = seed.editor()
    results = {"subscribers": subscribers, "send": send}
    print(f"ledger: a send of {send:,} on the empty ledger", flush=True)
    results["empty"] = part_sending.run_ours(ctx, ctx.sink, send, 2, "async", 1)
    print(f"ledger: {results['empty']['rate']:,.0f} emails/s; seeding {WEEKS} weeks of "
          "history", flush=True)
    results["history"] = seed_history(WEEKS)
    print(f"ledger: {results['history']['rows']:,} rows in {results['history']['seconds']} s; "
          f"the same send on the full ledger", flush=True)
    results["full"] = part_sending.run_ours(ctx, ctx.sink, send, 2, "async", 2, reset=False)
    results["ratio"] = results["full"]["rate"] / results["empty"]["rate"]
    print(f"ledger: {results['full']['rate']:,.0f} emails/s ({results['ratio']:.0%} of the "
          "empty ledger); timing the admin", flush=True)
    from bulletin.models import Issue

    latest = Issue.objects.filter(number=1002).first() or Issue.objects.order_by("-pk").first()
    results["admin"] = time_admin(latest)
    for name, figures in results["admin"].items():
        print(f"    {name}: {figures.get('median_ms', 0):.0f} ms median, "
              f"{figures.get('queries')} queries {figures.get('error', '')}", flush=True)
    # The empty ledger once more, after: the machine's load changes over a run
    # this long (others share it), so the full ledger is compared with both.
    print("ledger: the same send on an empty ledger again", flush=True)
    results["empty_after"] = part_sending.run_ours(ctx, ctx.sink, send, 2, "async", 3)
    empty = statistics.mean([results["empty"]["rate"], results["empty_after"]["rate"]])
    results["ratio"] = results["full"]["rate"] / empty
    print(f"ledger: {results['empty_after']['rate']:,.0f} emails/s; full / empty "
          f"{results['ratio']:.0%}", flush=True)
    return results


def render(ledger: dict, w):
    """The ledger section of RESULTS.md."""
    w("## The ledger at scale\n")
    h = ledger["history"]
    w(f"{h['rows']:,} Delivery rows ({h['weeks']} weekly sends to "
      f"{ledger['subscribers']:,} subscribers, seeded in {h['seconds']:.0f} s), then a send of "
      f"{ledger['send']:,} through a real worker (2 processes, async ledger commits).\n")
    after = ledger.get("empty_after")
    empty, full = ledger["empty"], ledger["full"]
    if after:
        w("The empty ledger is timed before the history is seeded and again after the full "
          "one (the ledger truncated): the ratio is the full ledger's rate over the mean of "
          "both, so a change of the machine's load during the run falls on both sides.\n")
        w("| | empty ledger, before | full ledger | empty ledger, after | full / empty |\n"
          "|---|---|---|---|---|")
        w(f"| emails/s | {empty['rate']:,.0f} | {full['rate']:,.0f} | {after['rate']:,.0f} | "
          f"{ledger['ratio']:.0%} ({'PASS' if ledger['ratio'] >= 0.9 else 'FAIL'}: at least "
          "90 %) |")
        w(f"| SQL queries per recipient | {empty['queries_per_recipient']:.3f} | "
          f"{full['queries_per_recipient']:.3f} | {after['queries_per_recipient']:.3f} | |\n")
    else:
        w("| | empty ledger | full ledger | full / empty |\n|---|---|---|---|")
        w(f"| emails/s | {empty['rate']:,.0f} | {full['rate']:,.0f} | {ledger['ratio']:.0%} "
          f"({'PASS' if ledger['ratio'] >= 0.9 else 'FAIL'}: at least 90 %) |")
        w(f"| SQL queries per recipient | {empty['queries_per_recipient']:.3f} | "
          f"{full['queries_per_recipient']:.3f} | |\n")
    w("Admin pages on the full ledger, signed in, median of seven after a warm-up "
      "(target: under 200 ms):\n")
    w("| page | median | queries | |\n|---|---|---|---|")
    for name, figures in ledger["admin"].items():
        if "error" in figures:
            w(f"| {name} | {figures['error']} | | FAIL |")
            continue
        w(f"| {name} | {figures['median_ms']:.0f} ms | {figures['queries']} | "
          f"{'PASS' if figures['median_ms'] < 200 else 'FAIL'} |")
    w("")
    w("<details><summary>Plans of the slowest queries of each page</summary>\n")
    for name, figures in ledger["admin"].items():
        for plan in figures.get("plans", []):
            w(f"**{name}**\n\n```sql\n{plan['sql']}\n```\n\n```\n{plan['plan']}\n```\n")
    w("</details>\n")
