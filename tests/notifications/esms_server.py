"""A local HTTP server that speaks eSMS.vn's SendMultipleMessage_V4_post_json protocol, for tests."""

from tests.json_server import JsonServer

PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


class EsmsServer(JsonServer):
    def __init__(self, *, api_key="key", secret_key="secret", brandname="STP_HATINH"):
        self.api_key, self.secret_key, self.brandname = api_key, secret_key, brandname
        self.delivered: list[dict] = []  # messages that reached a phone
        self.request_ids: set[str] = set()
        self.fail_with_status: int | None = None
        self.drop_answer = False  # accept the message, then close without answering
        super().__init__(PATH)

    def handle(self, path, headers, body):
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
