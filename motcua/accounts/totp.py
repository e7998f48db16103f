"""Staff second factor: time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), in the standard
library so that no dependency is added: HMAC-SHA1, 30-second steps, 6 digits — what Google
Authenticator, Microsoft Authenticator and FreeOTP expect by default.

A code is accepted in its step or one step either side (clock drift), and only in a step later than
the last one accepted for the device: the same code cannot be used twice (RFC 6238 §5.2).
Required for leaders and administrators when settings.MOTCUA_STAFF_2FA == "required".
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.core.clock import now

from .models import TotpDevice, User
from .roles import Role

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
ISSUER = "Một Cửa"
REQUIRED_ROLES = frozenset({Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR})

MSG_FORMAT = "Mã xác thực gồm 6 chữ số, lấy từ ứng dụng xác thực trên điện thoại."
MSG_WRONG = "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã đang hiện trên ứng dụng."
MSG_REPLAYED = "Mã này vừa được dùng. Vui lòng chờ mã mới xuất hiện trên ứng dụng rồi nhập lại."


def hotp(secret_b32: str, counter: int) -> str:
    """RFC 4226 §5.3: HMAC-SHA1 of the counter, dynamically truncated to DIGITS digits."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def time_step(at=None) -> int:
    return int((at or now()).timestamp()) // STEP_SECONDS


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def provisioning_uri(device: TotpDevice) -> str:
    """The otpauth:// address the enrolment QR code carries (Key Uri Format of the apps)."""
    label = quote(f"{ISSUER}:{device.user.username}")
    return f"otpauth://totp/{label}?secret={device.secret}&issuer={quote(ISSUER)}"


def totp_required(user: User) -> bool:
    return getattr(settings, "MOTCUA_STAFF_2FA", "optional") == "required" and (
        user.role in REQUIRED_ROLES
    )


def totp_device(user: User) -> TotpDevice | None:
    """The user's confirmed device, if any."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def totp_enrol_start(user: User) -> TotpDevice:
    """The user's device: a new secret awaiting confirmation the first time, the same one on later
    visits until confirmed (so a reload does not invalidate the QR code already scanned). Replacing
    a confirmed device goes through an administrator's reset."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": new_secret()})
    return device


def _matching_step(secret: str, code: str, at) -> int | None:
    current = time_step(at)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def totp_check(user: User, code: str, *, confirming: bool = False) -> TotpDevice:
    """Accept `code` for the user's device once (the step is remembered), or raise ValidationError
    with code "wrong" or "replayed". `confirming` checks the unconfirmed device of an enrolment and
    confirms it."""
    code = "".join((code or "").split())
    if not (len(code) == DIGITS and code.isdigit()):
        raise ValidationError(MSG_FORMAT, code="wrong")
    at = now()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or (device.confirmed_at is None) != confirming:
            raise ValidationError(MSG_WRONG, code="wrong")
        step = _matching_step(device.secret, code, at)
        if step is None:
            raise ValidationError(MSG_WRONG, code="wrong")
        if step <= device.last_step:
            raise ValidationError(MSG_REPLAYED, code="replayed")
        device.last_step = step
        if confirming:
            device.confirmed_at = at
        device.save(update_fields=["last_step", "confirmed_at"])
    return device


def totp_reset(user: User) -> None:
    """Remove the device (an administrator's action when a phone is lost)."""
    TotpDevice.objects.filter(user=user).delete()
