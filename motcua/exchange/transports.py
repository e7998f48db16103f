"""How packages travel: a shared directory (demo, tests, two installations on one machine) or the
HTTP interface of a document-exchange gateway (trục liên thông văn bản).

Both take a package's bytes with the organ codes it is for, and hand back what waits for us:

    transport.send(package, to=["000.00.12.H27"], kind="document") -> message id
    transport.receive() -> [Received(message_id, data)]
    transport.acknowledge(message_id, ok=True)   # done, or failed: never delivered again

The gateway's operations are named as in the VPCP exchange SDK the reference describes (§13:
sendEdoc, getReceivedEdocList, getEdoc, updateStatus, with a system id and a secret); their HTTP
shape is ours (docs/exchange.md) and is spoken by the stand-in (standin.py).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from motcua.core.lazy import lazy_module

if TYPE_CHECKING:
    import requests
else:
    requests = lazy_module("requests")  # loaded on first use: a worker's memory (core/lazy.py)


class TransportError(Exception):
    """The package did not reach the other side; the message is for the user (Vietnamese)."""


@dataclass(frozen=True)
class Received:
    message_id: str
    data: bytes


class Transport(Protocol):
    name: str

    def send(self, package: bytes, *, to: list[str], kind: str) -> str: ...

    def receive(self) -> list[Received]: ...

    def acknowledge(self, message_id: str, *, ok: bool) -> None: ...


SAFE_ORGAN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,63}$")
SAFE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,127}$")


class DirectoryTransport:
    """ROOT/<organ code>/inbox/<id>.edxml; received packages move to done/ or failed/ beside it.
    Writes go through a temporary name and a rename, so a reader never sees half a package."""

    name = "directory"

    def __init__(self, root: str | Path, organ_ids: list[str]):
        self.root = Path(root)
        self.organ_ids = organ_ids

    def _box(self, organ_id: str, box: str) -> Path:
        if not SAFE_ORGAN.fullmatch(organ_id):
            raise TransportError(f"Mã định danh “{organ_id}” không dùng được làm tên thư mục.")
        return self.root / organ_id / box

    def send(self, package: bytes, *, to: list[str], kind: str) -> str:
        message_id = f"{kind}-{uuid.uuid4().hex}"
        boxes = [self._box(organ_id, "inbox") for organ_id in to]
        try:
            for box in boxes:
                box.mkdir(parents=True, exist_ok=True)
                temporary = box / f".{message_id}.part"
                temporary.write_bytes(package)
                os.replace(temporary, box / f"{message_id}.edxml")
        except OSError as exc:
            raise TransportError(f"Không ghi được gói tin vào thư mục trao đổi: {exc}") from None
        return message_id

    def receive(self) -> list[Received]:
        found = []
        for organ_id in self.organ_ids:
            box = self._box(organ_id, "inbox")
            if not box.is_dir():
                continue
            # Oldest first (statuses of one document must be read in the order they were sent).
            paths = sorted(box.glob("*.edxml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
            for path in paths:
                found.append(Received(f"{organ_id}/{path.stem}", path.read_bytes()))
        return found

    def acknowledge(self, message_id: str, *, ok: bool) -> None:
        organ_id, _, stem = message_id.partition("/")
        if not SAFE_ID.fullmatch(stem):
            raise TransportError(f"Mã gói tin “{message_id}” không hợp lệ.")
        source = self._box(organ_id, "inbox") / f"{stem}.edxml"
        target_box = self._box(organ_id, "done" if ok else "failed")
        target_box.mkdir(parents=True, exist_ok=True)
        if source.exists():
            os.replace(source, target_box / source.name)


class HttpGatewayTransport:
    """A document-exchange gateway over HTTP(S): the system id and secret in headers, the package as
    the body (application/xml), answers in JSON {"status": "OK"|"FAIL", …}."""

    name = "http"

    def __init__(
        self,
        url: str,
        system_id: str,
        secret: str,
        *,
        timeout: float = 30.0,
        max_reply_bytes: int = 64 * 1024 * 1024,
        session: requests.Session | None = None,
    ):
        self.url = url.rstrip("/")
        self.system_id = system_id
        self.secret = secret
        self.timeout = timeout
        self.max_reply_bytes = max_reply_bytes
        self.session = session or requests.Session()

    def _headers(self, **extra: str) -> dict[str, str]:
        return {"systemId": self.system_id, "secret": self.secret, **extra}

    def _call(self, method: str, operation: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(
                method,
                f"{self.url}/{operation}",
                timeout=self.timeout,
                stream=True,
                **kwargs,
            )
            body = response.raw.read(self.max_reply_bytes + 1, decode_content=True)
        except requests.RequestException as exc:
            raise TransportError(
                f"Không kết nối được trục trao đổi văn bản ({operation}): {type(exc).__name__}"
            ) from None
        if len(body) > self.max_reply_bytes:
            raise TransportError(f"Trục trao đổi trả lời quá lớn ({operation}).")
        response._content = body
        if response.status_code in (401, 403):
            raise TransportError("Trục trao đổi văn bản từ chối mã hệ thống hoặc khóa bí mật.")
        if response.status_code >= 400:
            raise TransportError(
                f"Trục trao đổi văn bản trả lời lỗi HTTP {response.status_code} ({operation})."
            )
        return response

    def _json(self, response: requests.Response, operation: str) -> dict:
        try:
            data = response.json()
        except ValueError:
            raise TransportError(f"Trục trao đổi trả lời không phải JSON ({operation}).") from None
        if not isinstance(data, dict) or data.get("status") != "OK":
            message = str(data.get("message", "")) if isinstance(data, dict) else ""
            raise TransportError(f"Trục trao đổi từ chối ({operation}): {message[:200]}")
        return data

    def send(self, package: bytes, *, to: list[str], kind: str) -> str:
        response = self._call(
            "POST",
            "sendEdoc",
            data=package,
            headers=self._headers(
                **{
                    "Content-Type": "application/xml",
                    "to": ",".join(to),
                    "messagetype": "status" if kind == "status" else "edoc",
                }
            ),
        )
        data = self._json(response, "sendEdoc")
        return str(data.get("docId", ""))

    def receive(self) -> list[Received]:
        found = []
        for messagetype in ("edoc", "status"):
            listing = self._json(
                self._call(
                    "GET",
                    "getReceivedEdocList",
                    params={"servicetype": "eDoc", "messagetype": messagetype},
                    headers=self._headers(),
                ),
                "getReceivedEdocList",
            )
            for item in listing.get("data") or []:
                doc_id = str(item.get("docId", "")) if isinstance(item, dict) else ""
                if not SAFE_ID.fullmatch(doc_id):
                    continue
                response = self._call(
                    "GET", "getEdoc", params={"docId": doc_id}, headers=self._headers()
                )
                found.append(Received(doc_id, response.content))
        return found

    def acknowledge(self, message_id: str, *, ok: bool) -> None:
        self._json(
            self._call(
                "POST",
                "updateStatus",
                json={"status": "done" if ok else "fail", "docId": message_id},
                headers=self._headers(),
            ),
            "updateStatus",
        )


def configured_transport(organ_ids: list[str]) -> Transport:
    """The transport the settings name (MOTCUA_EXCHANGE_TRANSPORT); TransportError when none is
    configured or its settings are incomplete."""
    kind = settings.MOTCUA_EXCHANGE_TRANSPORT
    if kind == "directory":
        if not settings.MOTCUA_EXCHANGE_DIRECTORY:
            raise TransportError("Chưa đặt MOTCUA_EXCHANGE_DIRECTORY (thư mục trao đổi văn bản).")
        return DirectoryTransport(settings.MOTCUA_EXCHANGE_DIRECTORY, organ_ids)
    if kind == "http":
        missing = [
            name
            for name in (
                "MOTCUA_EXCHANGE_GATEWAY_URL",
                "MOTCUA_EXCHANGE_SYSTEM_ID",
                "MOTCUA_EXCHANGE_SECRET",
            )
            if not getattr(settings, name)
        ]
        if missing:
            raise TransportError("Chưa đặt " + ", ".join(missing) + " (trục trao đổi văn bản).")
        return HttpGatewayTransport(
            settings.MOTCUA_EXCHANGE_GATEWAY_URL,
            settings.MOTCUA_EXCHANGE_SYSTEM_ID,
            settings.MOTCUA_EXCHANGE_SECRET,
            timeout=settings.MOTCUA_EXCHANGE_TIMEOUT_SECONDS,
            max_reply_bytes=settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES,
        )
    raise TransportError(
        "Chưa cấu hình đường truyền văn bản: đặt MOTCUA_EXCHANGE_TRANSPORT=directory hoặc http."
    )
