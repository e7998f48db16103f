"""Zalo ZNS (Zalo Notification Service): template messages to a phone number, behind the same
interface as the SMS gateways (`send(phone, text, *, request_id) -> SmsReceipt`), so that the
delivery code treats Zalo as one more gateway and falls back to SMS when it refuses (ADR 0024).

The protocol, as read (December 2026) in public material found with the project's search tool —
Zalo's own pages (developers.zalo.me/docs/zalo-notification-service/…) were not in the stored
corpus, so the facts come from clients that call it:
- Send: POST https://business.openapi.zalo.me/message/template, header `access_token: <OA token>`,
  JSON body {phone: "84…", template_id, template_data: {param: value}, tracking_id}; the number is
  in international form without "+" (84912345678). Confirmed by the endpoint table of the
  @warriorteam/redai-zalo-sdk ZNS service (unpkg, dist/services/zns.service.js: "sendTemplate:
  https://business.openapi.zalo.me/message/template"), its guide (docs/ZNS_SERVICE.md: phone,
  template_id, template_data) and the zalo-mcp tool schema on glama.ai (phone "84xxxxxxxxx",
  template_id, template_data, tracking_id optional "for reconciliation").
- Reply: {error: 0, message: "Success", data: {msg_id, sent_time, quota: {dailyQuota,
  remainingQuota}}}; a refusal has error < 0 and a message. The shape {error, message, data} is in
  the zalo-api npm page ("Return (same for all message API)"); the names inside `data` (msg_id,
  sent_time, quota) are from memory of Zalo's documentation — UNCONFIRMED here.
- Error texts (getfly.vn helpdesk "Questions about ZNS"): "Phone number invalid", "Template ID
  invalid", "Template data invalid", "Out of quota", "Zalo account not existed", "User is
  inactive, or reject the message…". The NUMERIC codes below (-124 invalid/expired access token,
  -108 phone invalid, -118 Zalo account not existed, -119 account cannot receive, -1xx template
  errors, -144 daily quota) are from memory of Zalo's error table — UNCONFIRMED: the client
  therefore also recognises an expired token by its message ("access token"), and treats any
  unknown negative code as a refusal the SMS fallback covers.
- Token refresh: POST https://oauth.zaloapp.com/v4/oa/access_token (form-encoded refresh_token,
  app_id, grant_type=refresh_token; header secret_key) → {access_token, refresh_token,
  expires_in}. The endpoint is confirmed by the same SDK's auth service ("refreshOaToken:
  https://oauth.zaloapp.com/v4/oa/access_token") and the zalo-mcp tool "refresh the OA access
  token via OAuth v4"; the form fields and the `secret_key` header are from memory — UNCONFIRMED.
  A refresh token is single-use in Zalo's scheme (from memory): the new one is kept in memory
  for the process and logged as needing to be stored; an operator keeps ZALO_OA_REFRESH_TOKEN
  current.

ZNS sends only templates approved by Zalo: each message kind has a template id from the
environment (ZALO_ZNS_TEMPLATES, "kind=id,kind=id"); our "general" template is assumed to carry
two parameters, `ma_ho_so` (reference, ≤ 30 characters) and `noi_dung` (the text) — the names are
ours and must match the template registered with Zalo.

Chosen by settings: ZALO_GATEWAY = "" (off) | "console" | "zns" | "memory" (tests).
"""

import json
import logging
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .sms import SmsError, SmsReceipt, normalise_phone

logger = logging.getLogger(__name__)

SEND_PATH = "/message/template"
DEFAULT_KIND = "general"
TEXT_LIMIT = 400  # ZNS parameters have length limits set per template; keep the text short.


class ZaloError(SmsError):
    """ZNS did not take the message; the caller falls back to SMS whatever `retryable` says."""


