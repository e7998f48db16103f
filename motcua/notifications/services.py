"""Sending notifications: each message is recorded first, then sent, and its outcome kept."""

import logging

from django.db import transaction

from motcua.core.clock import now

from .models import DeliveryStatus, Notification
from .routing import phone_channel_for, send_by_channel
from .sms import SmsError

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def notification_queue(
    *,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    reference: str = "",
    event_key: str = "",
) -> Notification | None:
    """Record a message and send it once the surrounding transaction commits.

    A workflow action that rolls back therefore never tells anyone about something that did not happen.
    With an `event_key`, the message is queued at most once: a second call for the same event
    returns None and sends nothing.
    """
    if event_key and Notification.objects.filter(event_key=event_key).exists():
        return None
    channel = phone_channel_for(channel, to)  # the citizen's choice of SMS or Zalo
    notification = Notification.objects.create(
        channel=channel, to=to, subject=subject, body=body, reference=reference, event_key=event_key
    )
    transaction.on_commit(lambda: notification_deliver(notification.pk))
    return notification


def notification_send_now(
    *, channel: str, to: str, body: str, recorded_body: str, subject: str = ""
) -> Notification:
    """Send a secret (a one-time code) right away and record the attempt without the secret.

    The record keeps `recorded_body` (the text with the code blanked out): the delivery outcome is
    visible to the operator, the code never sits in the database. Raises SmsError / ValueError /
    OSError when the gateway refuses, after recording the failure.
    """
    notification = Notification.objects.create(
        channel=channel, to=to, subject=subject, body=recorded_body, attempts=1
    )
    try:
        notification.provider_message_id = _send(notification, body=body)
    except (SmsError, ValueError, OSError) as exc:
        notification.status = DeliveryStatus.FAILED
        notification.error = str(exc)
        notification.save(update_fields=["status", "error"])
        raise
    notification.status = DeliveryStatus.SENT
    notification.sent_at = now()
    notification.save(update_fields=["status", "sent_at", "provider_message_id", "delivered_via"])
    return notification


def notification_deliver(notification_id: int) -> Notification:
    """Try to deliver one queued message; failures are kept for the retry job
    (jobs.notifications_retry_run, every 5 minutes) and the operator."""
    notification = Notification.objects.get(pk=notification_id)
    if notification.status == DeliveryStatus.SENT or notification.attempts >= MAX_ATTEMPTS:
        return notification
    notification.attempts += 1
    try:
        notification.provider_message_id = _send(notification)
    except (SmsError, ValueError, OSError) as exc:
        permanent = isinstance(exc, ValueError) or (isinstance(exc, SmsError) and not exc.retryable)
        notification.error = str(exc)
        notification.status = (
            DeliveryStatus.FAILED
            if permanent or notification.attempts >= MAX_ATTEMPTS
            else DeliveryStatus.QUEUED
        )
        logger.warning("notification %s not delivered: %s", notification.pk, exc)
    else:
        notification.status = DeliveryStatus.SENT
        notification.sent_at = now()
    notification.save(
        update_fields=[
            "attempts",
            "provider_message_id",
            "error",
            "status",
            "sent_at",
            "delivered_via",
        ]
    )
    return notification


def _send(notification: Notification, *, body: str | None = None) -> str:
    text = notification.body if body is None else body
    return send_by_channel(notification, text)  # channel routing and fallback: routing.py
