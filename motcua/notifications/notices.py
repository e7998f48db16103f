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


def staff_remind(user, *, subject: str, body: str, short: str, reference: str) -> list[str]:
    """Tell one officer by in-app notice, e-mail and SMS as their account allows; `short` is the
    SMS text (one message's worth). Returns the channels used, one entry per message."""
    notice_post(user, subject=subject, body=body, reference=reference)
    channels = [Channel.IN_APP.value]
    if user.email:
        notification_queue(
            channel=Channel.EMAIL, to=user.email, subject=subject, body=body, reference=reference
        )
        channels.append(Channel.EMAIL.value)
    if _mobile(user.phone):
        notification_queue(channel=Channel.SMS, to=user.phone, body=short, reference=reference)
        channels.append(Channel.SMS.value)
    return channels


def _mobile(phone: str) -> bool:
    try:
        normalise_phone(phone or "")
    except ValueError:
        return False
    return True


def notice_post(user, *, subject: str, body: str, reference: str = "") -> Notification:
    """Put a notice in the officer's list: recorded is delivered, there is nothing to send."""
    moment = now()
    return Notification.objects.create(
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
