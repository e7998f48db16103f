"""The client of the national public-service portal's integration adapter (Cổng DVCQG).

The protocol, as the reference notes describe it (../shared/reference/national-integrations.md §1,
read from OpenCPS v2 and two independent one-stop systems; the VPCP guide itself was not readable):

- Login: POST {adapter}{auth path}, JSON {"username", "password"}, header `dstcode` → {"error_code":
  0, "message", "session"}. Anything else is a failed login. The reply says nothing of how long the
  session lasts: OpenCPS reuses it for 10 minutes (DVCQG_SESSION_MINUTES) and never refreshes it.
- Every service: POST {adapter}{integration path | share path}, headers Accept/Content-Type JSON,
  `Charset: utf-8`, `dstcode`; body {"session", "madonvi", "service", …its own keys…}; reply
  {"error_code": 0 | non-zero (a number or a string), "message", "result"}.
- How the portal says "your session expired" is NOT in the sources. We treat HTTP 401/403 and the
  error codes listed in DVCQG_AUTH_ERROR_CODES (none by default) as such: the session is renewed once
  and the call retried once (ADR 0030).

Errors are typed, each with a Vietnamese message an administrator can read: DvcqgTransportError
(timeout, connection, HTTP 5xx or unexpected status, a reply that is not JSON or is too large),
DvcqgAuthError (login refused, session refused twice), DvcqgRefused (error_code ≠ 0), DvcqgBadReply
(JSON of an unknown shape, or naming a dossier or procedure we did not ask about).

Every HTTP call, a login included, is recorded in DvcqgCall with its outcome: never the password,
never the session token, never a record's content — the service name and the dossier codes at
most. A session token is kept in process memory and in the "default" cache, so that the app
processes of one installation share one session (with DJANGO_CACHE=database, several servers too).

One client object is meant for one thread (it holds a requests.Session); make one per job run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import urllib3
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from motcua.core.bounded_reads import ReplyTooLarge, ReplyTooSlow, read_bounded
from motcua.core.clock import now
from motcua.core.lazy import lazy_module

from .models import CallOutcome, DvcqgCall

if TYPE_CHECKING:
    import requests
else:
    requests = lazy_module("requests")  # loaded on first use: a worker's memory (core/lazy.py)

logger = logging.getLogger(__name__)

LOGIN = "DangNhap"  # how the call records name a login (the login has no service name)
AUTH, INTEGRATION, SHARE = "auth", "integration", "share"
# Services on the "sharing" path (reference §1.4); every other service is on the integration path.
SHARE_SERVICES = frozenset(
    {"LayDanhSachTTHC", "LayDanhMucCoQuan", "LayDanhMucLinhVuc", "TraCuuTechID"}
)
MESSAGE_MAX = 300


# --- errors ---------------------------------------------------------------------------------------


class DvcqgError(Exception):
    """The call did not do what was asked. `message` is for an administrator (Vietnamese);
    `retryable` says whether sending the same thing later may succeed."""

    outcome = CallOutcome.TRANSPORT
    retryable = False

    def __init__(self, message: str, *, error_code: str = "", http_status: int | None = None):
        super().__init__(message)
        self.message = message
        self.error_code = error_code
        self.http_status = http_status


class DvcqgConfigError(ImproperlyConfigured):
    """The connection is not configured (sync off, or a setting missing)."""


class DvcqgTransportError(DvcqgError):
    outcome = CallOutcome.TRANSPORT

    def __init__(self, message: str, *, retryable: bool = True, http_status: int | None = None):
        super().__init__(message, http_status=http_status)
        self.retryable = retryable


class DvcqgAuthError(DvcqgError):
    outcome = CallOutcome.AUTH


class DvcqgRefused(DvcqgError):
    """The portal answered error_code ≠ 0: it read the request and refused it."""

    outcome = CallOutcome.REFUSED

    def __init__(self, error_code: str, message: str, *, http_status: int | None = None):
        text = f"Cổng DVCQG từ chối (mã {error_code}): {message or 'không có thông báo'}"
        super().__init__(text, error_code=error_code, http_status=http_status)
        self.portal_message = message


class DvcqgBadReply(DvcqgError):
    outcome = CallOutcome.BAD_REPLY


# --- configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DvcqgConfig:
    adapter_url: str
    auth_endpoint: str
    integration_endpoint: str
    share_endpoint: str
    username: str
    password: str = field(repr=False)
    madonvi: str
    dstcode: str = ""
    timeout: float = 30.0
    connect_timeout: float = 5.0
    max_reply_bytes: int = 2 * 1024 * 1024
    session_minutes: int = 10
    auth_error_codes: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls) -> DvcqgConfig:
        return cls(
            adapter_url=settings.DVCQG_ADAPTER_URL.rstrip("/"),
            auth_endpoint=settings.DVCQG_AUTH_ENDPOINT,
            integration_endpoint=settings.DVCQG_INTEGRATION_ENDPOINT,
            share_endpoint=settings.DVCQG_SHARE_ENDPOINT,
            username=settings.DVCQG_USERNAME,
            password=settings.DVCQG_PASSWORD,
            madonvi=settings.DVCQG_MADONVI,
            dstcode=settings.DVCQG_DSTCODE,
            timeout=settings.DVCQG_TIMEOUT_SECONDS,
            connect_timeout=settings.DVCQG_CONNECT_TIMEOUT_SECONDS,
            max_reply_bytes=settings.DVCQG_MAX_REPLY_BYTES,
            session_minutes=settings.DVCQG_SESSION_MINUTES,
            auth_error_codes=frozenset(str(c) for c in settings.DVCQG_AUTH_ERROR_CODES),
        )

    def missing(self) -> list[str]:
        """The settings a working connection needs that are empty."""
        required = {
            "DVCQG_ADAPTER_URL": self.adapter_url,
            "DVCQG_AUTH_ENDPOINT": self.auth_endpoint,
            "DVCQG_INTEGRATION_ENDPOINT": self.integration_endpoint,
            "DVCQG_SHARE_ENDPOINT": self.share_endpoint,
            "DVCQG_USERNAME": self.username,
            "DVCQG_PASSWORD": self.password,
            "DVCQG_MADONVI": self.madonvi,
        }
        return [name for name, value in required.items() if not value]

    def url(self, endpoint: str) -> str:
        path = {
            AUTH: self.auth_endpoint,
            INTEGRATION: self.integration_endpoint,
            SHARE: self.share_endpoint,
        }[endpoint]
        return self.adapter_url + path

    @property
    def cache_key(self) -> str:
        """Where the session is kept: one per adapter, account and unit (no secret in the key)."""
        identity = f"{self.adapter_url}|{self.username}|{self.madonvi}"
        return "dvcqg:session:" + hashlib.sha256(identity.encode()).hexdigest()[:32]


def dvcqg_enabled() -> bool:
    """Sync with the national portal is on when its adapter URL is set."""
    return bool(settings.DVCQG_ADAPTER_URL)


def dvcqg_client() -> DvcqgClient:
    """A client configured from the settings; DvcqgConfigError when sync is off."""
    if not dvcqg_enabled():
        raise DvcqgConfigError("Chưa bật đồng bộ Cổng DVCQG: hãy đặt DVCQG_ADAPTER_URL.")
    return DvcqgClient()


# --- the shared session token ---------------------------------------------------------------------

_memory: dict[str, tuple[str, float]] = {}
_memory_lock = threading.Lock()
_login_lock = threading.Lock()


def _session_cached(key: str) -> str | None:
    """A session still valid, from this process's memory or else from the shared cache."""
    with _memory_lock:
        token, expires = _memory.get(key, ("", 0.0))
    if token and expires > time.time():
        return token
    shared = caches["default"].get(key)
    if isinstance(shared, dict) and shared.get("expires", 0) > time.time():
        with _memory_lock:
            _memory[key] = (shared["session"], shared["expires"])
        return shared["session"]
    return None


