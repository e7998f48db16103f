"""The postal section of the periodic reports (called by motcua.indicators; keep the names)."""

from datetime import date

from .selectors import outbound_summary, postal_counts


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """{"postal": {received_post, returned_post, consignments, delivered, returned_to_sender, fees}}:
    dossiers by post both ways (of dossiers received in the period), and the results' consignments
    created in the period, what became of them and their postage in đồng."""
    return {
        "postal": {
            **postal_counts(date_from, date_to, unit_code),
            **outbound_summary(date_from, date_to, unit_code),
        }
    }
