from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = "Tài liệu, số hoá và kết quả điện tử"
