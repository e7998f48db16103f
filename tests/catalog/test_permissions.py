import pytest

from motcua.accounts.roles import STAFF_ROLES, Role
from motcua.catalog.permissions import can_import_catalog, can_read_catalog
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_every_staff_member_may_read(role):
    assert can_read_catalog(UserFactory(role=role))


@pytest.mark.parametrize("role", sorted(STAFF_ROLES - {Role.ADMINISTRATOR}))
def test_only_the_administrator_may_import(role):
    assert not can_import_catalog(UserFactory(role=role))
    assert can_import_catalog(UserFactory(role=Role.ADMINISTRATOR))


def test_citizens_inactive_and_anonymous_users_get_nothing():
    from django.contrib.auth.models import AnonymousUser

    citizen = UserFactory(citizen=True)
    inactive = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    for user in (citizen, inactive, AnonymousUser(), None):
        assert not can_read_catalog(user)
        assert not can_import_catalog(user)


def test_import_service_refuses_a_non_administrator(units):
    from django.core.exceptions import PermissionDenied

    from motcua.catalog.models import Procedure
    from motcua.catalog.services import catalog_import

    from .factories import document

    with pytest.raises(PermissionDenied):
        catalog_import(UserFactory(role=Role.SPECIALIST), document())
    assert Procedure.objects.count() == 0
    catalog_import(UserFactory(role=Role.ADMINISTRATOR), document())
    assert Procedure.objects.count() == 1
