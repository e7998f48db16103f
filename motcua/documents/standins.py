"""Local stand-ins for the services a signature needs, speaking their real protocols on loopback
(for the tests, the benchmark and a demo without the internet):

* `TimestampStandIn` — an RFC 3161 timestamp authority over HTTP (application/timestamp-query →
  application/timestamp-reply), signing with pyHanko's DummyTimeStamper and a test TSA key.
* `CscStandIn` — a remote signing service speaking the CSC API v2 endpoints the client uses
  (credentials/list, credentials/info, credentials/authorize, signatures/signHash), behind an
  OAuth bearer token. Each credential has a key, its certificate chain, a PIN and a TOTP secret
  (the authenticator app on the signer's phone): authorising needs both, binds the Signature
  Activation Data to the hashes about to be signed, and the SAD signs once.
"""

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHA256_OID = "2.16.840.1.101.3.4.2.1"
SHA256_RSA_OID = "1.2.840.113549.1.1.11"
RSA_OID = "1.2.840.113549.1.1.1"
SAD_SECONDS = 300


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) in a daemon thread."""

    def _start(self, handler) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(answer):
    """A request handler calling `answer(path, headers, body) -> (status, content_type, bytes)`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, content_type, data = answer(self.path, self.headers, body)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


# --- RFC 3161 -------------------------------------------------------------------------------------


class TimestampStandIn(_Server):
    def __init__(self, cert_pem: Path, key_pem: Path, chain_pems: tuple[Path, ...] = ()):
        from asn1crypto import keys, pem, x509  # type: ignore[import-untyped]
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        def load_cert(path: Path):
            return x509.Certificate.load(pem.unarmor(path.read_bytes())[2])

        self.stamper = DummyTimeStamper(
            tsa_cert=load_cert(cert_pem),
            tsa_key=keys.PrivateKeyInfo.load(pem.unarmor(key_pem.read_bytes())[2]),
            certs_to_embed=SimpleCertificateStore.from_certs([load_cert(p) for p in chain_pems]),
        )
        self.requests = 0
        self._start(_handler(self._answer))
        self.url = self.base_url + "/tsa"

    def _answer(self, path, headers, body):
        from asn1crypto import tsp

        if headers.get("Content-Type") != "application/timestamp-query":
            return 400, "text/plain", b"expected application/timestamp-query"
        self.requests += 1
        response = self.stamper.request_tsa_response(tsp.TimeStampReq.load(body))
        return 200, "application/timestamp-reply", response.dump()


# --- CSC API v2 -----------------------------------------------------------------------------------


@dataclass
class Credential:
    key_pem: Path
    chain_pems: tuple[Path, ...]  # the signer's certificate first
    pin: str
    totp_secret: str  # base32, as an authenticator app holds it
    description: str = ""
    subject: str = ""
    _key: object = field(default=None, repr=False)

    def key(self):
        from cryptography.hazmat.primitives import serialization

        if self._key is None:
            self._key = serialization.load_pem_private_key(self.key_pem.read_bytes(), None)
        return self._key

    def certificates_b64(self) -> list[str]:
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        return [
            base64.b64encode(
                x509.load_pem_x509_certificate(p.read_bytes()).public_bytes(Encoding.DER)
            ).decode()
            for p in self.chain_pems
        ]


