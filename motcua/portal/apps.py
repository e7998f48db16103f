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

        # The national portal's monthly satisfaction summary counts the citizens' ratings here.
        from motcua.dvcqg.ratings_faq import rating_source_register

        from .dvcqg_ratings import dossier_ratings_month

        rating_source_register(dossier_ratings_month)
