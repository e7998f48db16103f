"""A local HTTP server that speaks eSMS.vn's SendMultipleMessage_V4_post_json protocol, for tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


class EsmsServer:
    def __init__(self, *, api_key="key", secret_key="secret", brandname="STP_HATINH"):
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.delivered: list[dict] = []  # messages that reached a phone
        self.request_ids: set[str] = set()
        self.fail_with_status: int | None = None
        self.drop_answer = False  # accept the message, then close without answering
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, answer = server.handle(self.path, body)
                if answer is None:
                    self.close_connection = True
                    return
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{PATH}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def handle(self, path, body):
        if path != PATH:
            return 404, {"error": "Invalid request"}
        if self.fail_with_status:
            return self.fail_with_status, {"error": "Internal error"}
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
            return 200, {
                "CodeResult": "101",
                "CountRegenerate": 0,
                "ErrorMessage": "Authorize Failed",
            }
        if body.get("Brandname") != self.brandname:
            return 200, {
                "CodeResult": "104",
                "CountRegenerate": 0,
                "ErrorMessage": "Brand name code is not exist",
            }
        if body.get("RequestId") in self.request_ids:
            return 200, {
                "CodeResult": "124",
                "CountRegenerate": 0,
                "ErrorMessage": "Request exist 1",
                "SendStatus": "5",
            }
        self.request_ids.add(body.get("RequestId"))
        self.delivered.append(body)
        if self.drop_answer:
            return 200, None
        return 200, {
            "CodeResult": "100",
            "CountRegenerate": 0,
            "SMSID": f"sms-{len(self.delivered)}",
        }

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
