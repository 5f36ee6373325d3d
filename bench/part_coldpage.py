"""The cold article page in one process: this tree against the baseline commit.

The baseline is the code before the cold-page work (BASELINE below), taken
with `git archive` into the run's work folder. Both trees run
bench/coldpage.py (the same file, copied into the baseline) as a
subprocess, against the same seeded database and the bench's own Redis, in
alternating rounds, so the machine's noise falls on both; the ratio is taken
per round (ours / the baseline's median of that round), then summarised.
Each tree's HTML of every article page is compared (CSRF tokens and CSP
nonces blanked): the figures count only if the pages are the same, apart from
the sidebar, which features that landed after the baseline changed
(SIDEBAR_SINCE): more work in this tree, not less.
"""

import json
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

from bench import procs

BASELINE = "d8f5623"  # main before the cold-page work (issue #16, item 8)
TARGET = 0.5
# What the sidebar of an article page has gained since the baseline commit.
SIDEBAR_SINCE = [
    ("a1b9aad", "the subscribe box carries the consent sentence in every newsletter language"),
    ("655a926", "the Situation in Belarus box gives each topic's trend and run"),
]


def baseline_tree(workdir: Path) -> Path:
    tree = workdir / f"baseline-{BASELINE}"
    if not tree.exists():
        archive = workdir / "baseline.tar"
        subprocess.run(["git", "archive", "--output", str(archive), BASELINE],
                       cwd=procs.ROOT, check=True, capture_output=True)
        tree.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        archive.unlink()
    (tree / "bench" / "coldpage.py").write_bytes(
        (procs.ROOT / "bench" / "coldpage.py").read_bytes())
    return tree


def measure(ctx, tree: Path, runs: int) -> dict:
    env = {**ctx.env, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "bench/coldpage.py", "--runs", str(runs)], cwd=tree,
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"coldpage.py in {tree} failed: {out.stderr[-3000:]}")
    return json.loads(lines[-1])


def run(ctx) -> dict:
    from django.core.management import call_command

    from bench import seed
    from bulletin.models import Article

    if not Article.objects.exists():
        print("coldpage: seeding 200 issues × 10 articles", flush=True)
        seed.reader_site(200, 10)
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        base = baseline_tree(ctx.workdir)
    except (OSError, subprocess.CalledProcessError) as exc:
        return {"skipped": f"the baseline commit {BASELINE} could not be taken from git: {exc}"}
    rounds = 2 if ctx.options.quick else 6
    runs = 62 if ctx.options.quick else 124
    results = {"baseline": BASELINE, "rounds": [], "runs_per_round": runs}
    for number in range(rounds):
        ours = measure(ctx, procs.ROOT, runs)
        theirs = measure(ctx, base, runs)
        pair = {"ours": ours, "baseline": theirs,
                "ratio": statistics.median(ours["ms"]) / statistics.median(theirs["ms"]),
                "first_ratio": (statistics.median(ours["first_ms"])
                                / statistics.median(theirs["first_ms"]))}
        results["rounds"].append(pair)
        print(f"coldpage [{number + 1}/{rounds}] ours {statistics.median(ours['ms']):.1f} ms, "
              f"baseline {statistics.median(theirs['ms']):.1f} ms ({pair['ratio']:.2f})",
              flush=True)
    first = results["rounds"][0]
    ours_html, theirs_html = first["ours"]["digests"], first["baseline"]["digests"]

    def differ(part):
        return sorted(url for url, digests in ours_html.items()
                      if (theirs_html.get(url) or {}).get(part) != digests[part])

    results["same_html"] = not differ("whole")
    results["different_pages"] = differ("main")  # apart from the sidebar
    results["different_sidebars"] = len(differ("sidebar"))
    results["same_main"] = not results["different_pages"]
    for pair in results["rounds"]:  # the digests once is enough in the JSON
        for side in ("ours", "baseline"):
            pair[side].pop("digests", None)
    results["ratio"] = statistics.median(p["ratio"] for p in results["rounds"])
    results["first_ratio"] = statistics.median(p["first_ratio"] for p in results["rounds"])
    return results


def _ms(pairs, side, key="ms"):
    return [statistics.median(p[side][key]) for p in pairs]


