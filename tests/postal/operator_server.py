"""A local HTTP server speaking the consignment-creation protocol of docs/postal.md, for tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from motcua.postal.s10 import s10_number


class OperatorServer:
    def __init__(self, *, api_key="khoa-api"):
        self.api_key = api_key
        self.created: dict[str, dict] = {}  # request_id -> request body
        self.fail_with_status: int | None = None
        self.answer_number: str | None = None  # force a (bad) number in the answer
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, answer = server.handle(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

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

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