def totp_now(secret: str, at: float | None = None) -> str:
    """The code the signer's authenticator shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    from motcua.accounts.totp import STEP_SECONDS, hotp

    return hotp(secret, int(at if at is not None else time.time()) // STEP_SECONDS)


def _error(status: int, error: str, description: str):
    return status, {"error": error, "error_description": description}


class CscStandIn(_Server):
    def __init__(self, credentials: dict[str, Credential], access_token: str):
        self.credentials, self.access_token = credentials, access_token
        self.sads: dict[str, tuple[str, frozenset[str], float]] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._start(_handler(self._answer))

    def _answer(self, path, headers, body):
        endpoint = path.removeprefix("/csc/v2/")
        self.calls.append(endpoint)
        if headers.get("Authorization") != f"Bearer {self.access_token}":
            status, answer = _error(401, "invalid_token", "The access token is not valid")
        else:
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = None
            route = {
                "credentials/list": self._list,
                "credentials/info": self._info,
                "credentials/authorize": self._authorize,
                "signatures/signHash": self._sign_hash,
            }.get(endpoint)
            if route is None:
                status, answer = _error(404, "invalid_request", f"Unknown endpoint {endpoint}")
            elif not isinstance(request, dict):
                status, answer = _error(400, "invalid_request", "The body is not a JSON object")
            else:
                status, answer = route(request)
        return status, "application/json", json.dumps(answer).encode()

    def _credential(self, request):
        return self.credentials.get(str(request.get("credentialID", "")))

    def _list(self, request):
        ids = sorted(self.credentials)
        answer: dict = {"credentialIDs": ids}
        if request.get("credentialInfo"):
            answer["credentialInfos"] = [
                self._info_of(self.credentials[i], single=True) for i in ids
            ]
        return 200, answer

    def _info_of(self, credential: Credential, *, single: bool = False) -> dict:
        certificates = credential.certificates_b64()
        return {
            "description": credential.description,
            "key": {"status": "enabled", "algo": [SHA256_RSA_OID, RSA_OID], "len": 2048},
            "cert": {
                "status": "valid",
                "certificates": certificates[:1] if single else certificates,
                "subjectDN": credential.subject,
            },
            "auth": {
                "mode": "explicit",
                "expression": "PIN AND OTP",
                "objects": [
                    {"type": "Password", "id": "PIN", "format": "N", "label": "Mã PIN"},
                    {"type": "Password", "id": "OTP", "format": "N", "generator": "totp"},
                ],
            },
            "SCAL": "2",
            "multisign": 1,
        }

    def _info(self, request):
        credential = self._credential(request)
        if credential is None:
            return _error(400, "invalid_request", "Invalid parameter credentialID")
        return 200, self._info_of(credential)

    def _authorize(self, request):
        credential = self._credential(request)
        if credential is None:
            return _error(400, "invalid_request", "Invalid parameter credentialID")
        given = {d.get("id"): d.get("value") for d in request.get("authData") or []}
        if given.get("PIN") != credential.pin:
            return _error(400, "invalid_pin", "The PIN is invalid")
        if given.get("OTP") not in {
            totp_now(credential.totp_secret, time.time() + d) for d in (-30, 0, 30)
        }:
            return _error(400, "invalid_otp", "The OTP is invalid")
        hashes = request.get("hashes") or []
        if not hashes or request.get("hashAlgorithmOID") != SHA256_OID:
            return _error(400, "invalid_request", "SCAL2: hashes and hashAlgorithmOID required")
        sad = secrets.token_urlsafe(24)
        with self._lock:
            self.sads[sad] = (str(request["credentialID"]), frozenset(hashes), time.time())
        return 200, {"SAD": sad, "expiresIn": SAD_SECONDS}

    def _sign_hash(self, request):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, utils

        credential = self._credential(request)
        if credential is None:
            return _error(400, "invalid_request", "Invalid parameter credentialID")
        with self._lock:
            bound = self.sads.pop(str(request.get("SAD", "")), None)  # a SAD signs once
        wanted = request.get("hashes") or []
        if (
            bound is None
            or bound[0] != request.get("credentialID")
            or not set(wanted) <= bound[1]
            or time.time() - bound[2] > SAD_SECONDS
        ):
            return _error(400, "invalid_request", "Invalid parameter SAD")
        if request.get("signAlgo") not in (SHA256_RSA_OID, RSA_OID):
            return _error(400, "invalid_request", "Invalid parameter signAlgo")
        signatures = [
            base64.b64encode(
                credential.key().sign(
                    base64.b64decode(h), padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
                )
            ).decode()
            for h in wanted
        ]
        return 200, {"signatures": signatures}
