"""Reads of the ISO 9001 register: which processes are under the quality system on a day, their
controlled documents with the issue in force and its review due date, the reviews that are due or
overdue, the audits, and the report's figures (II.6.2 of the seed: "122/122 TTHC và 14 quy trình
nội bộ … 04/04 đơn vị sự nghiệp").

Nothing here is stored: "overdue" is judged against the day asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from motcua.org.models import Unit, UnitKind
from motcua.org.selectors import unit_subtree_ids

from .models import (
    IsoAudit,
    IsoDocument,
    IsoDocumentKind,
    IsoDocumentVersion,
    IsoFinding,
    IsoProcess,
    IsoProcessKind,
    IsoUnit,
)

DUE_SOON_DAYS = 30


def iso_agency_code() -> str | None:
    """The agency whose quality system the register is: MOTCUA_ISO_AGENCY_CODE, else the agency
    above the Office (the reform focal unit, permissions.REFORM_UNIT_CODES)."""
    configured = getattr(settings, "MOTCUA_ISO_AGENCY_CODE", None)
    if configured:
        return configured
    from .permissions import REFORM_UNIT_CODES

    office = Unit.objects.filter(code__in=REFORM_UNIT_CODES).select_related("parent").first()
    if office is not None and office.parent is not None:
        return office.parent.code
    return None


def in_scope_q(at: date, prefix: str = "") -> Q:
    started = Q(**{f"{prefix}in_scope_from__isnull": True}) | Q(
        **{f"{prefix}in_scope_from__lte": at}
    )
    open_ = Q(**{f"{prefix}in_scope_until__isnull": True}) | Q(
        **{f"{prefix}in_scope_until__gt": at}
    )
    return started & open_


def versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=IsoDocumentVersion.objects.select_related("supersedes")
        .prefetch_related("reviews")
        .order_by("-issued_on", "-pk"),
    )


def iso_processes() -> QuerySet[IsoProcess]:
    return (
        IsoProcess.objects.select_related("unit")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=IsoDocument.objects.prefetch_related(versions_prefetch()).order_by(
                    "kind", "code"
                ),
            )
        )
        .order_by("kind", "code")
    )


@dataclass
class DocumentState:
    document: IsoDocument
    current: IsoDocumentVersion | None
    superseded: list[IsoDocumentVersion]
    review_due: date | None  # the current issue's next review (its last review's, if reviewed)
    last_reviewed: date | None

    def overdue(self, at: date) -> bool:
        return self.review_due is not None and self.review_due < at


def document_state(document: IsoDocument) -> DocumentState:
    """From the prefetched versions (newest first): the issue no later one supersedes, and when it
    must next be reviewed."""
    versions = list(document.versions.all())
    superseding = {v.supersedes_id for v in versions if v.supersedes_id}
    live = [v for v in versions if v.pk not in superseding]
    current = live[0] if live else None
    due = last = None
    if current is not None:
        reviews = sorted(current.reviews.all(), key=lambda r: (r.reviewed_on, r.pk))
        if reviews:
            due, last = reviews[-1].next_review_on, reviews[-1].reviewed_on
        else:
            due = current.next_review_on
    return DocumentState(document, current, [v for v in versions if v is not current], due, last)


@dataclass
class ProcessRow:
    process: IsoProcess
    documents: list[DocumentState]
    in_scope: bool

    @property
    def process_document(self) -> DocumentState | None:
        for state in self.documents:
            if state.document.kind == IsoDocumentKind.PROCESS:
                return state
        return None

    @property
    def forms(self) -> list[DocumentState]:
        return [s for s in self.documents if s.document.kind == IsoDocumentKind.FORM]

    def overdue(self, at: date) -> bool:
        return any(s.overdue(at) for s in self.documents)


def _is_in_scope(process: IsoProcess, at: date) -> bool:
    return (process.in_scope_from is None or process.in_scope_from <= at) and (
        process.in_scope_until is None or process.in_scope_until > at
    )


def iso_register_rows(
    at: date,
    *,
    kind: str | None = None,
    unit_id: int | None = None,
    query: str = "",
    scope: str = "in",
    overdue_only: bool = False,
) -> list[ProcessRow]:
    """The register's list for the page: processes (filtered) with their documents' states.
    `scope`: "in" (under the system on `at`), "out" (not), "all"."""
    processes = iso_processes()
    if kind:
        processes = processes.filter(kind=kind)
    if unit_id:
        processes = processes.filter(unit_id__in=unit_subtree_ids(unit_id))
    if query:
        processes = processes.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(procedure_code__icontains=query)
        )
    if scope == "in":
        processes = processes.filter(in_scope_q(at))
    elif scope == "out":
        processes = processes.exclude(in_scope_q(at))
    rows = [
        ProcessRow(p, [document_state(d) for d in p.documents.all()], _is_in_scope(p, at))
        for p in processes
    ]
    if overdue_only:
        rows = [r for r in rows if r.overdue(at)]
    return rows


def iso_register_documents() -> QuerySet[IsoDocument]:
    """The register's own documents (quality objectives, plans, decisions): not of a process."""
    return IsoDocument.objects.filter(process__isnull=True).prefetch_related(versions_prefetch())


