"""One runner at a time for each periodic job, however many workers run on however many machines
(ADR 0026).

PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a stable 64-bit key derived from
the job's name, held on a connection of the worker's own. The server releases it when that
connection ends, so a worker killed mid-job (or a machine lost) frees the job by itself, and no
job's code — which may close or break the ordinary connection — can drop it by accident.

SQLite (one machine, the demo): a `JobLease` row per job, taken by one conditional UPDATE that
succeeds only when the lease is free, already ours, or held by a worker whose heartbeat is stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q

from .clock import now
from .models import JobLease, WorkerBeat


def job_lock_key(name: str) -> int:
    """The advisory lock key of a job: the first 8 bytes of BLAKE2b("motcua-job:" + name) as a
    signed 64-bit integer (PostgreSQL's bigint). Stable across processes, machines and releases —
    Python's hash() is not: it is salted per process."""
    digest = hashlib.blake2b(f"motcua-job:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def live_workers(stale_seconds: float):
    """The names of the workers that are running: not stopped, heartbeat fresher than the limit."""
    fresh = now() - timedelta(seconds=stale_seconds)
    return WorkerBeat.objects.filter(stopped_at__isnull=True, last_seen__gte=fresh).values("name")


class JobLocks:
    """The job locks of one worker process (not shared between threads: the thread that runs the
    periodic jobs takes and releases them)."""

    def __init__(self, holder: str, stale_seconds: float):
        self.holder = holder
        self.stale_seconds = stale_seconds
        # PostgreSQL: the connection that holds the advisory locks.
        self._connection: BaseDatabaseWrapper | None = None

    @property
    def advisory(self) -> bool:
        return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"

    def try_acquire(self, job: str) -> bool:
        return self._advisory_take(job) if self.advisory else self._lease_take(job)

    def release(self, job: str) -> None:
        if self.advisory:
            self._advisory_call("pg_advisory_unlock", job)
        else:
            JobLease.objects.filter(job=job, holder=self.holder).update(holder="", taken_at=None)

    @contextmanager
    def held(self, job: str) -> Iterator[bool]:
        """`with locks.held(name) as mine:` — mine is False when another worker runs the job."""
        mine = self.try_acquire(job)
        try:
            yield mine
        finally:
            if mine:
                self.release(job)

    def close(self) -> None:
        """End the lock connection (PostgreSQL releases whatever it still held)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- PostgreSQL ------------------------------------------------------------------------------

    def _advisory_take(self, job: str) -> bool:
        return bool(self._advisory_call("pg_try_advisory_lock", job))

    def _advisory_call(self, function: str, job: str):
        if self._connection is None:
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
        held = self._connection
        try:
            with held.cursor() as cursor:
                cursor.execute(f"SELECT {function}(%s)", [job_lock_key(job)])
                return cursor.fetchone()[0]
        except Exception:
            # A broken lock connection has lost its locks with it: start a new one next time.
            self.close()
            raise

    # --- SQLite ----------------------------------------------------------------------------------

    def _lease_take(self, job: str) -> bool:
        with suppress(IntegrityError):  # another worker created it at the same moment
            JobLease.objects.get_or_create(job=job)
        free = (
            Q(holder="") | Q(holder=self.holder) | ~Q(holder__in=live_workers(self.stale_seconds))
        )
        taken = JobLease.objects.filter(free, job=job).update(holder=self.holder, taken_at=now())
        return taken == 1
