"""The signer's key behind one interface, three backends (ADR 0032):

* ``pkcs11`` — a USB token or an HSM through its PKCS#11 module (how Vietnamese officials sign
  today: VGCA and commercial tokens), with pyHanko's PKCS11Signer. The PIN is asked at signing,
  used for that one session and never stored.
* ``csc`` — a remote signing service speaking the Cloud Signature Consortium API v2 (csc.py),
  with pyHanko's CSC signer; the signer confirms each signature with a PIN and a one-time code.
* ``pkcs12`` — a key in a PKCS#12 file, for the demo only: refused under production settings
  (MOTCUA_FILE_KEYS_ALLOWED is False there).

`key_open(spec, activation)` is an async context manager yielding a pyHanko Signer; every failure
is a `SigningFailed` (a ValidationError) with a Vietnamese message and a stable code, raised before
anything is stored.
"""

import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

PKCS11 = "pkcs11"
CSC = "csc"
PKCS12 = "pkcs12"

MSG_PIN_REQUIRED = "Vui lòng nhập mã PIN của thiết bị ký số."
MSG_WRONG_PIN = "Mã PIN không đúng. Chưa có gì được ký; vui lòng nhập lại."
MSG_PIN_LOCKED = (
    "Thiết bị ký số đã khoá mã PIN do nhập sai nhiều lần. Vui lòng liên hệ tổ chức cung cấp "
    "chứng thư số để mở khoá."
)
MSG_MODULE = "Không nạp được thư viện PKCS#11 “{module}” của thiết bị ký số."
MSG_TOKEN_MISSING = (
    "Không tìm thấy thiết bị ký số có nhãn “{label}”. Vui lòng cắm USB token rồi ký lại."
)
MSG_TOKEN_GONE = (
    "Thiết bị ký số đã bị rút ra hoặc mất kết nối trong khi ký. Chưa có gì được ký; vui lòng "
    "cắm lại thiết bị và ký lại."
)
MSG_KEY_MISSING = "Thiết bị ký số “{label}” không có khoá ký hoặc chứng thư tên “{key}”."
MSG_FILE_KEY_REFUSED = (
    "Khoá ký dạng tệp (PKCS#12) chỉ dùng cho bản trình diễn, không được dùng khi vận hành "
    "chính thức. Vui lòng ký bằng USB token hoặc dịch vụ ký số từ xa."
)
MSG_FILE_KEY_MISSING = "Không mở được tệp khoá ký “{path}” (thiếu tệp hoặc sai mật khẩu)."
MSG_BACKEND_UNKNOWN = "Cấu hình người ký không hợp lệ (loại khoá ký “{kind}”)."


class SigningFailed(ValidationError):
    """Signing could not be done; nothing was signed or stored."""


@dataclass(frozen=True)
class KeySpec:
    """Where a signer's key lives: what the back office records per signer (no secret)."""

    kind: str
    pkcs11_module: str = ""
    token_label: str = ""
    key_label: str = ""
    cert_label: str = ""
    csc_base_url: str = ""
    csc_credential_id: str = ""
    pkcs12_path: str = ""


@dataclass(frozen=True)
class Activation:
    """What the signer gives at the moment of signing, used once and never stored: the token's
    PIN, or for remote signing the PIN and the one-time confirmation code."""

    pin: str = ""
    otp: str = ""


def key_open(spec: KeySpec, activation: Activation):
    """An async context manager yielding a pyHanko Signer for `spec`."""
    if spec.kind == PKCS11:
        return _pkcs11_signer(spec, activation)
    if spec.kind == CSC:
        from .csc import csc_signer

        return csc_signer(spec, activation)
    if spec.kind == PKCS12:
        return _pkcs12_signer(spec)
    raise SigningFailed(MSG_BACKEND_UNKNOWN.format(kind=spec.kind), code="backend_unknown")


# --- PKCS#12 (demo) -------------------------------------------------------------------------------


