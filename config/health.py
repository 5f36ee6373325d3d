"""/healthz: 200 when the database and the Celery broker answer, 503 otherwise.

The body says which part failed: {"database": "ok", "broker": "error"}; with a
bounce mailbox configured, also how its last read went (not counted). It is
answered by a middleware placed before host validation and the https redirect,
because load balancers and container health checks ask over plain http by
address (Host: 127.0.0.1), and it is never cached.
"""

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

PATH = "/healthz"
TIMEOUT_SECONDS = 3


def database_ok() -> bool:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        log.warning("healthz: database unreachable", exc_info=True)
        # Do not keep a broken persistent connection for the next request.
        connection.close()
        return False


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        # The embedded default: tasks run in-process, there is no broker to lose.
        return True
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        log.warning("healthz: broker unreachable", exc_info=True)
        return False
    finally:
        client.close()


def bounce_mailbox_details() -> dict:
    """With BOUNCE_MAILBOX_URL set, how its last read went. Reported, not counted:
    an unreadable mailbox delays bounces but must not take the site out of service."""
    if not settings.BOUNCE_MAILBOX_URL:
        return {}
    from newsletter.mailbox import mailbox_status

    status = mailbox_status()
    if status is None:
        return {"bounce_mailbox": "not read yet"}
    if status.get("ok"):
        return {"bounce_mailbox": "ok"}
    return {"bounce_mailbox": f"error: {status.get('error', '')}",
            "bounce_mailbox_last_ok": status.get("last_ok_at")}


def healthz(request):
    checks = {
        "database": "ok" if database_ok() else "error",
        "broker": "ok" if broker_ok() else "error",
    }
    healthy = all(value == "ok" for value in checks.values())
    details = {**checks, **bounce_mailbox_details()}
    response = JsonResponse(details, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
