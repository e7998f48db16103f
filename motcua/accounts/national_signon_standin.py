"""A stand-in for the national sign-on (the IdP of Cổng DVCQG, reference §9), speaking what our
client speaks (national_signon.py), for tests and for the demo: `motcua dvcqg sso-stand-in --port
8091`. One thread per request, state in memory.

Endpoints, on the public paths of the national IdP:
  GET  /oauth2/authorize   a page (Vietnamese) where a tester chooses one of the test identities,
                           or cancels; bad client_id / redirect_uri / response_type: an error page
                           (never a redirect to an address not registered, RFC 6749 §4.1.2.1)
  POST /oauth2/authorize   the choice → 302 to redirect_uri?code&state (or error=access_denied)
  POST /oauth2/token       authorization_code grant; client by form or Basic; the code once, for
                           CODE_SECONDS; PKCE S256 checked when a challenge was sent →
                           access_token, id_token (RS256 with the stand-in's key, kid named — as
                           WSO2 IS signs by default — or HS256 keyed with the client secret when
                           id_token_alg="HS256": iss, aud, sub = TechID, nonce, iat, exp)
  GET|POST /oauth2/userinfo  Bearer → the identity's claims (the names of reference §9 step 4)
  GET  /oauth2/jwks        the public signing key as a JSON Web Key Set (RFC 7517)

What is ours, not the national IdP's (the sources do not say): the error replies' exact words, the
lifetime of codes and tokens, the JWKS path, and the issuer (the stand-in's address).
The identities are made up for testing: the numbers have the shape of Hà Tĩnh (042) personal
numbers and belong to nobody we know of. Faults for tests are attributes of `faults`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

PATHS = {
    "authorize": "/oauth2/authorize",
    "token": "/oauth2/token",
    "userinfo": "/oauth2/userinfo",
    "jwks": "/oauth2/jwks",
}
CODE_SECONDS = 60
TOKEN_SECONDS = 300
BODY_MAX = 64 * 1024

# Made-up test identities (reference §9 step 4 claim names).
IDENTITIES: dict[str, dict[str, str]] = {
    "cong-dan-an": {
        "TechID": "TECH-0001-AN",
        "LoaiTaiKhoan": "1",
        "HoVaTen": "Nguyễn Văn An",
        "SoDinhDanh": "042090001234",
        "GioiTinh": "1",
        "DiaChi": "Số 5 đường Phan Đình Phùng, phường Thành Sen, tỉnh Hà Tĩnh",
        "SoDienThoai": "0912000111",
        "ThuDienTu": "nguyenvanan@example.vn",
    },
    "cong-dan-binh": {
        "TechID": "TECH-0002-BINH",
        "LoaiTaiKhoan": "1",
        "HoVaTen": "Trần Thị Bình",
        "SoDinhDanh": "042195004321",
        "GioiTinh": "2",
        "DiaChi": "Thôn 3, xã Thạch Hà, tỉnh Hà Tĩnh",
        "SoDienThoai": "0912000222",
        "ThuDienTu": "",
    },
    "doanh-nghiep": {
        "TechID": "TECH-0003-DN",
        "LoaiTaiKhoan": "2",
        "HoVaTen": "Lê Văn Cường",
        "SoDinhDanh": "042088001111",
        "TenDoanhNghiep": "Công ty TNHH Thử Nghiệm Hồng Lĩnh",
        "MaSoThue": "3000000001",
        "MaSoDoanhNghiep": "3000000001",
        "SoDienThoai": "0912000333",
        "ThuDienTu": "",
    },
    "thieu-so-dinh-danh": {
        "TechID": "TECH-0004-KHONG",
        "LoaiTaiKhoan": "1",
        "HoVaTen": "Phạm Thị Thiếu",
        "SoDinhDanh": "",
        "SoDienThoai": "",
        "ThuDienTu": "",
    },
}


@dataclass
class Faults:
    """Misbehaviour on demand (tests): a status answered by the token or userinfo endpoint instead
    of the real reply, seconds of delay before the token reply, claims left out of the user info,
    an id_token with another nonce, one signed by a key the key set does not publish, one with
    alg "none"."""

    token_status: int | None = None
    token_delay: float = 0.0
    userinfo_status: int | None = None
    userinfo_drop: set[str] = field(default_factory=set)
    wrong_nonce: bool = False
    foreign_key: bool = False
    alg_none: bool = False


class StandInNationalSignOn:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        client_id: str = "motcua",
        client_secret: str = "motcua-sso-standin-khoa-thu-nghiem-32",
        redirect_uris: tuple[str, ...] = (),
        require_pkce: bool = False,
        id_token_alg: str = "RS256",
    ):
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = tuple(redirect_uris)
        self.require_pkce = require_pkce
        self.id_token_alg = id_token_alg
        self.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = secrets.token_hex(8)
        self.identities = {k: dict(v) for k, v in IDENTITIES.items()}
        self.faults = Faults()
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, tuple[dict, float]] = {}
        self.token_requests: list[dict] = []
        self.authorize_requests: list[dict] = []
        self._lock = threading.Lock()
        self.httpd = _Server((host, port), self)
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> StandInNationalSignOn:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def settings(self) -> dict[str, Any]:
        """The DVCQG_SSO_* settings that point our client at this stand-in."""
        return {
            "DVCQG_SSO_AUTH_SERVER": self.url,
            "DVCQG_SSO_AUTH_ENDPOINT": PATHS["authorize"],
            "DVCQG_SSO_TOKEN_ENDPOINT": PATHS["token"],
            "DVCQG_SSO_USERINFO_ENDPOINT": PATHS["userinfo"],
            "DVCQG_SSO_CLIENT_ID": self.client_id,
            "DVCQG_SSO_CLIENT_SECRET": self.client_secret,
            "DVCQG_SSO_SCOPE": "openid",
            "DVCQG_SSO_ACR_VALUES": "LoA1",
            "DVCQG_SSO_PKCE": True,
            "DVCQG_SSO_JWKS_ENDPOINT": PATHS["jwks"],
            "DVCQG_SSO_ISSUER": self.issuer,
        }

    @property
    def issuer(self) -> str:
        return self.url + PATHS["token"]

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        return {"keys": [{**jwk, "kid": self.key_id, "use": "sig", "alg": "RS256"}]}

    def _sign(self, claims: dict) -> str:
        if self.faults.alg_none:
            return jwt.encode(claims, "", algorithm="none")
        if self.id_token_alg == "HS256":
            return jwt.encode(claims, self.client_secret, algorithm="HS256")
        key = self.signing_key
        if self.faults.foreign_key:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.key_id})

    # --- authorize ----------------------------------------------------------------------------

    def authorize_problem(self, query: dict) -> str:
        """Why an authorisation request is refused outright (shown, not redirected), or ""."""
        if query.get("client_id") != self.client_id:
            return "client_id không đúng."
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            return "redirect_uri không hợp lệ."
        if self.redirect_uris and redirect_uri not in self.redirect_uris:
            return "redirect_uri chưa được đăng ký cho ứng dụng này."
        if query.get("response_type") != "code":
            return "response_type phải là code."
        if "openid" not in query.get("scope", "").split():
            return "scope phải có openid."
        method = query.get("code_challenge_method", "")
        if query.get("code_challenge") and method != "S256":
            return "code_challenge_method phải là S256."
        if self.require_pkce and not query.get("code_challenge"):
            return "Ứng dụng này phải dùng PKCE (code_challenge)."
        return ""

    def authorize_choose(self, form: dict) -> str:
        """The tester's choice → where the browser goes back to (with a code or an error)."""
        redirect_uri = form["redirect_uri"]
        back: dict[str, str] = {}
        if form.get("state"):
            back["state"] = form["state"]
        key = form.get("identity", "")
        if form.get("action") == "cancel" or key not in self.identities:
            back["error"] = "access_denied"
            back["error_description"] = "Người dùng hủy đăng nhập"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self.codes[code] = {
                    "identity": key,
                    "redirect_uri": redirect_uri,
                    "nonce": form.get("nonce", ""),
                    "challenge": form.get("code_challenge", ""),
                    "expires": time.time() + CODE_SECONDS,
                }
            back["code"] = code
        joiner = "&" if "?" in redirect_uri else "?"
        return redirect_uri + joiner + urlencode(back)

    # --- token ----------------------------------------------------------------------------------

    def token(self, headers, form: dict) -> tuple[int, dict]:
        self.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        if self.faults.token_delay:
            time.sleep(self.faults.token_delay)
        if self.faults.token_status:
            return self.faults.token_status, {"error": "server_error"}
        client_id, secret = _client_of(headers, form)
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Sai thông tin ứng dụng"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["expires"] < time.time():
            return 400, {"error": "invalid_grant", "error_description": "Mã không hợp lệ"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri khác"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not verifier or not secrets.compare_digest(expected, grant["challenge"]):
                return 400, {"error": "invalid_grant", "error_description": "PKCE không khớp"}
        claims = dict(self.identities[grant["identity"]])
        access = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[access] = (claims, time.time() + TOKEN_SECONDS)
        at = int(time.time())
        nonce = "khac-" + grant["nonce"] if self.faults.wrong_nonce else grant["nonce"]
        id_token = self._sign(
            {
                "iss": self.issuer,
                "aud": self.client_id,
                "sub": claims.get("TechID", ""),
                "iat": at,
                "exp": at + TOKEN_SECONDS,
                "nonce": nonce,
                "acr": "LoA1",
            }
        )
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "scope": "openid",
            "id_token": id_token,
        }

    # --- userinfo -------------------------------------------------------------------------------

    def userinfo(self, headers) -> tuple[int, dict]:
        if self.faults.userinfo_status:
            return self.faults.userinfo_status, {"error": "server_error"}
        token = (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        with self._lock:
            claims, expires = self.tokens.get(token, ({}, 0.0))
        if not claims or expires < time.time():
            return 401, {"error": "invalid_token"}
        answer = {k: v for k, v in claims.items() if k not in self.faults.userinfo_drop}
        answer["sub"] = claims.get("TechID", "")
        return 200, answer

    # --- the page -------------------------------------------------------------------------------

    def authorize_page(self, query: dict) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k
            in (
                "client_id",
                "redirect_uri",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
            )
        )
        choices = "".join(
            f'<li><label><input type="radio" name="identity" value="{html.escape(key)}"'
            f"{' checked' if i == 0 else ''}> {html.escape(c.get('HoVaTen', ''))} — "
            f"số định danh {html.escape(c.get('SoDinhDanh') or '(không có)')}"
            f"{' — ' + html.escape(c['TenDoanhNghiep']) if c.get('TenDoanhNghiep') else ''}"
            "</label></li>"
            for i, (key, c) in enumerate(self.identities.items())
        )
        return _page(
            "Đăng nhập (giả lập Cổng Dịch vụ công quốc gia)",
            "<p>Máy chủ giả lập để thử nghiệm: chọn một danh tính thử nghiệm.</p>"
            f'<form method="post" action="{PATHS["authorize"]}">{hidden}'
            "<fieldset><legend>Danh tính thử nghiệm</legend>"
            f'<ul class="plain">{choices}</ul></fieldset>'
            '<button type="submit" name="action" value="login">Đăng nhập</button> '
            '<button type="submit" name="action" value="cancel">Hủy</button></form>',
        )


