from django.urls import path  # noqa: F401

app_name = "documents_public"

urlpatterns: list = []
