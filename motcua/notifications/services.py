"""Sending notifications: each message is recorded first, then sent, and its outcome kept."""

import logging

from django.core.mail import send_mail
from django.db import transaction

from motcua.core.clock import now

from .models import Channel, DeliveryStatus, Notification
from .sms import SmsError, sms_gateway

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def notification_queue(
    *, channel: str, to: str, body: str, subject: str = "", reference: str = ""
) -> Notification:
    """Record a message and send it once the surrounding transaction commits.

    A workflow action that rolls back therefore never tells anyone about something that did not happen.
    """
    notification = Notification.objects.create(
        channel=channel, to=to, subject=subject, body=body, reference=reference
    )
    transaction.on_commit(lambda: notification_deliver(notification.pk))
    return notification


def notification_deliver(notification_id: int) -> Notification:
    """Try to deliver one queued message; failures are kept for the retry job and the operator."""
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
        notification.error = ""
    notification.save(
        update_fields=["attempts", "provider_message_id", "error", "status", "sent_at"]
    )
    return notification


def _send(notification: Notification) -> str:
    if notification.channel == Channel.SMS:
        # The notification's own id is the provider's RequestId: a retry after a lost answer is
        # recognised as a duplicate by the provider instead of reaching the citizen twice.
        receipt = sms_gateway().send(
            notification.to, notification.body, request_id=f"motcua-{notification.pk}"
        )
        return receipt.provider_message_id
    send_mail(notification.subject or "Một Cửa", notification.body, None, [notification.to])
    return ""
