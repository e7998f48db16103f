import factory

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.org.models import Unit, UnitKind


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"000.{n % 100:02d}.{10 + n // 100:02d}.H27")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    kind = UnitKind.DIVISION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    role = Role.SPECIALIST
    password = factory.django.Password("mat-khau-thu")


class AdminFactory(UserFactory):
    role = Role.ADMINISTRATOR
