from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "motcua.staffing"
    label = "staffing"
    verbose_name = "Tổ chức bộ máy và công chức"
