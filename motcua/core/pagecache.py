"""A whole-page cache for public pages that many read and few events change (a dossier's tracking
page), with forgetting that cannot leave a stale page behind.

Each cached thing (name, key) has a generation token. A read takes the token first, then returns
the stored page only when it was built under that same token; a writer calls `page_forget` on
commit, which replaces the token. A reader that built its page from the old row just before the
commit stores it under the old token, so it is never shown: no race between a slow reader and a
writer can bring back an old status. Inside a transaction (its writes may still roll back, and then
nothing forgets) pages are neither stored nor read.

Nothing is cached unless settings.CACHES has a "pages" cache: the per-process memory cache would
let one app worker keep a page another worker's transition forgot. Use a cache every app process
shares: `PageFileCache` below on tmpfs on one machine; Redis across machines (REDIS_URL,
docs/adr/0029), where the generation token lives in Redis, so the forget of the server that
committed replaces it for every server.
"""

import random
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection

PAGES_CACHE = "pages"
# A safety net only: a process that dies between its commit and its forget leaves at most this long.
PAGE_TIMEOUT = 300

T = TypeVar("T")


class PageFileCache(FileBasedCache):
    """Django's file cache, culled on one write in CULL_EVERY (at random) instead of every write.

    Django's lists the whole directory before each write to count its files: with 4.000 files on
    tmpfs a write costs 8 ms, with 20.000 37 ms, paid by every forget (each transition's commit) and
    every page built. Between two culls the directory may hold a few more than MAX_ENTRIES files."""

    CULL_EVERY = 200

    def _cull(self):
        if random.randrange(self.CULL_EVERY) == 0:
            super()._cull()  # type: ignore[misc]  # FileBasedCache has it; django-stubs omits it


def _pages():
    return caches[PAGES_CACHE] if PAGES_CACHE in settings.CACHES else None


def _in_transaction() -> bool:
    """A page built inside a transaction may show its writes before they commit, and if they roll
    back no forget ever follows: such a page is neither stored nor read. The blocks Django's test
    cases wrap every test in do not count (as for durable blocks in django.db.transaction)."""
    return any(not getattr(b, "_from_testcase", False) for b in connection.atomic_blocks)


def _keys(name: str, key: str) -> tuple[str, str]:
    return f"gen:{name}:{key}", f"page:{name}:{key}"


def page_cached(name: str, key: str, build: Callable[[], T], timeout: int = PAGE_TIMEOUT) -> T:
    """The page stored for (name, key) under its current generation, or `build()` (stored unless
    None: an answer such as "not found" may change without a writer saying so)."""
    cache = _pages()
    if cache is None or _in_transaction():
        return build()
    generation_key, page_key = _keys(name, key)
    found = cache.get_many([generation_key, page_key])
    generation = found.get(generation_key)
    stored = found.get(page_key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1]
    added = False
    if generation is None:
        # Taken before the build, so that the forget of any commit the build did not see replaces
        # it (a cache's `add` may be two steps, as the file cache's: it still ends before the build).
        generation = secrets.token_hex(8)
        added = cache.add(generation_key, generation, timeout)
        if not added:
            generation = cache.get(generation_key) or generation
    value = build()
    if value is not None:
        cache.set(page_key, (generation, value), timeout)
    elif added:  # unknown keys (any code typed in a URL) leave nothing behind
        cache.delete(generation_key)
    return value


def page_forget(name: str, key: str) -> None:
    """Make every page stored for (name, key) unusable. Call it on commit of the change."""
    cache = _pages()
    if cache is None:
        return
    generation_key = _keys(name, key)[0]
    # No generation, no page to forget (most forgets: pages not read lately, new dossiers), and no
    # file written. A reader taking one after this look builds after the commit: it sees the change.
    if cache.has_key(generation_key):
        cache.set(generation_key, secrets.token_hex(8), PAGE_TIMEOUT)