def _session_keep(key: str, token: str, seconds: int) -> None:
    expires = time.time() + seconds
    with _memory_lock:
        _memory[key] = (token, expires)
    caches["default"].set(key, {"session": token, "expires": expires}, timeout=seconds)


def _session_forget(key: str, token: str) -> None:
    """Forget a session the portal refused — only that one: another process may already have
    put a fresh one in the shared cache."""
    with _memory_lock:
        if _memory.get(key, ("",))[0] == token:
            del _memory[key]
    shared = caches["default"].get(key)
    if isinstance(shared, dict) and shared.get("session") == token:
        caches["default"].delete(key)


def sessions_forget_all() -> None:
    """Forget every session this process holds in memory (tests; a changed password)."""
    with _memory_lock:
        _memory.clear()


# --- recording calls ------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d{9,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


# Fields of the records we send whose values are a person's: blanked wherever a reply echoes them.
PERSONAL_KEYS = (
    "ChuHoSo",
    "Email",
    "Fax",
    "SoDienThoai",
    "SoGiayToChuHoSo",
    "NguoiXuLy",
    "NguoiYeuCauBoSung",
    "NguoiTiepNhanBoSung",
    "HOVATEN",
    "THUDIENTU",
    "SODIENTHOAI",
    "DIACHI",
    "NGUOITRALOI",
)


