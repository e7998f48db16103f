from django.urls import path  # noqa: F401

app_name = "feedback_public"

urlpatterns: list = []
