"""/healthz: 200 while the database answers (the web can serve), 503 when it
does not; the cache, the broker, the workers, beat and the dispatches are
reported in the body, and their failure degrades the site without taking the
web out of rotation."""

import json

import pytest

from tests.ops.helpers import production_environment, python

pytestmark = pytest.mark.django_db


def test_healthy(client):
    from newsletter.dispatch import liveness

    liveness.beat(liveness.BEAT)  # beat ran a sweep just now
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "cache", "broker")} == {
        "status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    # The embedded default runs tasks in-process: no worker to lose.
    assert body["workers"]["status"] == "ok" and body["workers"]["in_process"] is True
    assert body["beat"]["status"] == "ok" and body["beat"]["last_run"]
    assert body["dispatches"] == {"status": "ok", "paused": 0, "stuck": 0}
    assert "no-store" in response["Cache-Control"]


def test_workers_beat_and_dispatches_degrade_but_do_not_take_the_web_down(client):
    import datetime

    from django.utils import timezone

    from config.celery import app
    from newsletter.dispatch import liveness
    from newsletter.models import Dispatch
    from tests.factories import published_issue

    long_ago = timezone.now() - datetime.timedelta(hours=1)
    liveness.beat("w1@gone", now=long_ago)
    liveness.beat(liveness.BEAT, now=long_ago)
    issue = published_issue(1)
    app.conf.task_always_eager = False  # tasks go to workers (the next test's setup restores it)
    Dispatch.objects.filter(issue=issue, language="en").update(status="paused")
    Dispatch.objects.filter(issue=issue, language="ru").update(
        status="sending", started_at=long_ago, heartbeat_at=long_ago)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["workers"] == {"status": "degraded", "alive": [],
                               "last_seen": long_ago.isoformat()}
    assert body["beat"] == {"status": "degraded", "last_run": long_ago.isoformat()}
    assert body["dispatches"] == {"status": "degraded", "paused": 1, "stuck": 1}

    liveness.beat("w2@host")
    assert client.get("/healthz").json()["workers"]["alive"] == ["w2@host"]


def test_answers_probes_by_address_and_over_http(client, settings):
    """Container and load-balancer probes ask http://127.0.0.1/healthz: no Host
    check and no https redirect may turn that into a 400 or a 301."""
    settings.ALLOWED_HOSTS = ["bulletin.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/en/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_broker_unreachable_degrades(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200  # the web can still serve
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("degraded", "ok", "error")


def test_cache_unreachable_degrades(client, settings):
    from config.env import cache_config

    settings.CACHES = cache_config("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("degraded", "ok", "error")


def test_broker_and_cache_redis_answer(client, settings, need_redis):
    from config.env import cache_config

    settings.CELERY_BROKER_URL = need_redis
    settings.CACHES = cache_config(need_redis)
    body = client.get("/healthz").json()
    assert (body["broker"], body["cache"]) == ("ok", "ok")


@pytest.mark.django_db(False)
def test_database_unreachable_in_production_settings():
    """A fresh process with production settings and a PostgreSQL server that is
    not there: 503, database error, within the connect timeout."""
    code = """
import django, json, time
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json(),
                  "seconds": time.monotonic() - started}))
"""
    env = production_environment(
        DATABASE_URL="postgres://bulletin@127.0.0.1:1/bulletin",  # nothing listens on port 1
        REDIS_URL=None, CACHE_REDIS_URL=None, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="1",
    )
    result = python(code, env, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"] == {"status": "down", "database": "error", "cache": "ok",
                               "broker": "ok"}
    assert outcome["seconds"] < 15
    # The failure is logged as one JSON line with its traceback folded in.
    warnings = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    (logged,) = [w for w in warnings if w.get("message") == "healthz: database unreachable"]
    assert logged["level"] == "WARNING" and "OperationalError" in logged["exc"]


def test_editors_see_what_is_degraded_on_the_admin_index(client):
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from config.celery import app
    from newsletter.dispatch import liveness

    app.conf.task_always_eager = False  # tasks go to workers (the next test's setup restores it)
    liveness.beat("w1@gone", now=timezone.now() - datetime.timedelta(hours=1))
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(admin)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Обработчики: ни один не работает; ничего не отправляется." in page
    assert "Расписание: не работает" in page
    liveness.beat("w2@host")
    liveness.beat(liveness.BEAT)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Workers: running." in page and "Schedule: running." in page