def personal_values(items: Any) -> tuple[str, ...]:
    """The personal values (names, numbers, addresses) in the records of a call's `data`."""
    rows = items if isinstance(items, list) else []
    found = {
        str(row[key]).strip()
        for row in rows
        if isinstance(row, dict)
        for key in PERSONAL_KEYS
        if len(str(row.get(key) or "").strip()) >= 3
    }
    return tuple(sorted(found, key=len, reverse=True))


def safe_message(text: str, personal: Sequence[str] = ()) -> str:
    """A message fit for the call record: the personal values we sent, numbers as long as a phone
    or an ID number and e-mail addresses blanked (the portal may echo a field's value), cut to
    MESSAGE_MAX characters."""
    text = str(text or "")
    for value in personal:
        text = text.replace(value, "…")
    text = _EMAIL.sub("…", _DIGITS.sub("…", text))
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


class _CallRecord:
    """Times one HTTP call and writes its DvcqgCall row when it ends, however it ends."""

    def __init__(self, service: str, codes: Sequence[str], data: Any = None):
        self.service, self.codes = service, list(codes)
        self.count = len(data) if isinstance(data, list) else 0
        self.personal = personal_values(data)
        self.started, self.t0 = now(), time.monotonic()
        self.http_status: int | None = None
        self.error_code, self.message = "", ""

    def __enter__(self) -> _CallRecord:
        return self

    def __exit__(self, exc_type, exc, tb) -> Literal[False]:
        outcome = CallOutcome.OK
        if isinstance(exc, DvcqgError):
            outcome, self.message = exc.outcome, exc.message
            self.error_code = self.error_code or exc.error_code
            self.http_status = self.http_status or exc.http_status
        elif exc is not None:
            outcome = CallOutcome.TRANSPORT
            self.message = f"Lỗi không lường trước: {exc_type.__name__}"
        self._write(outcome)
        return False

    def _write(self, outcome: str) -> None:
        duration = int((time.monotonic() - self.t0) * 1000)
        codes = ",".join(self.codes)
        logger.info("DVCQG %s [%s] → %s (%d ms)", self.service, codes[:200], outcome, duration)
        try:
            DvcqgCall.objects.create(
                service=self.service[:64],
                started_at=self.started,
                duration_ms=duration,
                http_status=self.http_status,
                error_code=str(self.error_code)[:32],
                message=safe_message(self.message, self.personal),
                ok=outcome == CallOutcome.OK,
                outcome=outcome,
                dossier_codes=codes if len(codes) <= 500 else codes[:499] + "…",
                record_count=self.count,
            )
        except DatabaseError:
            # The outcome still reaches the caller; the log says why its record is missing.
            logger.exception("DVCQG: could not record the call to %s", self.service)


# --- the client -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Call:
    service: str
    keys: dict
    codes: tuple[str, ...]
    rows: bool
    check: Callable[[Reply], None] | None


@dataclass(frozen=True)
class Reply:
    """An accepted reply (error_code 0)."""

    error_code: int
    message: str
    result: Any
    http_status: int


