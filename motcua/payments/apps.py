from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thu phí qua VietQR và đối soát"

    def ready(self):
        # A fee falls due with a workflow move (reception, supplement, payment request): its charge
        # is opened once the move commits, not by the pages that show its VietQR (ADR 0018).
        from motcua.dossiers.changes import on_dossier_changed

        from .services import charges_open_when_due

        on_dossier_changed(charges_open_when_due)
