"""The workers' own record: who runs, since when, and what a restart gives back.

A Celery worker is known by its node name (`-n w1@host`). When it starts
(`worker_init`, in the main process before the pool forks), it records its
start and puts back to pending every delivery that node had claimed before:
those were claimed by its previous incarnation, which was killed, so nobody
is sending them. They go out at once instead of after NEWSLETTER_LEASE_SECONDS.
Rows of a worker that never comes back still return after the lease
(dispatch.sweep). The pool's processes inherit the node name, and every
claim they make carries it (Delivery.claimed_by).

While it runs, the worker's main process renews its Heartbeat every
HEARTBEAT_SECONDS, and each beat-scheduled sweep renews beat's: /healthz and
the admin read them (config/health.py).
"""

import datetime
import logging
import threading

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
BEAT = "beat"  # the Heartbeat renewed by each beat-scheduled sweep

# This process's node name ("" outside a worker), set when the worker starts.
node_name = ""


def worker_started(node: str, now: datetime.datetime | None = None) -> int:
    """Record a worker's start and release what its earlier incarnations had
    claimed; the dispatches concerned are queued again. Returns the number of
    deliveries released. Idempotent: a second call releases nothing new."""
    from newsletter import dispatch
    from newsletter.models import Delivery, Heartbeat

    now = now or timezone.now()
    with transaction.atomic():
        Heartbeat.objects.update_or_create(
            name=node, defaults={"started_at": now, "seen_at": now}
        )
        held = Delivery.objects.filter(
            status=Delivery.Status.SENDING, claimed_by=node, claimed_at__lt=now
        )
        dispatch_ids = sorted(set(held.values_list("dispatch_id", flat=True)))
        released = held.update(status=Delivery.Status.PENDING, claimed_by="")
        for dispatch_id in dispatch_ids:
            transaction.on_commit(lambda pk=dispatch_id: dispatch.fan_out(dispatch_id=pk))
    if released:
        log.info("worker %s started: released %d deliveries its previous run had claimed "
                 "(dispatches %s)", node, released, dispatch_ids)
    return released


def beat(name: str, now: datetime.datetime | None = None):
    """Renew `name`'s heartbeat (creating it on the first beat)."""
    from newsletter.models import Heartbeat

    now = now or timezone.now()
    if not Heartbeat.objects.filter(name=name).update(seen_at=now):
        Heartbeat.objects.get_or_create(name=name, defaults={"started_at": now, "seen_at": now})


def _beat_forever(node: str, stop: threading.Event):
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            beat(node)
        except DatabaseError as exc:  # the database is away; try again next time
            log.warning("worker %s: heartbeat not recorded: %s", node, exc)
        finally:
            connections.close_all()


def on_worker_init(node: str):
    """When a worker starts (config/celery.py), in its main process."""
    global node_name
    node_name = node
    try:
        worker_started(node_name)
    except DatabaseError as exc:
        log.warning("worker %s: could not release its earlier claims (the lease will): %s",
                    node_name, exc)
    finally:
        # The pool forks from this process: it must not inherit an open connection.
        connections.close_all()


def on_worker_ready():
    """Once the worker is ready (config/celery.py): its main process renews the
    heartbeat from a thread."""
    threading.Thread(
        target=_beat_forever, args=(node_name, threading.Event()), name="heartbeat", daemon=True
    ).start()
