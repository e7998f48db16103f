"""The archive's figures for the periodic reports (discovered and called by motcua.indicators;
the keys are documented in docs/archives.md)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from motcua.indicators.scope import scope_build

from .models import WorkFileItem


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """{"archives": {dossiers_finished, dossiers_filed}}: the dossiers whose processing ended in
    the period (the report's scope: its units and days) and how many of them are filed in an
    electronic work file (the seed's II.6.1: "lập hồ sơ lưu trữ điện tử đối với 100% hồ sơ")."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.workflow import PROCESSING_ENDED

    scope = scope_build(date_from, date_to, unit_code=unit_code)
    finished = Dossier.objects.filter(
        scope.dossier_q(),
        finished_at__gte=scope.start,
        finished_at__lt=scope.end_exclusive,
        status__in=[s.value for s in PROCESSING_ENDED],
        code__isnull=False,
    )
    filed = Exists(WorkFileItem.objects.filter(dossier=OuterRef("pk")))
    counts = finished.aggregate(
        dossiers_finished=Count("pk"), dossiers_filed=Count("pk", filter=Q(filed))
    )
    return {"archives": counts}
