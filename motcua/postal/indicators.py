"""The postal section of the periodic reports (called by motcua.indicators; keep the names)."""

from datetime import date

from motcua.indicators.scope import scope_build
from motcua.indicators.selectors import dossier_counts

from .selectors import outbound_summary


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """{"postal": {received_post, returned_post, consignments, delivered, returned_to_sender, fees}}:
    dossiers by post both ways (of dossiers received in the period), and the results' consignments
    created in the period, what became of them and their postage in đồng.

    The two dossier counts are the report's own (`dossiers.received_post`, `dossiers.returned_post`,
    read from the indicators rollup); selectors.postal_counts is the same rule read from the
    dossiers, kept as the reference its tests check."""
    counts = dossier_counts(scope_build(date_from, date_to, unit_code=unit_code))
    return {
        "postal": {
            "received_post": counts["received_post"],
            "returned_post": counts["returned_post"],
            **outbound_summary(date_from, date_to, unit_code),
        }
    }
