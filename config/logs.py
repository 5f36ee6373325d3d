"""Production logs: one JSON object per line on stdout, for Django, Celery and gunicorn.

A line always has time, level, logger, message and request_id ("-" outside a
request); an error's traceback is folded into its line as "exc", so one event
is one line whatever a log collector does with newlines. Extra fields given
with `log.info(..., extra={...})` become keys of their own.

Subscribers' signed tokens (the last part of a confirm, unsubscribe,
preferences or one-click URL) are masked in every line, whichever logger wrote
it (gunicorn's access log, Django's "Not Found: <path>"): a log reader could
otherwise unsubscribe people or read their data.
"""

import datetime
import json
import logging
import re

_TOKEN_IN_PATH = re.compile(
    r"(/newsletter/(?:confirm|unsubscribe|preferences|one-click)/)[^/?#\s\"'<>]+"
)
MASK = "[token]"


def mask_tokens(text: str) -> str:
    """`text` with each newsletter link's token replaced by [token]."""
    return _TOKEN_IN_PATH.sub(lambda m: m.group(1) + MASK, text)


class LineFormatter(logging.Formatter):
    """The readable format (LOG_FORMAT=line), tokens masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_tokens(super().format(record))

# Attributes every LogRecord has; anything else on a record came from `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return mask_tokens(json.dumps(line, ensure_ascii=False, default=str))
