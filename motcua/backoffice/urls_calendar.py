"""Administration of the working calendar (administrator only)."""

from django.urls import path

from . import views_calendar

urlpatterns = [
    path("", views_calendar.calendar_list, name="calendar_list"),
    path("ngay/them/", views_calendar.calendar_entry_add, name="calendar_entry_add"),
    path(
        "ngay/<int:entry_id>/sua/", views_calendar.calendar_entry_edit, name="calendar_entry_edit"
    ),
    path(
        "ngay/<int:entry_id>/xoa/",
        views_calendar.calendar_entry_delete,
        name="calendar_entry_delete",
    ),
    path("tinh-han/", views_calendar.calendar_due, name="calendar_due"),
    path("gio-lam-viec/", views_calendar.office_hours_list, name="office_hours_list"),
    path("gio-lam-viec/<int:unit_id>/", views_calendar.office_hours_edit, name="office_hours_edit"),
    path(
        "gio-lam-viec/<int:unit_id>/mac-dinh/",
        views_calendar.office_hours_reset,
        name="office_hours_reset",
    ),
]
