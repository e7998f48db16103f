"""Citizen sign-on with the national account: Cổng Dịch vụ công quốc gia (DVCQG), whose identity
provider also offers VNeID (../shared/reference/national-integrations.md §9, read from OpenCPS v2;
docs/national-signon.md; ADR 0035).

The protocol, as the reference describes it: OAuth 2.0 authorisation code, OpenID-Connect-like,
served by WSO2 Identity Server at xacthuc.dichvucong.gov.vn —

1. the browser goes to {auth_server}{auth_endpoint}?response_type=code&client_id&redirect_uri
   &scope=openid&acr_values=LoA1&state (we add `nonce`, and PKCE `code_challenge` with S256, which
   WSO2 IS supports; DVCQG_SSO_PKCE=0 leaves it out for a provider that refuses it);
2. it comes back to our callback with `code` and `state` (or `error`);
3. POST {token endpoint}, form grant_type=authorization_code, code, redirect_uri, client_id,
   client_secret (+ code_verifier) → access_token, id_token;
4. POST {userinfo endpoint} with `Authorization: Bearer` → the claims: LoaiTaiKhoan (1 citizen,
   2 business), HoVaTen, SoDinhDanh, TechID (the stable account id, our MaDoiTuong), SoCMND,
   HoChieu, GioiTinh, DiaChi, SoDienThoai, ThuDienTu, TenDoanhNghiep, MaSoThue, MaSoDoanhNghiep.

What is ours, not the reference's: the nonce and PKCE; the state is random (OpenCPS packs the return
address into it, we keep that in the session); the id_token is checked for our nonce, audience,
expiry, the issuer (DVCQG_SSO_ISSUER, when set) and its signature: RS/PS/ES with the provider's
key set (DVCQG_SSO_JWKS_ENDPOINT; the address is not in the sources — WSO2 IS commonly serves
/oauth2/jwks), HS256 with our client secret, "none" never. Without a key set configured, an
asymmetric token is accepted unverified only from an https token endpoint, which OpenID Connect
Core §3.1.3.7 (6) allows in place of the signature.

State: every started sign-in keeps {state: nonce, PKCE verifier, callback, return page, started}
in the citizen's server-side session (at most PENDING_MAX at once, for several tabs); the callback
takes its state out — used once — and refuses one unknown, replayed or older than
DVCQG_SSO_STATE_MINUTES. Every token and user-info call is written to NationalSignOnCall with its
outcome — never a code, a token, the secret or the person's data; the log says as little.

Accounts: a national account already linked signs in its citizen account; else a citizen account
holding the same ID number (declared in its profile) is linked only after its owner confirms,
seeing masked data, and only when the name agrees (as the online submission treats an applicant on
record, dossiers.services.applicant_for_online); else a new citizen account is opened from the user
info. A name that disagrees, or two accounts holding the number, are refused: nothing is
overwritten, the desk settles it.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q

from motcua.core.bounded_reads import ReplyTooLarge, ReplyTooSlow, read_bounded
from motcua.core.clock import now
from motcua.core.identity import citizen_id_validate
from motcua.core.lazy import lazy_module
from motcua.core.text import name_key

from .models import (
    NationalAccount,
    NationalAccountKind,
    NationalSignOnCall,
    NationalSignOnOutcome,
    User,
)
from .roles import Role

if TYPE_CHECKING:
    import jwt
    import requests
else:  # loaded on first use (core/lazy.py): most workers never see a national sign-on
    jwt = lazy_module("jwt")
    requests = lazy_module("requests")

logger = logging.getLogger(__name__)

SESSION_PENDING = "national_signon_pending"
SESSION_SIGNED_IN = "national_signon_tech_id"
PENDING_MAX = 5
REPLY_MAX_BYTES = 256 * 1024
MESSAGE_MAX = 300

MSG_OFF = "Chưa bật đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia."
MSG_STATE = (
    "Phiên đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia không hợp lệ hoặc đã được dùng. "
    "Vui lòng bấm lại nút đăng nhập."
)
MSG_STATE_EXPIRED = (
    "Phiên đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia đã hết hạn. "
    "Vui lòng bấm lại nút đăng nhập."
)
MSG_DENIED = "Ông/bà đã hủy đăng nhập tại Cổng Dịch vụ công quốc gia. Chưa có gì thay đổi."
MSG_PROVIDER = (
    "Cổng Dịch vụ công quốc gia báo lỗi khi đăng nhập ({code}). Vui lòng thử lại sau, hoặc "
    "đăng nhập bằng mã xác thực gửi qua số điện thoại hoặc thư điện tử."
)
MSG_UNAVAILABLE = (
    "Không kết nối được Cổng Dịch vụ công quốc gia để hoàn tất đăng nhập. Vui lòng thử lại "
    "sau, hoặc đăng nhập bằng mã xác thực gửi qua số điện thoại hoặc thư điện tử."
)
MSG_BAD_TOKEN = (
    "Thông tin đăng nhập Cổng Dịch vụ công quốc gia trả về không hợp lệ (không đúng phiên). "
    "Vui lòng bấm lại nút đăng nhập."
)
MSG_NO_ID = (
    "Tài khoản Cổng Dịch vụ công quốc gia không cho biết số định danh cá nhân hợp lệ nên "
    "không đăng nhập được. Ông/bà có thể đăng nhập bằng mã xác thực gửi qua số điện thoại "
    "hoặc thư điện tử."
)
MSG_NO_TECH_ID = (
    "Cổng Dịch vụ công quốc gia không trả về mã tài khoản (TechID) nên không đăng nhập được. "
    "Vui lòng thử lại sau."
)
MSG_NAME_CONFLICT = (
    "Họ tên trên tài khoản Cổng Dịch vụ công quốc gia không khớp với tài khoản đã đăng ký cho "
    "số định danh cá nhân này, nên chưa liên kết. Ông/bà vui lòng kiểm tra lại; nếu thông tin "
    "đã thay đổi, mời ông/bà mang giấy tờ tùy thân đến Bộ phận Một cửa để cập nhật."
)
MSG_MANY_ACCOUNTS = (
    "Có nhiều tài khoản đăng ký cho số định danh cá nhân này, nên chưa liên kết được với tài "
    "khoản Cổng Dịch vụ công quốc gia. Mời ông/bà liên hệ Bộ phận Một cửa."
)
MSG_LINKED_ELSEWHERE = (
    "Tài khoản đăng ký cho số định danh cá nhân này đã liên kết với một tài khoản Cổng Dịch vụ "
    "công quốc gia khác. Mời ông/bà liên hệ Bộ phận Một cửa."
)
MSG_LINK_EXPIRED = "Yêu cầu liên kết tài khoản đã hết hạn. Vui lòng đăng nhập lại."


class NationalSignOnError(Exception):
    """A refused sign-on: `message` for the citizen (Vietnamese), `reason` a stable code for logs
    and tests. Nothing was created."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message, self.reason = message, reason


