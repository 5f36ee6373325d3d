"""Bulletin's benchmarks: one command, every figure against a baseline of the same run.

    .venv/bin/python bench/run.py                # everything; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --quick        # a fast smoke subset (2,000 subscribers, 1 run)
    .venv/bin/python bench/run.py --only sending --sizes 10000 --repeat 5
    .venv/bin/python bench/run.py --only ledger       # 10.4 M ledger rows; bench/RESULTS-ledger.md

It creates its own PostgreSQL database (bulletin_bench_<random>), its own
redis-server and SMTP sink on free ports, and drops / stops all of them at the
end, on Ctrl-C and on errors too. See bench/README.md.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import procs  # noqa: E402

# BENCH_DB_PREFIX (default bulletin_bench) lets people sharing one PostgreSQL
# server keep their runs apart; it must be bulletin_<letters>.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bulletin_bench")
if not re.fullmatch(r"bulletin_[a-z]+", DB_PREFIX):
    sys.exit(f"bench: BENCH_DB_PREFIX must be bulletin_<letters>, not {DB_PREFIX!r}")
DB_NAME = re.compile(rf"^{DB_PREFIX}_[0-9a-f]{{8}}(_[a-z]+)?$")
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
RESULTS_DIR = ROOT / "bench" / "results"


class Refused(Exception):
    """Something the benchmark will not do or cannot find; the message says what."""


class BenchDatabase:
    """A PostgreSQL database of the benchmark's own: created here, dropped here."""

    def __init__(self, server_url: str):
        parts = urlsplit(server_url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise Refused(f"--postgres must be a postgres:// URL, not {server_url!r}")
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432
        self.user = unquote(parts.username or "postgres")
        self.password = unquote(parts.password or "")
        self.name = ""
        self.created: list[str] = []

    def _admin(self):
        import psycopg2

        conn = psycopg2.connect(host=self.host, port=self.port, user=self.user,
                                password=self.password, dbname="postgres", connect_timeout=5)
        conn.autocommit = True
        return conn

    def check(self) -> str:
        try:
            conn = self._admin()
        except Exception as exc:
            raise Refused(
                f"PostgreSQL is not reachable at {self.host}:{self.port} as {self.user} "
                f"({str(exc).strip()}). Start it, or name the server with "
                "--postgres postgres://user@host:port") from None
        with conn, conn.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        conn.close()
        return version

    def _create(self, name: str) -> str:
        if not DB_NAME.match(name):
            raise Refused(f"refusing to create a database named {name!r}")
        conn = self._admin()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        self.created.append(name)
        return name

    def create(self) -> str:
        self.name = self._create(f"{DB_PREFIX}_{secrets.token_hex(4)}")
        return self.name

    def create_extra(self, suffix: str) -> str:
        return self._create(f"{self.name}_{suffix}")

    def url(self, name: str | None = None) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{self.port}/{name or self.name}"

    def drop_all(self):
        for name in reversed(self.created):
            if not DB_NAME.match(name):  # never anything this run did not create
                continue
            try:
                conn = self._admin()
                with conn.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.close()
                print(f"bench: dropped database {name}", flush=True)
            except Exception as exc:
                print(f"bench: could not drop database {name}: {exc}", flush=True)
        self.created.clear()


def refuse_foreign_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return
    name = urlsplit(url).path.lstrip("/")
    if not DB_NAME.match(name):
        raise Refused(
            f"DATABASE_URL names the database {name!r}. The benchmark creates, fills and drops "
            f"a database of its own ({DB_PREFIX}_<random>) and touches no other: unset "
            "DATABASE_URL, and name the PostgreSQL server with --postgres "
            "postgres://user@host:port if it is not the default.")


class Context:
    """What the parts share: options, the database, the services, the environment."""

    def __init__(self, options, db: BenchDatabase, workdir: Path):
        self.options, self.db, self.workdir = options, db, workdir
        self.sizes = options.sizes
        self.concurrencies = options.workers
        self.batch_size = options.batch_size
        self.ledgers = options.ledger
        self.peer_size = 0 if options.no_peer else min(options.peer_size, max(self.sizes))
        self.env: dict[str, str] = {}
        self.sink = None
        self.redis_url = ""

    def repeat_for(self, size: int) -> int:
        return self.options.repeat if size <= 10_000 else self.options.repeat_large


def start_redis(workdir: Path) -> str:
    port = procs.free_port()
    process = procs.Process(
        "redis-server",
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        log_path=workdir / "redis.log").start()
    if not procs.wait_for_port(port, 15, process):
        raise Refused(f"redis-server did not start:\n{process.log()}")
    return f"redis://127.0.0.1:{port}/0"


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(),
            "ram_gb": round(mem_kb / 1024 / 1024, 1), "kernel": platform.release(),
            "hostname": platform.node(), "load_at_start": os.getloadavg()}


