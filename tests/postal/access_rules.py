"""Access exceptions of the postal channel (merged by tests/backoffice/test_url_access.py)."""

PUBLIC_URLS = {
    "postal_webhook": "the same webhook at its old public path /buu-chinh/webhook/ (ADR 0025)",
    "postal:webhook": "the postal operator's tracking webhook: authenticated by an HMAC-SHA256 "
    "signature with a shared secret and a timestamp window, not by a session",
}

# Every other postal page is for staff: citizens get 403.
STAFF_NAMESPACES = {"postal"}
