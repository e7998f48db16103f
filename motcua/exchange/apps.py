from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "motcua.exchange"
    label = "exchange"
    verbose_name = "Trao đổi văn bản điện tử (edXML)"

    def ready(self) -> None:
        # The answers to liên thông dossiers we opened, on the change feed (ADR 0042).
        from .lienthong_in import answers_register

        answers_register()
