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

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from newsletter.dispatch import ledger
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
    """When a worker starts, in its main process."""
    try:
        worker_started(node)
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
