"""Reminders to officers by every channel they have, and the in-app notice list (ADR 0024).

An officer always finds the notice on their home page; they also get it by e-mail when their
account has an address and by SMS when it has a mobile number. Jobs (dossiers-monitor) call
`staff_remind` and count what went by which channel.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from motcua.core.clock import now

from .models import Channel, DeliveryStatus, Notification
from .services import notification_queue
from .sms import normalise_phone

UNREAD_SHOWN = 10


def staff_remind(
    user, *, subject: str, body: str, short: str, reference: str, event_key: str = ""
) -> list[str]:
    """Tell one officer by in-app notice, e-mail and SMS as their account allows; `short` is the
    SMS text (one message's worth). With an `event_key` (≤ 60 characters), each channel's message
    is sent at most once for that event. Returns the channels used, one entry per message."""
    channels = []
    key = (lambda channel: f"{event_key}:{channel[:2]}") if event_key else (lambda channel: "")
    if notice_post(user, subject=subject, body=body, reference=reference, event_key=key("in_app")):
        channels.append(Channel.IN_APP.value)
    if user.email and notification_queue(
        channel=Channel.EMAIL,
        to=user.email,
        subject=subject,
        body=body,
        reference=reference,
        event_key=key("email"),
    ):
        channels.append(Channel.EMAIL.value)
    if _mobile(user.phone) and notification_queue(
        channel=Channel.SMS, to=user.phone, body=short, reference=reference, event_key=key("sms")
    ):
        channels.append(Channel.SMS.value)
    return channels


def _mobile(phone: str) -> bool:
    try:
        normalise_phone(phone or "")
    except ValueError:
        return False
    return True


def notice_post(
    user, *, subject: str, body: str, reference: str = "", event_key: str = ""
) -> Notification | None:
    """Put a notice in the officer's list: recorded is delivered, there is nothing to send.
    With an `event_key` already used, nothing is added and None is returned."""
    if event_key and Notification.objects.filter(event_key=event_key).exists():
        return None
    moment = now()
    return Notification.objects.create(
        event_key=event_key,
        channel=Channel.IN_APP,
        to=user.get_username(),
        recipient=user,
        subject=subject,
        body=body,
        reference=reference,
        status=DeliveryStatus.SENT,
        delivered_via=Channel.IN_APP,
        attempts=1,
        sent_at=moment,
    )


def notices_unread_for(user, limit: int = UNREAD_SHOWN) -> list[Notification]:
    """The officer's unread notices, newest first."""
    return list(
        Notification.objects.filter(
            recipient=user, channel=Channel.IN_APP, read_at__isnull=True
        ).order_by("-created_at", "-pk")[:limit]
    )


def notices_unread_count(user) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.IN_APP, read_at__isnull=True
    ).count()


def notice_mark_read(actor, notice_id: int) -> Notification:
    """ "Đã xem": only the notice's own recipient may mark it; marking twice changes nothing."""
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update()
            .filter(pk=notice_id, channel=Channel.IN_APP, recipient=actor)
            .first()
        )
        if notice is None:
            raise PermissionDenied("Không có thông báo này trong danh sách của ông/bà.")
        if notice.read_at is None:
            notice.read_at = now()
            notice.save(update_fields=["read_at"])
    return notice