# --- configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalSignOnConfig:
    auth_server: str
    auth_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    client_id: str
    client_secret: str = field(repr=False)
    callback_url: str = ""
    scope: str = "openid"
    acr_values: str = ""
    pkce: bool = True
    timeout: float = 10.0
    state_minutes: int = 10
    jwks_endpoint: str = ""
    issuer: str = ""

    @classmethod
    def from_settings(cls) -> NationalSignOnConfig:
        return cls(
            auth_server=settings.DVCQG_SSO_AUTH_SERVER.rstrip("/"),
            auth_endpoint=settings.DVCQG_SSO_AUTH_ENDPOINT,
            token_endpoint=settings.DVCQG_SSO_TOKEN_ENDPOINT,
            userinfo_endpoint=settings.DVCQG_SSO_USERINFO_ENDPOINT,
            client_id=settings.DVCQG_SSO_CLIENT_ID,
            client_secret=settings.DVCQG_SSO_CLIENT_SECRET,
            callback_url=settings.DVCQG_SSO_CALLBACK_URL,
            scope=settings.DVCQG_SSO_SCOPE,
            acr_values=settings.DVCQG_SSO_ACR_VALUES,
            pkce=settings.DVCQG_SSO_PKCE,
            timeout=settings.DVCQG_SSO_TIMEOUT_SECONDS,
            state_minutes=settings.DVCQG_SSO_STATE_MINUTES,
            jwks_endpoint=settings.DVCQG_SSO_JWKS_ENDPOINT,
            issuer=settings.DVCQG_SSO_ISSUER,
        )

    def url(self, endpoint: str) -> str:
        """An endpoint: a full URL as it is, a path appended to the auth server."""
        return endpoint if "://" in endpoint else self.auth_server + endpoint


