"""The desk, the worklists and the dossier page."""

from django.urls import path

from . import views_dossier_notices as notices
from . import views_dossier_tracking
from . import views_dossiers as views

urlpatterns = [
    path("", views.dossier_worklist, name="dossier_worklist"),
    path("phan-cong/", views.dossier_bulk_assign, name="dossier_bulk_assign"),
    path("tiep-nhan/", views.dossier_intake_search, name="dossier_intake_search"),
    path("tiep-nhan/<str:code>/", views.dossier_intake, name="dossier_intake"),
    path("<int:dossier_id>/", views.dossier_detail, name="dossier_detail"),
    path("<int:dossier_id>/mau-01.pdf", views.dossier_receipt_pdf, name="dossier_receipt_pdf"),
    path("<int:dossier_id>/mau-02.pdf", notices.dossier_form_02, name="dossier_form_02"),
    path("<int:dossier_id>/mau-03.pdf", notices.dossier_form_03, name="dossier_form_03"),
    path("<int:dossier_id>/mau-04.pdf", notices.dossier_form_04, name="dossier_form_04"),
    path(
        "<int:dossier_id>/mau-05.pdf",
        views_dossier_tracking.dossier_form_05,
        name="dossier_form_05",
    ),
    path("so-theo-doi.pdf", views_dossier_tracking.tracking_book, name="tracking_book"),
    path(
        "so-theo-doi/<int:task_id>/",
        views_dossier_tracking.tracking_book_waiting,
        name="tracking_book_task",
    ),
    path(
        "so-theo-doi/<int:task_id>/tai-ve/",
        views_dossier_tracking.tracking_book_download,
        name="tracking_book_download",
    ),
    path("<int:dossier_id>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
]
