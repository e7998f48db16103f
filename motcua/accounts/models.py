from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import STAFF_ROLES, Role


class User(AbstractUser):
    """A person who signs in: staff (role + unit) or a citizen.

    Django's first/last name split does not fit Vietnamese names, so `full_name` holds the whole name
    as the person writes it ("Nguyễn Thị Hoa").
    """

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    role = models.CharField("vai trò", max_length=32, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    phone = models.CharField("số điện thoại", max_length=20, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        # Django's version joins first and last name, which this model does not use.
        return self.full_name.strip()

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name.strip() else self.username

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles
