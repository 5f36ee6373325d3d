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


def _gunicorn_access_line(path: str, query: str = "") -> dict:
    import datetime
    import importlib.util
    import io
    from types import SimpleNamespace

    from gunicorn.config import Config

    spec = importlib.util.spec_from_file_location("gunicorn_conf", "config/gunicorn.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = conf.JsonLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path + ("?" + query if query else ""),
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": path, "QUERY_STRING": query,
               "REMOTE_ADDR": "192.0.2.1"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("X-Request-ID", "r-1")])
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(seconds=0))
    return json.loads(stream.getvalue())


def test_gunicorn_access_log_masks_subscriber_tokens():
    from newsletter import tokens

    for purpose, path in [
        (tokens.UNSUBSCRIBE, "/en/newsletter/unsubscribe/{}/"),
        (tokens.CONFIRM, "/be/newsletter/confirm/{}/"),
        (tokens.PREFERENCES, "/ru/newsletter/preferences/{}/data.json"),
        (tokens.UNSUBSCRIBE, "/newsletter/one-click/{}/"),
    ]:
        token = tokens.make_token(1234, purpose, nonce="n0nce" if purpose == "confirm" else "")
        line = _gunicorn_access_line(path.format(token))
        assert token not in json.dumps(line)
        assert line["path"] == path.format("[token]")
        assert line["request_id"] == "r-1" and line["status"] == 200
    # Other pages are logged as they are.
    assert _gunicorn_access_line("/en/issues/12/", "page=2")["path"] == "/en/issues/12/"


def test_django_log_lines_mask_tokens_in_either_format():
    from config.logs import LineFormatter

    record = logging.getLogger("django.request").makeRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s",
        ("/en/newsletter/unsubscribe/AbC:1xZ:sig-_nature/",), None, extra={"request_id": "-"},
    )
    for formatter in (JsonFormatter(), LineFormatter("%(message)s")):
        line = formatter.format(record)
        assert "AbC:1xZ" not in line and "/en/newsletter/unsubscribe/[token]/" in line
