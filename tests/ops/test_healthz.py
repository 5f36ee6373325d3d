"""/healthz: 200 only when the database and the broker answer."""

import json

import pytest

from tests.ops.helpers import production_environment, python

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_answers_probes_by_address_and_over_http(client, settings):
    """Container and load-balancer probes ask http://127.0.0.1/healthz: no Host
    check and no https redirect may turn that into a 400 or a 301."""
    settings.ALLOWED_HOSTS = ["bulletin.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/en/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_broker_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


def test_broker_redis_answers(client, settings, need_redis):
    settings.CELERY_BROKER_URL = need_redis
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok"}


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
        REDIS_URL=None, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="1",
    )
    result = python(code, env, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"] == {"database": "error", "broker": "ok"}
    assert outcome["seconds"] < 15
    # The failure is logged as one JSON line with its traceback folded in.
    warnings = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    (logged,) = [w for w in warnings if w.get("message") == "healthz: database unreachable"]
    assert logged["level"] == "WARNING" and "OperationalError" in logged["exc"]
