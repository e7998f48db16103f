"""Reads of the documents app: a dossier's files, a person's reusable files and results, the search
by document text, and the digitisation counts the reports use (Decision 766 group 4)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.core.text import fold
from motcua.dossiers.models import Dossier, DossierComponent

from .models import ComponentFile, ComponentSource, IssuedDocument

# A component file counts as digitised when an officer confirmed the scan against the original, or
# when it is electronic by nature (uploaded by the citizen, or reused from a digitised source).
DIGITISED_FILE = ~Q(source=ComponentSource.DESK_SCAN) | Q(digitised_confirmed_at__isnull=False)


def files_for_dossier(dossier: Dossier) -> QuerySet[ComponentFile]:
    """Every file attached to the dossier's components, component order then attachment order."""
    return (
        ComponentFile.objects.filter(component__dossier=dossier)
        .select_related(
            "component",
            "stored_file",
            "digitised_confirmed_by",
            "uploaded_by",
            "reused_from__component__dossier",
            "reused_from_result",
        )
        .order_by("component__order", "created_at", "pk")
    )


def components_with_files(dossier: Dossier) -> list[DossierComponent]:
    """The dossier's components, each with `.attached` = its files (two queries in all)."""
    components = list(dossier.components.all())
    by_component: dict[int, list[ComponentFile]] = {c.pk: [] for c in components}
    for attached in files_for_dossier(dossier):
        by_component[attached.component_id].append(attached)
    for component in components:
        files = by_component[component.pk]
        # Attributes for this request only, read by the templates; not model fields.
        component.attached = files  # type: ignore[attr-defined]
        component.digitised = any(f.is_digitised for f in files)  # type: ignore[attr-defined]
    return components


def results_for_dossier(dossier: Dossier) -> QuerySet[IssuedDocument]:
    """The electronic results issued for a dossier, newest first (for the officer and the portal)."""
    return IssuedDocument.objects.filter(dossier=dossier).select_related("stored_file")


def reusable_files_for(
    citizen_id: str, *, exclude_dossier: Dossier | None = None
) -> QuerySet[ComponentFile]:
    """A person's earlier digitised component files (their "kho dữ liệu"), newest first; at most one
    per stored content is useful, the caller groups by component name."""
    if not citizen_id:
        return ComponentFile.objects.none()
    queryset = (
        ComponentFile.objects.filter(component__dossier__applicant__citizen_id=citizen_id)
        .filter(DIGITISED_FILE)
        .select_related("component__dossier", "stored_file")
        .order_by("-created_at", "-pk")
    )
    if exclude_dossier is not None:
        queryset = queryset.exclude(component__dossier=exclude_dossier)
    return queryset


def reusable_results_for(
    citizen_id: str, *, exclude_dossier: Dossier | None = None
) -> QuerySet[IssuedDocument]:
    """A person's electronic results, which later procedures may reuse instead of the paper."""
    if not citizen_id:
        return IssuedDocument.objects.none()
    queryset = IssuedDocument.objects.filter(citizen_id=citizen_id).select_related(
        "stored_file", "dossier"
    )
    if exclude_dossier is not None:
        queryset = queryset.exclude(dossier=exclude_dossier)
    return queryset


def reuse_offers_for(dossier: Dossier, components) -> dict[int, list]:
    """For each component of the dossier: the person's earlier files of a component with the same
    name (folded), newest first, one per content, and every electronic result of the person."""
    citizen_id = dossier.applicant.citizen_id
    earlier = list(reusable_files_for(citizen_id, exclude_dossier=dossier)[:200])
    results = list(reusable_results_for(citizen_id, exclude_dossier=dossier)[:50])
    offers: dict[int, list] = {}
    for component in components:
        name = fold(component.name)
        have = {f.stored_file_id for f in getattr(component, "attached", [])}
        seen = set(have)
        matches = []
        for candidate in earlier:
            if fold(candidate.component.name) == name and candidate.stored_file_id not in seen:
                seen.add(candidate.stored_file_id)
                matches.append(candidate)
        offers[component.pk] = matches + [r for r in results if r.stored_file_id not in have]
    return offers


