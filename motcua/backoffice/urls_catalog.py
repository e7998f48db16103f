"""The catalogue of procedures: list and detail for every staff member, import for administrators."""

from django.urls import path

from . import views_catalog

urlpatterns = [
    path("", views_catalog.catalog_list, name="catalog_list"),
    path("nhap/", views_catalog.catalog_import, name="catalog_import"),
    path("thu-tuc/<str:code>/", views_catalog.catalog_detail, name="catalog_detail"),
]
