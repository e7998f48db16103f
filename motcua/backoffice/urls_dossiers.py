"""The desk, the worklists and the dossier page."""

from django.urls import path

from . import views_dossiers as views

urlpatterns = [
    path("", views.dossier_worklist, name="dossier_worklist"),
    path("phan-cong/", views.dossier_bulk_assign, name="dossier_bulk_assign"),
    path("tiep-nhan/", views.dossier_intake_search, name="dossier_intake_search"),
    path("tiep-nhan/<str:code>/", views.dossier_intake, name="dossier_intake"),
    path("<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path("<int:dossier_id>/mau-01.pdf", views.dossier_receipt_pdf, name="dossier_receipt_pdf"),
    path("<int:dossier_id>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
]
