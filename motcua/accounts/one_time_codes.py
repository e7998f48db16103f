"""Citizen sign-in and sign-up with a one-time code, in two steps (docs/adr/0010).

Step 1 `one_time_code_send(destination)`: a phone number or an e-mail address receives a six-digit
code through the notification gateways (SMS via motcua.notifications.sms, e-mail via Django's mail
backend). Step 2 `one_time_code_verify(destination, code)`: the right code, before it expires,
signs the holder in — and opens their citizen account the first time.

Abuse limits, counted in the database so they hold across app servers:
  * a code lives CODE_TTL; only the latest code of a destination counts;
  * one send per destination every SEND_COOLDOWN, at most SENDS_PER_HOUR per destination and
    SENDS_PER_IP_PER_HOUR per client address;
  * MAX_ATTEMPTS wrong codes kill the code, and no new code is sent to that destination for
    LOCKOUT_COOLDOWN.
The send limits are counted a second time in the shared cache (Redis when REDIS_URL is set,
docs/adr/0029), atomically: the database checks count rows, and two app servers sending at the
same instant on PostgreSQL would both see room for one more. The wrong attempts stay on the code's
row, counted under its row lock, exact on any number of servers.
Codes are kept as a keyed hash (HMAC-SHA256 with the installation's secret) and compared in
constant time.
"""

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import salted_hmac

from motcua.core import rate_limits
from motcua.core.clock import now
from motcua.notifications.services import notification_send_now
from motcua.notifications.sms import SmsError, normalise_phone

from .models import CodeChannel, CodePurpose, OneTimeCode
from .roles import Role

CODE_TTL = timedelta(minutes=5)
SEND_COOLDOWN = timedelta(seconds=60)
SENDS_PER_HOUR = 5
SENDS_PER_IP_PER_HOUR = 20
MAX_ATTEMPTS = 5
LOCKOUT_COOLDOWN = timedelta(minutes=15)
HOUR = 3600

MSG_DESTINATION = (
    "Hãy nhập số điện thoại di động (ví dụ 0912 345 678) hoặc địa chỉ thư điện tử của ông/bà."
)
MSG_COOLDOWN = "Mã vừa được gửi. Vui lòng chờ {seconds} giây rồi yêu cầu mã mới."
MSG_TOO_MANY = "Ông/bà đã yêu cầu quá nhiều mã trong một giờ. Vui lòng thử lại sau."
MSG_LOCKED = (
    "Ông/bà đã nhập sai mã {n} lần; mã đã bị hủy. Vui lòng chờ {minutes} phút rồi yêu cầu mã mới."
)
MSG_NO_CODE = "Mã đã hết hạn hoặc chưa được gửi. Vui lòng yêu cầu mã mới."
MSG_WRONG = "Mã không đúng. Ông/bà còn {left} lần thử."
MSG_FORMAT = "Mã xác thực gồm 6 chữ số."
MSG_NOT_SENT = "Chưa gửi được mã đến {destination}. Vui lòng kiểm tra lại hoặc thử lại sau ít phút."
MSG_NOT_CITIZEN = (
    "Số điện thoại hoặc thư điện tử này thuộc một tài khoản cán bộ; cán bộ đăng nhập tại trang "
    "dành cho cán bộ."
)
CODE_TEXT = (
    "Mã xác thực Một Cửa của ông/bà là {code}, có hiệu lực 5 phút. "
    "Không cung cấp mã này cho bất kỳ ai."
)


@dataclass(frozen=True)
class Destination:
    channel: str  # CodeChannel
    address: str  # "84912345678" or a lower-cased e-mail address

    @property
    def shown(self) -> str:
        """How the page names it back to the citizen: 0912345678, or the e-mail address."""
        return "0" + self.address[2:] if self.channel == CodeChannel.SMS else self.address


def destination_parse(text: str) -> Destination:
    """A phone number (any Vietnamese mobile format) or an e-mail address, normalised."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError({"destination": "Địa chỉ thư điện tử không hợp lệ."}) from None
        return Destination(CodeChannel.EMAIL, text.lower())
    try:
        return Destination(CodeChannel.SMS, normalise_phone(text))
    except ValueError:
        raise ValidationError({"destination": MSG_DESTINATION}) from None


def _hash(destination: Destination, code: str) -> str:
    return salted_hmac(
        "motcua.accounts.one_time_code", f"{destination.address}:{code}", algorithm="sha256"
    ).hexdigest()


def _latest(destination: Destination, purpose: str) -> OneTimeCode | None:
    return (
        OneTimeCode.objects.filter(destination=destination.address, purpose=purpose)
        .order_by("-created_at", "-pk")
        .first()
    )


def _send_limits_check(destination: Destination, ip: str | None, at) -> None:
    latest = _latest(destination, CodePurpose.SIGN_IN)
    if latest and latest.attempts >= MAX_ATTEMPTS and at < latest.created_at + LOCKOUT_COOLDOWN:
        minutes = math.ceil((latest.created_at + LOCKOUT_COOLDOWN - at).total_seconds() / 60)
        raise ValidationError(MSG_LOCKED.format(n=MAX_ATTEMPTS, minutes=minutes), code="locked")
    if latest and at < latest.created_at + SEND_COOLDOWN:
        seconds = math.ceil((latest.created_at + SEND_COOLDOWN - at).total_seconds())
        raise ValidationError(MSG_COOLDOWN.format(seconds=seconds), code="cooldown")
    hour_ago = at - timedelta(hours=1)
    recent = OneTimeCode.objects.filter(created_at__gte=hour_ago)
    if recent.filter(destination=destination.address).count() >= SENDS_PER_HOUR:
        raise ValidationError(MSG_TOO_MANY, code="too_many")
    if ip and recent.filter(ip=ip).count() >= SENDS_PER_IP_PER_HOUR:
        raise ValidationError(MSG_TOO_MANY, code="too_many")


def _shared_counters_take(destination: Destination, ip: str | None) -> None:
    """The send limits again, each counted in one atomic step of the shared cache. Fixed windows
    of an hour never count more than the database's last hour: alone, they refuse only a send
    that raced another past the database's count."""
    address = destination.address
    if not rate_limits.rate_claim("otp-send", address, seconds=int(SEND_COOLDOWN.total_seconds())):
        seconds = int(SEND_COOLDOWN.total_seconds())
        raise ValidationError(MSG_COOLDOWN.format(seconds=seconds), code="cooldown")
    # Both counted (each refusal must give back exactly what it counted), then judged.
    over = rate_limits.rate_limit_hit(
        "otp-destination", address, limit=SENDS_PER_HOUR, window_seconds=HOUR
    )
    if ip and rate_limits.rate_limit_hit(
        "otp-ip", ip, limit=SENDS_PER_IP_PER_HOUR, window_seconds=HOUR
    ):
        over = True
    if over:
        _shared_counters_give_back(destination, ip)
        raise ValidationError(MSG_TOO_MANY, code="too_many")


