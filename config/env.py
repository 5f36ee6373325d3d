"""Reading deployment settings from the environment, with one-line failures.

A missing or malformed variable stops start-up with a single line naming it
(gunicorn, celery and manage.py all exit), not a half-started server.
"""

import re
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


def cache_config(redis_url: str, timeout_seconds: float = 0.5) -> dict:
    if redis_url:
        return {
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "bulletin",
                # A Redis that hangs costs a page this long at most, then counts
                # as down (config/cache.py: a cache error is a miss).
                "OPTIONS": {
                    "socket_connect_timeout": timeout_seconds,
                    "socket_timeout": timeout_seconds,
                },
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def email_config(url: str) -> dict:
    """Django EMAIL_* settings from one EMAIL_URL.

    outbox:///abs/path (one .eml file per message), smtp://user:pw@host:port
    (?tls for STARTTLS, ?ssl or smtps:// for implicit TLS, ?timeout=N),
    anymail://<provider> (django-anymail), console://, locmem://.
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if scheme == "outbox":
            path = unquote(parts.netloc + parts.path)
            if not path:
                raise ValueError("no folder")
            return {
                "EMAIL_BACKEND": "config.mail.OutboxEmailBackend",
                "EMAIL_FILE_PATH": str(Path(path)),
            }
        if scheme == "anymail":
            # An HTTP-API provider through django-anymail: anymail://postmark,
            # anymail://amazon_ses, ... Credentials come from ANYMAIL_* variables.
            import importlib.util

            esp = parts.netloc
            if not re.fullmatch(r"[a-z][a-z0-9_]*", esp):
                raise ValueError("name the provider, e.g. anymail://postmark")
            if importlib.util.find_spec("anymail") is None:
                raise ValueError("django-anymail is not installed")
            return {"EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend"}
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
            f"EMAIL_URL is malformed ({exc}); expected smtp://user:password@host:port, "
            "anymail://<provider> or outbox:///folder"
        ) from None


def database_config(url: str) -> dict:
    """Django DATABASES["default"] from DATABASE_URL (postgres:// or sqlite:///).

    A malformed URL is a ConfigError naming the variable; the URL itself is
    not repeated, since it may hold a password.
    """
    import warnings

    import environ

    with warnings.catch_warnings():
        # django-environ only warns on an unknown scheme and returns {}.
        warnings.simplefilter("ignore")
        try:
            config = environ.Env.db_url_config(url)
        except (ValueError, TypeError, KeyError) as exc:
            raise ConfigError(f"DATABASE_URL is malformed ({exc}).") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ConfigError(
            "DATABASE_URL is malformed (expected postgres://user:password@host:5432/name "
            "or sqlite:///path)."
        )
    if not config.get("NAME"):
        raise ConfigError("DATABASE_URL is malformed (no database name).")
    if engine == "django.db.backends.postgresql":
        if not config.get("HOST"):
            raise ConfigError("DATABASE_URL is malformed (no host).")
        # An unreachable server fails a request (and /healthz) in seconds, not minutes.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


_HOST = re.compile(r"^(\*|\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")


def allowed_hosts(value: str) -> list[str]:
    """ALLOWED_HOSTS from a comma-separated list of host names (no scheme, port or path)."""
    if not value.strip():
        raise ConfigError("ALLOWED_HOSTS is not set (a comma-separated host list).")
    hosts = [h.strip() for h in value.split(",")]
    if not all(hosts):
        raise ConfigError("ALLOWED_HOSTS is malformed (an empty entry between commas).")
    bad = [h for h in hosts if not _HOST.match(h)]
    if bad:
        raise ConfigError(
            f"ALLOWED_HOSTS is malformed ({bad[0]!r} is not a host name; use e.g. "
            "bulletin.example.org,.example.org without scheme or port)."
        )
    return hosts


def redis_url(url: str) -> str:
    """REDIS_URL when set: redis://[:password@]host:port/db, rediss:// or unix://."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
        db = parts.path.strip("/")
        ok = (
            (parts.scheme in ("redis", "rediss") and parts.hostname and (not db or db.isdigit()))
            or (parts.scheme == "unix" and parts.path)
        )
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError("REDIS_URL is malformed (expected redis://host:6379/0).")
    return url


def proxy_ssl_header(header: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from a header name (X-Forwarded-Proto) that the
    proxy sets to "https"; None when Django itself is reached over TLS."""
    if not header:
        return None
    if not re.fullmatch(r"[A-Za-z0-9-]+", header):
        raise ConfigError(
            "SECURE_PROXY_SSL_HEADER is malformed (a header name such as X-Forwarded-Proto)."
        )
    return ("HTTP_" + header.upper().replace("-", "_"), "https")


def anymail_settings(environ) -> dict:
    """ANYMAIL from ANYMAIL_* variables: ANYMAIL_POSTMARK_SERVER_TOKEN=... becomes
    ANYMAIL["POSTMARK_SERVER_TOKEN"] (django-anymail's own setting names)."""
    return {
        name.removeprefix("ANYMAIL_"): value
        for name, value in environ.items()
        if name.startswith("ANYMAIL_") and len(name) > len("ANYMAIL_")
    }


def dkim_settings(environ) -> dict | None:
    """DKIM from DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (the PEM text, or
    a path to it); None when none of them is set. A key that cannot be read or
    parsed stops start-up with one line naming the variable."""
    domain = environ.get("DKIM_DOMAIN", "").strip()
    selector = environ.get("DKIM_SELECTOR", "").strip()
    key = environ.get("DKIM_PRIVATE_KEY", "").strip()
    if not (domain or selector or key):
        return None
    for name, value in (("DKIM_DOMAIN", domain), ("DKIM_SELECTOR", selector),
                        ("DKIM_PRIVATE_KEY", key)):
        require(value, name, "DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY go together")
    if "-----BEGIN" not in key:
        try:
            with open(key, "rb") as handle:
                pem = handle.read()
        except OSError as exc:
            raise ConfigError(f"DKIM_PRIVATE_KEY is malformed (no PEM text, and "
                              f"no readable file at that path: {exc.strerror}).") from None
    else:
        pem = key.replace("\\n", "\n").encode()
    from dkim.crypto import UnparsableKeyError, parse_pem_private_key

    try:
        parse_pem_private_key(pem)
    except (UnparsableKeyError, ValueError, IndexError, TypeError):
        raise ConfigError("DKIM_PRIVATE_KEY is malformed (an RSA private key in PEM).") from None
    try:
        encoded_domain = domain.encode("idna")
    except UnicodeError:
        raise ConfigError("DKIM_DOMAIN is malformed (a domain name).") from None
    if not selector.isascii() or not selector.replace("-", "").replace(".", "").isalnum():
        raise ConfigError("DKIM_SELECTOR is malformed (letters, digits, '-' and '.').")
    return {"domain": encoded_domain, "selector": selector.encode(), "private_key": pem}
