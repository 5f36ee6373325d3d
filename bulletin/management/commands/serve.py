"""The embedded default's server: runserver plus the periodic jobs Celery beat
would run in production (publishing scheduled issues, starting due newsletter
dispatches), in a background thread, so a scheduled issue goes out locally too."""

import logging
import threading
import time

from django.conf import settings
from django.core.management.commands.runserver import Command as RunserverCommand

from config.celery import app

log = logging.getLogger(__name__)


def run_beat_schedule(stop: threading.Event, tick: float = 5.0):
    due = dict.fromkeys(settings.CELERY_BEAT_SCHEDULE, 0.0)
    while not stop.wait(tick):
        now = time.monotonic()
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            if now < due[name]:
                continue
            due[name] = now + float(entry["schedule"])
            try:
                app.tasks[entry["task"]].apply()
            except Exception:
                log.exception("periodic task %s failed", entry["task"])


class Command(RunserverCommand):
    help = "Serve the embedded default (runserver + in-process periodic tasks)."

    def inner_run(self, *args, **options):
        stop = threading.Event()
        threading.Thread(target=run_beat_schedule, args=(stop,), daemon=True).start()
        self.stdout.write(
            "Bulletin: site http://127.0.0.1:8000/ · admin http://127.0.0.1:8000/admin/ "
            "(accounts printed above) · emails in var/outbox/"
        )
        try:
            super().inner_run(*args, **options)
        finally:
            stop.set()
