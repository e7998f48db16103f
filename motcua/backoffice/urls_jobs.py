"""Periodic jobs: the recorded runs (administrators and department leaders)."""

from django.urls import path

from . import views_jobs as views

urlpatterns = [
    path("", views.job_runs, name="job_runs"),
]
