from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "motcua.postal"
    label = "postal"
    verbose_name = "Bưu chính công ích"
