"""Access rules of the document exchange, merged by tests/backoffice/test_url_access.py.

The two registers live under /can-bo/van-thu/ in the back office's namespace: closed to anonymous
visitors and citizens like every back-office page, open to the staff of the unit whose register it
is (the visibility querysets of motcua.exchange.selectors). No public URL, no administration area."""

PUBLIC_URLS: dict[str, str] = {}
ADMIN_PREFIXES: tuple[str, ...] = ()
