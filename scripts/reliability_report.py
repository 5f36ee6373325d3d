"""Write docs/RELIABILITY.md from var/reliability/figures.json (the last run's figures)."""

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "var" / "reliability" / "figures.json"
OUT = ROOT / "docs" / "RELIABILITY.md"

HEADER = """# Reliability

What Bulletin does under faults, bad input and crafted requests, as measured by
the tests in `tests/reliability/` on their last run with every service.
Running the tests changes no tracked file; regenerate this page explicitly:

```sh
DATABASE_URL=postgres://postgres@127.0.0.1:5432/bulletin_ci \\
REDIS_URL=redis://127.0.0.1:6379/0 BULLETIN_REQUIRE_SERVICES=1 \\
.venv/bin/python -m pytest tests/reliability -v
make reliability-report   # scripts/reliability_report.py: var/reliability/figures.json → this page
```

`.ci/run` runs them on every CI run. Faults are injected into real processes:
a Celery worker and beat as subprocesses, a Redis server of the test's own
(restarted without persistence, so every queued task is lost), PostgreSQL
backends terminated with `pg_terminate_backend`, and an aiosmtpd SMTP server
that goes away, defers and hangs up. Bad input and floods go over real HTTP to
a live server; XSS payloads are opened in Chromium; the permissions matrix is
generated from the admin's registry.

"""

# Sections, by test module, in the order they are shown.
SECTIONS = [
    ("test_send_faults", "Faults during a send",
     "Every confirmed subscriber gets the issue; duplicates are bounded by the "
     "messages in flight when the fault hit."),
    ("test_outage_cache", "Outages",
     "A part of the stack goes away under a running site: nothing may answer 500, nothing "
     "stored may be lost, and nothing stale may be served once it is back."),
    ("test_outage_database", "Outages", ""),
    ("test_outage_broker", "Outages", ""),
    ("test_cache_bound", "Bad input", ""),
    ("test_rush", "Concurrency", ""),
    ("test_concurrency", "Concurrency", ""),
    ("test_subscribe_flood", "Concurrency", ""),
    ("test_bad_input", "Bad input",
     "Statuses are counted per request; `5xx` must be 0, and where a request must change "
     "nothing the database is compared before and after."),
    ("test_xss", "Cross-site scripting",
     "`dialogs_seen`, `executed` and `live_handlers_in_dom` must be 0; the control shows "
     "the detector catching the same payloads when they are dropped into a page raw."),
    ("test_permissions", "Permissions",
     "Each cell is one role doing one thing; `violations` must be 0."),
]
HIDDEN = {"test", "seconds", "passed", "description"}


def _value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value) or "—"
    return str(value).replace("|", "\\|")


def _figures(entry) -> str:
    return "<br>".join(f"{k}: {_value(v)}" for k, v in entry.items() if k not in HIDDEN)


def _section_of(entry):
    module = Path(entry.get("test", "").split("::")[0]).stem
    for key, title, note in SECTIONS:
        if module == key:
            return title, note
    return "Other", ""


def main():
    data = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    lines = [HEADER]
    lines.append(f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
                 f"{platform.node() or 'this machine'} (Python {platform.python_version()}).\n")
    passed = sum(1 for e in data.values() if e.get("passed"))
    lines.append(f"{passed} of {len(data)} tests passed.\n")

    grouped: dict[str, list] = {}
    notes = {}
    for name in sorted(data):
        title, note = _section_of(data[name])
        grouped.setdefault(title, []).append(name)
        notes[title] = notes.get(title) or note
    order = list(dict.fromkeys([title for _k, title, _n in SECTIONS] + ["Other"]))
    for title in order:
        names = grouped.get(title)
        if not names:
            continue
        lines.append(f"\n## {title}\n\n")
        if notes.get(title):
            lines.append(notes[title] + "\n\n")
        lines.append("| test | passed | figures | seconds |\n|---|---|---|---|\n")
        for name in names:
            entry = data[name]
            lines.append(f"| `{name}` | {'yes' if entry.get('passed') else 'NO'} | "
                         f"{_figures(entry)} | {entry.get('seconds', '')} |\n")
        lines.append("\n")
        for name in names:
            if data[name].get("description"):
                lines.append(f"- `{name}`: {data[name]['description']}\n")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("".join(lines))


if __name__ == "__main__":
    main()
