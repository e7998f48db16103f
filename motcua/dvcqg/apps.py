from django.apps import AppConfig


class DvcqgConfig(AppConfig):
    name = "motcua.dvcqg"
    label = "dvcqg"
    verbose_name = "Cổng Dịch vụ công quốc gia"
