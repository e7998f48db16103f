"""The one place code asks for the current time, so tests can move it (time-machine) and the demo
can replay a department's last weeks through the real services (`replaying_at`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_replayed: ContextVar[datetime | None] = ContextVar("motcua_clock_replayed", default=None)


def now() -> datetime:
    """The current instant, timezone-aware, in the installation's zone (Asia/Ho_Chi_Minh)."""
    return timezone.localtime(_replayed.get() or timezone.now())


@contextmanager
def replaying_at(instant: datetime) -> Iterator[None]:
    """Inside this block `now()` is `instant`: services record what happened at that moment, as the
    demo loader needs to put in today's worklists dossiers received over the last weeks. Nothing
    else sets it; a request never runs inside one."""
    if instant.tzinfo is None:
        raise ValueError("replaying_at needs an aware datetime")
    token = _replayed.set(instant)
    try:
        yield
    finally:
        _replayed.reset(token)
