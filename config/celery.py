import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("bulletin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
