"""Factories for people and units. Import them from other test packages:

from tests.accounts.factories import UnitFactory, UserFactory
UserFactory(role=Role.SPECIALIST)            # a specialist in a fresh unit
UserFactory(citizen=True)                    # a citizen: no unit
user.raw_password                            # the password to sign in with
"""

import factory
from django.contrib.auth.hashers import make_password

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.org.models import Unit, UnitKind

PASSWORD = "Mat-khau-Thu-nghiem-2024"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    # QCVN 102:2016 shape 000.00.00.H00; level-3 digits 90-99 are unused by the demo data.
    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{n // 1000 % 100:02d}.99.H26")
    name = factory.Sequence(lambda n: f"Phòng Thử nghiệm số {n}")
    kind = UnitKind.DIVISION
    sort_order = 0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        citizen = factory.Trait(role=Role.CITIZEN, unit=None)

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Hoà {n}")
    role = Role.DESK_OFFICER
    unit = factory.SubFactory(UnitFactory)
    is_active = True
    password = factory.LazyFunction(lambda: make_password(PASSWORD))

    @factory.post_generation
    def raw_password(obj, create, extracted, **kwargs):  # noqa: N805
        # The clear-text password, for tests that sign in through the form.
        obj.raw_password = PASSWORD
