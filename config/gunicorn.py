"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Everything a deployment changes is read from the environment:
GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (worker processes,
default 2), GUNICORN_THREADS (default 1), GUNICORN_TIMEOUT (default 30 s),
FORWARDED_ALLOW_IPS (read by gunicorn itself: the proxies trusted for
X-Forwarded-* headers).
"""

import os

from gunicorn.glogging import Logger

from config.logs import JsonFormatter

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# Load Django in the arbiter before forking: a bad environment (a ConfigError)
# stops gunicorn with its one line before it binds, instead of booting workers
# that die one after another.
preload_app = True
# Logs on stdout, one JSON line per event (config/logs.py).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonLogger(Logger):
    """gunicorn's error and access logs as JSON lines, like Django's.

    The access line carries the request id Django put in X-Request-ID, so one
    search finds a request in both logs.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms["s"])
        self.access_log.info(
            "%s %s %s", atoms["m"], atoms["U"], status,
            extra={
                "request_id": atoms.get("{x-request-id}o", "-"),
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": int(status) if status.isdigit() else status,
                "bytes": atoms["B"],
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
                "remote": atoms["h"],
                "user_agent": atoms["a"],
            },
        )

# gunicorn >= 25's control socket lives in $HOME by default: one per user, so
# two servers on one machine would fight over it. Nothing here uses it.
control_socket_disable = True

logger_class = JsonLogger
