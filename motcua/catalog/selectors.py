"""Reads of the catalogue with business meaning. "In force at t" is one indexed range query on
ProcedureVersion (index version_in_force_idx / version_proc_from_idx):

    effective_from <= day(t) < effective_until (or no end), and the version does not end the procedure

A version takes effect at the start (00:00, Asia/Ho_Chi_Minh) of its effective date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from motcua.core import clock
from motcua.core.text import fold
from motcua.org.models import Unit
from motcua.org.selectors import unit_subtree_ids

from .models import (
    ENDING_CHANGES,
    Level,
    ProcedureComponent,
    ProcedureVersion,
    ProcessStep,
)


class UnknownAgency(ValueError):
    """The agency code given to a selector names no unit."""


def day_of(at: date | datetime | None) -> date:
    """The calendar day (in Asia/Ho_Chi_Minh) of an instant or a date; today when None."""
    if at is None:
        return clock.now().date()
    if isinstance(at, datetime):
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def in_force_q(at: date | datetime | None) -> Q:
    day = day_of(at)
    return (
        Q(effective_from__lte=day)
        & (Q(effective_until__isnull=True) | Q(effective_until__gt=day))
        & ~Q(change__in=ENDING_CHANGES)
    )


def agency_unit_ids(agency: str | Unit | int) -> set[int]:
    """The unit (by code, instance or id) and every unit under it."""
    if isinstance(agency, str):
        unit = Unit.objects.filter(code=agency).only("pk").first()
        if unit is None:
            raise UnknownAgency(f"Không có đơn vị mã “{agency}” trong cơ cấu tổ chức.")
        agency = unit
    return unit_subtree_ids(agency)


def versions_in_force(at=None, *, agency=None) -> QuerySet[ProcedureVersion]:
    """Every procedure's version in force at `at` (a date or an instant), ordered by code.

    `agency` (a unit code or Unit) keeps the procedures that unit or a unit below it decides
    (competent agency) or receives (receiving unit).
    """
    versions = (
        ProcedureVersion.objects.filter(in_force_q(at))
        .select_related("procedure", "field", "competent_agency", "receiving_unit", "decision")
        .order_by("procedure__code")
    )
    if agency is not None:
        ids = agency_unit_ids(agency)
        versions = versions.filter(Q(competent_agency_id__in=ids) | Q(receiving_unit_id__in=ids))
    return versions


def version_in_force(code: str, at=None) -> ProcedureVersion | None:
    """The version of procedure `code` in force at `at`, or None (not yet announced, or ended)."""
    return versions_in_force(at).filter(procedure__code=code).first()


# --- the versions in force, kept per process until the catalogue changes --------------------------

_IN_FORCE_KEPT = 20_000  # (procedure, day) pairs; a desk asks for a few hundred
_in_force: dict[tuple[int, str, date], ProcedureVersion | None] = {}  # (revision, code, day)


def version_in_force_shared(code: str, at: date) -> ProcedureVersion | None:
    """version_in_force(code, at), kept in memory under the catalogue's revision (revision.py):
    a desk intake reads one row instead of planning and running a six-table join. The instance is
    shared by every caller of the process — read it, never change it.

    PostgreSQL only: there the revision comes from a sequence, so a number is never seen again
    with other data, even after a rollback. SQLite (demo, development) reads every time."""
    from django.db import connection

    from .revision import catalog_revision

    revision = catalog_revision() if connection.vendor == "postgresql" else None
    if revision is None:
        return version_in_force(code, at)
    key = (revision, code, day_of(at))
    if key not in _in_force:
        if len(_in_force) >= _IN_FORCE_KEPT:
            _in_force.clear()  # old revisions' entries can never be asked for again
        _in_force[key] = version_in_force(code, key[2])
    return _in_force[key]


# --- a version's components and steps, read once per process -------------------------------------
# A published version never changes its components or steps (ADR 0003; ImmutableModel refuses it),
# so a desk reads them from the database once per version, not at every reception. Saving a version,
# a component or a step in this process empties the cache: that only matters where ids come back
# (a test database rolled back between tests), as ids are never reused across processes.

_PARTS_KEPT = 4096  # versions kept; a province's whole catalogue is a few thousand
_parts: dict[int, tuple[tuple[ProcedureComponent, ...], tuple[ProcessStep, ...]]] = {}


def version_components(version: ProcedureVersion) -> tuple[ProcedureComponent, ...]:
    """The version's components in order (shared, read-only instances)."""
    return _version_parts(version)[0]


def version_steps(version: ProcedureVersion) -> tuple[ProcessStep, ...]:
    """The version's internal process steps in order (shared, read-only instances)."""
    return _version_parts(version)[1]


def _version_parts(version: ProcedureVersion):
    parts = _parts.get(version.pk)
    if parts is None:
        parts = (
            tuple(ProcedureComponent.objects.filter(version_id=version.pk).order_by("order")),
            tuple(ProcessStep.objects.filter(version_id=version.pk).order_by("order")),
        )
        if len(_parts) >= _PARTS_KEPT:
            _parts.clear()
        _parts[version.pk] = parts
    return parts


def version_parts_forget(**_) -> None:
    _parts.clear()


for _model in (ProcedureVersion, ProcedureComponent, ProcessStep):
    post_save.connect(version_parts_forget, sender=_model, dispatch_uid=f"parts-{_model.__name__}")
    post_delete.connect(
        version_parts_forget, sender=_model, dispatch_uid=f"parts-del-{_model.__name__}"
    )


