"""Back-office pages of the documents app under /tai-lieu/: a dossier's digitisation page, file and
result downloads, issuing the electronic result, and the search by document content."""

from django.urls import path

from . import views, views_results

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
    # The result document: prepared, reviewed, signed (issue [J] 1).
    path("ho-so/<int:dossier_id>/ket-qua/", views_results.result_page, name="result"),
    path(
        "ho-so/<int:dossier_id>/ket-qua/soan/",
        views_results.result_prepare_view,
        name="result_prepare",
    ),
    path(
        "ho-so/<int:dossier_id>/ket-qua/tai-len/",
        views_results.result_upload_view,
        name="result_upload",
    ),
    path("du-thao/<int:draft_id>/", views_results.draft_file, name="draft_file"),
    path("du-thao/<int:draft_id>/xem-xet/", views_results.draft_review_view, name="draft_review"),
    path("du-thao/<int:draft_id>/ky/", views_results.draft_sign_view, name="draft_sign"),
    path("nguoi-ky/", views_results.signers_list, name="signers"),
    path("nguoi-ky/them/", views_results.signer_edit, name="signer_add"),
    path("nguoi-ky/<int:signer_id>/", views_results.signer_edit, name="signer_edit"),
]
