"""Production logs: one JSON line per event; an error carries its request id
and its traceback, folded into the line."""

import json
import logging
import sys

from config.logs import JsonFormatter
from tests.ops.helpers import production_environment, python


def test_formatter_folds_the_traceback_into_one_line():
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info(),
            extra={"request_id": "abc", "dispatch_id": 7},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "failed here"
    assert data["level"] == "ERROR" and data["logger"] == "x"
    assert data["request_id"] == "abc" and data["dispatch_id"] == 7
    assert data["exc"].startswith("Traceback") and "ZeroDivisionError" in data["exc"]
    assert data["time"].endswith("Z")


def test_a_failing_request_is_logged_with_its_request_id():
    code = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(ROOT_URLCONF="tests.ops.urls_error", STORAGES=storages):
    response = Client(raise_request_exception=False).get("/fail/", HTTP_X_REQUEST_ID="req-4242")
print("STATUS", response.status_code, response["X-Request-ID"])
"""
    env = production_environment(ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0")
    result = python(code, env, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "STATUS 500 req-4242" in result.stdout
    lines = [line for line in result.stdout.splitlines() if not line.startswith("STATUS")]
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    (error,) = [e for e in events if e["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-4242"
    assert error["status_code"] == 500
    assert "ZeroDivisionError: the failure the test looks for" in error["exc"]
    assert "Traceback" not in result.stderr  # the traceback is in the JSON line only
