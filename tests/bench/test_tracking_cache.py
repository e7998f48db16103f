"""The cached tracking page prototype (bench/views.py) never shows a status older than the last
committed transition: after `assign`, the next request shows the new status."""

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
    url = f"/bench/tra-cuu/{dossier.code}/"
    first = client.get(url)
    assert first.status_code == 200 and "Đã tiếp nhận, chờ phân công" in first.content.decode()
    assert client.get(url).content == first.content  # served from the cache

    with django_capture_on_commit_callbacks(execute=True):
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)

    after = client.get(url).content.decode()
    assert "Đang xử lý" in after and "Đã tiếp nhận, chờ phân công" not in after
    live = client.get(f"/cong-dan/tra-cuu/{dossier.code}/").content.decode()
    assert after == live  # the same page as the live view


def test_an_unknown_code_is_not_cached(client, cached_tracking, db):
    assert client.get("/bench/tra-cuu/KHONG-CO/").status_code == 404


def test_a_request_with_cookies_is_rendered_live_and_never_stored(
    desk, client, cached_tracking, django_capture_on_commit_callbacks
):
    """The frame of the page shows a signed-in user's links and sign-out form (with a CSRF token):
    such a page must be neither served from nor stored in the shared cache."""
    from django.core.cache import caches

    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(desk)
    client.force_login(desk["desk"])
    assert client.get(f"/bench/tra-cuu/{dossier.code}/").status_code == 200
    assert caches["pages"].get(f"page:tracking:{dossier.code}") is None
