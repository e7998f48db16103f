"""The general permission checks: table-driven over every role, plus inactive and anonymous users."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.accounts import permissions
from motcua.accounts.roles import STAFF_ROLES, Role
from motcua.accounts.templatetags import permissions as tags
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)


def _user(role: str, **kwargs):
    if role == Role.CITIZEN:
        return UserFactory.build(citizen=True, **kwargs)
    return UserFactory.build(role=role, **kwargs)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_is_staff_member_for_every_role(role):
    assert permissions.is_staff_member(_user(role)) is (role in STAFF_ROLES)
    assert permissions.can_enter_backoffice(_user(role)) is (role in STAFF_ROLES)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_administrator_administers(role):
    user = _user(role)
    expected = role == Role.ADMINISTRATOR
    assert permissions.is_administrator(user) is expected
    assert permissions.can_administer_staff(user) is expected
    assert permissions.can_administer_org(user) is expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_an_inactive_user_passes_no_check(role):
    user = _user(role, is_active=False)
    assert not permissions.is_staff_member(user)
    assert not permissions.has_role(user, *Role.values)
    assert not permissions.is_administrator(user)


def test_anonymous_and_none_pass_no_check():
    for user in (AnonymousUser(), None):
        assert not permissions.is_staff_member(user)
        assert not permissions.has_role(user, *Role.values)
        assert not permissions.is_administrator(user)


def test_has_role_checks_membership():
    specialist = _user(Role.SPECIALIST)
    assert permissions.has_role(specialist, Role.SPECIALIST, Role.DIVISION_HEAD)
    assert not permissions.has_role(specialist, Role.DIVISION_HEAD)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _view(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_required_lets_in_exactly_the_named_roles(role):
    view = permissions.role_required(Role.SPECIALIST, Role.DIVISION_HEAD)(_view)
    request = _request(_user(role))
    if role in (Role.SPECIALIST, Role.DIVISION_HEAD):
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_role_required_denies_anonymous_and_inactive():
    view = permissions.role_required(Role.ADMINISTRATOR)(_view)
    for user in (AnonymousUser(), _user(Role.ADMINISTRATOR, is_active=False)):
        with pytest.raises(PermissionDenied):
            view(_request(user))


def test_role_required_rejects_a_misspelt_role():
    with pytest.raises(ValueError):
        permissions.role_required("admin")
    with pytest.raises(ValueError):
        permissions.role_required()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_staff_required(role):
    view = permissions.staff_required(_view)
    request = _request(_user(role))
    if role in STAFF_ROLES:
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_template_filters_follow_the_module():
    admin, officer = _user(Role.ADMINISTRATOR), _user(Role.DESK_OFFICER)
    assert tags.is_administrator(admin) and not tags.is_administrator(officer)
    assert tags.is_staff_member(officer) and not tags.is_staff_member(_user(Role.CITIZEN))
    assert tags.has_role(officer, Role.DESK_OFFICER) and not tags.has_role(officer, Role.SPECIALIST)


def test_full_name_is_the_vietnamese_name_as_written():
    from motcua.accounts.models import User

    user = User(username="cv1", full_name="Hoàng Thị Xử")
    assert (
        user.get_full_name() == "Hoàng Thị Xử"
        and user.get_short_name() == "Xử"
        and str(user) == "Hoàng Thị Xử"
    )
    assert User(username="cv2").get_full_name() == ""
