from django.apps import AppConfig


class DvcqgConfig(AppConfig):
    name = "motcua.dvcqg"
    label = "dvcqg"
    verbose_name = "Cổng Dịch vụ công quốc gia"

    def ready(self) -> None:
        # The sync subscribes to the domain's change feed: the domain never imports this app.
        from .sync import sync_register

        sync_register()
