"""The one bulk writer: COPY on PostgreSQL, batched INSERTs elsewhere; the same rows either way."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.bulk import INSERT_BATCH, objects_insert, rows_insert
from motcua.core.models import JobRun, JobRunStatus
from motcua.payments.services import db_datetime

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
COUNT = 2 * INSERT_BATCH + 1


def _statements(write) -> int:
    with CaptureQueriesContext(connection) as queries:
        write()
    return len(queries)


def test_rows_are_written_as_given():
    rows = [[f"job-{n}", db_datetime(AT), "ok", f"dòng {n}", "{}"] for n in range(COUNT)]
    statements = _statements(
        lambda: rows_insert(JobRun, ["job", "started_at", "status", "summary", "counts"], rows)
    )
    stored = JobRun.objects.order_by("pk")
    assert stored.count() == COUNT
    first = stored.first()
    assert (first.job, first.started_at, first.summary, first.counts) == ("job-0", AT, "dòng 0", {})
    # COPY is one statement outside Django's query log; elsewhere one INSERT per batch.
    assert statements == (0 if connection.vendor == "postgresql" else 3)


def test_objects_get_their_ids_and_are_saved_as_save_would():
    runs = [JobRun(job=f"job-{n}", started_at=AT, counts={"n": n}) for n in range(COUNT)]
    objects_insert(JobRun, runs, ids_needed=True)
    assert all(run.pk and not run._state.adding for run in runs)
    stored = {run.pk: run for run in JobRun.objects.all()}
    assert len(stored) == COUNT
    assert stored[runs[7].pk].counts == {"n": 7}
    assert stored[runs[7].pk].status == JobRunStatus.RUNNING  # the field's default


def test_nothing_to_write_writes_nothing():
    assert _statements(lambda: rows_insert(JobRun, ["job"], [])) == 0
    assert objects_insert(JobRun, []) == []


def test_a_bad_row_is_djangos_integrity_error_and_writes_nothing():
    rows = [["job", db_datetime(AT), "ok", "", "{}"], ["job", db_datetime(AT), "bad", "", "{}"]]
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(JobRun, ["job", "started_at", "status", "summary", "counts"], rows)
    assert not JobRun.objects.exists()
