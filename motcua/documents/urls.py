"""Back-office pages of the documents app under /tai-lieu/: a dossier's digitisation page, file and
result downloads, issuing the electronic result, and the search by document content."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    path("ho-so/<int:dossier_id>/", views.dossier_documents, name="dossier"),
    path(
        "ho-so/<int:dossier_id>/thanh-phan/<int:component_id>/tai-len/",
        views.component_upload,
        name="component_upload",
    ),
    path(
        "ho-so/<int:dossier_id>/thanh-phan/<int:component_id>/tai-su-dung/",
        views.component_reuse_view,
        name="component_reuse",
    ),
    path("ho-so/<int:dossier_id>/phat-hanh/", views.result_issue_view, name="result_issue"),
    path("tep/<int:file_id>/", views.component_file_download, name="file_download"),
    path("tep/<int:file_id>/doi-chieu/", views.component_file_confirm_view, name="file_confirm"),
    path("ket-qua/<int:issued_id>/", views.result_download, name="result_download"),
]
