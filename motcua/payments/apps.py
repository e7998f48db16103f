from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = "Thu phí qua VietQR và đối soát"
