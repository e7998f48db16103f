"""Reads of the postal channel: lists, the daily manifest, and the figures the indicators need."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.selectors import dossiers_visible_to

from .models import Consignment, ConsignmentStatus, Direction


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _period(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of date_from, start of the day after date_to): local days, both inclusive."""
    return _day_start(date_from), _day_start(date_to) + timedelta(days=1)


def _dossiers_received(date_from: date, date_to: date, unit_code: str | None) -> QuerySet:
    start, end = _period(date_from, date_to)
    dossiers = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if unit_code:
        dossiers = dossiers.filter(receiving_unit__code=unit_code)
    return dossiers


def postal_counts(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """received_post: dossiers received in the period that came by post; returned_post: dossiers
    received in the period, resolved by its end, whose result goes back by post (the seed's
    2.512 and 9.740). One query."""
    _, end = _period(date_from, date_to)
    figures = _dossiers_received(date_from, date_to, unit_code).aggregate(
        received_post=Count("pk", filter=Q(channel=ChannelKind.POST)),
        returned_post=Count("pk", filter=Q(return_channel=ChannelKind.POST, finished_at__lt=end)),
    )
    return {"received_post": figures["received_post"], "returned_post": figures["returned_post"]}


def outbound_summary(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """Consignments of results created in the period and what became of them. One query."""
    start, end = _period(date_from, date_to)
    consignments = Consignment.objects.filter(
        direction=Direction.OUTBOUND, created_at__gte=start, created_at__lt=end
    ).exclude(status=ConsignmentStatus.REQUESTED)
    if unit_code:
        consignments = consignments.filter(dossier__receiving_unit__code=unit_code)
    figures = consignments.aggregate(
        consignments=Count("pk"),
        delivered=Count("pk", filter=Q(status=ConsignmentStatus.DELIVERED)),
        returned_to_sender=Count("pk", filter=Q(status=ConsignmentStatus.RETURNED_TO_SENDER)),
        fees=Sum("fee"),
    )
    figures["fees"] = figures["fees"] or 0
    return figures


def consignments_for(user, *, direction: str = "", query: str = "") -> QuerySet[Consignment]:
    """The consignments of the dossiers the officer may open, newest first."""
    consignments = Consignment.objects.filter(dossier__in=dossiers_visible_to(user)).select_related(
        "dossier"
    )
    if direction in Direction.values:
        consignments = consignments.filter(direction=direction)
    if query.strip():
        text = query.strip()
        consignments = consignments.filter(
            Q(number__iexact=text.upper()) | Q(dossier__code__icontains=text)
        )
    return consignments.order_by("-created_at", "-pk")


def manifest_for(user, day: date) -> QuerySet[Consignment]:
    """The bảng kê: results handed to the postal operator on `day` (created that day), in order."""
    start = _day_start(day)
    return (
        Consignment.objects.filter(
            dossier__in=dossiers_visible_to(user),
            direction=Direction.OUTBOUND,
            created_at__gte=start,
            created_at__lt=start + timedelta(days=1),
        )
        .exclude(number="")
        .select_related("dossier")
        .order_by("created_at", "pk")
    )


def dossier_consignments(dossier) -> list[Consignment]:
    return list(dossier.consignments.prefetch_related("events").order_by("created_at", "pk"))