def issued_document_by_token(token: str) -> IssuedDocument | None:
    return (
        IssuedDocument.objects.select_related("dossier__procedure_version__procedure")
        .filter(token=token)
        .first()
    )


def dossiers_by_document_text(query: str, dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Among `dossiers` (already limited to what the officer may see), those whose attached documents
    contain every word of `query`, accents and case ignored (the OCR text and PDF text layers)."""
    words = fold(query).split()
    if not words:
        return dossiers.none()
    condition = Q()
    for word in words:
        matching = ComponentFile.objects.filter(component__dossier=OuterRef("pk")).filter(
            Q(stored_file__text_folded__contains=word)
            | Q(stored_file__ocr_file__text_folded__contains=word)
        )
        condition &= Q(Exists(matching))
    return dossiers.filter(condition)


# --- indicators (Decision 766 group 4 — Số hoá hồ sơ) ---------------------------------------------


def _period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[first instant of date_from, first instant after date_to) in the installation's zone."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _received_in(date_from: date, date_to: date, unit_code: str | None) -> QuerySet[Dossier]:
    start, end = _period_bounds(date_from, date_to)
    dossiers = Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
    if unit_code:
        # As the reports scope a unit: dossiers it (or a unit under it) received or decides.
        from motcua.org.selectors import unit_by_code, unit_subtree_ids

        unit = unit_by_code(unit_code)
        ids = unit_subtree_ids(unit) if unit else set()
        dossiers = dossiers.filter(
            Q(receiving_unit_id__in=ids) | Q(procedure_version__competent_agency_id__in=ids)
        )
    return dossiers


def digitisation_counts(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """The counts behind Decision 766 indicators 4.1–4.3 for dossiers received in [date_from,
    date_to] (by the reception date, as the national formulas take NgayTiepNhan), optionally for one
    unit (its QCVN 102 code: dossiers it or a unit under it received, or decides — the reports'
    scope rule):

    - dossiers_received: dossiers received in the period;
    - dossiers_digitised: of those, dossiers with at least one component and every component
      digitised (a file attached and, for a desk scan, confirmed against the original). Stricter
      than the portal's "at least one component has a file" (TT 01/2023 asks for every paper
      received to be digitised);
    - results_issued: of those, dossiers whose processing finished (a result was produced);
    - results_electronic: of those finished, dossiers with a signed electronic result;
    - components_reused: components of those dossiers with a file flagged reused;
    - dossiers_with_reuse: dossiers with at least one reused component (indicator 4.3).
    """
    dossiers = _received_in(date_from, date_to, unit_code)
    component_digitised = ComponentFile.objects.filter(component=OuterRef("pk")).filter(
        DIGITISED_FILE
    )
    undigitised_component = DossierComponent.objects.filter(dossier=OuterRef("pk")).exclude(
        Exists(component_digitised)
    )
    reused = ComponentFile.objects.filter(
        component__dossier=OuterRef("pk"), source=ComponentSource.REUSE
    )
    electronic = IssuedDocument.objects.filter(dossier=OuterRef("pk"))
    annotated = dossiers.annotate(
        has_components=Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"))),
        has_undigitised=Exists(undigitised_component),
        has_reuse=Exists(reused),
        has_electronic=Exists(electronic),
    )
    finished = Q(finished_at__isnull=False) | Q(returned_at__isnull=False)
    totals = annotated.aggregate(
        dossiers_received=Count("pk"),
        dossiers_digitised=Count("pk", filter=Q(has_components=True, has_undigitised=False)),
        results_issued=Count("pk", filter=finished),
        results_electronic=Count("pk", filter=finished & Q(has_electronic=True)),
        dossiers_with_reuse=Count("pk", filter=Q(has_reuse=True)),
    )
    totals["components_reused"] = (
        DossierComponent.objects.filter(dossier__in=dossiers.values("pk"))
        .filter(
            Exists(
                ComponentFile.objects.filter(component=OuterRef("pk"), source=ComponentSource.REUSE)
            )
        )
        .count()
    )
    return totals
