"""What /readyz checks before a load balancer sends this server requests (ADR 0028): the database
answers, the shared cache keeps a value, Redis answers when one is configured, and the documents
storage can be reached. Each check is timed; a failure is named by the exception's type only (the
answer is public and an error text can hold an address or a user name), its full text is logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.db import connection

from motcua.documents.services import documents_storage

logger = logging.getLogger(__name__)

PROBE_PREFIX = "readyz-probe/"  # listed, never written: no document lives under it
REDIS_TIMEOUT_SECONDS = 2.0


class NotReady(Exception):
    """A check found its dependency unusable without an exception of its own."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    milliseconds: float
    error: str = ""

    def as_dict(self) -> dict:
        result: dict = {"ok": self.ok, "ms": round(self.milliseconds, 1)}
        if self.error:
            result["error"] = self.error
        return result


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise NotReady("SELECT 1")


def cache_check() -> None:
    """The default cache keeps API idempotency keys and rate limits: it must store and return."""
    cache = caches["default"]
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise NotReady("cache did not keep the value")
    finally:
        cache.delete(key)


def redis_check() -> None:
    import redis  # only when REDIS_URL is set; the package comes with the Redis cache

    client = redis.Redis.from_url(
        getattr(settings, "REDIS_URL", ""),
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        if not client.ping():
            raise NotReady("PING")
    finally:
        client.close()


def _writable_folder(location: Path) -> None:
    """The storage's folder (or, before the first upload, the nearest folder above it that
    exists) is a folder this process may write in: a disk remounted read-only fails here."""
    folder = location
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(str(folder))


def storage_check() -> None:
    """One listing of an empty prefix: a bucket that is missing, refuses our keys or cannot be
    reached raises; an empty answer (or "no such folder") means the storage answered."""
    storage = documents_storage()
    if isinstance(storage, FileSystemStorage):
        _writable_folder(Path(storage.location))
    with contextlib.suppress(FileNotFoundError):
        storage.listdir(PROBE_PREFIX)


def checks() -> dict[str, Callable[[], None]]:
    """The checks for this installation's settings, in the order they run."""
    found: dict[str, Callable[[], None]] = {
        "database": database_check,
        "cache": cache_check,
    }
    if getattr(settings, "REDIS_URL", ""):
        found["redis"] = redis_check
    found["storage"] = storage_check
    return found


def _run(name: str, check: Callable[[], None]) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure means "not ready"; the type is the public answer
        elapsed = (time.perf_counter() - started) * 1000
        logger.warning("readyz: %s failed: %s: %s", name, type(exc).__name__, exc)
        return CheckResult(name, False, elapsed, type(exc).__name__)
    return CheckResult(name, True, (time.perf_counter() - started) * 1000)


def readiness() -> list[CheckResult]:
    """Every check's result (all are run, so the answer names every failing dependency)."""
    return [_run(name, check) for name, check in checks().items()]
