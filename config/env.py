"""Reading deployment settings from the environment, with one-line failures.

A missing or malformed variable stops start-up with a single line naming it
(gunicorn, celery and manage.py all exit), not a half-started server.
"""

import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(SystemExit):
    """Exit with one readable line; exit code 3 also stops gunicorn's arbiter."""

    def __init__(self, message: str):
        sys.stderr.write(f"Configuration error: {message}\n")
        super().__init__(3)


def require(value, name: str, hint: str):
    if not value:
        raise ConfigError(f"{name} is not set ({hint}).")
    return value


def cache_config(redis_url: str) -> dict:
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "bulletin",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def email_config(url: str) -> dict:
    """Django EMAIL_* settings from one EMAIL_URL.

    outbox:///abs/path (one .eml file per message), smtp://user:pw@host:port
    (?tls for STARTTLS, ?ssl or smtps:// for implicit TLS, ?timeout=N),
    console://, locmem://.
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if scheme == "outbox":
            path = unquote(parts.netloc + parts.path)
            if not path:
                raise ValueError("no folder")
            return {
                "EMAIL_BACKEND": "config.mail.OutboxEmailBackend",
                "EMAIL_FILE_PATH": str(Path(path)),
            }
        if scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if scheme == "locmem":
            return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        if scheme in ("smtp", "smtps", "smtp+tls", "smtp+ssl"):
            if not parts.hostname:
                raise ValueError("no host")
            port = parts.port or (465 if scheme in ("smtps", "smtp+ssl") else 25)
            return {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": parts.hostname,
                "EMAIL_PORT": port,
                "EMAIL_HOST_USER": unquote(parts.username or ""),
                "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_TLS": scheme == "smtp+tls" or "tls" in query,
                "EMAIL_USE_SSL": scheme in ("smtps", "smtp+ssl") or "ssl" in query,
                "EMAIL_TIMEOUT": float(query.get("timeout", 30)),
            }
        raise ValueError(f"unknown scheme {scheme!r}")
    except ValueError as exc:
        raise ConfigError(
            f"EMAIL_URL is malformed ({exc}); expected outbox:///folder or "
            "smtp://user:password@host:port"
        ) from None