def procedures_search(query: str, at=None, *, agency=None) -> QuerySet[ProcedureVersion]:
    """Versions in force whose name (accents and case ignored) or code contains `query`."""
    versions = versions_in_force(at, agency=agency)
    text = (query or "").strip()
    if not text:
        return versions
    return versions.filter(Q(name_folded__contains=fold(text)) | Q(procedure__code__icontains=text))


def procedure_versions(code: str) -> QuerySet[ProcedureVersion]:
    """Every version of one procedure, oldest first, with its children, for the detail page."""
    return (
        ProcedureVersion.objects.filter(procedure__code=code)
        .select_related(
            "procedure",
            "decision",
            "field",
            "competent_agency",
            "receiving_unit",
            "replaced_by",
        )
        .prefetch_related("fees", "components", "steps__unit")
        .order_by("effective_from")
    )


@dataclass
class CatalogSummary:
    day: date
    public: int = 0
    internal: int = 0
    postal_intake: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_receiving_unit: list[tuple[str, str, int]] = field(default_factory=list)


def catalog_summary(at=None, *, agency=None) -> CatalogSummary:
    """Counts of the catalogue in force: public procedures by receiving unit and by level, those
    accepting postal intake, and internal procedures (TTHC nội bộ)."""
    versions = versions_in_force(at, agency=agency).order_by()
    public = versions.filter(procedure__is_internal=False)
    summary = CatalogSummary(day=day_of(at))
    rows = public.values("receiving_unit__code", "receiving_unit__name", "level", "intake_post")
    rows = rows.annotate(n=Count("pk"))
    by_unit: Counter = Counter()
    names: dict[str, str] = {}
    by_level: Counter = Counter()
    for row in rows:
        summary.public += row["n"]
        by_unit[row["receiving_unit__code"]] += row["n"]
        names[row["receiving_unit__code"]] = row["receiving_unit__name"]
        by_level[row["level"]] += row["n"]
        if row["intake_post"]:
            summary.postal_intake += row["n"]
    summary.by_level = {level.value: by_level.get(level.value, 0) for level in Level}
    summary.by_receiving_unit = [(code, names[code], n) for code, n in sorted(by_unit.items())]
    summary.internal = versions.filter(procedure__is_internal=True).count()
    return summary


def decisions_signed_in(date_from: date, date_to: date, *, agency=None) -> list[dict]:
    """The announcing decisions signed in [date_from, date_to] (the report's "đã trình UBND tỉnh
    ban hành Quyết định công bố … 17 TTHC"), each with its versions counted by change kind, split
    into internal procedures and public ones, the latter into those `agency` (or a unit below it)
    decides and those of other agencies (the other levels' procedures the department drafts the decision for).
    Ordered by signing day."""
    own = agency_unit_ids(agency) if agency is not None else None
    versions = (
        ProcedureVersion.objects.filter(
            decision__signed_on__gte=date_from, decision__signed_on__lte=date_to
        )
        .select_related("decision", "procedure", "competent_agency")
        .order_by("decision__signed_on", "decision__number", "procedure__code")
    )
    decisions: dict[int, dict] = {}
    for version in versions:
        decision = version.decision
        row = decisions.setdefault(
            decision.pk,
            {
                "number": decision.number,
                "signed_on": decision.signed_on.isoformat(),
                "effective_from": decision.effective_from.isoformat(),
                "issuer": decision.issuer,
                "title": decision.title,
                "procedures": 0,
                "internal": 0,
                "own": 0,
                "other_agencies": {},
                "by_change": {},
            },
        )
        row["procedures"] += 1
        row["by_change"][version.change] = row["by_change"].get(version.change, 0) + 1
        if version.procedure.is_internal:  # decided inside the administration: neither split
            row["internal"] += 1
        elif own is None or version.competent_agency_id in own:
            row["own"] += 1
        else:
            name = version.competent_agency.name
            row["other_agencies"][name] = row["other_agencies"].get(name, 0) + 1
    return list(decisions.values())


def procedures_with_process(at=None, *, agency=None) -> int:
    """Public procedures in force at `at` that have an internal process (quy trình nội bộ)."""
    versions = versions_in_force(at, agency=agency).order_by()
    return versions.filter(procedure__is_internal=False, steps__isnull=False).distinct().count()


def dossier_counts_by_procedure(start: date, end: date) -> dict[str, int]:
    """Dossiers received from `start` to `end` (both included, local days), per procedure code."""
    from datetime import time, timedelta

    from motcua.dossiers.models import Dossier

    low = timezone.make_aware(datetime.combine(start, time.min))
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        Dossier.objects.filter(received_at__gte=low, received_at__lt=high)
        .values_list("procedure_version__procedure__code")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def catalog_content_report(*, at=None, agency=None):
    """The content report (content_report.py) of what `catalog_export` writes; with `at`, the
    dossiers received from 1 January of that year to `at`."""
    from . import exporting
    from .content_report import content_report

    document = exporting.catalogue_file_build(at=at, agency=agency)
    if at is None:
        return content_report(document)
    start = date(at.year, 1, 1)
    return content_report(
        document, dossier_counts_by_procedure(start, at), dossiers_from=start, dossiers_to=at
    )
