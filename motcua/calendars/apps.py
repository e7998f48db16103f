from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "motcua.calendars"
    label = "calendars"
    verbose_name = "Lịch làm việc"
