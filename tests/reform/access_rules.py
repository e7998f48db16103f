"""Every reform page is for staff: citizens get 403 (tests/backoffice/test_url_access.py)."""

STAFF_NAMESPACES = {"reform"}