def tool_version(args: list[str]) -> str:
    if not shutil.which(args[0]):
        return "missing"
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0] if text else "?"


def versions(pg_version: str) -> dict:
    from importlib.metadata import version

    found = {"Python": platform.python_version(), "PostgreSQL": pg_version,
             "Redis": tool_version(["redis-server", "--version"]),
             "wrk": tool_version(["wrk", "-v"])}
    for package in ("Django", "celery", "kombu", "redis", "psycopg2-binary", "gunicorn"):
        try:
            found[package] = version(package)
        except Exception:
            found[package] = "missing"
    return found


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Bulletin's benchmarks (see bench/README.md).")
    parser.add_argument("--quick", action="store_true",
                        help="a fast smoke subset: 2,000 subscribers, 1 repetition, short loads")
    parser.add_argument("--only", type=lambda s: s.split(","), metavar="PARTS",
                        help="run these parts only, comma-separated: sending, pages, coldpage, "
                             "burst, ledger (the ledger part runs only when asked)")
    parser.add_argument("--ledger-subscribers", type=int, default=None,
                        help="ledger part: subscribers; a year of weekly sends to them is seeded "
                             "(default 200,000: 10.4 M rows; --quick 2,000)")
    parser.add_argument("--ledger-send", type=int, default=None,
                        help="ledger part: the send timed on the empty and the full ledger "
                             "(default 100,000; --quick 1,000)")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[10_000, 100_000], help="list sizes, e.g. 10000,100000")
    parser.add_argument("--repeat", type=int, default=3,
                        help="repetitions for sizes up to 10,000 and for pages (default 3)")
    parser.add_argument("--repeat-large", type=int, default=2,
                        help="repetitions for sizes above 10,000 (default 2)")
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1, 2], help="worker process counts to run (default 1,2)")
    parser.add_argument("--ledger", type=lambda s: s.split(","), default=["sync", "async"],
                        help="ledger commit modes to run: sync (default setting), async "
                        "(NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=0); default both")
    parser.add_argument("--batch-size", type=int, default=int(os.environ.get(
        "NEWSLETTER_BATCH_SIZE", 250)), help="NEWSLETTER_BATCH_SIZE for the workers")
    parser.add_argument("--peer-size", type=int, default=10_000,
                        help="subscribers for django-newsletter (default 10,000)")
    parser.add_argument("--no-peer", action="store_true", help="skip django-newsletter")
    parser.add_argument("--page-seconds", type=float, default=6.0,
                        help="load duration per URL and run (default 6 s)")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_SERVER),
                        help=f"the PostgreSQL server (default {DEFAULT_SERVER})")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--report-only", type=Path, metavar="RESULTS_JSON",
                        help="rewrite RESULTS.md from a saved bench/results/*.json")
    options = parser.parse_args(argv)
    if options.quick:
        if options.sizes == [10_000, 100_000]:
            options.sizes = [2_000]
        options.repeat = options.repeat_large = 1
        options.peer_size = min(options.peer_size, 2_000)
        options.page_seconds = min(options.page_seconds, 3.0)
    if options.ledger_subscribers is None:
        options.ledger_subscribers = 2_000 if options.quick else 200_000
    if options.ledger_send is None:
        options.ledger_send = 1_000 if options.quick else 100_000
    known = {"sending", "pages", "coldpage", "burst", "ledger"}
    if options.only and not set(options.only) <= known:
        parser.error(f"--only: unknown part(s) {sorted(set(options.only) - known)}; "
                     f"choose from {sorted(known)}")
    if options.only and options.output == ROOT / "bench" / "RESULTS.md":
        # Their own report: a partial run must not replace the full run's figures.
        if options.only == ["ledger"]:
            options.output = ROOT / "bench" / "RESULTS-ledger.md"
        elif set(options.only) <= {"coldpage", "burst"}:
            options.output = ROOT / "bench" / "RESULTS-rush.md"
    return options