def national_signon_enabled() -> bool:
    """On when the national IdP and our client id are configured."""
    return bool(settings.DVCQG_SSO_AUTH_SERVER and settings.DVCQG_SSO_CLIENT_ID)


# --- the national identity -----------------------------------------------------------------------


@dataclass
class NationalIdentity:
    """What the national IdP vouched for, mapped to our words (reference §9 step 4)."""

    tech_id: str
    citizen_id: str
    full_name: str
    kind: str = ""
    business_name: str = ""
    tax_code: str = ""
    business_code: str = ""
    # Kept only to show on the page, never copied into the account: see the module's docstring.
    phone: str = ""
    email: str = ""

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> NationalIdentity:
        return cls(**{k: str(data.get(k) or "") for k in cls.__dataclass_fields__})


def _claim(claims: dict, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if isinstance(value, str | int) else ""


def identity_from_claims(claims: dict) -> NationalIdentity:
    """The user info mapped; NationalSignOnError without a TechID or a valid SoDinhDanh (a
    12-digit personal number — SoCMND, the old 9-digit card, is not an identity we key on)."""
    tech_id = _claim(claims, "TechID")
    if not tech_id or len(tech_id) > 64:
        raise NationalSignOnError(MSG_NO_TECH_ID, "no_tech_id")
    number = "".join(_claim(claims, "SoDinhDanh").split())
    try:
        number = citizen_id_validate(number) if number else ""
    except ValidationError:
        number = ""
    if not number:
        raise NationalSignOnError(MSG_NO_ID, "no_citizen_id")
    kind = _claim(claims, "LoaiTaiKhoan")
    return NationalIdentity(
        tech_id=tech_id,
        citizen_id=number,
        full_name=" ".join(_claim(claims, "HoVaTen").split())[:150],
        kind=kind if kind in NationalAccountKind.values else "",
        business_name=_claim(claims, "TenDoanhNghiep")[:255],
        tax_code=_claim(claims, "MaSoThue")[:20],
        business_code=_claim(claims, "MaSoDoanhNghiep")[:20],
        phone=_claim(claims, "SoDienThoai")[:20],
        email=_claim(claims, "ThuDienTu")[:254],
    )


# --- step 1: the way to the national IdP ---------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 §4.2, S256."""
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


def signon_begin(
    session, *, callback_url: str, next_url: str = "", config: NationalSignOnConfig | None = None
) -> str:
    """Start a sign-on: a fresh state, nonce and PKCE verifier kept in this session; the address
    of the national IdP's authorisation page to send the browser to."""
    if not national_signon_enabled() and config is None:
        raise NationalSignOnError(MSG_OFF, "off")
    config = config or NationalSignOnConfig.from_settings()
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    redirect_uri = config.callback_url or callback_url
    pending = dict(session.get(SESSION_PENDING) or {})
    pending[state] = {
        "nonce": nonce,
        "verifier": verifier if config.pkce else "",
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": time.time(),
    }
    # A few tabs at once; the oldest started sign-ins give way.
    for old in sorted(pending, key=lambda s: pending[s]["started"])[:-PENDING_MAX]:
        del pending[old]
    session[SESSION_PENDING] = pending
    query = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": config.scope,
        "state": state,
        "nonce": nonce,
    }
    if config.acr_values:
        query["acr_values"] = config.acr_values
    if config.pkce:
        query["code_challenge"] = pkce_challenge(verifier)
        query["code_challenge_method"] = "S256"
    return config.url(config.auth_endpoint) + "?" + urlencode(query)


# --- step 2–4: back from the national IdP ---------------------------------------------------------


@dataclass
class SignOnResult:
    identity: NationalIdentity
    next_url: str


def _state_take(session, state: str, config: NationalSignOnConfig) -> dict:
    """The started sign-in this state names, taken out of the session (used once)."""
    pending = dict(session.get(SESSION_PENDING) or {})
    started = pending.pop(state, None) if state else None
    session[SESSION_PENDING] = pending
    if started is None:
        raise NationalSignOnError(MSG_STATE, "state_unknown")
    if time.time() - float(started.get("started", 0)) > config.state_minutes * 60:
        raise NationalSignOnError(MSG_STATE_EXPIRED, "state_expired")
    return started