class DvcqgClient:
    def __init__(self, config: DvcqgConfig | None = None, *, http: requests.Session | None = None):
        self.config = config or DvcqgConfig.from_settings()
        missing = self.config.missing()
        if missing:
            raise DvcqgConfigError(
                "Chưa cấu hình đủ kết nối Cổng DVCQG: thiếu " + ", ".join(missing) + "."
            )
        self.http = http or requests.Session()

    # Writes ---------------------------------------------------------------------------------------

    def dong_bo_ho_so(self, records: list[dict], is_updating: bool) -> Reply:
        """DongBoHoSoMC: create (is_updating False) or update dossiers (reference §2)."""
        keys = {"isUpdating": "True" if is_updating else "False", "data": list(records)}
        return self.call("DongBoHoSoMC", keys, dossier_codes=_codes_of(records))

    def cap_nhat_tien_do(self, records: list[dict]) -> Reply:
        """CapNhatTienDoHoSoMC: processing-progress records, one per step (reference §3)."""
        return self.call(
            "CapNhatTienDoHoSoMC", {"data": list(records)}, dossier_codes=_codes_of(records)
        )

    def dong_bo_danh_gia(self, items: list[dict]) -> Reply:
        """DongBoDanhGia: the month's satisfaction summary, one item per question (reference §7)."""
        return self.call("DongBoDanhGia", {"data": list(items)})

    def dong_bo_hoi_dap(self, items: list[dict]) -> Reply:
        """DongBoHoiDap: our questions and answers, items {HOIDAPID, MaLinhVuc, NOIDUNG, MADONVI,
        TENDONVI} (reference §6)."""
        return self.call("DongBoHoiDap", {"data": list(items)})

    def dong_bo_ket_qua_hoi_dap(self, items: list[dict]) -> Reply:
        """DongBoKetQuaHoiDapGuiTuDVCQG: answers to questions sent from the portal, items
        {HOIDAPID, MADONVI, NGUOITRALOI, CHUCVUNGUOITRALOI, NGAYTRALOI (dd/MM/yyyy), NOIDUNGTRALOI}."""
        return self.call("DongBoKetQuaHoiDapGuiTuDVCQG", {"data": list(items)})

    # Reads ----------------------------------------------------------------------------------------

    def tra_cuu_ho_so(self, ma_ho_so: str) -> bool:
        """TraCuuHoSo: whether the portal already holds this dossier (decides isUpdating)."""
        reply = self.call("TraCuuHoSo", {"mahoso": ma_ho_so}, dossier_codes=[ma_ho_so], rows=True)
        return bool(reply.result)

    def lay_danh_sach_tthc(self) -> list[dict]:
        """LayDanhSachTTHC: the national procedures, rows {MATTHC, TENTTHC}."""
        return self.call("LayDanhSachTTHC", rows=True).result

    def lay_thu_tuc(self, ma_tthc: str) -> dict:
        """LayThuTuc: one national procedure's record (reference §1.5)."""
        reply = self.call("LayThuTuc", {"maTTHC": ma_tthc}, rows=True, check=_asked(ma_tthc))
        return next(row for row in reply.result if str(row.get("MATTHC", "")) == ma_tthc)

    def lay_hoi_dap_gui_tu_dvcqg(self) -> list[dict]:
        """LayDanhSachHoiDapGuiTuDVCQG: questions citizens sent through the portal."""
        return self.call("LayDanhSachHoiDapGuiTuDVCQG", rows=True).result

    def lay_hoi_dap_bo_co_quan(self) -> list[dict]:
        """LayDanhSachHoiDapBoCoQuan: the agencies' published questions and answers."""
        return self.call("LayDanhSachHoiDapBoCoQuan", rows=True).result

    def lay_tra_loi(self, cau_hoi_id: str) -> list[dict]:
        """LayNoiDungTraLoiTheoCauHoi: the answers to one question, rows {TRALOIID, NOIDUNGTRALOI}."""
        keys = {"cauhoiid": str(cau_hoi_id)}
        return self.call("LayNoiDungTraLoiTheoCauHoi", keys, rows=True).result

    def login(self) -> None:
        """Log in now and keep the session (the `motcua dvcqg check` command)."""
        _session_keep(self.config.cache_key, self._login(), self.config.session_minutes * 60)

    # The envelope ---------------------------------------------------------------------------------

    def call(
        self,
        service: str,
        keys: dict | None = None,
        *,
        dossier_codes: Sequence[str] = (),
        rows: bool = False,
        check: Callable[[Reply], None] | None = None,
    ) -> Reply:
        """Send one service call with the shared session; on an authentication error the session
        is renewed once and the call sent once more. `rows`: the result must be a list of objects
        (given back as one); `check` may refuse the reply (DvcqgBadReply) — both before the call
        is recorded, so a reply of the wrong shape is recorded as such."""
        call = _Call(service, keys or {}, tuple(dossier_codes), rows, check)
        token = self._session()
        try:
            return self._call_once(call, token)
        except DvcqgAuthError:
            _session_forget(self.config.cache_key, token)
        return self._call_once(call, self._session())

    def _call_once(self, call: _Call, token: str) -> Reply:
        body = {"session": token, "madonvi": self.config.madonvi, "service": call.service}
        body.update(call.keys)
        endpoint = SHARE if call.service in SHARE_SERVICES else INTEGRATION
        with _CallRecord(call.service, call.codes, call.keys.get("data")) as record:
            status, raw = self._post(self.config.url(endpoint), body)
            record.http_status = status
            reply = self._reply(status, raw)
            if call.rows:
                reply = replace(reply, result=_rows(reply, call.service))
            _check_dossier_codes(reply, call.codes)
            if call.check:
                call.check(reply)
            return reply

    def _session(self) -> str:
        key = self.config.cache_key
        token = _session_cached(key)
        if token:
            return token
        with _login_lock:  # one login per process at a time; the others wait and reuse it
            token = _session_cached(key)
            if not token:
                token = self._login()
                _session_keep(key, token, self.config.session_minutes * 60)
        return token

    def _login(self) -> str:
        body = {"username": self.config.username, "password": self.config.password}
        with _CallRecord(LOGIN, ()) as record:
            status, raw = self._post(self.config.url(AUTH), body)
            record.http_status = status
            payload = _reply_payload(status, raw)
            code = _error_code(payload.get("error_code"))
            session = payload.get("session")
            if code != 0 or not isinstance(session, str) or not session:
                message = str(payload.get("message") or "không có thông báo")
                raise DvcqgAuthError(
                    f"Cổng DVCQG từ chối đăng nhập (mã {code}): {message}",
                    error_code=str(code),
                    http_status=status,
                )
            return session

    def _headers(self) -> dict[str, str]:
        return {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Charset": "utf-8",
            "dstcode": self.config.dstcode,
        }

    def _post(self, url: str, body: dict) -> tuple[int, bytes]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        timeout = (self.config.connect_timeout, self.config.timeout)
        deadline = time.monotonic() + self.config.connect_timeout + self.config.timeout
        try:
            response = self.http.post(
                url,
                data=data,
                headers=self._headers(),
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            )
            with response:
                return response.status_code, self._read_bounded(response, deadline)
        except requests.ConnectTimeout:
            raise DvcqgTransportError(
                f"Không kết nối được Cổng DVCQG trong {_seconds(self.config.connect_timeout)} giây."
            ) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            if isinstance(
                exc, requests.Timeout | urllib3.exceptions.TimeoutError
            ) or _read_timed_out(exc):
                raise DvcqgTransportError(
                    f"Cổng DVCQG không trả lời trong {_seconds(self.config.timeout)} giây."
                ) from None
            raise DvcqgTransportError(
                f"Không kết nối được Cổng DVCQG ({type(exc).__name__})."
            ) from None

    def _read_bounded(self, response: requests.Response, deadline: float) -> bytes:
        """The reply's bytes, abandoned as soon as it grows past the cap or outlives the time."""
        try:
            return read_bounded(response, limit=self.config.max_reply_bytes, deadline=deadline)
        except ReplyTooLarge as exc:
            raise _too_large(exc.limit, response.status_code) from None
        except ReplyTooSlow:
            raise DvcqgTransportError(
                f"Cổng DVCQG trả lời quá chậm (quá {_seconds(self.config.timeout)} giây).",
                http_status=response.status_code,
            ) from None

    def _reply(self, status: int, raw: bytes) -> Reply:
        payload = _reply_payload(status, raw)
        if "error_code" not in payload:
            raise DvcqgBadReply("Trả lời của Cổng DVCQG không có error_code.", http_status=status)
        code = _error_code(payload["error_code"])
        message = str(payload.get("message") or "")
        if code != 0 and str(code) in self.config.auth_error_codes:
            raise DvcqgAuthError(
                f"Cổng DVCQG không nhận phiên làm việc (mã {code}): {message}",
                error_code=str(code),
                http_status=status,
            )
        if code != 0:
            raise DvcqgRefused(str(code), message, http_status=status)
        return Reply(code, message, payload.get("result"), status)


