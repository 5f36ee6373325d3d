"""Part 1 and 2: newsletter sending against the SMTP floor and django-newsletter.

Per repetition and list size, interleaved so that the machine's noise falls on
all of them alike:
- floor: bench/smtp_floor.py pushes N prebuilt messages (ours, one per language)
  over one SMTP connection;
- ours, with 1 and with 2 worker processes: an issue published through
  bulletin.services with send_now, a real Celery worker (bench.celery_probe,
  counting SQL statements) on the bench's own Redis and PostgreSQL, sending to
  the sink; timed from the publish call until every Dispatch is `sent`
  (Dispatch.finished_at);
- peer (10,000 only): django-newsletter's submit_newsletter (bench/peer.py).
Every run's sink counts are checked: each recipient exactly once.
"""

import json
import shutil
import sys
import time
from pathlib import Path

from bench import peer as peer_mod
from bench import procs, seed
from bench.sink import Sink

PY = sys.executable
LEDGER = {"sync": "durable ledger commits (NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT=1)",
          "async": "ledger commits async (default)"}


def floor_messages(workdir: Path, issue) -> list[Path]:
    """One real message per language, built exactly as a batch builds it."""
    from newsletter import emails, sending
    from newsletter.dispatch import content
    from newsletter.models import Dispatch, Subscriber

    paths = []
    for language in seed.LANGUAGES:
        rendered = content.render_issue_email(issue, language)
        template = sending.MessageTemplate(
            subject=rendered.subject, text=rendered.text, html=rendered.html,
            from_email=emails.sender(language), language=language,
            list_id=content.list_id(language),
        )
        subscriber = Subscriber.objects.filter(language=language).order_by("pk").first()
        fake = Dispatch(issue=issue, language=language)
        recipient = sending.Recipient(0, subscriber.pk, subscriber.email,
                                      content.message_id(fake, subscriber.pk))
        path = workdir / f"floor-{language}.eml"
        path.write_bytes(template.render(sending.personal_parts(recipient, language)))
        paths.append(path)
    return paths