def signon_complete(
    session,
    params: dict,
    *,
    config: NationalSignOnConfig | None = None,
    http: requests.Session | None = None,
) -> SignOnResult:
    """The callback: check the state (then spent), take the provider's error if any, exchange the
    code for tokens, check the id_token's nonce, read the user info. NationalSignOnError with the
    citizen's message on every refusal; nothing is written but the call records."""
    if not national_signon_enabled() and config is None:
        raise NationalSignOnError(MSG_OFF, "off")
    config = config or NationalSignOnConfig.from_settings()
    started = _state_take(session, str(params.get("state") or ""), config)
    error = str(params.get("error") or "")
    if error:
        logger.warning("National sign-on: the provider answered error=%s", _safe(error)[:64])
        if error == "access_denied":
            raise NationalSignOnError(MSG_DENIED, "access_denied")
        raise NationalSignOnError(MSG_PROVIDER.format(code=_safe(error)[:64]), "provider_error")
    code = str(params.get("code") or "")
    if not code:
        raise NationalSignOnError(MSG_STATE, "no_code")
    client = _Client(config, http)
    tokens = client.token(code, started["redirect_uri"], started.get("verifier", ""))
    _id_token_check(tokens.get("id_token"), started["nonce"], config, client)
    claims = client.userinfo(str(tokens["access_token"]))
    identity = identity_from_claims(claims)
    return SignOnResult(identity=identity, next_url=str(started.get("next") or ""))


# The signatures an id_token may carry: the provider's keys (JWKS) or, HS256, our client secret.
# "none" and anything else are refused, whatever the token's header asks for.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
JWKS_CACHE_SECONDS = 3600
_jwks_cache: dict[str, tuple[float, dict]] = {}


def _id_token_check(
    id_token: Any, nonce: str, config: NationalSignOnConfig, client: _Client
) -> None:
    """Signed by the provider, for our client, not expired, from the configured issuer, with our
    nonce; refused otherwise, with nothing created."""
    if not isinstance(id_token, str) or not id_token:
        raise NationalSignOnError(MSG_BAD_TOKEN, "no_id_token")
    try:
        payload = _id_token_payload(id_token, config, client)
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        logger.warning("National sign-on: id_token refused (%s)", type(exc).__name__)
        raise NationalSignOnError(MSG_BAD_TOKEN, "id_token_invalid") from None
    if not secrets.compare_digest(str(payload.get("nonce") or ""), nonce):
        logger.warning("National sign-on: id_token nonce does not match the session's")
        raise NationalSignOnError(MSG_BAD_TOKEN, "nonce_mismatch")


def _id_token_payload(id_token: str, config: NationalSignOnConfig, client: _Client) -> dict:
    algorithm = str(jwt.get_unverified_header(id_token).get("alg") or "")
    checks: dict[str, Any] = {"audience": config.client_id, "leeway": 60}
    if config.issuer:
        checks["issuer"] = config.issuer
    if algorithm == "HS256" and config.client_secret:
        return jwt.decode(id_token, config.client_secret, algorithms=["HS256"], **checks)
    if algorithm not in ASYMMETRIC_ALGORITHMS:
        raise jwt.InvalidAlgorithmError(algorithm or "none")
    if config.jwks_endpoint:
        key = _signing_key(id_token, algorithm, config, client)
        return jwt.decode(id_token, key, algorithms=[algorithm], **checks)
    # No key set configured: OpenID Connect Core §3.1.3.7 (6) accepts the TLS server
    # validation of the token endpoint in place of the signature — over https only.
    if not config.url(config.token_endpoint).startswith("https://"):
        raise jwt.InvalidSignatureError("no JWKS and no TLS to stand for the signature")
    return jwt.decode(
        id_token,
        options={"verify_signature": False, "require": ["exp"]},
        algorithms=[algorithm],
        **checks,
    )


