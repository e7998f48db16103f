from django.db import models


class DailySequence(models.Model):
    """The last dossier number a receiving unit gave on one day (the XXXX of Circular 01/2018 art. 19).

    One row per (unit, day), locked with SELECT ... FOR UPDATE by the transaction that creates the
    dossier, so numbers are unique and gapless across app servers: a creation that rolls back gives
    its number back.
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dailysequence_unit_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last_value}"