# --- reading replies ------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    """Seconds as a Vietnamese reader writes them: 0,5 — 30."""
    return f"{value:g}".replace(".", ",")


def _read_timed_out(exc: Exception) -> bool:
    """requests reports a read that timed out while the body streams as a ConnectionError
    wrapping urllib3's ReadTimeoutError."""
    return any(isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in exc.args)


def _too_large(limit: int, status: int) -> DvcqgTransportError:
    return DvcqgTransportError(
        f"Trả lời của Cổng DVCQG vượt quá {limit:,} byte nên bị bỏ.".replace(",", "."),
        http_status=status,
    )


def _reply_payload(status: int, raw: bytes) -> dict:
    """The reply's JSON object, or the typed error its HTTP status or its body stands for."""
    if status in (401, 403):
        raise DvcqgAuthError(
            f"Cổng DVCQG không chấp nhận phiên làm việc (HTTP {status}).", http_status=status
        )
    if status >= 500:
        raise DvcqgTransportError(
            f"Cổng DVCQG gặp lỗi máy chủ (HTTP {status}).", http_status=status
        )
    if not 200 <= status < 300:
        raise DvcqgTransportError(
            f"Cổng DVCQG trả lời HTTP {status}: hãy kiểm tra địa chỉ và đường dẫn đã cấu hình.",
            retryable=False,
            http_status=status,
        )
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DvcqgTransportError(
            "Trả lời của Cổng DVCQG không phải JSON (có thể bị cắt hoặc do máy chủ trung gian).",
            http_status=status,
        ) from None
    if not isinstance(payload, dict):
        raise DvcqgBadReply(
            "Trả lời của Cổng DVCQG không phải một đối tượng JSON.", http_status=status
        )
    return payload


