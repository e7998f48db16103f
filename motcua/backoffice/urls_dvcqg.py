"""Liên thông: the national public-service portal sync (administrators)."""

from django.urls import path

from . import views_dvcqg as views
from . import views_dvcqg_catalog as catalog

urlpatterns = [
    path("", views.dvcqg_sync, name="dvcqg_sync"),
    path("gui-lai/", views.dvcqg_requeue, name="dvcqg_requeue"),
    path("danh-muc/", catalog.dvcqg_catalog, name="dvcqg_catalog"),
    path("danh-muc/lay/", catalog.dvcqg_catalog_pull, name="dvcqg_catalog_pull"),
    path("danh-muc/<int:item_id>/", catalog.dvcqg_catalog_item, name="dvcqg_catalog_item"),
]
