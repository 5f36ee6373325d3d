"""/healthz: is this web process able to serve? And what else is degraded?

The status code answers for what the web needs to serve pages, the database:
200 when it answers, 503 when it does not (take this process out of rotation).
Everything else the site relies on is reported in the JSON body, and a
failure there makes the site degraded, not down, so a cache or broker outage
never takes the web out of rotation:

    {"status": "ok" | "degraded" | "down",
     "database": "ok", "cache": "ok", "broker": "error",
     "workers": {"status": "degraded", "alive": [], "last_seen": "..."},
     "beat": {"status": "ok", "last_run": "..."},
     "dispatches": {"status": "ok", "paused": 0, "stuck": 0},
     "bounce_mailbox": {"status": "ok", "last_read": "..."}}   # with BOUNCE_MAILBOX_URL

The workers, beat and dispatches come from newsletter.dispatch.liveness (what
the admin's index shows editors too). It is answered by a middleware placed
before host validation and the https redirect, because load balancers and
container health checks ask over plain http by address (Host: 127.0.0.1),
and it is never cached.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections
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


def _redis_ping(url: str, what: str) -> bool:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        log.warning("healthz: %s unreachable", what, exc_info=True)
        return False
    finally:
        client.close()


def broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        # The embedded default: tasks run in-process, there is no broker to lose.
        return True
    return _redis_ping(url, "broker")


def cache_ok() -> bool:
    backend = settings.CACHES["default"]
    if "redis" not in backend["BACKEND"].lower():
        return True  # in this process's memory
    location = backend["LOCATION"]
    return _redis_ping(location if isinstance(location, str) else location[0], "cache")


def bounce_mailbox_report() -> dict:
    """With BOUNCE_MAILBOX_URL set, how its last read went: an unreadable
    mailbox delays bounces (degraded), it never takes the web out of rotation."""
    if not settings.BOUNCE_MAILBOX_URL:
        return {}
    from newsletter.mailbox import mailbox_status

    status = mailbox_status()
    if status is None:
        return {"bounce_mailbox": {"status": "ok", "last_read": None}}
    if status.get("ok"):
        return {"bounce_mailbox": {"status": "ok", "last_read": status.get("checked_at")}}
    return {"bounce_mailbox": {"status": "degraded", "error": status.get("error", ""),
                               "last_read": status.get("last_ok_at")}}


def report() -> dict:
    """What /healthz answers, as a dict (see the module's docstring)."""
    database = database_ok()
    body = {
        "database": "ok" if database else "error",
        "cache": "ok" if cache_ok() else "error",
        "broker": "ok" if broker_ok() else "error",
    }
    if database:
        from newsletter.dispatch import liveness

        try:
            body.update(liveness.report())
        except DatabaseError:
            log.warning("healthz: workers' state unreadable", exc_info=True)
            connections["default"].close()
    body.update(bounce_mailbox_report())
    parts = [value if isinstance(value, str) else value["status"] for value in body.values()]
    body["status"] = (
        "down" if not database else "ok" if all(part == "ok" for part in parts) else "degraded"
    )
    return body


def healthz(request):
    body = report()
    response = JsonResponse(body, status=503 if body["status"] == "down" else 200)
    add_never_cache_headers(response)
    return response


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
