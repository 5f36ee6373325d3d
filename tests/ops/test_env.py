"""config/env.py: reading deployment variables (the parts not run in a subprocess)."""

import importlib.util

import pytest

from config.env import ConfigError, anymail_settings, email_config, proxy_ssl_header


def test_anymail_provider(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name == "anymail" else real_find_spec(name))
    assert email_config("anymail://postmark") == {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend"}
    with pytest.raises(ConfigError):
        email_config("anymail://")


def test_anymail_settings_from_the_environment():
    environ = {"ANYMAIL_POSTMARK_SERVER_TOKEN": "t0ken", "ANYMAIL_": "x", "PATH": "/bin"}
    assert anymail_settings(environ) == {"POSTMARK_SERVER_TOKEN": "t0ken"}


def test_smtp_urls():
    config = email_config("smtp://user:p%40ss@smtp.example.org:587?tls")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert config["EMAIL_HOST_PASSWORD"] == "p@ss" and config["EMAIL_USE_TLS"]
    assert email_config("smtps://u:p@smtp.example.org")["EMAIL_PORT"] == 465


def test_proxy_header():
    assert proxy_ssl_header("") is None
    assert proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
