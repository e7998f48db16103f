"""The roles a person plays in the system. Each staff member holds one role in one unit."""

from django.db import models


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", "Công chức Bộ phận Một cửa"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    DIVISION_HEAD = "division_head", "Lãnh đạo phòng"
    DEPARTMENT_LEADER = "department_leader", "Lãnh đạo Sở"
    ADMINISTRATOR = "administrator", "Quản trị hệ thống"
    CITIZEN = "citizen", "Công dân, tổ chức"


STAFF_ROLES = frozenset(
    {
        Role.DESK_OFFICER,
        Role.SPECIALIST,
        Role.DIVISION_HEAD,
        Role.DEPARTMENT_LEADER,
        Role.ADMINISTRATOR,
    }
)
