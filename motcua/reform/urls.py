"""The reform pages, under /cai-cach/ (namespace "reform"). Staff only; views check roles."""

from django.urls import path

from . import views, views_iso, views_par

app_name = "reform"

urlpatterns = [
    path("", views.home, name="home"),
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/them/", views.plan_add, name="plan_add"),
    path("ke-hoach/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/them/", views.task_add, name="task_add"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/sua/", views.task_edit, name="task_edit"),
    path("minh-chung/<int:progress_id>/", views.evidence_download, name="evidence_download"),
    path("tu-kiem-tra/", views.inspection_list, name="inspection_list"),
    path("tu-kiem-tra/them/", views.inspection_add, name="inspection_add"),
    path("tu-kiem-tra/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path(
        "tu-kiem-tra/ket-qua/<int:finding_id>/khac-phuc/",
        views.finding_follow_up,
        name="finding_follow_up",
    ),
    path("van-ban/", views.document_list, name="document_list"),
    path("van-ban/them/", views.document_add, name="document_add"),
    path("van-ban/<int:document_id>/", views.legal_document_detail, name="document_detail"),
    path("du-thao/", views.draft_list, name="draft_list"),
    path("du-thao/them/", views.draft_add, name="draft_add"),
    path("hoat-dong/", views.activity_list, name="activity_list"),
    path("hoat-dong/them/", views.activity_add, name="activity_add"),
    path("het-hieu-luc/", views.expired_list, name="expired_list"),
    path("het-hieu-luc/<int:year>.xlsx", views.expired_list_download, name="expired_list_download"),
    path("iso/", views_iso.iso_list, name="iso_list"),
    path("iso/them/", views_iso.iso_add, name="iso_add"),
    path("iso/dong-bo/", views_iso.iso_sync, name="iso_sync"),
    path("iso/<int:process_id>/", views_iso.iso_detail, name="iso_detail"),
    path("iso/<int:process_id>/ngung/", views_iso.iso_withdraw, name="iso_withdraw"),
    path("iso/tai-lieu/", views_iso.iso_documents, name="iso_documents"),
    path(
        "iso/tai-lieu/<int:document_id>/",
        views_iso.iso_document_detail,
        name="iso_document_detail",
    ),
    path(
        "iso/lan-ban-hanh/<int:version_id>/ra-soat/",
        views_iso.iso_document_review,
        name="iso_document_review",
    ),
    path("iso/don-vi/", views_iso.iso_units, name="iso_units"),
    path("iso/danh-gia/", views_iso.iso_audit_list, name="iso_audit_list"),
    path("iso/danh-gia/<int:audit_id>/", views_iso.iso_audit_detail, name="iso_audit_detail"),
    path(
        "iso/phat-hien/<int:finding_id>/khac-phuc/",
        views_iso.iso_action_add,
        name="iso_action_add",
    ),
    path(
        "iso/khac-phuc/<int:action_id>/hoan-thanh/",
        views_iso.iso_action_done,
        name="iso_action_done",
    ),
    path(
        "iso/khac-phuc/<int:action_id>/xac-nhan/",
        views_iso.iso_action_verified,
        name="iso_action_verified",
    ),
    path("iso/xem-xet/", views_iso.iso_review_list, name="iso_review_list"),
    path("ky-he-thong-hoa/", views.period_list, name="period_list"),
    path("chi-so-cchc/", views_par.par_list, name="par_list"),
    path("chi-so-cchc/<int:assessment_id>/", views_par.par_detail, name="par_detail"),
    path("chi-so-cchc/<int:assessment_id>/xlsx/", views_par.par_export, name="par_export"),
    path("chi-so-cchc/tieu-chi/<int:criterion_id>/", views_par.par_score, name="par_score"),
    path(
        "chi-so-cchc/tieu-chi/<int:criterion_id>/nhan-diem-de-xuat/",
        views_par.par_accept,
        name="par_accept",
    ),
]
