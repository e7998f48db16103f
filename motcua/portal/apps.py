from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng công dân"

    def ready(self):
        # The cached public tracking page is built anew after every committed dossier change: the
        # portal subscribes to the domain's changes, the domain never calls the portal (ADR 0018).
        from motcua.dossiers.changes import on_dossier_changed

        from .services import tracking_pages_forget

        on_dossier_changed(tracking_pages_forget)
