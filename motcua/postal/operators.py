"""Clients of the postal operators' APIs behind one interface, chosen by settings:
POSTAL_OPERATOR_BACKEND = "file" (demo and development: nothing leaves the machine) | "http".

The HTTP protocol (docs/postal.md): POST {POSTAL_API_URL}/consignments with a JSON body
{"request_id", "service", "sender": {...}, "receiver": {...}, "weight_grams", "reference"} and the
header `Authorization: Bearer <POSTAL_API_KEY>`. 201 → {"consignment_number": "EE…VN"}; the same
request_id sent again answers 200 with the number given the first time (a retry after a lost answer
never makes two consignments); 4xx → {"error": {"code", "message"}}.
"""

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .s10 import s10_number, s10_validate


class OperatorError(Exception):
    """The operator did not create the consignment; `retryable` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    phone: str = ""
    province_code: str = ""
    ward_code: str = ""


@dataclass(frozen=True)
class ConsignmentRequest:
    request_id: str  # ours, stable across retries: "motcua-<consignment id>"
    service: str
    sender: Party
    receiver: Party
    weight_grams: int
    reference: str  # the dossier code, printed on the operator's side too


class OperatorClient(Protocol):
    def create_consignment(self, request: ConsignmentRequest) -> str: ...


class FileOperatorClient:
    """Writes each request as a JSON file in the outbox (what a clerk would send the operator) and
    numbers it locally from the request's own id, so the number is stable across retries."""

    def __init__(self, outbox: str, *, service: str = "EE", country: str = "VN"):
        self.outbox = Path(outbox)
        self.service, self.country = service, country

    def create_consignment(self, request: ConsignmentRequest) -> str:
        path = self.outbox / f"{request.request_id}.json"
        if path.exists():  # a retry: the number given the first time
            return json.loads(path.read_text(encoding="utf-8"))["consignment_number"]
        digest = hashlib.sha256(request.request_id.encode()).hexdigest()
        number = s10_number(request.service or self.service, int(digest, 16) % 10**8, self.country)
        self.outbox.mkdir(parents=True, exist_ok=True)
        payload = {**asdict(request), "consignment_number": number}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        return number


class HttpOperatorClient:
    def __init__(self, *, url: str, api_key: str, timeout: float = 10):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def create_consignment(self, request: ConsignmentRequest) -> str:
        answer = self._post("/consignments", asdict(request))
        try:
            return s10_validate(str(answer.get("consignment_number", "")))
        except Exception as exc:
            raise OperatorError(
                "Doanh nghiệp bưu chính trả về số hiệu bưu gửi không hợp lệ.", retryable=False
            ) from exc

    def _post(self, path: str, payload: dict) -> dict:
        http_request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.api_key}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            message = _error_message(exc)
            raise OperatorError(
                f"Doanh nghiệp bưu chính từ chối (HTTP {exc.code}): {message}",
                retryable=exc.code >= 500,
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise OperatorError(
                f"Không kết nối được doanh nghiệp bưu chính: {exc}", retryable=True
            ) from exc
        except json.JSONDecodeError as exc:
            raise OperatorError(
                "Doanh nghiệp bưu chính trả về dữ liệu không phải JSON.", retryable=True
            ) from exc


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        return json.loads(exc.read().decode())["error"]["message"]
    except Exception:
        return "không rõ lỗi"


def operator_client(operator: str) -> OperatorClient:
    config = settings.POSTAL_OPERATORS[operator]
    backend = settings.POSTAL_OPERATOR_BACKEND
    if backend == "file":
        return FileOperatorClient(
            settings.POSTAL_OUTBOX_DIR, service=config["service"], country=config["country"]
        )
    if backend == "http":
        if not settings.POSTAL_API_URL:
            raise ImproperlyConfigured("POSTAL_OPERATOR_BACKEND=http cần POSTAL_API_URL.")
        return HttpOperatorClient(url=settings.POSTAL_API_URL, api_key=settings.POSTAL_API_KEY)
    raise ImproperlyConfigured(f"POSTAL_OPERATOR_BACKEND không hợp lệ: {backend}")
