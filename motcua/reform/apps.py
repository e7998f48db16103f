from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "motcua.reform"
    label = "reform"
    verbose_name = "Cải cách hành chính"
