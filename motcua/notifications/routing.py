"""Which channel carries a message, and the carrying itself (ADR 0024).

- A message for a phone goes by SMS, or by Zalo ZNS when the person holding that number chose Zalo
  on their profile (and Zalo is configured).
- A Zalo message that Zalo refuses, or cannot be reached for, goes by SMS at once: the citizen
  hears about their dossier either way. `Notification.delivered_via` records which channel
  carried it, and `error` keeps why Zalo did not.
- An in-app notice needs no gateway: it is in the officer's list as soon as it is recorded.
"""

import logging

from django.core.mail import send_mail

from .models import Channel, Notification
from .sms import normalise_phone, sms_gateway
from .zalo import ZaloError, zalo_gateway

logger = logging.getLogger(__name__)


def phone_channel_for(channel: str, to: str) -> str:
    """SMS becomes Zalo when an active account with this phone number chose Zalo."""
    if channel != Channel.SMS or zalo_gateway() is None:
        return channel
    from motcua.accounts.models import PhoneChannel, User

    try:
        digits = normalise_phone(to)[2:]
    except ValueError:
        return channel
    numbers = ["0" + digits, "84" + digits, "+84" + digits]
    chose_zalo = User.objects.filter(
        phone__in=numbers, is_active=True, phone_channel=PhoneChannel.ZALO
    ).exists()
    return Channel.ZALO if chose_zalo else channel


def send_by_channel(notification: Notification, text: str) -> str:
    """Send through the notification's channel; returns the provider's message id and sets
    `notification.delivered_via`, and `notification.error` to why Zalo gave way to SMS if it did
    ("" otherwise: a message delivered carries no error of an earlier attempt)."""
    # The notification's own id is the provider's request/tracking id: a retry after a lost
    # answer is recognised as a duplicate instead of reaching the person twice.
    request_id = f"motcua-{notification.pk}"
    notification.error = ""
    if notification.channel == Channel.IN_APP:
        notification.delivered_via = Channel.IN_APP
        return ""
    if notification.channel == Channel.EMAIL:
        send_mail(notification.subject or "Một Cửa", text, None, [notification.to])
        notification.delivered_via = Channel.EMAIL
        return ""
    if notification.channel == Channel.ZALO:
        gateway = zalo_gateway()
        if gateway is not None:
            try:
                receipt = gateway.send(notification.to, text, request_id=request_id)
            except ZaloError as exc:
                logger.warning("notification %s: Zalo refused, sending by SMS", notification.pk)
                notification.error = f"Zalo không gửi được ({exc}); đã gửi bằng SMS."
            else:
                notification.delivered_via = Channel.ZALO
                return receipt.provider_message_id
    receipt = sms_gateway().send(notification.to, text, request_id=request_id)
    notification.delivered_via = Channel.SMS
    return receipt.provider_message_id


def phone_channel_choose(actor, channel: str):
    """A citizen chooses how messages for their phone travel: SMS, or Zalo (with SMS as the
    fallback). Zalo needs a phone number on the account; a bad choice changes nothing."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from motcua.accounts.models import PhoneChannel
    from motcua.accounts.roles import Role

    if not (actor and actor.is_authenticated and actor.role == Role.CITIZEN):
        raise PermissionDenied("Chỉ tài khoản công dân.")
    if channel not in PhoneChannel.values:
        raise ValidationError({"phone_channel": "Hãy chọn nhận tin qua SMS hoặc Zalo."})
    if channel == PhoneChannel.ZALO and not actor.phone:
        raise ValidationError(
            {
                "phone_channel": "Tài khoản chưa có số điện thoại: hãy đăng nhập bằng số điện "
                "thoại để nhận tin qua Zalo."
            }
        )
    if actor.phone_channel != channel:
        actor.phone_channel = channel
        actor.save(update_fields=["phone_channel"])
    return actor
