"""A local HTTP server for tests that speaks JSON over POST, in a thread: the base of the servers
that stand in for the services we cannot reach (eSMS.vn, the postal operator). A subclass answers
`handle(path, headers, body) -> (status, answer)`; an answer of None closes the connection without
answering (a gateway that took the request and then dropped). A form-encoded body (an OAuth token
refresh) reaches `handle` as a dict of its fields."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

FORM = "application/x-www-form-urlencoded"


class JsonServer:
    def __init__(self, base_path: str = ""):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Type", "").startswith(FORM):
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                else:
                    body = json.loads(raw)
                status, answer = server.handle(self.path, self.headers, body)
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
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{base_path}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def handle(self, path: str, headers, body) -> tuple[int, dict | None]:
        raise NotImplementedError

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
