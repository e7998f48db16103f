"""One `job_run` for the bookkeeping of every periodic job (ADR 0016)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.core.jobs import job_run
from motcua.core.models import JOBS, JobRun, JobRunStatus

pytestmark = pytest.mark.django_db
MOTCUA = Path(__file__).resolve().parents[2] / "motcua"


def _said(counts: dict) -> str:
    return f"Đã làm {counts['done']} việc."


def test_a_run_is_recorded_with_its_counts_and_summary():
    with job_run("test-job", _said, {"done": 0}) as book:
        assert JobRun.objects.get().status == JobRunStatus.RUNNING  # visible while it runs
        book.counts["done"] = 3
    run = JobRun.objects.get()
    assert run == book.run and run.status == JobRunStatus.OK and run.finished_at
    assert (run.counts, run.summary) == ({"done": 3}, "Đã làm 3 việc.")


def test_an_item_that_fails_is_named_and_the_run_fails():
    with job_run("test-job", _said, {"done": 0, "errors": 0}) as book:
        book.fail("hồ sơ H1", ValueError("ngày sai"))
        book.counts["done"] = 1
    run = JobRun.objects.get()
    assert run.status == JobRunStatus.FAILED and run.counts == {"done": 1, "errors": 1}
    assert run.summary == "Đã làm 1 việc. Không xử lý được: hồ sơ H1: ngày sai"


def test_an_exception_is_recorded_not_raised():
    with job_run("test-job", _said, {"done": 0}):
        raise RuntimeError("mất kết nối")
    run = JobRun.objects.get()
    assert run.status == JobRunStatus.FAILED and run.finished_at
    assert run.summary == "Đã làm 0 việc. Không xử lý được: Lỗi: mất kết nối"


@pytest.mark.parametrize("name", sorted(JOBS))
def test_every_scheduled_job_records_its_run(name, capsys):
    call_command("jobs", "run", name)
    run = JobRun.objects.get(job=name)
    assert run.status == JobRunStatus.OK and run.finished_at and run.summary
    assert run.summary in capsys.readouterr().out


def test_no_job_keeps_its_own_bookkeeping():
    creating = {
        str(path.relative_to(MOTCUA))
        for path in MOTCUA.rglob("*.py")
        if "JobRun.objects.create" in path.read_text(encoding="utf-8")
    }
    assert creating == {"core/jobs.py"}