def _signing_key(id_token: str, algorithm: str, config: NationalSignOnConfig, client: _Client):
    """The provider's key named by the token's `kid` (or its only key), from the key set cached
    for JWKS_CACHE_SECONDS and fetched again once when the key is not in it (a key rollover)."""
    kid = jwt.get_unverified_header(id_token).get("kid")
    url = config.url(config.jwks_endpoint)
    cached = _jwks_cache.get(url)
    fresh = cached is not None and time.monotonic() - cached[0] < JWKS_CACHE_SECONDS
    for attempt in ("cache", "fetch") if fresh else ("fetch",):
        if attempt == "fetch":
            _jwks_cache[url] = (time.monotonic(), client.jwks())
        key = _key_in(_jwks_cache[url][1], kid, algorithm)
        if key is not None:
            return key
    raise jwt.InvalidKeyError("no key of the provider's key set signs this token")


def _key_in(key_set: dict, kid: Any, algorithm: str):
    keys = [k for k in key_set.get("keys") or [] if isinstance(k, dict)]
    if kid is not None:
        keys = [k for k in keys if k.get("kid") == kid]
    elif len(keys) != 1:
        return None
    for key in keys:
        if key.get("use", "sig") != "sig":
            continue
        try:
            return jwt.PyJWK(key, algorithm=algorithm).key
        except jwt.PyJWTError:
            continue
    return None


_DIGITS = re.compile(r"\d{6,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _safe(text: str) -> str:
    """A provider's words fit for a record: long numbers and e-mail addresses blanked, cut."""
    text = _EMAIL.sub("…", _DIGITS.sub("…", str(text or "")))
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "…"


class _Client:
    """The two back-channel calls, each timed, bounded and recorded."""

    def __init__(self, config: NationalSignOnConfig, http: requests.Session | None):
        self.config = config
        self.http = http or requests.Session()

    def token(self, code: str, redirect_uri: str, verifier: str) -> dict:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
        }
        if verifier:
            form["code_verifier"] = verifier
        reply = self._call("token", self.config.url(self.config.token_endpoint), data=form)
        if not isinstance(reply.get("access_token"), str) or not reply["access_token"]:
            self._record_bad("token", "Trả lời không có access_token")
            raise NationalSignOnError(MSG_UNAVAILABLE, "token_bad_reply")
        return reply

    def userinfo(self, access_token: str) -> dict:
        return self._call(
            "userinfo",
            self.config.url(self.config.userinfo_endpoint),
            headers={"Authorization": f"Bearer {access_token}"},
        )

    def jwks(self) -> dict:
        """The provider's signing keys (a JSON Web Key Set, RFC 7517)."""
        return self._call("jwks", self.config.url(self.config.jwks_endpoint), method="GET")

    def _call(self, step: str, url: str, *, method: str = "POST", **kwargs) -> dict:
        started, t0 = now(), time.monotonic()
        status: int | None = None
        try:
            response = self.http.request(
                method,
                url,
                timeout=(min(5.0, self.config.timeout), self.config.timeout),
                headers={"Accept": "application/json", **kwargs.pop("headers", {})},
                allow_redirects=False,
                stream=True,
                **kwargs,
            )
            with response:
                status = response.status_code
                raw = self._read(response, t0)
        except requests.RequestException as exc:
            kind = "timeout" if isinstance(exc, requests.Timeout) else type(exc).__name__
            self._record(step, started, t0, status, NationalSignOnOutcome.TRANSPORT, "", kind)
            raise NationalSignOnError(MSG_UNAVAILABLE, f"{step}_transport") from None
        payload = _json_object(raw)
        if status != 200:
            error = _safe(str(payload.get("error") or "")) if payload else ""
            outcome = (
                NationalSignOnOutcome.REFUSED
                if 400 <= status < 500
                else NationalSignOnOutcome.TRANSPORT
            )
            description = _safe(str(payload.get("error_description") or "")) if payload else ""
            self._record(step, started, t0, status, outcome, error[:64], description)
            raise NationalSignOnError(MSG_UNAVAILABLE, f"{step}_http_{status}")
        if payload is None:
            self._record(
                step, started, t0, status, NationalSignOnOutcome.BAD_REPLY, "", "Không phải JSON"
            )
            raise NationalSignOnError(MSG_UNAVAILABLE, f"{step}_bad_reply")
        self._record(step, started, t0, status, NationalSignOnOutcome.OK, "", "")
        return payload

    def _read(self, response: requests.Response, t0: float) -> bytes:
        """The body, abandoned when larger than REPLY_MAX_BYTES or slower than the timeout."""
        try:
            return read_bounded(response, limit=REPLY_MAX_BYTES, deadline=t0 + self.config.timeout)
        except ReplyTooLarge:
            raise requests.ConnectionError("reply too large") from None
        except ReplyTooSlow:
            raise requests.Timeout("reply too slow") from None

    def _record_bad(self, step: str, message: str) -> None:
        self._record(
            step, now(), time.monotonic(), 200, NationalSignOnOutcome.BAD_REPLY, "", message
        )

    def _record(self, step, started, t0, status, outcome, error_code, message) -> None:
        duration = int((time.monotonic() - t0) * 1000)
        logger.info("National sign-on %s → %s (HTTP %s, %d ms)", step, outcome, status, duration)
        try:
            NationalSignOnCall.objects.create(
                step=step,
                started_at=started,
                duration_ms=max(0, duration),
                http_status=status,
                outcome=outcome,
                error_code=error_code[:64],
                message=_safe(message),
            )
        except DatabaseError:
            logger.exception("National sign-on: could not record the %s call", step)


