import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from motcua.accounts.roles import Role
from motcua.backoffice.nav import NAV, nav_for
from tests.accounts.factories import UserFactory


def test_every_area_in_the_table_has_a_url():
    for item in NAV:
        reverse(item.url_name)  # raises NoReverseMatch for a typo or a removed area


def _labels(user, path="/can-bo/"):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return {item["label"]: item for item in nav_for(request)}


@pytest.mark.django_db
def test_each_role_sees_its_own_areas():
    desk = _labels(UserFactory(role=Role.DESK_OFFICER))
    specialist = _labels(UserFactory(role=Role.SPECIALIST))
    admin = _labels(UserFactory(role=Role.ADMINISTRATOR))
    assert "Tiếp nhận" in desk and "Tiếp nhận" not in specialist
    assert "Đơn vị" in admin and "Đơn vị" not in desk
    assert _labels(UserFactory(citizen=True)) == {}


@pytest.mark.django_db
def test_the_current_area_is_marked():
    items = _labels(UserFactory(role=Role.SPECIALIST), reverse("backoffice:dossier_worklist"))
    assert items["Hồ sơ"]["current"] and not items["Trang chủ"]["current"]
