"""Signing in and out of the back office."""

import pytest
from django.urls import reverse

from motcua.accounts.roles import STAFF_ROLES, Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("backoffice:login")
HOME = reverse("backoffice:home")

HOME_MARKERS = {
    Role.DESK_OFFICER: "Tiếp nhận hồ sơ",
    Role.SPECIALIST: "Hồ sơ cần xử lý",
    Role.DIVISION_HEAD: "Hồ sơ cần xử lý",
    Role.DEPARTMENT_LEADER: "Tổng quan",
    Role.ADMINISTRATOR: "Quản trị hệ thống",
}


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_in_vietnamese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng nhập" in body and "Tên đăng nhập" in body and "Mật khẩu" in body
    assert '<html lang="vi">' in body


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_each_staff_role_signs_in_and_sees_its_home(client, role):
    user = UserFactory(role=role)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert _signed_in(client)
    body = response.content.decode()
    assert HOME_MARKERS[role] in body
    for other_role, marker in HOME_MARKERS.items():
        if marker != HOME_MARKERS[role]:
            assert f">{marker}<" not in body, other_role


def test_wrong_password_shows_a_vietnamese_error(client):
    user = UserFactory(role=Role.SPECIALIST)
    response = client.post(LOGIN, {"username": user.username, "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not _signed_in(client)


def test_unknown_user_gets_the_same_message(client):
    response = client.post(LOGIN, {"username": "khong-ton-tai", "password": PASSWORD})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not _signed_in(client)


def test_empty_form_asks_for_both_fields(client):
    body = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "Hãy nhập tên đăng nhập." in body and "Hãy nhập mật khẩu." in body


def test_inactive_staff_cannot_sign_in(client):
    user = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert not _signed_in(client)


def test_citizen_cannot_enter_the_back_office(client):
    citizen = UserFactory(citizen=True)
    response = client.post(LOGIN, {"username": citizen.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "không dùng được cho trang cán bộ" in response.content.decode()
    assert not _signed_in(client)


def test_a_signed_in_citizen_is_refused_the_home_page(client):
    # A citizen session (from the portal, later) must not open the back office either.
    client.force_login(UserFactory(citizen=True))
    response = client.get(HOME)
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_anonymous_home_redirects_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_in_returns_to_the_page_asked_for(client):
    user = UserFactory(role=Role.ADMINISTRATOR)
    target = reverse("backoffice:staff")
    response = client.post(
        f"{LOGIN}?next={target}",
        {"username": user.username, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == target


def test_sign_out_is_post_only(client):
    client.force_login(UserFactory(role=Role.SPECIALIST))
    assert client.get(reverse("backoffice:logout")).status_code == 405
    assert _signed_in(client)
    response = client.post(reverse("backoffice:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _signed_in(client)


def test_a_locked_account_is_signed_out_on_next_request(client):
    user = UserFactory(role=Role.SPECIALIST)
    client.force_login(user)
    assert client.get(HOME).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
