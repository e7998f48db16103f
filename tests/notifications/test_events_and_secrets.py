"""One message per event, and secrets (one-time codes) sent without being stored."""

import pytest
from django.core import mail

from motcua.notifications import sms
from motcua.notifications.models import Notification
from motcua.notifications.services import notification_queue, notification_send_now


@pytest.mark.django_db(transaction=True)
def test_an_event_is_told_once():
    first = notification_queue(channel="email", to="a@vi-du.vn", body="Một", event_key="hs-1-r2")
    again = notification_queue(channel="email", to="a@vi-du.vn", body="Một", event_key="hs-1-r2")
    assert first is not None and again is None
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    # Messages that are not events are never deduplicated.
    notification_queue(channel="email", to="a@vi-du.vn", body="Hai")
    notification_queue(channel="email", to="a@vi-du.vn", body="Hai")
    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_a_secret_is_sent_but_recorded_blanked(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    note = notification_send_now(
        channel="sms", to="0912345678", body="Mã 123456", recorded_body="Mã ******"
    )
    assert sms.outbox[-1] == ("84912345678", "Mã 123456")
    note.refresh_from_db()
    assert (note.body, note.status) == ("Mã ******", "sent")


@pytest.mark.django_db
def test_a_refused_secret_is_recorded_as_failed(settings):
    settings.SMS_GATEWAY = "memory"
    with pytest.raises(ValueError):
        notification_send_now(channel="sms", to="12", body="Mã 1", recorded_body="Mã *")
    assert Notification.objects.get().status == "failed"
