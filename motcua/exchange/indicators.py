"""The document registers' figures for the periodic reports (discovered and called by
motcua.indicators; the keys are documented in docs/exchange.md)."""

from datetime import date

from django.db.models import Exists, OuterRef

from motcua.org.selectors import unit_by_code, unit_subtree_ids

from .models import OutgoingDocument, OutgoingFile


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """{"exchange": {outgoing, outgoing_signed}}: the documents of the outgoing register issued in
    the period (of `unit_code` and the units under it, or every unit), and how many of them carry
    a digital signature — a PDF file whose signature is intact over the whole file (the seed's
    II.6.1: "100% văn bản … đều có chữ ký số")."""
    documents = OutgoingDocument.objects.filter(issued_on__gte=date_from, issued_on__lte=date_to)
    if unit_code:
        unit = unit_by_code(unit_code)
        documents = documents.filter(unit_id__in=unit_subtree_ids(unit) if unit else set())
    signed = OutgoingFile.objects.filter(document=OuterRef("pk"), signed=True)
    return {
        "exchange": {
            "outgoing": documents.count(),
            "outgoing_signed": documents.filter(Exists(signed)).count(),
        }
    }
