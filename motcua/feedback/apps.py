from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = "Khảo sát và phản ánh, kiến nghị"
