from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "motcua.archives"
    label = "archives"
    verbose_name = "Hồ sơ công việc, lưu trữ điện tử"
