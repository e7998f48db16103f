from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "motcua.eforms"
    label = "eforms"
    verbose_name = "Tờ khai trực tuyến"

    def ready(self):
        # The shipped schema files are checked by `motcua check` (and so by the test suite).
        from . import checks  # noqa: F401