def file_signer_load(path: str = ""):
    """The pyHanko signer of a PKCS#12 file (the demo's key by default), refused in production."""
    from pyhanko.sign import signers

    if not settings.MOTCUA_FILE_KEYS_ALLOWED:
        raise SigningFailed(MSG_FILE_KEY_REFUSED, code="file_key_refused")
    file = Path(path or settings.MOTCUA_SIGNING_PKCS12)
    signer = None
    if file.is_file():
        signer = signers.SimpleSigner.load_pkcs12(
            pfx_file=str(file), passphrase=settings.MOTCUA_SIGNING_PASSPHRASE.encode()
        )
    if signer is None:
        raise SigningFailed(MSG_FILE_KEY_MISSING.format(path=file), code="file_key_missing")
    return signer


@contextlib.asynccontextmanager
async def _pkcs12_signer(spec: KeySpec) -> AsyncIterator:
    yield file_signer_load(spec.pkcs12_path)


# --- PKCS#11 --------------------------------------------------------------------------------------

# One session at a time per module: a USB token signs one thing at a time anyway, and re-reading
# the slots (below) must not pull a session from under another request's signature.
_MODULE_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _module_lock(module: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _MODULE_LOCKS.setdefault(module, threading.Lock())


def _token_find(lib, label: str):
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except Exception:  # a slot whose token just went away
            continue
        if token.label == label:
            return token
    return None


def _pkcs11_library(module: str):
    import pkcs11

    try:
        return pkcs11.lib(module)
    except Exception as error:
        raise SigningFailed(MSG_MODULE.format(module=module), code="pkcs11_module") from error


def _pkcs11_session(spec: KeySpec, pin: str):
    """Open a logged-in session on the token labelled spec.token_label. A token plugged in after
    this process first read the slots is only seen once the module is initialised again."""
    import pkcs11

    lib = _pkcs11_library(spec.pkcs11_module)
    token = _token_find(lib, spec.token_label)
    if token is None:
        lib.reinitialize()
        token = _token_find(lib, spec.token_label)
    if token is None:
        raise SigningFailed(MSG_TOKEN_MISSING.format(label=spec.token_label), code="token_missing")
    try:
        return token.open(user_pin=pin)
    except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLenRange) as error:
        raise SigningFailed(MSG_WRONG_PIN, code="wrong_pin") from error
    except pkcs11.exceptions.PinLocked as error:
        raise SigningFailed(MSG_PIN_LOCKED, code="pin_locked") from error


@contextlib.asynccontextmanager
async def _pkcs11_signer(spec: KeySpec, activation: Activation) -> AsyncIterator:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    if not activation.pin:
        raise SigningFailed(MSG_PIN_REQUIRED, code="pin_required")
    with _module_lock(spec.pkcs11_module), pkcs11_errors(spec):
        session = _pkcs11_session(spec, activation.pin)
        try:
            signer = PKCS11Signer(
                session,
                key_label=spec.key_label,
                cert_label=spec.cert_label or spec.key_label,
                other_certs_to_pull=None,  # the chain too, when the token holds it
            )
            await signer.ensure_objects_loaded()
            yield signer
        finally:
            with contextlib.suppress(Exception):  # a token pulled out has no session to close
                session.close()


# Errors that mean the token (or its slot) disappeared between finding it and using it.
_GONE = (
    "TokenNotPresent",
    "DeviceRemoved",
    "DeviceError",
    "SessionClosed",
    "SessionHandleInvalid",
    "ObjectHandleInvalid",
    "GeneralError",
    "TokenNotRecognised",
    "SlotIDInvalid",
)


@contextlib.contextmanager
def pkcs11_errors(spec: KeySpec):
    """Turn what the token says into the officer's words."""
    import pkcs11
    from pyhanko.sign.general import SigningError

    try:
        yield
    except SigningFailed:
        raise
    except pkcs11.exceptions.PKCS11Error as error:
        if str(error).startswith(("Could not find", "Found more than one")):
            raise SigningFailed(
                MSG_KEY_MISSING.format(label=spec.token_label, key=spec.key_label),
                code="key_missing",
            ) from error
        code = "token_gone" if type(error).__name__ in _GONE else "token_error"
        logger.warning("pkcs11: %s during signing", type(error).__name__)
        raise SigningFailed(MSG_TOKEN_GONE, code=code) from error
    except SigningError as error:
        # pyHanko wraps what the token said while signing.
        if isinstance(error.__cause__, pkcs11.exceptions.PKCS11Error):
            raise SigningFailed(MSG_TOKEN_GONE, code="token_gone") from error
        raise
