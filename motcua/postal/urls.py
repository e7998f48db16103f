"""/can-bo/buu-chinh/: the postal channel (staff pages) and the operators' webhook (public, signed;
also at its old path /buu-chinh/webhook/)."""

from django.urls import path

from . import views

app_name = "postal"

urlpatterns = [
    path("", views.consignment_list, name="consignment_list"),
    path("tiep-nhan/", views.intake_search, name="intake_search"),
    path("tiep-nhan/<str:code>/", views.intake, name="intake"),
    path("ho-so/<int:dossier_id>/gui-ket-qua/", views.return_send, name="return_send"),
    path("ho-so/<int:dossier_id>/tra-tai-quay/", views.return_at_desk, name="return_at_desk"),
    path("buu-gui/<int:consignment_id>/nhan.pdf", views.label_pdf, name="label_pdf"),
    path("buu-gui/<int:consignment_id>/su-kien/", views.event_record, name="event_record"),
    path("bang-ke.pdf", views.manifest_pdf, name="manifest_pdf"),
    path("nhap-su-kien/", views.events_import, name="events_import"),
    path("webhook/<str:operator>/", views.webhook, name="webhook"),
]
