"""A local HTTP server that speaks Zalo ZNS for tests: POST /message/template (JSON, header
`access_token`) and the OA token refresh POST /v4/oa/access_token (form-encoded, header
`secret_key`). Its replies follow motcua.notifications.zalo's reading of the protocol."""

from tests.json_server import JsonServer

SEND = "/message/template"
REFRESH = "/v4/oa/access_token"


class ZnsServer(JsonServer):
    def __init__(self, *, token="token-1", refresh_token="refresh-1", templates=("123456",)):
        self.token, self.refresh_token = token, refresh_token
        self.templates = set(templates)
        self.app_id, self.secret_key = "app-1", "secret-1"
        self.delivered: list[dict] = []  # messages that reached a Zalo account
        self.requests: list[tuple] = []  # (path, headers, body) of every call
        self.no_zalo_account: set[str] = set()  # numbers without a Zalo account
        self.fail_with_status: int | None = None
        super().__init__()

    def handle(self, path, headers, body):
        self.requests.append((path, headers, body))  # headers: case-insensitive
        if self.fail_with_status:
            return self.fail_with_status, {"error": -1, "message": "Internal error"}
        if path == REFRESH:
            return self._refresh(headers, body)
        if path != SEND:
            return 404, {"error": 404, "message": "Not found"}
        if headers.get("access_token") != self.token:
            return 200, {"error": -124, "message": "Access token is invalid or expired"}
        if body.get("template_id") not in self.templates:
            return 200, {"error": -109, "message": "Template ID invalid"}
        if not isinstance(body.get("template_data"), dict) or not body["template_data"]:
            return 200, {"error": -113, "message": "Template data empty"}
        if body.get("phone") in self.no_zalo_account:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        self.delivered.append(body)
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": f"zns-{len(self.delivered)}",
                "sent_time": "1733540000000",
                "quota": {"dailyQuota": "500", "remainingQuota": "499"},
            },
        }

    def _refresh(self, headers, body):
        if (
            headers.get("secret_key") != self.secret_key
            or body.get("app_id") != self.app_id
            or body.get("grant_type") != "refresh_token"
            or body.get("refresh_token") != self.refresh_token
        ):
            return 200, {"error": -14014, "error_name": "Invalid refresh token"}
        number = int(self.token.rsplit("-", 1)[1]) + 1
        self.token, self.refresh_token = f"token-{number}", f"refresh-{number}"
        return 200, {
            "access_token": self.token,
            "refresh_token": self.refresh_token,
            "expires_in": "90000",
        }

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
