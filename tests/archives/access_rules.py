"""Access rules of the work-file archive, merged by tests/backoffice/test_url_access.py.

The work files live under /can-bo/luu-tru/ in the back office's namespace: closed to anonymous
visitors and citizens like every back-office page, open to the staff of the unit whose work files it
is (the visibility queryset of motcua.archives.selectors). No public URL, no administration area."""

PUBLIC_URLS: dict[str, str] = {}
ADMIN_PREFIXES: tuple[str, ...] = ()
