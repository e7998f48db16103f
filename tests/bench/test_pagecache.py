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