def _client_of(headers, form: dict) -> tuple[str, str]:
    auth = headers.get("Authorization") or ""
    if auth.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            return client_id, secret
        except (ValueError, UnicodeDecodeError):
            return "", ""
    return form.get("client_id", ""), form.get("client_secret", "")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}"
        "ul.plain{list-style:none;padding:0}li{margin:.5rem 0}"
        "button{font-size:1rem;padding:.5rem 1rem}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )


def _form_of(raw: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], standin: StandInNationalSignOn):
        self.standin = standin
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    @property
    def idp(self) -> StandInNationalSignOn:
        return self.server.standin  # type: ignore[attr-defined]

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == PATHS["authorize"]:
            self.idp.authorize_requests.append(query)
            problem = self.idp.authorize_problem(query)
            if problem:
                self._html(400, _page("Yêu cầu đăng nhập không hợp lệ", f"<p>{problem}</p>"))
            else:
                self._html(200, self.idp.authorize_page(query))
        elif parts.path == PATHS["userinfo"]:
            self._json(*self.idp.userinfo(self.headers))
        elif parts.path == PATHS["jwks"]:
            self._json(200, self.idp.jwks())
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > BODY_MAX:
            self._json(413, {"error": "too_large"})
            return
        form = _form_of(self.rfile.read(length))
        path = urlsplit(self.path).path
        if path == PATHS["authorize"]:
            problem = self.idp.authorize_problem(
                {**form, "response_type": "code", "scope": "openid"}
            )
            if problem:
                self._html(400, _page("Yêu cầu đăng nhập không hợp lệ", f"<p>{problem}</p>"))
                return
            self.send_response(302)
            self.send_header("Location", self.idp.authorize_choose(form))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == PATHS["token"]:
            self._json(*self.idp.token(self.headers, form))
        elif path == PATHS["userinfo"]:
            self._json(*self.idp.userinfo(self.headers))
        else:
            self._json(404, {"error": "not_found"})

    def _json(self, status: int, answer: dict) -> None:
        self._raw(status, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

    def _html(self, status: int, text: str) -> None:
        self._raw(status, text.encode(), "text/html; charset=utf-8")

    def _raw(self, status: int, data: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, *args):  # quiet: the command prints its own lines
        pass
