"""A stand-in document-exchange gateway (trục liên thông văn bản) speaking the HTTP shape our
HttpGatewayTransport speaks (transports.py, docs/exchange.md), for tests and for trying the exchange
on one machine: `motcua exchange stand-in --port 8095`. Standard library only, one thread per
request, everything in memory.

Each system (an organ code) has a secret; a package sent to organ codes lands in each one's box;
getReceivedEdocList lists a box (edoc or status), getEdoc hands one package, updateStatus takes it
out (done or fail). It checks the credentials and the size, not the package: a gateway carries.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

BODY_MAX = 64 * 1024 * 1024


@dataclass
class Faults:
    """Switches for tests: refuse every send, or answer every call with this HTTP status."""

    refuse_send: bool = False
    http_status: int = 0


@dataclass
class Box:
    packages: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # id → (type, bytes)
    done: dict[str, str] = field(default_factory=dict)  # id → "done" | "fail"


class StandInGateway:
    def __init__(self, systems: dict[str, str], host: str = "127.0.0.1", port: int = 0):
        self.systems = dict(systems)
        self.boxes: dict[str, Box] = {}
        self.faults = Faults()
        self.lock = threading.Lock()
        self.sent: list[dict[str, Any]] = []
        self.server = ThreadingHTTPServer((host, port), _Handler)
        cast(Any, self.server).gateway = self
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandInGateway:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def box(self, system_id: str) -> Box:
        return self.boxes.setdefault(system_id, Box())


class _Handler(BaseHTTPRequestHandler):
    server_version = "MotCuaStandInGateway/1"

    def log_message(self, format, *args):  # noqa: A002 — quiet in tests
        pass

    @property
    def gateway(self) -> StandInGateway:
        return cast(Any, self.server).gateway

    def _answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: dict, status: int = 200) -> None:
        self._answer(status, json.dumps(data, ensure_ascii=False).encode())

    def _system(self) -> str | None:
        system_id = self.headers.get("systemId", "")
        secret = self.headers.get("secret", "")
        if not system_id or self.gateway.systems.get(system_id) != secret:
            self._json({"status": "FAIL", "message": "Sai mã hệ thống hoặc khóa bí mật"}, 401)
            return None
        return system_id

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > BODY_MAX:
            self._json({"status": "FAIL", "message": "Gói tin quá lớn"}, 413)
            return None
        return self.rfile.read(length)

    def _route(self, method: str) -> None:
        if self.gateway.faults.http_status:
            self._json({"status": "FAIL"}, self.gateway.faults.http_status)
            return
        parts = urlsplit(self.path)
        operation = parts.path.rstrip("/").rsplit("/", 1)[-1]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        system_id = self._system()
        if system_id is None:
            return
        handler = getattr(self, f"_{method}_{operation}", None)
        if handler is None:
            self._json({"status": "FAIL", "message": "Không có thao tác này"}, 404)
            return
        handler(system_id, query)

    def do_GET(self):  # noqa: N802
        self._route("get")

    def do_POST(self):  # noqa: N802
        self._route("post")

    def _post_sendEdoc(self, system_id: str, query: dict) -> None:  # noqa: N802
        body = self._body()
        if body is None:
            return
        if self.gateway.faults.refuse_send:
            self._json({"status": "FAIL", "message": "Trục từ chối gói tin"})
            return
        to = [t.strip() for t in self.headers.get("to", "").split(",") if t.strip()]
        if not to:
            self._json({"status": "FAIL", "message": "Thiếu nơi nhận"})
            return
        messagetype = self.headers.get("messagetype", "edoc")
        doc_id = uuid.uuid4().hex
        with self.gateway.lock:
            for organ_id in to:
                self.gateway.box(organ_id).packages[doc_id] = (messagetype, body)
            self.gateway.sent.append({"from": system_id, "to": to, "type": messagetype})
        self._json({"status": "OK", "docId": doc_id})

    def _get_getReceivedEdocList(self, system_id: str, query: dict) -> None:  # noqa: N802
        messagetype = query.get("messagetype", "edoc")
        with self.gateway.lock:
            box = self.gateway.box(system_id)
            ids = [i for i, (t, _) in box.packages.items() if t == messagetype]
        self._json({"status": "OK", "data": [{"docId": i} for i in ids]})

    def _get_getEdoc(self, system_id: str, query: dict) -> None:  # noqa: N802
        with self.gateway.lock:
            found = self.gateway.box(system_id).packages.get(query.get("docId", ""))
        if found is None:
            self._json({"status": "FAIL", "message": "Không có gói tin"}, 404)
            return
        self._answer(200, found[1], "application/xml")

    def _post_updateStatus(self, system_id: str, query: dict) -> None:  # noqa: N802
        body = self._body() or b"{}"
        try:
            data = json.loads(body)
        except ValueError:
            data = {}
        doc_id = str(data.get("docId", "")) if isinstance(data, dict) else ""
        with self.gateway.lock:
            box = self.gateway.box(system_id)
            if box.packages.pop(doc_id, None) is None:
                self._json({"status": "FAIL", "message": "Không có gói tin"})
                return
            box.done[doc_id] = str(data.get("status", ""))
        self._json({"status": "OK"})
