"""Reads of dossiers with business meaning: worklists, the desk's recall, remaining working time."""

import operator
from datetime import datetime
from functools import reduce
from typing import NamedTuple

from django.db import connections
from django.db.models import F, Q, QuerySet

from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.catalog.models import ProcedureVersion
from motcua.org.selectors import unit_ancestor_ids

from .models import Applicant, Dossier, worklist_statuses

DUE_SOON_MINUTES = 8 * 60  # one working day


class VisibilityTerm(NamedTuple):
    """One term of the staff's dossier visibility rule; the rule is the OR of its terms."""

    rule: Q
    # Its rows lie along the due-order index among others' (a list of procedure versions), not in
    # a range of their own: see Worklist.ranges.
    spread: bool = False


def _processes_dossiers(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.role not in (
        Role.CITIZEN,
        Role.ADMINISTRATOR,
    )


def dossier_visibility_terms(user, *, versions_listed: bool = False) -> list[VisibilityTerm]:
    """THE rule of which dossiers a staff member may see — the only place it is written (ADR 0017):
    the assignee always (first term: the worklist's "mine" reads it alone); the desk, the dossiers
    its unit received; processors, those whose competent agency is their unit or a unit above it
    (a division sits under the department and works the department's dossiers). Administrators
    and citizens see none here. The agency term names the agency's procedure versions: as a
    subquery, or listed (`versions_listed`, one query to the small catalogue) for the worklist,
    whose index ranges need values; versions never change agency."""
    if not _processes_dossiers(user):
        return []
    terms = [VisibilityTerm(Q(assignee_id=user.pk))]
    if user.unit_id is None:
        return terms
    if user.role == Role.DESK_OFFICER:
        return [*terms, VisibilityTerm(Q(receiving_unit_id=user.unit_id))]
    if versions_listed:
        version_ids = _agency_version_ids(user.unit_id)
        if not version_ids:  # an empty IN () is no SQL at all: the union could not be written
            return terms
        return [*terms, VisibilityTerm(Q(procedure_version_id__in=version_ids), spread=True)]
    agencies = unit_ancestor_ids(user.unit_id)
    versions = ProcedureVersion.objects.filter(competent_agency_id__in=agencies).order_by()
    return [*terms, VisibilityTerm(Q(procedure_version_id__in=versions.values("pk")), spread=True)]


def _agency_version_ids(unit_id: int) -> list[int]:
    """The procedure versions whose competent agency is the unit or a unit above it, in one query
    (the units above read by a recursive CTE, as org.selectors.unit_ancestor_ids walks them):
    every worklist request of a processor asked two (issue [P] 3)."""
    from motcua.org.models import Unit

    units, versions = Unit._meta.db_table, ProcedureVersion._meta.db_table
    sql = (
        f"WITH RECURSIVE above (id, parent_id) AS (SELECT id, parent_id FROM {units} WHERE id = %s"
        f" UNION SELECT u.id, u.parent_id FROM {units} u JOIN above a ON u.id = a.parent_id)"
        f" SELECT v.id FROM {versions} v WHERE v.competent_agency_id IN (SELECT id FROM above)"
        " ORDER BY v.id"
    )
    with connections[ProcedureVersion.objects.db].cursor() as cursor:
        cursor.execute(sql, [unit_id])
        return [pk for (pk,) in cursor.fetchall()]


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The dossiers a staff member may see, as one query: the object door
    (permissions.access_dossier_for_officer), every list, export and PDF start from here."""
    terms = dossier_visibility_terms(user)
    if not terms:
        return Dossier.objects.none()
    return Dossier.objects.filter(reduce(operator.or_, (term.rule for term in terms)))


# The worklist's order: most urgent first; a paused dossier (no due instant while the clock stands)
# and an online one not yet received go last, as PostgreSQL orders NULL by default (said explicitly
# so SQLite agrees). The pk breaks ties, so the order is total and pages never overlap.
WORKLIST_ORDER = (
    F("due_at").asc(nulls_last=True),
    F("received_at").asc(nulls_last=True),
    F("pk").asc(),
)
# The page counts the rows up to here and then says "Trên 1.000 hồ sơ": counting every open dossier
# of a busy desk cost more than the rest of the page (130.000 rows at the 1m bench).
WORKLIST_COUNT_CAP = 1000
WORKLIST_RELATED = ("procedure_version", "assignee", "current_step")
# What a worklist row shows: a procedure version row is wide (legal basis, results), read its name only.
WORKLIST_PAGE_FIELDS = (
    "code",
    "status",
    "due_at",
    "revision",
    "applicant_name",
    "procedure_version__name",
    "assignee__full_name",
    "assignee__username",
    "current_step__name",
)


def worklist_for(
    user, *, status: str = "", query: str = "", mine: bool = False
) -> QuerySet[Dossier]:
    """Every open dossier the user sees, most urgent first, as one query (exports, checks, counts
    of a few rows). The worklist page reads through Worklist, which is fast at any size."""
    dossiers = _worklist_filtered(
        dossiers_visible_to(user), user, status=status, query=query, mine=mine
    )
    return dossiers.select_related(*WORKLIST_RELATED).order_by(*WORKLIST_ORDER)


def _worklist_filtered(dossiers: QuerySet, user, *, status: str, query: str, mine: bool):
    # Open statuses as a positive filter: it matches the partial indexes' condition.
    dossiers = dossiers.filter(status__in=worklist_statuses())
    if status:
        dossiers = dossiers.filter(status=status)
    if mine:
        dossiers = dossiers.filter(assignee=user)
    if query.strip():
        dossiers = dossiers.filter(
            Q(code__icontains=query.strip()) | Q(applicant_name__icontains=query.strip())
        )
    return dossiers


def worklist_terms(user) -> list[VisibilityTerm]:
    """The visibility rule's terms, each one range of a partial index in due order (the agency's
    term a list of procedure versions read first from the small catalogue, not a join)."""
    return dossier_visibility_terms(user, versions_listed=True)


class Worklist:
    """The open dossiers a user sees, as the paginator reads them: at most WORKLIST_COUNT_CAP + 1
    keys (id, due, received) from each term of the rule, each an index range read in order, merged
    by one UNION; then the page's rows in one query. Any dossier among the first N of the union is
    among the first N of its own term, so the merge is exact up to the cap."""

    def __init__(self, user, *, status: str = "", query: str = "", mine: bool = False):
        terms = worklist_terms(user)
        if mine:
            terms = terms[:1]  # the assignee's term: the others add nothing to "mine"
        self._ranges = [
            (
                term,
                _worklist_filtered(
                    Dossier.objects.filter(term.rule), user, status=status, query=query, mine=False
                ),
            )
            for term in terms
        ]
        self._keys: list[int] | None = None

    def ranges(self) -> list[QuerySet]:
        """One query per term: the keys of its open dossiers in page order, up to the cap + 1.

        A spread term with few open dossiers (a small agency) is read whole and unordered, by
        version, and sorted in the union: read in due order, its rows would be looked for along the
        whole index, past every other agency's (110 ms at the 1m bench for an agency with none).
        One more query tells: is there a row past the cap?"""
        found = []
        for term, dossiers in self._ranges:
            keys = dossiers.values_list("pk", "due_at", "received_at")
            if term.spread and not dossiers.order_by()[WORKLIST_COUNT_CAP:].exists():
                found.append(keys.order_by())
            else:
                found.append(keys.order_by(*WORKLIST_ORDER)[: WORKLIST_COUNT_CAP + 1])
        return found

    def keys(self) -> list[int]:
        """The ids in page order, the cap + 1 at most (one more says "more than the cap"): the
        ranges' union, ordered and cut by the database in one round trip; only ids come back."""
        if self._keys is None:
            self._keys = []
            if self._ranges:
                with connections[Dossier.objects.db].cursor() as cursor:
                    cursor.execute(*self.union_sql())
                    self._keys = [pk for (pk,) in cursor.fetchall()]
        return self._keys

    def union_sql(self) -> tuple[str, list]:
        """The ranges' union in page order, as SQL and parameters. Each range is compiled by the
        ORM and kept whole as a subquery (its ORDER BY and LIMIT make it an index range scan);
        UNION drops a dossier seen through two terms. Not QuerySet.union(): SQLite refuses a LIMIT
        inside a member of a compound query, and the outer query returns ids only."""
        parts: list[str] = []
        params: list[object] = []
        for number, keys in enumerate(self.ranges()):
            sql, part_params = keys.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS term{number}")
            params.extend(part_params)
        union = " UNION ".join(parts)
        sql = (
            f"SELECT pk FROM ({union}) AS terms ORDER BY due_at ASC NULLS LAST,"
            f" received_at ASC NULLS LAST, pk ASC LIMIT {WORKLIST_COUNT_CAP + 1:d}"
        )
        return sql, params

    @property
    def over_cap(self) -> bool:
        return len(self.keys()) > WORKLIST_COUNT_CAP

    def count(self) -> int:
        """What the paginator pages over: the first WORKLIST_COUNT_CAP dossiers at most."""
        return min(len(self.keys()), WORKLIST_COUNT_CAP)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, rows: slice) -> list[Dossier]:
        ids = self.keys()[:WORKLIST_COUNT_CAP][rows]
        found = {dossier.pk: dossier for dossier in worklist_rows(ids)}
        return [found[pk] for pk in ids if pk in found]


def worklist_rows(ids: list[int]) -> QuerySet[Dossier]:
    """The dossiers of one worklist page with what a row shows, in one query."""
    return (
        Dossier.objects.filter(pk__in=ids)
        .select_related(*WORKLIST_RELATED)
        .only(*WORKLIST_PAGE_FIELDS)
    )


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
