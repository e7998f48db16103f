"""Reads of the two registers. One visibility rule per register, used by every list and door."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from motcua.accounts.models import User
from motcua.accounts.permissions import is_staff_member, require

from .models import (
    IncomingDocument,
    LienthongIntake,
    LienthongResultSent,
    OutgoingDocument,
    OutgoingState,
)

MSG_STAFF_ONLY = "Sổ văn bản chỉ dành cho cán bộ, công chức của đơn vị."


def outgoing_visible_to(user) -> QuerySet[OutgoingDocument]:
    """THE rule of which outgoing documents a person sees (ADR 0034): staff see their own unit's
    register; nobody else sees any."""
    if not is_staff_member(user) or not user.unit_id:
        return OutgoingDocument.objects.none()
    return OutgoingDocument.objects.filter(unit_id=user.unit_id)


def incoming_visible_to(user) -> QuerySet[IncomingDocument]:
    """THE rule of which incoming documents a person sees: staff of the receiving unit."""
    if not is_staff_member(user) or not user.unit_id:
        return IncomingDocument.objects.none()
    return IncomingDocument.objects.filter(unit_id=user.unit_id)


def outgoing_for_officer(user, document_id: int) -> OutgoingDocument:
    """The one door to an outgoing document: staff only (403 before any look-up), then 404."""
    require(is_staff_member(user), MSG_STAFF_ONLY)
    return get_object_or_404(outgoing_visible_to(user).select_related("unit"), pk=document_id)


def incoming_for_officer(user, document_id: int) -> IncomingDocument:
    require(is_staff_member(user), MSG_STAFF_ONLY)
    return get_object_or_404(
        incoming_visible_to(user).select_related("unit", "assignee"), pk=document_id
    )


def outgoing_register_list(user) -> QuerySet[OutgoingDocument]:
    return outgoing_visible_to(user).select_related("unit").prefetch_related("deliveries")


def incoming_register_list(user) -> QuerySet[IncomingDocument]:
    return incoming_visible_to(user).select_related("assignee").defer("header")


def assignable_officers(unit_id: int) -> QuerySet[User]:
    """Whom an incoming document of a unit may be given to: active staff of that unit."""
    from motcua.accounts.roles import STAFF_ROLES

    return User.objects.filter(unit_id=unit_id, is_active=True, role__in=STAFF_ROLES).order_by(
        "full_name", "pk"
    )


# --- liên thông answers (ADR 0042) ------------------------------------------------------------


def lienthong_answers_due(at: datetime, statuses: list[str]) -> QuerySet[LienthongIntake]:
    """The intakes whose dossier has ended here (in one of `statuses`) and whose sender is not
    answered yet, except those waiting for their next attempt."""
    return (
        LienthongIntake.objects.filter(dossier__status__in=statuses, answered_at__isnull=True)
        .filter(Q(next_answer_at__isnull=True) | Q(next_answer_at__lte=at))
        .select_related("incoming", "unit", "dossier", "answer_document")
        .order_by("pk")
    )


def lienthong_results_unsent() -> list[tuple[LienthongIntake, list]]:
    """Per intake answered 06, the results issued since that went in no document (in pk order),
    with what registering them reads (the intake's letter, unit, dossier; each result's file)."""
    from motcua.documents.models import IssuedDocument

    later = (
        IssuedDocument.objects.filter(dossier__lienthong_intake__answer_code="06")
        .filter(~Exists(LienthongResultSent.objects.filter(result=OuterRef("pk"))))
        .select_related(
            "stored_file",
            "dossier__lienthong_intake__incoming",
            "dossier__lienthong_intake__unit",
        )
        .order_by("dossier_id", "pk")
    )
    return [
        (results[0].dossier.lienthong_intake, results)
        for _dossier, group in groupby(later, key=lambda r: r.dossier_id)
        if (results := list(group))
    ]


def lienthong_documents_undelivered() -> QuerySet[OutgoingDocument]:
    """The documents of results sent after a 06 that are registered and not yet delivered."""
    sent_later = LienthongResultSent.objects.filter(intake__answered_at__isnull=False)
    return (
        OutgoingDocument.objects.filter(
            state=OutgoingState.REGISTERED, pk__in=sent_later.values("document_id")
        )
        .select_related("unit")
        .order_by("pk")
    )
