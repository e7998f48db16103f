"""The id of the request being served, for every log line written while it is served.

A contextvar, not a thread-local: it follows the request through threads (runserver) and
coroutines (ASGI) alike, and is empty outside a request (jobs, commands).
"""

import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("motcua_request_id", default="")

# What a proxy or a client may pass as X-Request-ID: anything else (spaces, quotes, newlines that
# would forge a log line, a personal datum of some length) is replaced by our own id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def request_id_choose(offered: str | None) -> str:
    """The id offered by the caller when it looks safe, else a new random one."""
    if offered and SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def request_id_set(value: str) -> Token[str]:
    return _request_id.set(value)


def request_id_reset(token: Token[str]) -> None:
    _request_id.reset(token)


def current_request_id() -> str:
    """The id of the request being served, "" outside a request."""
    return _request_id.get()
