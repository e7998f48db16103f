"""A whole-page cache for public pages that many read and few events change (a dossier's tracking
page), with forgetting that cannot leave a stale page behind.

Each cached thing (name, key) has a generation token. A read takes the token first, then returns
the stored page only when it was built under that same token; a writer calls `page_forget` on
commit, which replaces the token. A reader that built its page from the old row just before the
commit stores it under the old token, so it is never shown: no race between a slow reader and a
writer can bring back an old status.

Nothing is cached unless settings.CACHES has a "pages" cache: the per-process memory cache would
let one app worker keep a page another worker's transition forgot. Use a cache every app process
shares (a file cache on tmpfs on one machine, a database or Redis cache across machines).
"""

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

PAGES_CACHE = "pages"
# A safety net only: a process that dies between its commit and its forget leaves at most this long.
PAGE_TIMEOUT = 300

T = TypeVar("T")


def _pages():
    return caches[PAGES_CACHE] if PAGES_CACHE in settings.CACHES else None


def _keys(name: str, key: str) -> tuple[str, str]:
    return f"gen:{name}:{key}", f"page:{name}:{key}"


def page_cached(name: str, key: str, build: Callable[[], T], timeout: int = PAGE_TIMEOUT) -> T:
    """The page stored for (name, key) under its current generation, or `build()` (stored unless
    None: an answer such as "not found" may change without a writer saying so)."""
    cache = _pages()
    if cache is None:
        return build()
    generation_key, page_key = _keys(name, key)
    found = cache.get_many([generation_key, page_key])
    generation = found.get(generation_key)
    if generation is None:
        generation = secrets.token_hex(8)
        if not cache.add(generation_key, generation, timeout):
            generation = cache.get(generation_key) or generation
    stored = found.get(page_key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    value = build()
    if value is not None:
        cache.set(page_key, (generation, value), timeout)
    return value


def page_forget(name: str, key: str) -> None:
    """Make every page stored for (name, key) unusable. Call it on commit of the change."""
    cache = _pages()
    if cache is not None:
        cache.set(_keys(name, key)[0], secrets.token_hex(8), PAGE_TIMEOUT)
