"""Administration: the log of personal-data reads (administrators only)."""

from django.urls import path

from . import views_audit as views

urlpatterns = [
    path("nhat-ky-du-lieu-ca-nhan/", views.personal_data_read_log, name="personal_data_reads"),
]
