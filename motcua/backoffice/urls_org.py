"""Administration of the organisation: the unit tree and the staff accounts (administrator only)."""

from django.urls import path

from . import views_org

urlpatterns = [
    path("", views_org.org_units, name="org_units"),
    path("don-vi/them/", views_org.org_unit_add, name="org_unit_add"),
    path("don-vi/<int:unit_id>/sua/", views_org.org_unit_edit, name="org_unit_edit"),
    path("can-bo/", views_org.staff_list, name="staff"),
    path("can-bo/them/", views_org.staff_add, name="staff_add"),
    path("can-bo/<int:user_id>/sua/", views_org.staff_edit, name="staff_edit"),
]
