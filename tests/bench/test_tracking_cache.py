"""Under the benchmark's URLs (bench/urls.py) the tracking page measured is the application's own,
cached for requests without cookies, and never shows a status older than the last committed
transition: after `assign`, the next request shows the new status (tests/portal/test_tracking_cache.py
tests every kind of change)."""

import pytest
from django.test import override_settings

from tests.bench.test_pagecache import PAGES
from tests.dossiers.test_services import act, receive


@pytest.fixture
def cached_tracking():
    with override_settings(CACHES=PAGES, ROOT_URLCONF="bench.urls"):
        from django.core.cache import caches

        caches["pages"].clear()
        yield
        caches["pages"].clear()


def test_the_cached_page_follows_every_transition(
    desk, client, cached_tracking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(desk)
    url = f"/cong-dan/tra-cuu/{dossier.code}/"
    first = client.get(url)
    assert first.status_code == 200 and "Đã tiếp nhận, chờ phân công" in first.content.decode()
    assert client.get(url).content == first.content  # served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)

    after = client.get(url).content.decode()
    assert "Đang xử lý" in after and "Đã tiếp nhận, chờ phân công" not in after
    client.cookies["sessionid"] = "none"  # a request with a cookie is rendered for itself
    assert client.get(url).content.decode() == after  # the same page as the live view


def test_an_unknown_code_is_not_cached(client, cached_tracking, db):
    from django.core.cache import caches

    assert client.get("/cong-dan/tra-cuu/KHONG-CO/").status_code == 404
    assert caches["pages"].get_many(["gen:tracking:KHONG-CO", "page:tracking:KHONG-CO"]) == {}


def test_a_request_with_cookies_is_rendered_live_and_never_stored(
    desk, client, cached_tracking, django_capture_on_commit_callbacks
):
    """The frame of the page shows a signed-in user's links and sign-out form (with a CSRF token):
    such a page must be neither served from nor stored in the shared cache."""
    from django.core.cache import caches

    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(desk)
    client.force_login(desk["desk"])
    assert client.get(f"/cong-dan/tra-cuu/{dossier.code}/").status_code == 200
    assert caches["pages"].get(f"page:tracking:{dossier.code}") is None
