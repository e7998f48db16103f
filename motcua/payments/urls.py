"""/can-bo/thanh-toan/: webhooks (public, also at their old path /thanh-toan/webhook/), the review
queue, statements, reports, receipts, the actions on a dossier's fee, and the administrator's
collecting accounts (/can-bo/thanh-toan/quan-tri/)."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("webhook/<slug:provider>/", views.webhook, name="webhook"),
    path("doi-soat/", views.review_list, name="review_list"),
    path("doi-soat/<int:credit_id>/", views.credit_detail, name="credit_detail"),
    path("sao-ke/", views.statement_import, name="statement_import"),
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/<int:account_id>/<str:day>.pdf", views.report_pdf, name="report_pdf"),
    path("bao-cao/<int:account_id>/<str:day>.xlsx", views.report_xlsx, name="report_xlsx"),
    path("bien-lai/<int:receipt_id>/", views.receipt_pdf, name="receipt_pdf"),
    path("ho-so/<int:dossier_id>/yeu-cau-nop-phi/", views.charge_request, name="charge_request"),
    path("ho-so/<int:dossier_id>/thu-tai-quay/", views.desk_payment, name="desk_payment"),
    path("ho-so/<int:dossier_id>/vietqr.png", views.dossier_qr_png, name="dossier_qr_png"),
    path("quan-tri/tai-khoan/", views.account_list, name="account_list"),
    path("quan-tri/tai-khoan/moi/", views.account_edit, name="account_new"),
    path("quan-tri/tai-khoan/<int:account_id>/", views.account_edit, name="account_edit"),
]
