"""Access rules of the payments app for the URL walk (tests/backoffice/test_url_access.py)."""

PUBLIC_URLS = {
    "payments_webhook": "the same webhook at its old public path /thanh-toan/webhook/ (ADR 0025)",
    "payments:webhook": (
        "bank-notification services post incoming credits; no sign-in, the HMAC signature on the "
        "raw body, the timestamp window and the transaction id are the checks"
    ),
}
# Collecting accounts are configured by the administrator only.
ADMIN_PREFIXES = ("/can-bo/thanh-toan/quan-tri/",)
STAFF_NAMESPACES = {"payments"}
