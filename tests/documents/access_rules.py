"""Access rules of the documents app for the URL walk (tests/backoffice/test_url_access.py)."""

PUBLIC_URLS = {
    "documents_public:verify": (
        "anyone holding a result checks its signature by uploading it; the file is not kept and "
        "only the registry entry (masked name) is shown"
    ),
    "documents_public:verify_token": (
        "the link in a result's QR code: the registry entry with the holder's name masked"
    ),
}
STAFF_NAMESPACES = {"documents"}
