"""Public verification of signed results under /xac-thuc/ (no sign-in): upload a PDF, or open the
link in a result's QR code."""

from django.urls import path

from . import views_public

app_name = "documents_public"

urlpatterns = [
    path("", views_public.verify_upload, name="verify"),
    path("<str:token>/", views_public.verify_token, name="verify_token"),
]
