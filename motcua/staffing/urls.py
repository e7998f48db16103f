"""HR pages under /nhan-su/: staff at a date, posts and vacancies, records (see permissions.py)."""

from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("can-bo/them/", views.staff_add, name="staff_add"),
    path("can-bo/<int:staff_id>/", views.staff_detail, name="staff_detail"),
    path("can-bo/<int:staff_id>/<slug:kind>/", views.staff_record_add, name="staff_record_add"),
    path("vi-tri/", views.posts, name="posts"),
    path("vi-tri/them/", views.post_add, name="post_add"),
]