def render(c: dict, w, mmm):
    w("## The cold article page\n")
    if c.get("skipped"):
        w(f"Skipped: {c['skipped']}\n")
        return
    pairs = c["rounds"]
    ours, theirs = pairs[0]["ours"], pairs[0]["baseline"]
    w(f"One process (Django's test client, the whole middleware stack, the bench's Redis as "
      f"the page cache), the pages database (200 issues, 2,000 articles in en/be/ru): the page "
      f"cache's generation is bumped as a publication bumps it, then every article page of the "
      f"latest issues ({ours['pages']} pages, every language they have) is asked for once, in a "
      f"shuffled order, none of them cached. {len(pairs)} rounds of {c['runs_per_round']} "
      f"pages, this tree and the baseline commit `{c['baseline']}` in turn "
      "(`bench/part_coldpage.py`).\n")
    w("| | baseline | now | now / baseline |\n|---|---|---|---|")
    w(f"| an uncached article page, median ms | {mmm(_ms(pairs, 'baseline'), '{:.1f}')} | "
      f"{mmm(_ms(pairs, 'ours'), '{:.1f}')} | {mmm([p['ratio'] for p in pairs], '{:.2f}')} |")
    w(f"| the first page after a publication (also makes the shared sidebar and languages) "
      f"| {mmm(_ms(pairs, 'baseline', 'first_ms'), '{:.1f}')} | "
      f"{mmm(_ms(pairs, 'ours', 'first_ms'), '{:.1f}')} | "
      f"{mmm([p['first_ratio'] for p in pairs], '{:.2f}')} |")
    def count(side, name):
        most = side.get(f"{name}_max", side[name])
        return f"{side[name]:g} (most {most:g}; first {side['first'][name]})"

    w(f"| SQL queries per page, median (most; the first page) | {count(theirs, 'queries')} | "
      f"{count(ours, 'queries')} | |")
    w(f"| round trips to Redis per page, median (most; the first page) | "
      f"{count(theirs, 'round_trips')} | {count(ours, 'round_trips')} | |\n")
    if c["same_html"]:
        w("The HTML of every page is the same in both trees (CSRF tokens and CSP nonces "
          "blanked).\n")
    elif c["same_main"]:
        since = "; ".join(f"{what} (`{commit}`)" for commit, what in SIDEBAR_SINCE)
        w(f"The HTML of every page is the same in both trees apart from the sidebar (CSRF "
          f"tokens and CSP nonces blanked): the article, the header, the language links, the "
          f"meta tags and the footer are identical on all {ours['pages']} pages. The sidebar "
          f"differs on {c['different_sidebars']} of them, by what features that landed after "
          f"the baseline added to it: {since}: more work, not less (its latest-issue and "
          f"situation boxes are made once per generation and language, the subscribe box "
          f"with each page).\n")
    else:
        w(f"**The HTML differs** (apart from the sidebar) on {len(c['different_pages'])} "
          f"pages, e.g. `{c['different_pages'][:3]}`.\n")


def targets(c: dict) -> list:
    if not c or c.get("skipped"):
        return []
    same = c["same_main"]  # a page the same whole is the same apart from its sidebar
    return [("uncached article page ≤ 50% of the baseline's time (one process, same run"
            f"{'' if same else '; HTML DIFFERS'})", f"{c['ratio']:.0%}",
            c["ratio"] <= TARGET and same)]


def notes(c: dict) -> list[str]:
    if c["ratio"] <= TARGET:
        return []
    ours, theirs = c["rounds"][0]["ours"], c["rounds"][0]["baseline"]
    return [
        f"**The cold article page** takes {c['ratio']:.0%} of the baseline's time, not 50 % "
        f"(rounds from {min(p['ratio'] for p in c['rounds']):.0%} to "
        f"{max(p['ratio'] for p in c['rounds']):.0%}). What was waste is gone: "
        f"{theirs['queries']:g} → {ours['queries']:g} queries and {theirs['round_trips']:g} → "
        f"{ours['round_trips']:g} round trips to Redis per page (one MGET, one pipeline of "
        "writes), the sidebar made once per generation and language, the article, its byline "
        "and its neighbours by SQL compiled once per process and prepared once per connection "
        "(PostgreSQL plans it once), URLs reversed once. What "
        "remains is what the page is: one article row with its issue, topic and image, its "
        "byline, its neighbours, and the templates of the article and of the shell (about "
        "two fifths of the time, as profiled), through the whole middleware stack."]
