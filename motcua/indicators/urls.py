"""/can-bo/chi-so/: dashboards and the periodic report (staff: leaders and division heads)."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bao-cao/", views.draft_list, name="draft_list"),
    path("bao-cao/<int:draft_id>/", views.draft_detail, name="draft_detail"),
    path("bao-cao/<int:draft_id>/ban-hanh/", views.draft_issue, name="draft_issue"),
    path("bao-cao/<int:draft_id>/tai/<str:fmt>/", views.draft_download, name="draft_download"),
]