def configure_django(ctx: Context):
    """The orchestrator is a Django process on the bench database, like the workers."""
    var = ctx.workdir / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": ctx.db.url(),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1:8000",
        "BULLETIN_VAR_DIR": str(var),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{ctx.sink.port}" if ctx.sink else "locmem://",
        # Production settings, but plain http on loopback (as scripts/stack.sh does).
        "SECURE_SSL_REDIRECT": "0",
    }
    if ctx.redis_url:
        env["REDIS_URL"] = ctx.redis_url
    os.environ.update(env)
    if not ctx.redis_url:
        os.environ.pop("REDIS_URL", None)
    ctx.env = {**os.environ, **env}
    import django

    django.setup()
    from django.core.management import call_command

    print(f"bench: migrating {ctx.db.name}", flush=True)
    call_command("migrate", verbosity=0, interactive=False)


def main(argv=None) -> int:
    options = parse_args(argv)
    if options.report_only:
        from bench import report

        try:
            report.write(json.loads(options.report_only.read_text()), options.output)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"bench: cannot render {options.report_only} (a run of another bench "
                  f"version?): {exc!r}", file=sys.stderr)
            return 2
        print(f"bench: wrote {options.output}")
        return 0

    def on_sigterm(signum, frame):
        print("bench: terminated; cleaning up", file=sys.stderr, flush=True)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    parts = list(options.only) if options.only else ["pages", "coldpage", "burst", "sending"]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    workdir = ROOT / "var" / "bench" / f"run-{stamp}"
    db = None
    try:
        refuse_foreign_database()
        db = BenchDatabase(options.postgres)
        pg_version = db.check()
        workdir.mkdir(parents=True, exist_ok=True)
        results = {"date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                   "machine": machine(), "versions": versions(pg_version),
                   "options": {k: (str(v) if isinstance(v, Path) else v)
                               for k, v in vars(options).items()},
                   "missing": [], "parts": {}}
        ctx = Context(options, db, workdir)
        if "ledger" in parts and not shutil.which("redis-server"):
            raise Refused("the ledger part needs redis-server (apt-get install redis-server).")
        if "sending" in parts and not shutil.which("redis-server"):
            results["missing"].append(
                "redis-server is not installed (apt-get install redis-server): the sending "
                "part needs a Redis of its own for the Celery broker; it was skipped.")
            print(f"bench: {results['missing'][-1]}", flush=True)
            parts.remove("sending")
        if not parts:
            raise Refused("nothing left to run (see above).")
        if shutil.which("redis-server"):
            ctx.redis_url = start_redis(workdir)
        from bench.sink import start_sink

        ctx.sink = start_sink(workdir)
        db.create()
        print(f"bench: created database {db.name}; work files in {workdir}", flush=True)
        configure_django(ctx)
        started = time.monotonic()
        if "pages" in parts:
            from bench import part_pages

            results["parts"]["pages"] = part_pages.run(ctx, results["missing"])
        if "coldpage" in parts:
            from bench import part_coldpage

            results["parts"]["coldpage"] = part_coldpage.run(ctx)
        if "burst" in parts:
            from bench import part_burst

            results["parts"]["burst"] = part_burst.run(ctx)
        if "sending" in parts:
            from bench import part_sending

            results["parts"]["sending"] = part_sending.run(ctx)
        if "ledger" in parts:
            from bench import part_ledger

            results["parts"]["ledger"] = part_ledger.run(ctx)
        results["seconds"] = round(time.monotonic() - started)
        results["machine"]["load_at_end"] = os.getloadavg()
        RESULTS_DIR.mkdir(exist_ok=True)
        saved = RESULTS_DIR / f"results-{stamp}.json"
        saved.write_text(json.dumps(results, indent=1, default=str))
        from bench import report

        report.write(json.loads(saved.read_text()), options.output)
        print(f"bench: wrote {options.output} (figures in {saved})", flush=True)
        return 0
    except Refused as exc:
        print(f"bench: {exc}", file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; cleaning up", file=sys.stderr, flush=True)
        return 130
    except Exception as exc:
        import traceback

        log = workdir / "error.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc())
        print(f"bench: failed: {exc}\n(traceback in {log}); cleaning up", file=sys.stderr,
              flush=True)
        return 1
    finally:
        procs.cleanup()
        if db is not None:
            with contextlib.suppress(Exception):  # Django may not be set up yet
                from django.db import connections

                connections.close_all()
            db.drop_all()


if __name__ == "__main__":
    sys.exit(main())
