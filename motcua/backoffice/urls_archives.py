"""Lưu trữ: the unit's work files (hồ sơ công việc, issue [J] 6). Staff of the unit only."""

from django.urls import path

from . import views_archives as views

urlpatterns = [
    path("", views.archives_work_files, name="archives_work_files"),
    path("<int:work_file_id>/", views.archives_work_file, name="archives_work_file"),
]