def _error_code(value: Any) -> int:
    """error_code comes as a number or as a string of digits (both seen, reference §1.3)."""
    if isinstance(value, bool):
        raise DvcqgBadReply(f"error_code không hợp lệ: {value!r}.")
    try:
        return int(str(value).strip())
    except ValueError:
        raise DvcqgBadReply(f"error_code không hợp lệ: {str(value)[:40]!r}.") from None


def _rows(reply: Reply, service: str) -> list[dict]:
    """`result` as a list of objects: a list, an object with a `data` list (LayDVC), one object,
    or nothing."""
    result = reply.result
    if result is None:
        return []
    if isinstance(result, dict):
        result = result["data"] if isinstance(result.get("data"), list) else [result]
    if not isinstance(result, list) or not all(isinstance(row, dict) for row in result):
        raise DvcqgBadReply(f"Trả lời {service} của Cổng DVCQG có result không đúng cấu trúc.")
    return result


def _asked(ma_tthc: str) -> Callable[[Reply], None]:
    """LayThuTuc must answer the procedure asked about."""

    def check(reply: Reply) -> None:
        if any(str(row.get("MATTHC", "")) == ma_tthc for row in reply.result):
            return
        if reply.result:
            raise DvcqgBadReply(f"Cổng DVCQG trả về thủ tục khác với thủ tục {ma_tthc} đã hỏi.")
        raise DvcqgBadReply(f"Cổng DVCQG không trả về thủ tục {ma_tthc}.")

    return check


def _codes_of(records: Iterable[dict]) -> list[str]:
    """The dossier codes of the records, each once, in order (progress has many per dossier)."""
    return list(dict.fromkeys(str(record.get("MaHoSo", "")) for record in records))


def _named_codes(result: Any) -> set[str]:
    """The dossier codes a reply names (MaHoSo / mahoso in result, an object or a list of them).
    The reference shows no dossier in a write's reply; a reply that does name one is checked."""
    rows = result if isinstance(result, list) else [result]
    names: set[str] = set()
    for row in rows:
        if isinstance(row, dict):
            names.update(str(row[k]) for k in ("MaHoSo", "mahoso", "MAHOSO") if row.get(k))
    return names


def _check_dossier_codes(reply: Reply, codes: Sequence[str]) -> None:
    foreign = sorted(_named_codes(reply.result) - set(codes)) if codes else []
    if foreign:
        raise DvcqgBadReply(
            f"Cổng DVCQG trả lời cho hồ sơ khác ({', '.join(foreign[:3])}): không ghi nhận kết quả.",
            http_status=reply.http_status,
        )
