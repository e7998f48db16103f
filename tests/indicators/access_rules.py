"""Access rules of the indicators app for tests/backoffice/test_url_access.py."""

# /chi-so/ pages are for staff (leaders and division heads); closed to citizens.
STAFF_NAMESPACES = {"indicators"}