def _shared_counters_give_back(destination: Destination, ip: str | None) -> None:
    """The send did not happen: it counts neither towards the limits nor the cooldown (every
    counter `_shared_counters_take` counted is given back)."""
    rate_limits.rate_claim_release("otp-send", destination.address)
    rate_limits.rate_limit_give_back("otp-destination", destination.address, window_seconds=HOUR)
    if ip:
        rate_limits.rate_limit_give_back("otp-ip", ip, window_seconds=HOUR)


def one_time_code_send(text: str, *, ip: str | None = None) -> Destination:
    """Send a new sign-in code to a phone or e-mail address (step 1). Raises ValidationError with
    a Vietnamese message when the address is malformed or a limit is reached; nothing is stored
    then. When the gateway refuses, the code is withdrawn (it could never be entered)."""
    destination = destination_parse(text)
    at = now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        _send_limits_check(destination, ip, at)
        _shared_counters_take(destination, ip)
        record = OneTimeCode.objects.create(
            purpose=CodePurpose.SIGN_IN,
            channel=destination.channel,
            destination=destination.address,
            code_hash=_hash(destination, code),
            ip=ip,
            created_at=at,
            expires_at=at + CODE_TTL,
        )
    try:
        notification_send_now(
            channel=destination.channel,
            to=destination.shown,
            subject="Mã xác thực Một Cửa",
            body=CODE_TEXT.format(code=code),
            recorded_body=CODE_TEXT.format(code="******"),
        )
    except (SmsError, ValueError, OSError):
        record.delete()
        _shared_counters_give_back(destination, ip)
        raise ValidationError(MSG_NOT_SENT.format(destination=destination.shown)) from None
    return destination


def one_time_code_verify(text: str, code: str):
    """Check the code of step 2 and return the citizen's account, opening it at the first
    sign-in. A wrong code counts an attempt (kept even though the call fails); the MAX_ATTEMPTS-th
    kills the code. No account is created and nothing else is written unless the code is right."""
    destination = destination_parse(text)
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        raise ValidationError({"code": MSG_FORMAT})
    at = now()
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(pk=getattr(_latest(destination, CodePurpose.SIGN_IN), "pk", None))
            .first()
        )
        if record is None or record.used_at or at >= record.expires_at:
            raise ValidationError({"code": MSG_NO_CODE})
        if record.attempts >= MAX_ATTEMPTS:
            minutes = int(LOCKOUT_COOLDOWN.total_seconds() // 60)
            raise ValidationError({"code": MSG_LOCKED.format(n=MAX_ATTEMPTS, minutes=minutes)})
        if not hmac.compare_digest(record.code_hash, _hash(destination, code)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            wrong = record.attempts
        else:
            wrong = 0
            record.used_at = at
            record.save(update_fields=["used_at"])
            return citizen_for_destination(destination)
    # Outside the transaction: the counted attempt is committed, then the error is raised.
    if wrong >= MAX_ATTEMPTS:
        minutes = int(LOCKOUT_COOLDOWN.total_seconds() // 60)
        raise ValidationError({"code": MSG_LOCKED.format(n=MAX_ATTEMPTS, minutes=minutes)})
    raise ValidationError({"code": MSG_WRONG.format(left=MAX_ATTEMPTS - wrong)})


def citizen_for_destination(destination: Destination, **profile):
    """The citizen account identified by this verified phone or e-mail, opened if new.

    Staff accounts never sign in here (they use the back office with a password)."""
    User = get_user_model()
    field = "phone" if destination.channel == CodeChannel.SMS else "email"
    value = destination.shown
    user = User.objects.filter(**{f"{field}__iexact": value}).order_by("pk").first()
    if user is not None:
        if user.role != Role.CITIZEN:
            raise ValidationError(MSG_NOT_CITIZEN)
        if not user.is_active:
            raise ValidationError("Tài khoản này đã bị khóa. Vui lòng liên hệ Bộ phận Một cửa.")
        return user
    user = User(
        username=f"congdan.{destination.address}"[:150],
        role=Role.CITIZEN,
        unit=None,
        **{field: value},
        **profile,
    )
    user.set_unusable_password()
    user.save()
    return user
