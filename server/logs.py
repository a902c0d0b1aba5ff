"""Logging for every Accord process: text or one JSON object per line, with a request id.

A web request takes its id from `X-Request-ID` (when it is a short plain token) or
makes one, answers with it, and every line logged while it runs carries it. The id
goes into the outbox rows the request writes, so the worker logs the same id on the
task the request caused.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("accord_request_id", default=None)

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_HANDLER_MARK = "_accord_handler"
_ACCESS_MARK = "_accord_access_wanted"
# Attributes every LogRecord has; the rest were passed in `extra` and go into the JSON.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def current_request_id() -> str | None:
    return request_id_var.get()


def new_request_id(offered: str | None = None) -> str:
    """The client's `X-Request-ID` when it is a plain token of up to 64 characters, else a new one."""
    if offered and _VALID_ID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (None outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


# Tasks beat sends on a timer whether or not anything happened (the outbox relay every
# two seconds, the sweep every few minutes). Celery's routine lines about them (sent,
# received, succeeded with nothing done) would fill an idle log; what they do is logged.
TIMER_TASKS = frozenset({"accord.relay", "accord.sweep"})
_NOTHING_DONE = {"0", "None"}


class QuietTimerTasks(logging.Filter):
    """Drops Celery's INFO lines about timer tasks that did nothing, so an idle log stays quiet."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO or not record.name.startswith("celery"):
            return True
        args = record.args
        if isinstance(args, tuple) and record.name == "celery.beat":
            # "Scheduler: Sending due task %s (%s)", entry name and task name.
            return not (len(args) == 2 and args[1] in TIMER_TASKS)
        if isinstance(args, dict) and args.get("name") in TIMER_TASKS and "exc" not in args:
            if "return_value" not in args:
                return False  # "Task ... received"
            # A relay that sent rows says how many; an idle one returns 0.
            return str(args["return_value"]) not in _NOTHING_DONE and args["name"] != "accord.sweep"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in out and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure(fmt: str | None = None, level: str | int | None = None) -> None:
    """Send every log line to stderr in the configured format; safe to call more than once.

    `ACCORD_LOG_LEVEL` (default INFO) applies to Accord's and Celery's loggers; other
    libraries log WARNING and up, or everything at DEBUG.

    Uvicorn's and Celery's loggers are routed through the same handler, so a process
    writes one format. Handlers others added (a test's capture) are left alone.
    """
    from server.settings import get_settings

    s = get_settings()
    fmt = fmt or s.log_format
    level = level or s.log_level
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, _HANDLER_MARK, False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        setattr(handler, _HANDLER_MARK, True)
        handler.addFilter(RequestIdFilter())
        handler.addFilter(QuietTimerTasks())
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    numeric = level if isinstance(level, int) else logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    # The level is Accord's and Celery's (uvicorn sets its own from --log-level); other
    # libraries say only what matters (WARNING and up) unless the level is DEBUG.
    for name in ("accord", "celery"):
        logging.getLogger(name).setLevel(numeric)
    root.setLevel(numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING))
    # The web process logs each request itself (`accord.access`, with its route and id),
    # in place of uvicorn's access line, and only when uvicorn's would have been on
    # (`--no-access-log` or `--log-level warning` turn both off).
    uvicorn_access = logging.getLogger("uvicorn.access")
    wanted = getattr(uvicorn_access, _ACCESS_MARK, None)
    if wanted is None:
        wanted = bool(uvicorn_access.handlers or uvicorn_access.propagate) and uvicorn_access.isEnabledFor(
            logging.INFO
        )
        setattr(uvicorn_access, _ACCESS_MARK, wanted)
    logging.getLogger("accord.access").setLevel(logging.INFO if wanted else logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery", "celery.app.trace"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    uvicorn_access.setLevel(logging.WARNING)
