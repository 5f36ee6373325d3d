"""Who is running: the workers' and beat's heartbeats, and a worker's start.

A Celery worker is known by its node name (`-n w1@host`); every claim it makes
records that name (Delivery.claimed_by). When it starts (`worker_init`, in
the main process before the pool forks; config/celery.py), it records its
start and gives back to pending what that node had claimed before: those rows
belonged to its previous incarnation, which was killed, so nobody is sending
them (ledger.release_claims_of). They go out at once, not after
NEWSLETTER_LEASE_SECONDS; rows of a worker that never comes back still return
after the lease (ledger.sweep).

While it runs, the worker's main process renews its Heartbeat every
HEARTBEAT_SECONDS, and each beat-scheduled sweep renews beat's; /healthz and
the admin read them (config/health.py).
"""

import datetime
import logging
import threading

from django.db import DatabaseError, connections, models, transaction
from django.utils import timezone

from newsletter.dispatch import ledger, queue
from newsletter.models import Heartbeat

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
BEAT = "beat"  # the Heartbeat renewed by each beat-scheduled sweep


def worker_started(node: str, now: datetime.datetime | None = None) -> int:
    """Record a worker's start and release what its earlier incarnations had
    claimed. Returns the number of deliveries released; a second call releases
    nothing new."""
    now = now or timezone.now()
    with transaction.atomic():
        Heartbeat.objects.update_or_create(
            name=node, defaults={"started_at": now, "seen_at": now}
        )
        return ledger.release_claims_of(node, now)


def beat(name: str, now: datetime.datetime | None = None):
    """Renew `name`'s heartbeat (creating it on the first beat)."""
    now = now or timezone.now()
    if not Heartbeat.objects.filter(name=name).update(seen_at=now):
        Heartbeat.objects.get_or_create(name=name, defaults={"started_at": now, "seen_at": now})


def on_worker_init(node: str):
    """When a worker starts, in its main process: release its earlier claims,
    and hand the broker what waited in the outbox while it was away."""
    try:
        worker_started(node)
        queue.outbox_drain()
    except DatabaseError as exc:
        log.warning("worker %s: could not release its earlier claims (the lease will): %s",
                    node, exc)
    finally:
        # The pool forks from this process: it must not inherit an open connection.
        connections.close_all()


def on_worker_ready(node: str):
    """Once the worker is ready: its main process renews the heartbeat from a thread."""
    threading.Thread(target=_beat_forever, args=(node,), name="heartbeat", daemon=True).start()


def _beat_forever(node: str):
    stop = threading.Event()  # never set: the thread ends with the process
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            beat(node)
        except DatabaseError as exc:  # the database is away; try again next time
            log.warning("worker %s: heartbeat not recorded: %s", node, exc)
        finally:
            connections.close_all()


def report(now: datetime.datetime | None = None) -> dict:
    """The workers, beat and dispatches as /healthz and the admin show them:
    each with a status, "ok" or "degraded".

    - workers: those whose heartbeat is younger than three beats (with tasks
      run in-process, the embedded default, there is no worker to lose);
    - beat: its last run (a sweep), late after three of its intervals;
    - dispatches: paused ones wait for an editor; a sending one whose batches
      have not claimed anything for three leases is stuck.
    """
    from celery import current_app
    from django.conf import settings

    from newsletter.models import Dispatch

    now = now or timezone.now()
    seen = dict(Heartbeat.objects.values_list("name", "seen_at"))
    beat_seen = seen.pop(BEAT, None)
    fresh = now - datetime.timedelta(seconds=3 * HEARTBEAT_SECONDS)
    alive = sorted(name for name, at in seen.items() if at >= fresh)
    in_process = bool(current_app.conf.task_always_eager)
    workers = {
        "status": "ok" if alive or in_process else "degraded",
        "alive": alive,
        "last_seen": max(seen.values()).isoformat() if seen else None,
    }
    if in_process:
        workers["in_process"] = True
    sweep_every = float(settings.CELERY_BEAT_SCHEDULE["sweep-dispatches"]["schedule"])
    beat_late = beat_seen is None or beat_seen < now - datetime.timedelta(seconds=3 * sweep_every)
    stuck_since = now - datetime.timedelta(seconds=3 * settings.NEWSLETTER_LEASE_SECONDS)
    paused = Dispatch.objects.filter(status=Dispatch.Status.PAUSED).count()
    stuck = Dispatch.objects.filter(status=Dispatch.Status.SENDING).filter(
        models.Q(heartbeat_at__lt=stuck_since)
        | models.Q(heartbeat_at__isnull=True, started_at__lt=stuck_since)
    ).count()
    return {
        "workers": workers,
        "beat": {
            "status": "degraded" if beat_late else "ok",
            "last_run": beat_seen.isoformat() if beat_seen else None,
        },
        "dispatches": {
            "status": "degraded" if paused or stuck else "ok",
            "paused": paused,
            "stuck": stuck,
        },
    }
