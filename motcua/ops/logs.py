"""Log lines an operator can search and a citizen need not fear (ADR 0028).

`RequestContextFilter` (on the console handler, so on every line of every logger): stamps each
line with the id of the request being served, and rewrites Django's own request lines ("Not Found:
/cong-dan/tra-cuu/<a dossier code>/") to the status and the URL pattern, because a raw path carries
dossier codes, references and names. `JsonFormatter` writes one JSON object per line
(MOTCUA_LOG_FORMAT=json, the production default); `PlainFormatter` one readable line.

Never personal data: no query strings, no request bodies, no user names, no raw paths, and in JSON
no exception messages (a database error's text quotes the row it refused: an ID number, a phone) —
the exception's type and where it was raised are enough to find the bug. What a module writes in its
own messages is its business: it must log ids and counts, not people.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest

from .request_context import current_request_id

# The request fields a line may carry (the access log line sets them all; Django's request lines
# get view and route from the filter). Nothing else from `extra` reaches the output.
REQUEST_FIELDS = ("request_id", "method", "view", "route", "status", "duration_ms")


def request_route(request: HttpRequest) -> tuple[str, str]:
    """The view's name and URL pattern of a resolved request ("", "" before resolution)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.view_name, match.route


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record; rewrites records that carry a Django request to say
    only what happened (the status phrase) and where (the view and its URL pattern)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx/5xx answer after the last middleware has returned: the id is
            # then read from the request itself.
            record.request_id = current_request_id() or getattr(request, "request_id", "")
        if isinstance(request, HttpRequest):
            _without_path(record, request)
        return True


def _without_path(record: logging.LogRecord, request: HttpRequest) -> None:
    """Django's request loggers put `request.path` in the message arguments ("%s: %s"); the
    status phrase says the same without it."""
    status = getattr(record, "status_code", None)
    try:
        record.msg = HTTPStatus(int(status)).phrase if status else "Request"
    except ValueError:
        record.msg = f"HTTP {status}"
    record.args = ()
    record.status = status
    record.method = request.method
    record.view, record.route = request_route(request)
    # The request object itself must not reach a formatter that would print its repr (the path).
    record.request = None


def _zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "TIME_ZONE", None) or "UTC")


def _exception(exc_info) -> dict:
    """The exception's type (and the types of its causes) and where it was raised: no message."""
    kind, value, tb = exc_info
    causes: list[str] = []
    cause = (value.__cause__ or value.__context__) if value is not None else None
    while cause is not None and len(causes) < 5:
        causes.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    stack = [
        f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)
    ]
    entry: dict = {"type": kind.__name__ if kind else "", "stack": stack}
    if causes:
        entry["causes"] = causes
    return entry


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601 with the offset), level, logger, message, and
    the request fields the line has."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": datetime.fromtimestamp(record.created, _zone()).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                entry[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = _exception(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """`time level logger [request id] message`, for a person reading the console (the demo)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # The record is shared with every other handler: its id is put back as it was.
        request_id = getattr(record, "request_id", "")
        record.request_id = request_id or "-"
        try:
            return super().format(record)
        finally:
            record.request_id = request_id
