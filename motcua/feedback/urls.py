"""Back-office pages under /phan-anh/ (staff only): PAKN worklist, intake, items and their actions;
survey campaigns, results and paper-form entry."""

from django.urls import path

from . import views, views_attachments

app_name = "feedback"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("<int:feedback_id>/", views.detail, name="detail"),
    path(
        "<int:feedback_id>/tep/<int:position>/",
        views_attachments.attachment_download,
        name="attachment",
    ),
    path("<int:feedback_id>/phan-cong/", views.assign, name="assign"),
    path("<int:feedback_id>/thao-tac/<str:action>/", views.act, name="act"),
    path("khao-sat/", views.campaigns, name="campaigns"),
    path("khao-sat/tao/", views.campaign_add, name="campaign_add"),
    path("khao-sat/<int:campaign_id>/", views.campaign_results, name="campaign_results"),
    path("khao-sat/<int:campaign_id>/nhap-phieu/", views.paper_entry, name="paper_entry"),
]
