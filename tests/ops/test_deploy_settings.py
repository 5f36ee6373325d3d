"""Production settings, read in fresh processes from the documented environment
(.env.example), and what happens when a required variable is missing or malformed."""

import json
import re
import signal
import subprocess
import sys

import pytest

from tests.ops.helpers import (
    ROOT,
    documented_names,
    manage,
    production_environment,
    python,
    run,
)

SETUP = "import django; django.setup()"


def test_check_deploy_is_clean_with_the_documented_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_from_the_documented_environment():
    code = SETUP + """
import json
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "hsts": s.SECURE_HSTS_SECONDS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "proxy_header": s.SECURE_PROXY_SSL_HEADER,
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,
                s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_HTTPONLY],
    "frame": s.X_FRAME_OPTIONS,
    "referrer": s.SECURE_REFERRER_POLICY,
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "log_formatter": s.LOGGING["handlers"]["stdout"]["formatter"],
    "csp": s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "database": s.DATABASES["default"]["ENGINE"],
    "broker": s.CELERY_BROKER_URL,
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
}, default=str))  # csp.constants.NONCE prints as its name
"""
    result = python(code, production_environment())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] is True
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["cookies"] == [True] * 6
    assert values["frame"] == "DENY"
    assert values["referrer"] == "same-origin"
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["log_formatter"] == "json"
    assert values["database"] == "django.db.backends.postgresql"
    assert values["broker"] == "redis://redis:6379/0" and values["eager"] is False
    csp = values["csp"]
    assert csp["default-src"] == ["'self'"]
    # Site-wide no inline script or style at all; the admin's article form adds a
    # nonce for its editor on that page only (bulletin/admin.py).
    assert csp["script-src"] == csp["style-src"] == ["'self'"]
    assert csp["object-src"] == csp["frame-ancestors"] == ["'none'"]


def test_env_example_documents_every_variable():
    """Every variable read by the settings, gunicorn's config or the compose file."""
    read = set()
    for path in ("config/settings.py", "config/env.py"):
        text = (ROOT / path).read_text()
        read |= set(re.findall(r"\.(?:str|bool|int|float|list|db)\(\s*\"([A-Z][A-Z0-9_]*)\"", text))
    read |= set(re.findall(r"environ\.get\(\"([A-Z][A-Z0-9_]*)\"",
                           (ROOT / "config/gunicorn.py").read_text()))
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text()))
    assert read >= {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "WEB_CONCURRENCY"}
    missing = read - documented_names()
    assert not missing, f"not in .env.example: {sorted(missing)}"


# --- Bad input: one line naming the variable, exit code 3, nothing started -------

BAD_VALUES = {  # None: the variable unset
    "SECRET_KEY": [None, "", "short",
                   "change-me-generate-a-key-of-at-least-fifty-random-characters"],
    "DATABASE_URL": [None, "postgres://bulletin@postgres:notaport/bulletin", "nonsense",
                     "mysql://root@db/bulletin", "postgres://bulletin@postgres:5432/"],
    "ALLOWED_HOSTS": [None, "", "example.org,", "https://example.org", "example.org:443"],
    "EMAIL_URL": ["smtp://", "smtp://mail:port", "sendgrid://key", "anymail://"],
    "REDIS_URL": ["redis://redis:6379/zero", "localhost:6379"],
    "SECURE_PROXY_SSL_HEADER": ["X-Forwarded-Proto: https"],
    "LOG_FORMAT": ["xml"],
}
BAD = [({name: value}, name) for name, values in BAD_VALUES.items() for value in values]


def assert_one_line_naming(result, variable):
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith("Configuration error: ")
    assert variable in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("overrides", "variable"), BAD, ids=[repr(o) for o, _v in BAD])
def test_bad_variable_stops_django_with_one_line(overrides, variable):
    result = python(SETUP, production_environment(**overrides), timeout=60)
    assert_one_line_naming(result, variable)


def test_password_in_a_malformed_database_url_is_not_printed():
    result = python(SETUP, production_environment(
        DATABASE_URL="postgres://bulletin:s3cret-pw@postgres:bad/bulletin"))
    assert_one_line_naming(result, "DATABASE_URL")
    assert "s3cret-pw" not in result.stderr


def test_manage_py_check_stops_with_one_line():
    result = manage("check", env=production_environment(ALLOWED_HOSTS=None), timeout=60)
    assert_one_line_naming(result, "ALLOWED_HOSTS")


def test_gunicorn_exits_before_binding_on_a_bad_environment():
    """preload_app: the arbiter loads the settings first, so a bad variable stops it
    with its one line; no worker boots, the port is never bound."""
    env = production_environment(DATABASE_URL="nonsense", GUNICORN_BIND="127.0.0.1:0")
    result = run([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
                 env, timeout=60)
    assert_one_line_naming(result, "DATABASE_URL")
    assert "Listening at" not in result.stdout + result.stderr


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_exits_on_a_bad_environment(program, tmp_path):
    env = production_environment(SECRET_KEY=None)
    args = [sys.executable, "-m", "celery", "-A", "config", program, "-l", "info"]
    if program == "beat":
        args += ["-s", str(tmp_path / "schedule")]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"celery {program} kept running with a bad environment: {stdout[-1000:]}")
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    assert_one_line_naming(result, "SECRET_KEY")
