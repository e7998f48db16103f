"""The home page and navigation show each role only what it may open."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from motcua.accounts.roles import STAFF_ROLES, Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LINKS = [reverse("backoffice:org_units"), reverse("backoffice:staff")]


@pytest.mark.parametrize("role", sorted(STAFF_ROLES - {Role.ADMINISTRATOR}))
def test_non_administrators_see_no_administration_links(client, role):
    client.force_login(UserFactory(role=role))
    body = client.get(reverse("backoffice:home")).content.decode()
    for link in ADMIN_LINKS:
        assert f'href="{link}"' not in body
    assert "Đăng xuất" in body


def test_administrator_sees_administration_links(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    body = client.get(reverse("backoffice:home")).content.decode()
    for link in ADMIN_LINKS:
        assert f'href="{link}"' in body
    assert "Tổ chức và cán bộ" in body
    assert "Danh mục thủ tục hành chính" in body and "Lịch làm việc" in body


def test_desk_officer_home_leads_to_intake(client):
    client.force_login(UserFactory(role=Role.DESK_OFFICER))
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "Tiếp nhận hồ sơ" in body
    assert f'href="{reverse("backoffice:dossier_intake_search")}"' in body


def test_home_names_the_role_and_unit(client):
    user = UserFactory(role=Role.DIVISION_HEAD, unit__name="Phòng Bổ trợ tư pháp")
    client.force_login(user)
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "Lãnh đạo phòng" in body and "Phòng Bổ trợ tư pháp" in body


def test_no_inline_style_or_script_in_pages(client):
    # The Content-Security-Policy forbids them; a page that used them would break in browsers.
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    for url in [reverse("backoffice:home"), *ADMIN_LINKS, reverse("backoffice:staff_add")]:
        body = client.get(url).content.decode()
        assert "style=" not in body and "<style" not in body, url
        assert "<script" not in body, url


def test_error_pages_are_vietnamese(client):
    client.force_login(UserFactory(role=Role.SPECIALIST))
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    response = client.get(reverse("backoffice:org_units"))
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()


def test_500_page_renders_without_context():
    body = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in body
