"""Reads of dossiers with business meaning: worklists, the desk's recall, remaining working time."""

from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.org.selectors import unit_ancestor_ids

from .models import Applicant, Dossier
from .workflow import PROCESSING_ENDED, Status

DUE_SOON_MINUTES = 8 * 60  # one working day


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The dossiers a staff member may open: the same rule as permissions.can_see_dossier, as a
    query (one query for the unit tree, then an indexed filter)."""
    if not (user and user.is_authenticated and user.is_active) or user.role in (
        Role.CITIZEN,
        Role.ADMINISTRATOR,
    ):
        return Dossier.objects.none()
    rule = Q(assignee=user)
    if user.unit_id and user.role == Role.DESK_OFFICER:
        rule |= Q(receiving_unit_id=user.unit_id)
    elif user.unit_id:
        rule |= Q(procedure_version__competent_agency_id__in=unit_ancestor_ids(user.unit_id))
    return Dossier.objects.filter(rule)


def worklist_for(
    user, *, status: str = "", query: str = "", mine: bool = False
) -> QuerySet[Dossier]:
    """Open dossiers first by due instant (the most urgent on top); finished ones are not work."""
    dossiers = (
        dossiers_visible_to(user)
        .exclude(status__in=[s.value for s in PROCESSING_ENDED if s != Status.FINISHED])
        .exclude(status=Status.RETURNED)
        .select_related("procedure_version__procedure", "assignee", "current_step")
    )
    if status:
        dossiers = dossiers.filter(status=status)
    if mine:
        dossiers = dossiers.filter(assignee=user)
    if query:
        dossiers = dossiers.filter(
            Q(code__icontains=query.strip()) | Q(applicant_name__icontains=query.strip())
        )
    return dossiers.order_by("due_at", "received_at", "pk")


def remaining_working_minutes(dossier: Dossier, at: datetime, calendar=None) -> float | None:
    """Office minutes left before the due instant (negative when late); None while the clock stands."""
    if dossier.due_at is None:
        return None
    calendar = calendar or working_calendar_for(dossier.receiving_unit)
    return calendar.working_minutes_between(at, dossier.due_at)


def urgency(minutes: float | None) -> str:
    """The colour class of a worklist row: late, due within a working day, on track, or paused."""
    if minutes is None:
        return "paused"
    if minutes < 0:
        return "late"
    if minutes <= DUE_SOON_MINUTES:
        return "soon"
    return "ok"


def applicant_by_citizen_id(citizen_id: str) -> Applicant | None:
    """The desk's recall of a returning applicant."""
    number = "".join((citizen_id or "").split())
    if len(number) != 12:
        return None
    return Applicant.objects.filter(citizen_id=number).first()
