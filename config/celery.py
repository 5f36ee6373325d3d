import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("bulletin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def periodic_tasks() -> dict:
    """Every CELERY_BEAT_SCHEDULE entry's task object, by entry name.

    `autodiscover_tasks()` is lazy: the apps' `tasks` modules are imported when
    a worker or beat boots, not in other processes. A process that runs the
    schedule itself (the embedded server, `manage.py serve`) must import them
    first, or the first tick raises NotRegistered; this does, and names any
    entry whose task still does not exist (a typo in settings) at once.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    missing = sorted(e["task"] for e in schedule.values() if e["task"] not in app.tasks)
    if missing:
        raise ImproperlyConfigured(f"CELERY_BEAT_SCHEDULE names unknown tasks: {missing}")
    return {name: app.tasks[entry["task"]] for name, entry in schedule.items()}


# A worker's start releases what its previous incarnation had claimed, and its
# main process keeps a heartbeat (newsletter/dispatch/liveness.py).
@signals.worker_init.connect
def _worker_init(sender=None, **kwargs):
    import django

    django.setup()  # idempotent; the Django fixup may not have run it yet
    from newsletter.dispatch import liveness

    liveness.on_worker_init(sender.hostname)


@signals.worker_ready.connect
def _worker_ready(sender=None, **kwargs):
    from newsletter.dispatch import liveness

    liveness.on_worker_ready(sender.hostname)
