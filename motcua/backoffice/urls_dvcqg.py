"""Liên thông: the national public-service portal sync (administrators)."""

from django.urls import path

from . import views_dvcqg as views

urlpatterns = [
    path("", views.dvcqg_sync, name="dvcqg_sync"),
    path("gui-lai/", views.dvcqg_requeue, name="dvcqg_requeue"),
]
