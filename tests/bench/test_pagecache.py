"""motcua.core.pagecache: a page is reused until a writer forgets it, and a reader that built its
page from the old row can never bring the old page back."""

import pytest
from django.test import override_settings

from motcua.core.pagecache import page_cached, page_forget

PAGES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}


@pytest.fixture
def pages():
    with override_settings(CACHES=PAGES):
        from django.core.cache import caches

        caches["pages"].clear()
        yield
        caches["pages"].clear()


def test_a_page_is_built_once_then_reused(pages):
    builds = []
    for _ in range(3):
        assert page_cached("t", "A-1", lambda: builds.append(1) or "page A") == "page A"
    assert len(builds) == 1


def test_forgetting_makes_the_next_read_build_again(pages):
    status = {"value": "received"}
    assert page_cached("t", "A-1", lambda: status["value"]) == "received"
    status["value"] = "in_progress"
    assert page_cached("t", "A-1", lambda: status["value"]) == "received"  # no writer said so yet
    page_forget("t", "A-1")
    assert page_cached("t", "A-1", lambda: status["value"]) == "in_progress"


def test_a_page_built_before_the_commit_and_stored_after_the_forget_is_never_served(pages):
    """The race: a reader reads the old row, the writer commits and forgets, the reader stores."""
    status = {"value": "received"}

    def slow_build():
        seen = status["value"]  # the reader reads the row...
        status["value"] = "in_progress"  # ...the writer commits...
        page_forget("t", "A-1")  # ...and forgets, before the reader stores its page
        return seen

    assert page_cached("t", "A-1", slow_build) == "received"  # this request saw the old row
    assert page_cached("t", "A-1", lambda: status["value"]) == "in_progress"


def test_a_missing_answer_is_not_cached(pages):
    assert page_cached("t", "B-2", lambda: None) is None
    assert page_cached("t", "B-2", lambda: "now found") == "now found"


def test_without_a_shared_pages_cache_nothing_is_cached():
    with override_settings(CACHES={"default": PAGES["default"]}):
        values = iter(["first", "second"])
        assert page_cached("t", "A-1", lambda: next(values)) == "first"
        assert page_cached("t", "A-1", lambda: next(values)) == "second"


def test_a_missing_answer_leaves_nothing_behind(pages):
    """Unknown keys (any code typed in a URL) must not fill the cache, not even with a generation."""
    from django.core.cache import caches

    assert page_cached("t", "NO-1", lambda: None) is None
    assert caches["pages"].get_many(["gen:t:NO-1", "page:t:NO-1"]) == {}


def test_a_first_page_built_while_a_writer_forgets_is_not_stored(pages):
    """The race on a page never read before: no generation yet when the reader starts."""
    status = {"value": "received"}

    def slow_build():
        seen = status["value"]
        status["value"] = "in_progress"
        page_forget("t", "A-1")
        return seen

    assert page_cached("t", "A-1", slow_build) == "received"
    assert page_cached("t", "A-1", lambda: status["value"]) == "in_progress"


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_stored_nor_read(pages):
    """Its writes may roll back, and then no forget follows."""
    from django.db import transaction

    assert page_cached("t", "A-1", lambda: "committed") == "committed"
    with transaction.atomic():
        assert page_cached("t", "A-1", lambda: "uncommitted") == "uncommitted"
        assert page_cached("t", "B-2", lambda: "uncommitted") == "uncommitted"
        transaction.set_rollback(True)
    assert page_cached("t", "A-1", lambda: "rebuilt") == "committed"
    assert page_cached("t", "B-2", lambda: "rebuilt") == "rebuilt"


def test_the_file_cache_lists_its_directory_rarely_and_still_culls(tmp_path, monkeypatch):
    """Django's file cache counts its files before every write (milliseconds with thousands)."""
    import random

    from motcua.core.pagecache import PageFileCache

    cache = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}})
    listings = []
    listing = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or listing())
    random.seed(3)
    for number in range(2_000):
        cache.set(f"page:t:{number}", "page")
    assert 0 < len(listings) < 2_000 / PageFileCache.CULL_EVERY * 2
    assert len(listing()) < 50 + PageFileCache.CULL_EVERY  # culled all the same
    assert cache.get("page:t:1999") == "page"


def test_forgetting_a_page_never_read_writes_nothing(pages):
    """A new dossier, or one whose page nobody read lately: its commit costs no cache write."""
    from django.core.cache import caches

    page_forget("t", "NEW-1")
    assert caches["pages"].get("gen:t:NEW-1") is None
    assert page_cached("t", "NEW-1", lambda: "received") == "received"
    page_forget("t", "NEW-1")
    assert page_cached("t", "NEW-1", lambda: "in_progress") == "in_progress"
