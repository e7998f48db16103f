"""ADR 0025: citizens land on the portal at `/`, the back office lives under `/can-bo/`, and every old
back-office address answers with a redirect to the same path under `/can-bo/` — except the
providers' webhooks, which answer in place (banks and postal operators do not follow redirects)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve

from motcua.accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.backoffice.url_walk import walk

STAFF = "/can-bo"
# Webhooks keep answering at their old paths; checked below, not redirected.
WEBHOOKS = {"payments:webhook", "postal:webhook"}
OLD_STAFF_ROUTES = [
    route
    for route in walk()
    if route.path.startswith(f"{STAFF}/")
    and route.path != f"{STAFF}/"
    and route.name not in WEBHOOKS
]


def test_the_walk_sees_the_staff_areas():
    areas = {route.path.split("/")[2] for route in OLD_STAFF_ROUTES}
    assert {
        "dang-nhap",
        "ho-so",
        "to-chuc",
        "thanh-toan",
        "buu-chinh",
        "chi-so",
        "phan-anh",
    } <= areas


@pytest.mark.django_db
def test_the_root_is_the_citizen_portal_for_a_visitor_without_a_session():
    client = Client()
    response = client.get("/")
    assert response.status_code == 200
    assert "portal/home.html" in [t.name for t in response.templates]
    assert response.content == client.get("/cong-dan/").content
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no session was opened


@pytest.mark.django_db
def test_the_back_office_is_reachable_under_its_prefix():
    anonymous = Client().get(f"{STAFF}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{STAFF}/dang-nhap/?next={STAFF}/"
    assert Client().get(f"{STAFF}/dang-nhap/").status_code == 200
    client = Client()
    client.force_login(UserFactory(role=Role.DESK_OFFICER))
    home = client.get(f"{STAFF}/")
    assert home.status_code == 200
    assert resolve(f"{STAFF}/").view_name == "backoffice:home"


@pytest.mark.django_db
def test_signing_in_returns_to_the_staff_page_asked_for():
    user = UserFactory(role=Role.SPECIALIST)
    asked = f"{STAFF}/ho-so/"
    response = Client().post(
        f"{STAFF}/dang-nhap/?next={asked}",
        {"username": user.username, "password": user.raw_password, "next": asked},
    )
    assert response.status_code == 302
    assert response["Location"] == asked


@pytest.mark.django_db
@pytest.mark.parametrize("route", OLD_STAFF_ROUTES, ids=lambda r: r.name)
def test_every_old_back_office_url_redirects_to_its_new_path(route):
    old = route.path.removeprefix(STAFF)
    client = Client(enforce_csrf_checks=True)  # a redirected form must not be refused on the way
    get = client.get(old, {"trang": "2"})
    assert (get.status_code, get["Location"]) == (301, f"{route.path}?trang=2")
    head = client.head(old)
    assert (head.status_code, head["Location"]) == (301, route.path)
    post = client.post(old, {"ly_do": "x"})
    assert (post.status_code, post["Location"]) == (308, route.path)  # 308 keeps the method


@pytest.mark.django_db
@pytest.mark.parametrize(
    "old_path",
    ["/thanh-toan/webhook/generic/", "/buu-chinh/webhook/vnpost/"],
)
def test_old_webhook_paths_answer_in_place_as_before(old_path):
    before = Client().post(old_path, data=b"{}", content_type="application/json")
    after = Client().post(f"{STAFF}{old_path}", data=b"{}", content_type="application/json")
    assert before.status_code not in (301, 302, 307, 308)
    assert before.status_code >= 400  # unsigned or unconfigured: refused by the webhook itself
    assert (before.status_code, before.content) == (after.status_code, after.content)


@pytest.mark.django_db
def test_an_unknown_path_under_an_old_prefix_redirects_then_is_not_found():
    response = Client().get("/ho-so/khong-co-trang-nay/", follow=True)
    assert response.redirect_chain[0] == (f"{STAFF}/ho-so/khong-co-trang-nay/", 301)
