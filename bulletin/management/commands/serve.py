"""The embedded default's server: runserver plus the periodic jobs Celery beat
would run in production (publishing scheduled issues, starting due newsletter
dispatches, sweeping), in a background thread, so a scheduled issue goes out
locally too. `make run PORT=8001` serves on another port."""

import logging
import threading
import time

from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.commands.runserver import Command as RunserverCommand

log = logging.getLogger(__name__)


def periodic_tasks() -> dict:
    """Every CELERY_BEAT_SCHEDULE entry's task object, by entry name.

    `autodiscover_tasks()` is lazy: the apps' `tasks` modules are imported when
    a worker or beat boots, not in other processes. A process that runs the
    schedule itself (the embedded server, `manage.py serve`) must import them
    first, or the first tick raises NotRegistered; this does, and names any
    entry whose task still does not exist (a typo in settings) at once.
    """
    current_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    missing = sorted(e["task"] for e in schedule.values() if e["task"] not in current_app.tasks)
    if missing:
        raise ImproperlyConfigured(f"CELERY_BEAT_SCHEDULE names unknown tasks: {missing}")
    return {name: current_app.tasks[entry["task"]] for name, entry in schedule.items()}


def run_beat_schedule(stop: threading.Event, tasks: dict, tick: float = 5.0):
    """Run each CELERY_BEAT_SCHEDULE entry every `schedule` seconds until `stop`;
    `tasks` is `periodic_tasks()` (looked up before the thread starts, so a task
    that cannot be found stops the server instead of failing every tick)."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    tick = min([tick, *(float(entry["schedule"]) for entry in schedule.values())])
    due = dict.fromkeys(schedule, 0.0)
    while not stop.wait(tick):
        now = time.monotonic()
        for name, entry in schedule.items():
            if now < due[name]:
                continue
            due[name] = now + float(entry["schedule"])
            try:
                tasks[name].apply()
            except Exception:
                log.exception("periodic task %s failed", entry["task"])


class Command(RunserverCommand):
    help = "Serve the embedded default (runserver + in-process periodic tasks)."

    def inner_run(self, *args, **options):
        tasks = periodic_tasks()
        stop = threading.Event()
        threading.Thread(target=run_beat_schedule, args=(stop, tasks), daemon=True).start()
        site = f"http://{self.addr}:{self.port}/"
        self.stdout.write(
            f"Bulletin: site {site} · admin {site}admin/ "
            "(accounts printed above) · emails in var/outbox/"
        )
        try:
            super().inner_run(*args, **options)
        finally:
            stop.set()
