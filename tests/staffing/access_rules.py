"""Access rules of the staffing app, merged by tests/backoffice/test_url_access.py."""

STAFF_NAMESPACES = {"staffing"}