def run_floor(sink: Sink, count: int, messages: list[Path]) -> dict:
    import subprocess

    sink.reset()
    out = subprocess.run(
        [PY, "bench/smtp_floor.py", "--port", str(sink.port), "--count", str(count),
         *map(str, messages)], cwd=procs.ROOT, capture_output=True, text=True, timeout=3600,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the floor sender failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    stats = sink.stats()
    if stats["messages"] != count or stats["distinct_recipients"] != count:
        raise RuntimeError(f"floor: the sink counted {stats}, expected {count}")
    return {"seconds": result["seconds"], "rate": count / result["seconds"],
            "mean_size": stats["mean_size"], "connections": stats["connections"]}


class Worker:
    """A real Celery worker: `celery -A bench.celery_probe worker -c N`."""

    def __init__(self, ctx, concurrency: int, name: str, ledger: str):
        self.ctx, self.concurrency = ctx, concurrency
        self.query_dir = ctx.workdir / f"queries-{name}"
        shutil.rmtree(self.query_dir, ignore_errors=True)
        self.query_dir.mkdir(parents=True)
        env = {**ctx.env, "BENCH_QUERY_DIR": str(self.query_dir),
               "NEWSLETTER_BATCH_SIZE": str(ctx.batch_size),
               "NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT": "1" if ledger == "sync" else "0"}
        args = [PY, "-m", "celery", "-A", "bench.celery_probe", "worker", "-l", "info",
                "-c", str(concurrency), "-n", f"{name}@%h", "--without-gossip",
                "--without-mingle", "--without-heartbeat", "-O", "fair"]
        self.log_path = ctx.workdir / f"worker-{name}.log"
        self.log_path.unlink(missing_ok=True)
        self.process = procs.Process(f"worker-{name}", args, env=env, log_path=self.log_path)
        self.peak_child_kb = 0
        self.peak_main_kb = 0
        self.child_cpu: dict[int, float] = {}

    def start(self, timeout=90):
        self.process.start()
        ok = procs.wait_for(lambda: " ready." in self.process.log(20000)
                            or not self.process.alive(), timeout, 0.2)
        if not ok or not self.process.alive():
            raise RuntimeError(f"the Celery worker did not start:\n{self.process.log()}")
        procs.wait_for(lambda: len(self.process.children()) >= self.concurrency, 30, 0.1)
        return self

    def sample_memory(self):
        main = procs.status_kb(self.process.pid, "VmHWM") or 0
        self.peak_main_kb = max(self.peak_main_kb, main)
        for pid in self.process.children():
            peak = procs.status_kb(pid, "VmHWM") or 0
            self.peak_child_kb = max(self.peak_child_kb, peak)
            cpu = procs.cpu_seconds(pid)
            if cpu is not None:
                self.child_cpu[pid] = cpu

    def queries(self) -> dict:
        total = tasks = 0
        for path in self.query_dir.glob("queries-*.json"):
            data = json.loads(path.read_text())
            total += data["queries"]
            tasks += data["tasks"]
        return {"queries": total, "tasks": tasks}

    def stop(self):
        self.process.stop(timeout=30)


def run_ours(ctx, sink: Sink, size: int, concurrency: int, ledger: str, run_no: int,
             *, reset: bool = True) -> dict:
    """One send of `size` through a real worker; from an empty ledger unless
    `reset` is False (the ledger bench keeps its history)."""
    from newsletter.models import Delivery, Dispatch

    emails = seed.confirm(size)
    if reset:
        seed.reset_ledger()
    issue = seed.newsletter_issue(1000 + run_no, 1000 + run_no, user=ctx.user,
                                  topic_map=ctx.topics)
    worker = Worker(ctx, concurrency, f"{ledger}-c{concurrency}-{size}-{run_no}", ledger).start()
    worker.sample_memory()
    cpu_before = sum(worker.child_cpu.values())
    sink.reset()
    try:
        started = time.time()
        seed.publish(issue, user=ctx.user, send_now=True)
        timeout = 300 + size / 20
        deadline = time.monotonic() + timeout
        while True:
            worker.sample_memory()
            states = list(Dispatch.objects.filter(issue=issue).values_list("status", flat=True))
            if len(states) == len(seed.LANGUAGES) and set(states) == {"sent"}:
                break
            if time.monotonic() > deadline or not worker.process.alive():
                raise RuntimeError(
                    f"dispatch not finished after {timeout:.0f} s (states {states}); worker log:\n"
                    f"{worker.process.log()}")
            time.sleep(0.1)
        worker.sample_memory()
        finished = max(Dispatch.objects.filter(issue=issue).values_list("finished_at", flat=True))
        seconds = finished.timestamp() - started
        time.sleep(0.3)  # the last task's query count file
        queries = worker.queries()
    finally:
        worker.stop()
    dump = sink.dump(ctx.workdir / "sink-ours.json")
    received = dump.pop("per_recipient")
    expected = {e.lower() for e in emails}
    missing = len(expected - received.keys())
    unexpected = len(received.keys() - expected)
    duplicates = sum(c - 1 for c in received.values() if c > 1)
    sent_rows = Delivery.objects.filter(dispatch__issue=issue, status="sent").count()
    check = {"missing": missing, "unexpected": unexpected, "duplicates": duplicates,
             "ledger_sent": sent_rows}
    if missing or unexpected or duplicates or sent_rows != size:
        raise RuntimeError(f"ours (size {size}, c={concurrency}): delivery check failed {check}")
    return {
        "seconds": seconds, "rate": size / seconds,
        "peak_child_mb": worker.peak_child_kb / 1024, "peak_main_mb": worker.peak_main_kb / 1024,
        "queries": queries["queries"], "tasks": queries["tasks"],
        "queries_per_recipient": queries["queries"] / size,
        "worker_cpu_us_per_recipient": (sum(worker.child_cpu.values()) - cpu_before) / size * 1e6,
        "mean_size": dump["mean_size"], "connections": dump["connections"],
        "check": check,
    }


def commit_probe(count: int = 500) -> dict:
    """PostgreSQL's own floor for a per-recipient ledger: single-row UPDATE commits
    per second on one connection, durable (synchronous_commit on) and not."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (id int PRIMARY KEY, n int)")
        cursor.execute("INSERT INTO bench_commit_probe SELECT g, 0 FROM generate_series(1, %s) g"
                       " ON CONFLICT DO NOTHING", [count])
        for mode in ("on", "off"):
            cursor.execute(f"SET synchronous_commit TO {mode}")
            start = time.perf_counter()
            for i in range(1, count + 1):
                cursor.execute("UPDATE bench_commit_probe SET n = n + 1 WHERE id = %s", [i])
            out[mode] = count / (time.perf_counter() - start)
        cursor.execute("RESET synchronous_commit")
    return {"durable": out["on"], "async": out["off"]}


def run(ctx) -> dict:
    """Every sending figure; ctx gives sizes, repetitions, the sink, the database."""
    sizes, repeat_for = ctx.sizes, ctx.repeat_for
    largest = max(sizes)
    print(f"sending: seeding {largest:,} subscribers", flush=True)
    seed.subscribers(largest)
    ctx.topics = seed.topics()
    ctx.user = seed.editor()
    sample = seed.newsletter_issue(999, 999, user=ctx.user, topic_map=ctx.topics)
    seed.publish(sample, user=ctx.user, send_now=False, newsletter=False)
    messages = floor_messages(ctx.workdir, sample)
    sink = ctx.sink
    results = {"floor": {}, "ours": {}, "peer": {}, "commits": [], "batch_size": ctx.batch_size,
               "message_bytes": {p.stem: p.stat().st_size for p in messages}}
    peer = None
    if ctx.peer_size:
        peer = peer_mod.Peer(ctx)
        target = sum(p.stat().st_size for p in messages) // len(messages)
        results["peer_setup"] = peer.prepare(messages_from=sample, target_size=target)
    run_no = 0
    rounds = max(repeat_for(size) for size in sizes)
    for rep in range(rounds):
        results["commits"].append(commit_probe())
        print(f"sending [{rep + 1}/{rounds}]: PostgreSQL commits/s "
              f"{ {k: round(v) for k, v in results['commits'][-1].items()} }", flush=True)
        for size in sizes:
            if rep >= repeat_for(size):
                continue
            label = f"[{rep + 1}/{repeat_for(size)}] {size:,}"
            print(f"sending {label}: floor", flush=True)
            results["floor"].setdefault(size, []).append(run_floor(sink, size, messages))
            _say(results["floor"][size][-1])
            for ledger in ctx.ledgers:
                for concurrency in ctx.concurrencies:
                    run_no += 1
                    print(f"sending {label}: ours, {concurrency} worker process(es), "
                          f"{LEDGER[ledger]}", flush=True)
                    key = f"{size}:{concurrency}:{ledger}"
                    results["ours"].setdefault(key, []).append(
                        run_ours(ctx, sink, size, concurrency, ledger, run_no))
                    _say(results["ours"][key][-1])
            if peer and peer.ready and size == ctx.peer_size:
                print(f"sending {label}: django-newsletter", flush=True)
                outcome = peer.send(sink, size)
                results["peer"].setdefault(size, []).append(outcome)
                _say(outcome)
    if peer and not peer.ready:
        results["peer_error"] = peer.error
    return results


def _say(result: dict):
    shown = {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()
             if k in ("seconds", "rate", "peak_child_mb", "queries_per_recipient", "mean_size",
                      "worker_cpu_us_per_recipient", "error")}
    print(f"    {shown}", flush=True)



