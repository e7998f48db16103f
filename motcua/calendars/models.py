from django.conf import settings
from django.db import models


class EntryKind(models.TextChoices):
    DAY_OFF = "day_off", "Ngày nghỉ theo thông báo"
    COMPENSATORY_OFF = "compensatory_off", "Ngày nghỉ bù"
    WORKING_DAY = "working_day", "Ngày làm việc bù (thứ Bảy, Chủ nhật hoặc ngày lễ đi làm)"


class CalendarEntry(models.Model):
    """One day of a year's official holiday notice: an extra day off, a compensatory day off, or a
    weekend day worked instead (làm bù). Statutory holidays themselves come from the `holidays`
    package; these entries are what the yearly notice decides on top of them."""

    day = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=EntryKind.choices)
    reason = models.CharField("lý do", max_length=255)
    notice = models.CharField("căn cứ (thông báo)", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ngày trong thông báo nghỉ lễ"
        verbose_name_plural = "ngày trong thông báo nghỉ lễ"
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in EntryKind]),
                name="calendarentry_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"


class OfficeHours(models.Model):
    """A unit's office sessions when they differ from the default 07:30–11:30 and 13:30–17:30."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="office_hours")
    morning_start = models.TimeField("sáng từ")
    morning_end = models.TimeField("sáng đến")
    afternoon_start = models.TimeField("chiều từ")
    afternoon_end = models.TimeField("chiều đến")

    class Meta:
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"

    def __str__(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    def sessions(self):
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))


class CalendarRevision(models.Model):
    """One row whose token changes with every calendar edit, so each app server can keep its
    calendar in memory and rebuild it only when another server (or itself) changed the data."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
