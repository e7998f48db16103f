"""A local HTTP server speaking the consignment-creation protocol of docs/postal.md, for tests."""

from motcua.postal.s10 import s10_number
from tests.json_server import JsonServer


class OperatorServer(JsonServer):
    def __init__(self, *, api_key="khoa-api"):
        self.api_key = api_key
        self.created: dict[str, dict] = {}  # request_id -> request body
        self.fail_with_status: int | None = None
        self.answer_number: str | None = None  # force a (bad) number in the answer
        super().__init__("/api/v1")

    def handle(self, path, headers, body):
        if path != "/api/v1/consignments":
            return 404, {"error": {"code": "not_found", "message": "Not found"}}
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"code": "unauthorized", "message": "Sai khóa API"}}
        if self.fail_with_status:
            return self.fail_with_status, {"error": {"code": "down", "message": "Hệ thống bận"}}
        missing = [
            k for k in ("request_id", "service", "receiver", "weight_grams") if k not in body
        ]
        if missing:
            return 400, {"error": {"code": "invalid", "message": f"Thiếu {missing}"}}
        request_id = body["request_id"]
        if request_id in self.created:
            return 200, {"consignment_number": self.created[request_id]["number"]}
        number = self.answer_number or s10_number(body["service"], 70000000 + len(self.created))
        self.created[request_id] = {"number": number, "body": body}
        return 201, {"consignment_number": number}
