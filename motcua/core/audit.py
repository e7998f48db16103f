"""The log of personal-data reads. Views that show a person's ID number, address or phone call
`personal_data_read` once per response; the log can be read but never changed through the app."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import PersonalDataRead


def personal_data_read(request, subject: str, purpose: str) -> None:
    PersonalDataRead.objects.create(
        actor=request.user, subject=subject, purpose=purpose, path=request.get_full_path()[:255]
    )


def personal_data_reads(
    *,
    subject: str = "",
    username: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The log, newest first, narrowed by subject (e.g. "dossier:42"), by who read, and by local
    dates (inclusive)."""
    reads = PersonalDataRead.objects.select_related("actor").order_by("-at", "-pk")
    if subject:
        reads = reads.filter(subject=subject)
    if username:
        reads = reads.filter(actor__username=username)
    if date_from:
        reads = reads.filter(at__gte=_local_midnight(date_from))
    if date_to:
        reads = reads.filter(at__lt=_local_midnight(date_to) + timedelta(days=1))
    return reads


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
