"""The retry job that services.notification_deliver relies on: queued messages are sent again
after a doubling back-off, at most MAX_ATTEMPTS times; permanent failures are never retried."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.core.models import JOBS, JobRun
from motcua.notifications.jobs import notifications_retry_run, retry_delay
from motcua.notifications.models import Channel, DeliveryStatus, Notification
from motcua.notifications.services import MAX_ATTEMPTS, notification_deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("esms_settings")]
TEXT = "Hồ sơ 000.00.40.H26-240426-0001 đã có kết quả."
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _at(minutes: float):
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


def _queued(to: str = "0912345678") -> Notification:
    with _at(0):
        return Notification.objects.create(channel=Channel.SMS, to=to, body=TEXT)


def _failed_once(esms) -> Notification:
    note = _queued()
    esms.fail_with_status = 503
    with _at(0):
        assert notification_deliver(note.pk).status == DeliveryStatus.QUEUED
    esms.fail_with_status = None
    return note


def _retry_at(minutes: float) -> JobRun:
    with _at(minutes):
        return notifications_retry_run()


def test_the_job_is_scheduled():
    schedule = JOBS["notifications-retry"]
    assert schedule.function == "motcua.notifications.jobs.notifications_retry_run"
    assert schedule.interval_minutes == 5


def test_the_back_off_doubles():
    waits = [retry_delay(n) - retry_delay(n - 1) for n in range(1, MAX_ATTEMPTS)]
    assert retry_delay(0) == timedelta(minutes=5)
    assert all(later == 2 * earlier for earlier, later in zip(waits, waits[1:], strict=False))


def test_a_failed_sending_is_retried_after_its_back_off(esms):
    note = _failed_once(esms)
    early = _retry_at(14)
    assert early.counts["due"] == 0 and esms.delivered == []
    run = _retry_at(15)
    note.refresh_from_db()
    assert note.status == DeliveryStatus.SENT and note.attempts == 2
    assert run.status == "ok" and run.counts == {
        "due": 1,
        "sent": 1,
        "queued": 0,
        "failed": 0,
        "errors": 0,
    }
    assert len(esms.delivered) == 1 and "1 đã gửi" in run.summary
    assert _retry_at(60).counts["due"] == 0 and len(esms.delivered) == 1  # sent is sent


def test_a_message_never_tried_is_sent_once_its_first_sending_had_time(esms):
    note = _queued()
    assert _retry_at(4).counts["due"] == 0
    assert _retry_at(5).counts["sent"] == 1
    note.refresh_from_db()
    assert note.status == DeliveryStatus.SENT and note.attempts == 1


def test_the_job_gives_up_after_the_last_attempt(esms):
    note = _failed_once(esms)
    esms.fail_with_status = 503
    for attempts in range(1, MAX_ATTEMPTS):
        assert _retry_at(retry_delay(attempts).total_seconds() / 60).counts["due"] == 1
    note.refresh_from_db()
    assert note.status == DeliveryStatus.FAILED and note.attempts == MAX_ATTEMPTS
    assert _retry_at(24 * 60).counts["due"] == 0
    note.refresh_from_db()
    assert note.attempts == MAX_ATTEMPTS and esms.delivered == []


def test_a_permanent_failure_is_never_retried(esms):
    bad = _queued(to="12345")
    with _at(0):
        assert notification_deliver(bad.pk).status == DeliveryStatus.FAILED
    before = Notification.objects.values().get(pk=bad.pk)
    run = _retry_at(24 * 60)
    assert run.counts["due"] == 0 and run.status == "ok"
    assert Notification.objects.values().get(pk=bad.pk) == before and esms.delivered == []