class ConsoleZaloGateway:
    """Prints the message, like the console SMS gateway: for the demo, where nothing may leave."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt:
        print(f"[Zalo ZNS → {normalise_phone(phone)}] {text}", file=self.stream)
        return SmsReceipt(provider_message_id=f"console-zalo-{request_id}")


# What the memory gateway "sent", newest last (tests read it, as the SMS memory outbox).
outbox: list[tuple[str, str]] = []


class MemoryZaloGateway:
    def send(self, phone: str, text: str, *, request_id: str) -> SmsReceipt:
        outbox.append((normalise_phone(phone), text))
        return SmsReceipt(provider_message_id=f"memory-zalo-{request_id}")


class ZnsGateway:
    """A client of the ZNS HTTP API that refreshes its OA access token once when it has expired."""

    TOKEN_EXPIRED = {-124, -216}  # UNCONFIRMED codes (see the module docstring)
    # Refusals that retrying cannot change: bad number, no Zalo account, template or data problems.
    PERMANENT = {-108, -118, -119, -109, -112, -113, -114, -115, -131}

    def __init__(
        self,
        *,
        url: str,
        access_token: str,
        templates: dict[str, str],
        refresh_url: str = "",
        refresh_token: str = "",
        app_id: str = "",
        secret_key: str = "",
        timeout: float = 10,
    ):
        self.url = url.rstrip("/")
        self.access_token = access_token
        self.templates = templates
        self.refresh_url = refresh_url
        self.refresh_token = refresh_token
        self.app_id = app_id
        self.secret_key = secret_key
        self.timeout = timeout
        self._lock = threading.Lock()

    def send(
        self, phone: str, text: str, *, request_id: str, kind: str = DEFAULT_KIND
    ) -> SmsReceipt:
        template_id = self.templates.get(kind) or self.templates.get(DEFAULT_KIND)
        if not template_id:
            raise ZaloError(f"Chưa khai báo mẫu ZNS cho loại tin “{kind}”.", retryable=False)
        payload = {
            "phone": normalise_phone(phone),
            "template_id": str(template_id),
            "template_data": {"ma_ho_so": request_id[:30], "noi_dung": text[:TEXT_LIMIT]},
            "tracking_id": request_id,
        }
        answer = self._post_message(payload)
        if self._token_expired(answer) and self._refresh():
            answer = self._post_message(payload)
        code = self._code(answer)
        if code == 0:
            data = answer.get("data") or {}
            return SmsReceipt(provider_message_id=str(data.get("msg_id", "")))
        message = answer.get("message") or "không rõ lỗi"
        raise ZaloError(
            f"Zalo ZNS từ chối (mã {code}): {message}", retryable=code not in self.PERMANENT
        )

    @staticmethod
    def _code(answer: dict) -> int:
        try:
            return int(answer.get("error", -1))
        except (TypeError, ValueError):
            return -1

    def _token_expired(self, answer: dict) -> bool:
        code = self._code(answer)
        return code in self.TOKEN_EXPIRED or (
            code != 0 and "access token" in str(answer.get("message", "")).lower()
        )

    def _refresh(self) -> bool:
        """Trade the refresh token for a new access token; False when that is not configured or
        refused (the send then fails with the token error and the message goes by SMS)."""
        if not (self.refresh_url and self.refresh_token and self.app_id and self.secret_key):
            return False
        form = urllib.parse.urlencode(
            {
                "refresh_token": self.refresh_token,
                "app_id": self.app_id,
                "grant_type": "refresh_token",
            }
        ).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "secret_key": self.secret_key,
        }
        try:
            answer = self._post(self.refresh_url, form, headers)
        except ZaloError as exc:
            logger.warning("Zalo: không làm mới được access token: %s", exc)
            return False
        token = answer.get("access_token")
        if not token:
            logger.warning("Zalo: làm mới access token bị từ chối: %s", answer.get("error_name"))
            return False
        with self._lock:
            self.access_token = token
            if answer.get("refresh_token"):
                self.refresh_token = answer["refresh_token"]
                logger.warning("Zalo: đã có refresh token mới; cập nhật ZALO_OA_REFRESH_TOKEN.")
        return True

    def _post_message(self, payload: dict) -> dict:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "access_token": self.access_token,
        }
        return self._post(self.url + SEND_PATH, json.dumps(payload).encode(), headers)

    def _post(self, url: str, data: bytes, headers: dict) -> dict:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            raise ZaloError(f"Zalo trả lỗi HTTP {exc.code}", retryable=exc.code >= 500) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ZaloError(f"Không kết nối được Zalo: {exc}", retryable=True) from exc
        except json.JSONDecodeError as exc:
            raise ZaloError("Zalo trả về dữ liệu không phải JSON", retryable=True) from exc


def zalo_templates(raw: str) -> dict[str, str]:
    """'general=123,result=456' -> {'general': '123', 'result': '456'}."""
    pairs = (item.split("=", 1) for item in raw.split(",") if "=" in item)
    return {kind.strip(): value.strip() for kind, value in pairs if kind.strip() and value.strip()}


_zns: tuple[tuple, ZnsGateway] | None = None


def zalo_gateway():
    """The configured Zalo gateway, or None when Zalo is off (messages then go by SMS)."""
    global _zns
    kind = getattr(settings, "ZALO_GATEWAY", "")
    if not kind:
        return None
    if kind == "console":
        return ConsoleZaloGateway()
    if kind == "memory":
        return MemoryZaloGateway()
    if kind == "zns":
        # One client per process, so a refreshed token is reused instead of refreshed per message.
        config = _zns_config()
        key = tuple(sorted((k, str(v)) for k, v in config.items()))
        if _zns is None or _zns[0] != key:
            _zns = (key, ZnsGateway(**config))
        return _zns[1]
    raise ImproperlyConfigured(f"ZALO_GATEWAY không hợp lệ: {kind}")


def _zns_config() -> dict:
    return {
        "url": settings.ZALO_ZNS_URL,
        "access_token": settings.ZALO_OA_ACCESS_TOKEN,
        "templates": zalo_templates(settings.ZALO_ZNS_TEMPLATES),
        "refresh_url": settings.ZALO_OAUTH_URL,
        "refresh_token": settings.ZALO_OA_REFRESH_TOKEN,
        "app_id": settings.ZALO_APP_ID,
        "secret_key": settings.ZALO_APP_SECRET,
    }