def _json_object(raw: bytes) -> dict | None:
    import json

    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


# --- our citizen account --------------------------------------------------------------------------


@dataclass
class AccountMatch:
    """What a national identity means here: `user` to sign in (linked already), `candidate` an
    account to link once its owner confirms, or neither (a new account is to be opened)."""

    user: User | None = None
    candidate: User | None = None


def national_account_match(identity: NationalIdentity) -> AccountMatch:
    """Which citizen account this national identity is (read only). NationalSignOnError when the
    ID number is held by an account that disagrees: another name, another national account, two
    accounts — never settled silently."""
    linked = NationalAccount.objects.select_related("user").filter(tech_id=identity.tech_id).first()
    if linked is not None:
        if not linked.user.is_active or linked.user.role != Role.CITIZEN:
            raise NationalSignOnError(MSG_LINKED_ELSEWHERE, "account_inactive")
        return AccountMatch(user=linked.user)
    if identity.kind == NationalAccountKind.BUSINESS:
        # A business account names its representative's number: it is not that person's own
        # account, so it is never linked to theirs (OpenCPS keys businesses on the tax code,
        # which our accounts do not hold) — a business account of its own is opened.
        return AccountMatch()
    holders = list(
        User.objects.filter(role=Role.CITIZEN, citizen_id=identity.citizen_id).order_by("pk")[:2]
    )
    if not holders:
        return AccountMatch()
    if len(holders) > 1:
        raise NationalSignOnError(MSG_MANY_ACCOUNTS, "many_accounts")
    holder = holders[0]
    if NationalAccount.objects.filter(user=holder).exists():
        raise NationalSignOnError(MSG_LINKED_ELSEWHERE, "linked_elsewhere")
    if not holder.is_active:
        raise NationalSignOnError(MSG_LINKED_ELSEWHERE, "account_inactive")
    names = (holder.full_name, identity.full_name)
    if all(names) and name_key(names[0]) != name_key(names[1]):
        raise NationalSignOnError(MSG_NAME_CONFLICT, "name_conflict")
    return AccountMatch(candidate=holder)


def _link_values(identity: NationalIdentity) -> dict:
    return {
        "kind": identity.kind,
        "citizen_id": identity.citizen_id,
        "business_name": identity.business_name,
        "tax_code": identity.tax_code,
        "business_code": identity.business_code,
    }


def national_account_signed_in(identity: NationalIdentity) -> User:
    """An already linked account signs in: the business fields follow the national account (the
    name and ID number of the citizen account stay as they are)."""
    with transaction.atomic():
        account = NationalAccount.objects.select_for_update().get(tech_id=identity.tech_id)
        for name, value in _link_values(identity).items():
            setattr(account, name, value)
        account.last_signed_in_at = now()
        account.save()
    return account.user


