"""SMS gateways behind one interface: a console gateway for the demo, and eSMS.vn's REST protocol.

The eSMS client speaks the provider's documented JSON API (SendMultipleMessage_V4_post_json):
POST {ApiKey, SecretKey, Phone, Content, Brandname, SmsType, IsUnicode, RequestId} and read
`CodeResult` — "100" accepted (with SMSID), "124" a RequestId already sent (so a retry after a lost
answer never sends twice), anything else a refusal with `ErrorMessage`.
Chosen by settings: SMS_GATEWAY = "console" | "esms" | "memory" (tests).
"""

import json
import logging
import re
import sys
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

VN_MOBILE = re.compile(r"^(?:\+84|84|0)(3|5|7|8|9)\d{8}$")


# Characters outside GSM 03.38 that Vietnamese texts carry, and their plain stand-ins.
_GSM_STAND_INS = str.maketrans(
    {"đ": "d", "Đ": "D", "…": "...", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'"}
)
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def sms_text(text: str) -> str:
    """The text in the GSM-7 alphabet (accents removed, as Vietnamese SMS are commonly written):
    160 characters fit one SMS, against 70 with a single accented letter (UCS-2)."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_GSM_STAND_INS))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return "".join(ch if ch in GSM7_BASIC else "?" for ch in " ".join(plain.split()))


class SmsError(Exception):
    """The gateway did not accept the message; `retryable` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class SmsReceipt:
    provider_message_id: str
    duplicate: bool = False


class SmsGateway(Protocol):
    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt: ...


def normalise_phone(phone: str) -> str:
    """'0912 345 678' / '+84912345678' -> '84912345678'; raises ValueError for a non-mobile number."""
    digits = re.sub(r"[\s.\-()]", "", phone)
    if not VN_MOBILE.match(digits):
        raise ValueError(f"Số điện thoại di động không hợp lệ: {phone}")
    return "84" + digits[-9:]


class ConsoleSmsGateway:
    """Prints the message: for the demo and development, where no SMS may leave the machine."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt:
        print(f"[SMS → {normalise_phone(phone)}] {text}", file=self.stream)
        return SmsReceipt(provider_message_id=f"console-{request_id}")


# Messages the memory gateway "sent", newest last: tests (and the browser test's live server, in
# the same process) read one-time codes here, as a citizen reads them on their phone.
outbox: list[tuple[str, str]] = []


class MemorySmsGateway:
    """Keeps messages in `outbox`: for tests, where a code must be read back."""

    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt:
        outbox.append((normalise_phone(phone), text))
        return SmsReceipt(provider_message_id=f"memory-{request_id}")


class EsmsGateway:
    ACCEPTED = "100"
    DUPLICATE_REQUEST = "124"
    # Refusals that will not change by retrying: credentials, brand name, template, bad number.
    PERMANENT = {"101", "104", "118", "119", "146"}

    def __init__(
        self, *, url: str, api_key: str, secret_key: str, brandname: str, timeout: float = 10
    ):
        self.url = url
        self.api_key = api_key
        self.secret_key = secret_key
        self.brandname = brandname
        self.timeout = timeout

    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt:
        payload = {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": normalise_phone(phone),
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": "2",  # customer-care message from a registered brand name
            "IsUnicode": "1",  # Vietnamese with diacritics
            "RequestId": request_id,
        }
        answer = self._post(payload)
        code = str(answer.get("CodeResult", ""))
        if code == self.ACCEPTED:
            return SmsReceipt(provider_message_id=str(answer.get("SMSID", "")))
        if code == self.DUPLICATE_REQUEST:
            return SmsReceipt(
                provider_message_id=str(answer.get("SMSID", request_id)), duplicate=True
            )
        message = answer.get("ErrorMessage") or answer.get("error") or "không rõ lỗi"
        raise SmsError(
            f"eSMS từ chối (mã {code or '?'}): {message}", retryable=code not in self.PERMANENT
        )

    def _post(self, payload: dict) -> dict:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"eSMS trả lỗi HTTP {exc.code}", retryable=exc.code >= 500) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"Không kết nối được eSMS: {exc}", retryable=True) from exc
        except json.JSONDecodeError as exc:
            raise SmsError("eSMS trả về dữ liệu không phải JSON", retryable=True) from exc


def sms_gateway() -> SmsGateway:
    kind = getattr(settings, "SMS_GATEWAY", "console")
    if kind == "console":
        return ConsoleSmsGateway()
    if kind == "memory":
        return MemorySmsGateway()
    if kind == "esms":
        return EsmsGateway(
            url=settings.ESMS_API_URL,
            api_key=settings.ESMS_API_KEY,
            secret_key=settings.ESMS_SECRET_KEY,
            brandname=settings.ESMS_BRANDNAME,
        )
    raise ImproperlyConfigured(f"SMS_GATEWAY không hợp lệ: {kind}")
