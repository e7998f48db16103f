"""Staff sign-in protection (docs/adr/0021): throttles, locks and the failure log.

Every refused staff sign-in (wrong password, unknown username, wrong or replayed second-factor
code, locked account, blocked address) is written to SignInFailure: username typed, client
address, time, reason — never the password. Counted in the database, so the limits hold across
app servers:

  * an account gets LOCK_FAILURES failures within WINDOW, then it is locked for LOCK_DURATION: it is
    refused even with the right password, its owner and the administrators are told, and an
    administrator may unlock it (`account_unlock`, the page /can-bo/quan-tri/dang-nhap/ or
    `manage.py staff_unlock`). An unknown username is refused the same way after as many failures,
    so the answer does not say whether an account exists;
  * an address gets ADDRESS_FAILURES failures within WINDOW (any usernames), then every sign-in
    from it is refused until the window has passed.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.core.clock import now
from motcua.notifications.models import Channel
from motcua.notifications.services import notification_queue

from . import permissions
from .models import SignInFailure, SignInFailureReason, User
from .roles import Role

MSG_LOCKED = (
    "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần, đến {until}. "
    "Vui lòng thử lại sau hoặc liên hệ quản trị hệ thống để được mở khóa."
)
MSG_ADDRESS = (
    "Có quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này. "
    "Vui lòng thử lại sau {minutes} phút."
)
OWNER_TEXT = (
    "Một Cửa: tài khoản {username} bị khóa đến {until} sau {n} lần đăng nhập sai, lần cuối từ "
    "địa chỉ {ip}. Nếu không phải ông/bà, hãy báo ngay quản trị hệ thống."
)
ADMIN_TEXT = (
    "Tài khoản cán bộ {username} ({name}) bị khóa đến {until} sau {n} lần đăng nhập sai trong "
    "{window} phút, lần cuối từ địa chỉ {ip}. Mở khóa tại trang Quản trị › Đăng nhập không thành "
    "công nếu đúng là cán bộ đó."
)


def lock_failures() -> int:
    return settings.MOTCUA_SIGNIN_LOCK_FAILURES


def window() -> timedelta:
    return timedelta(minutes=settings.MOTCUA_SIGNIN_WINDOW_MINUTES)


def lock_duration() -> timedelta:
    return timedelta(minutes=settings.MOTCUA_SIGNIN_LOCK_MINUTES)


def _user_named(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _failures_since(username: str, user: User | None, at):
    since = at - window()
    if user is not None:
        since = max(t for t in (since, user.last_login, user.failures_reset_at) if t is not None)
    return SignInFailure.objects.filter(username=username, at__gt=since)


def _until_text(until) -> str:
    return f"{timezone.localtime(until):%H:%M ngày %d/%m/%Y}"


def signin_allowed_check(username: str, ip: str) -> None:
    """Raise ValidationError (and log the refusal) when this address or account may not try now.
    Called before the password is checked, so a locked account learns nothing from it."""
    at = now()
    address_failures = SignInFailure.objects.filter(ip=ip or None, at__gt=at - window())
    if ip and address_failures.count() >= settings.MOTCUA_SIGNIN_ADDRESS_FAILURES:
        oldest = address_failures.order_by("at").values_list("at", flat=True).first() or at
        minutes = max(1, math.ceil((oldest + window() - at).total_seconds() / 60))
        _log(username, None, ip, SignInFailureReason.ADDRESS_THROTTLED, at)
        raise ValidationError(MSG_ADDRESS.format(minutes=minutes), code="address_throttled")
    user = _user_named(username)
    until = None
    if user is not None and user.locked_until and user.locked_until > at:
        until = user.locked_until
    elif user is None and _failures_since(username, None, at).count() >= lock_failures():
        until = at + lock_duration()  # the same words for a username nobody holds
    if until is not None:
        _log(username, user, ip, SignInFailureReason.LOCKED, at)
        raise locked_error(until)


def _log(username: str, user: User | None, ip: str, reason: str, at) -> SignInFailure:
    return SignInFailure.objects.create(
        username=username[:150], user=user, ip=ip or None, at=at, reason=reason
    )


def locked_error(until) -> ValidationError:
    return ValidationError(MSG_LOCKED.format(until=_until_text(until)), code="locked")


def signin_failure_record(username: str, ip: str, reason: str):
    """Log a failed password or code; lock the account when it reaches the limit (telling its
    owner and the administrators on commit). The end of the lock when this failure locked it,
    else None."""
    at = now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        _log(username, user, ip, reason, at)
        if user is None or (user.locked_until and user.locked_until > at):
            return None
        count = _failures_since(username, user, at).count()
        if count < lock_failures():
            return None
        user.locked_until = at + lock_duration()
        user.failures_reset_at = at
        user.save(update_fields=["locked_until", "failures_reset_at"])
        _lock_notify(user, ip, count)
    return user.locked_until


def _lock_notify(user: User, ip: str, count: int) -> None:
    fields = {
        "username": user.username,
        "name": user.full_name or user.username,
        "until": _until_text(user.locked_until),
        "n": count,
        "ip": ip or "không rõ",
        "window": settings.MOTCUA_SIGNIN_WINDOW_MINUTES,
    }
    subject = f"Một Cửa — tài khoản {user.username} bị tạm khóa"
    if user.email:
        notification_queue(
            channel=Channel.EMAIL, to=user.email, subject=subject, body=OWNER_TEXT.format(**fields)
        )
    elif user.phone:
        notification_queue(channel=Channel.SMS, to=user.phone, body=OWNER_TEXT.format(**fields))
    admins = User.objects.filter(is_active=True, role=Role.ADMINISTRATOR).exclude(pk=user.pk)
    for admin in admins:
        if admin.email:
            notification_queue(
                channel=Channel.EMAIL,
                to=admin.email,
                subject=subject,
                body=ADMIN_TEXT.format(**fields),
            )


def signin_succeeded(user: User) -> None:
    """A complete sign-in (password and, when used, the code): earlier failures stop counting."""
    User.objects.filter(pk=user.pk).update(failures_reset_at=now())


def account_unlock(actor, user_id: int) -> User:
    """An administrator lifts a sign-in lock; the failures before it stop counting."""
    if actor is not None and not permissions.is_administrator(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống được mở khóa tài khoản.")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        user.locked_until = None
        user.failures_reset_at = now()
        user.save(update_fields=["locked_until", "failures_reset_at"])
    return user


def accounts_locked():
    """Accounts locked now, the soonest to unlock first."""
    return User.objects.filter(locked_until__gt=now()).order_by("locked_until")


def signin_failures_recent(limit: int = 200):
    return SignInFailure.objects.select_related("user").order_by("-at", "-pk")[:limit]