def national_account_create(identity: NationalIdentity) -> User:
    """A new citizen account from the user info: name and ID number as the national IdP vouched
    for them, no password (it signs in through the national account or a one-time code later)."""
    with transaction.atomic():
        match = national_account_match(identity)  # a race: the other request made it first
        if match.user is not None:
            return match.user
        if match.candidate is not None:
            raise NationalSignOnError(MSG_LINK_EXPIRED, "link_needed")
        business = identity.kind == NationalAccountKind.BUSINESS
        user = User(
            username=f"dvcqg-{hashlib.sha256(identity.tech_id.encode()).hexdigest()[:24]}",
            role=Role.CITIZEN,
            full_name=identity.full_name,
            # The representative's number stays on the national account only: a business
            # account must not be taken for that person's own (national_account_match).
            citizen_id="" if business else identity.citizen_id,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
                at = now()
                NationalAccount.objects.create(
                    user=user,
                    tech_id=identity.tech_id,
                    linked_at=at,
                    last_signed_in_at=at,
                    **_link_values(identity),
                )
        except IntegrityError:
            linked = NationalAccount.objects.filter(tech_id=identity.tech_id).first()
            if linked is None:
                raise
            return linked.user
    logger.info("National sign-on: a citizen account was opened (user %s)", user.pk)
    return user


def national_account_link(user, identity: NationalIdentity) -> User:
    """The owner of `user` (a citizen account holding the same ID number) confirmed that it is
    theirs: link it. Checked again under lock; a missing name is filled, nothing is overwritten."""
    with transaction.atomic():
        holder = User.objects.select_for_update().get(pk=user.pk)
        match = national_account_match(identity)
        if match.user is not None and match.user.pk == holder.pk:
            return holder
        if match.candidate is None or match.candidate.pk != holder.pk:
            raise NationalSignOnError(MSG_LINK_EXPIRED, "link_changed")
        at = now()
        try:
            with transaction.atomic():
                NationalAccount.objects.create(
                    user=holder,
                    tech_id=identity.tech_id,
                    linked_at=at,
                    last_signed_in_at=at,
                    **_link_values(identity),
                )
        except IntegrityError:  # linked by a request of a moment ago
            raise NationalSignOnError(MSG_LINK_EXPIRED, "link_raced") from None
        if not holder.full_name and identity.full_name:
            holder.full_name = identity.full_name
            holder.save(update_fields=["full_name"])
    logger.info("National sign-on: account %s linked to its national account", holder.pk)
    return holder


def national_signon_active(session, user) -> bool:
    """This session signed in with the national account linked to the signed-in citizen."""
    tech_id = session.get(SESSION_SIGNED_IN)
    if not (tech_id and user.is_authenticated and user.role == Role.CITIZEN):
        return False
    account = NationalAccount.objects.filter(user=user).values_list("tech_id", flat=True).first()
    return account == tech_id


def national_tech_ids_for(
    *, citizen_ids: Iterable[str] = (), tax_codes: Iterable[str] = ()
) -> tuple[dict[str, str], dict[str, str]]:
    """national_tech_id_for for many owners in one query: (TechID by citizen ID number, TechID by
    business tax code); the first linked account wins, as there."""
    citizen_ids, tax_codes = {c for c in citizen_ids if c}, {t for t in tax_codes if t}
    by_citizen: dict[str, str] = {}
    by_tax: dict[str, str] = {}
    if not citizen_ids and not tax_codes:
        return by_citizen, by_tax
    people = Q(citizen_id__in=citizen_ids) & ~Q(kind=NationalAccountKind.BUSINESS)
    businesses = Q(tax_code__in=tax_codes, kind=NationalAccountKind.BUSINESS)
    rows = NationalAccount.objects.filter(people | businesses).order_by("pk")
    for kind, citizen_id, tax_code, tech_id in rows.values_list(
        "kind", "citizen_id", "tax_code", "tech_id"
    ):
        if kind == NationalAccountKind.BUSINESS:
            by_tax.setdefault(tax_code, tech_id)
        else:
            by_citizen.setdefault(citizen_id, tech_id)
    return by_citizen, by_tax


def national_tech_id_for(*, citizen_id: str = "", tax_code: str = "") -> str:
    """The TechID of the national account vouched for this ID number (or, for a business, tax
    code), "" when none is linked here: MaDoiTuong of the national record (reference §2.2)."""
    if citizen_id:
        rows = NationalAccount.objects.filter(citizen_id=citizen_id).exclude(
            kind=NationalAccountKind.BUSINESS
        )
    elif tax_code:
        rows = NationalAccount.objects.filter(tax_code=tax_code, kind=NationalAccountKind.BUSINESS)
    else:
        return ""
    return rows.order_by("pk").values_list("tech_id", flat=True).first() or ""
