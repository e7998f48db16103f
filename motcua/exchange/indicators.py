"""The document registers' figures for the periodic reports (discovered and called by
motcua.indicators; the keys are documented in docs/exchange.md)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from motcua.indicators.scope import scope_build

from .models import OutgoingDocument, OutgoingFile


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """{"exchange": {outgoing, outgoing_signed}}: the documents of the outgoing register issued in
    the period (of `unit_code` and the units under it, or every unit), and how many of them carry
    a digital signature — a PDF file whose signature is intact over the whole file (the seed's
    II.6.1: "100% văn bản … đều có chữ ký số")."""
    scope = scope_build(date_from, date_to, unit_code=unit_code)  # the report's units, one rule
    documents = OutgoingDocument.objects.filter(issued_on__gte=date_from, issued_on__lte=date_to)
    if scope.unit_ids:
        documents = documents.filter(unit_id__in=scope.unit_ids)
    signed = Exists(OutgoingFile.objects.filter(document=OuterRef("pk"), signed=True))
    counts = documents.aggregate(
        outgoing=Count("pk"), outgoing_signed=Count("pk", filter=Q(signed))
    )
    return {"exchange": counts}