def iso_review_due(at: date, *, within_days: int = DUE_SOON_DAYS) -> list[DocumentState]:
    """Documents of processes in scope (and the register's own) whose current issue must be
    reviewed before `at` + `within_days`, the overdue first."""
    documents = (
        IsoDocument.objects.filter(Q(process__isnull=True) | in_scope_q(at, "process__"))
        .select_related("process")
        .prefetch_related(versions_prefetch())
    )
    limit = at + timedelta(days=within_days)
    states = [document_state(d) for d in documents]
    due = [s for s in states if s.review_due is not None and s.review_due <= limit]
    return sorted(due, key=lambda s: (s.review_due, s.document.code))


def iso_audits() -> QuerySet[IsoAudit]:
    return IsoAudit.objects.annotate(
        findings_count=Count("findings", distinct=True),
        nonconformities=Count("findings", filter=Q(findings__kind="nonconformity"), distinct=True),
    ).order_by("-held_from", "-pk")


def iso_audit_detail(audit: IsoAudit):
    return audit.findings.select_related("process", "unit").prefetch_related("actions__unit")


def _public_service_units(agency: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(
        pk__in=unit_subtree_ids(agency), kind=UnitKind.CENTRE, is_active=True
    ).exclude(pk=agency.pk)


def iso_register_figures(at: date, unit_code: str | None = None) -> dict:
    """The report's ISO figures on `at` (the report's last day):

    * procedures_in_force — public procedures of the agency in force (the catalogue);
    * procedures_in_qms — of those, the ones with a process under the system on `at`;
    * internal_processes — internal processes under the system on `at`;
    * units_total / units_applying — the agency's public-service units (đơn vị sự nghiệp) and
      those applying the system on `at`; agency_applies — the agency (its office) itself.
    """
    from motcua.catalog.selectors import UnknownAgency, versions_in_force

    code = unit_code or iso_agency_code()
    agency = Unit.objects.filter(code=code).first() if code else None
    if agency is None:
        return {"available": False, "at": at.isoformat()}
    try:
        in_force = set(
            versions_in_force(at, agency=agency)
            .filter(procedure__is_internal=False)
            .values_list("procedure_id", flat=True)
        )
    except UnknownAgency:  # pragma: no cover - the unit was just found
        in_force = set()
    subtree = unit_subtree_ids(agency)
    in_scope = IsoProcess.objects.filter(in_scope_q(at))
    procedures_in_qms = (
        in_scope.filter(kind=IsoProcessKind.PROCEDURE, procedure_id__in=in_force)
        .values("procedure_id")
        .distinct()
        .count()
    )
    internal = in_scope.filter(kind=IsoProcessKind.INTERNAL, unit_id__in=subtree).count()
    centres = _public_service_units(agency)
    applying_q = Q(applies_from__lte=at) & (Q(applies_until__isnull=True) | Q(applies_until__gt=at))
    applying = IsoUnit.objects.filter(applying_q)
    return {
        "available": True,
        "at": at.isoformat(),
        "agency": agency.code,
        "procedures_in_force": len(in_force),
        "procedures_in_qms": procedures_in_qms,
        "internal_processes": internal,
        "units_total": centres.count(),
        "units_applying": applying.filter(unit__in=centres).values("unit_id").distinct().count(),
        "agency_applies": applying.filter(unit=agency).exists(),
    }


def iso_counts(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """The report's "iso" section: the register's figures on the period's last day, and what the
    period saw (issues, reviews, reviews overdue at its end, audit findings and actions)."""
    subtree_q = Q()
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        subtree_q = Q(unit_id__in=unit_subtree_ids(unit)) if unit else Q(pk__in=[])
    processes = IsoProcess.objects.filter(subtree_q).filter(in_scope_q(date_to))
    counted = processes.aggregate(
        processes=Count("pk"),
        procedures=Count("pk", filter=Q(kind=IsoProcessKind.PROCEDURE)),
        internal_processes=Count("pk", filter=Q(kind=IsoProcessKind.INTERNAL)),
    )
    versions = IsoDocumentVersion.objects.filter(document__process__in=processes)
    issued = versions.filter(issued_on__gte=date_from, issued_on__lte=date_to).count()
    reviewed = (
        versions.filter(reviews__reviewed_on__gte=date_from, reviews__reviewed_on__lte=date_to)
        .distinct()
        .count()
    )
    overdue = 0
    for process in processes.prefetch_related(
        Prefetch("documents", queryset=IsoDocument.objects.prefetch_related(versions_prefetch()))
    ):
        if any(document_state(d).overdue(date_to) for d in process.documents.all()):
            overdue += 1
    audits = IsoAudit.objects.filter(held_from__gte=date_from, held_from__lte=date_to)
    return counted | {
        "versions_issued": issued,
        "versions_reviewed": reviewed,
        "review_overdue": overdue,
        "audits": audits.count(),
        "findings": IsoFinding.objects.filter(audit__in=audits).count(),
        "register": iso_register_figures(date_to, unit_code),
    }
