"""The documents app's figures for the periodic reports (discovered by motcua.indicators).

Section "documents" (Decision 766 group 4 — Số hoá hồ sơ; keys documented in docs/documents.md):
the counts of `selectors.digitisation_counts` (read from the indicators rollup:
motcua.indicators.selectors.document_counts, same definitions) plus
  digitised_pct          = dossiers_digitised / dossiers_received × 100 (indicator 4.2, input side)
  electronic_results_pct = results_electronic / results_issued × 100 (indicator 4.1)
  reuse_pct              = dossiers_with_reuse / dossiers_received × 100 (indicator 4.3)
Rates are rounded half up to one decimal, None when the denominator is 0 (a rate over nothing is
not 0 %), as the other sections of the report.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from motcua.indicators.selectors import document_counts


def _rate(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    counts = document_counts(date_from, date_to, unit_code)
    return {
        "documents": {
            **counts,
            "digitised_pct": _rate(counts["dossiers_digitised"], counts["dossiers_received"]),
            "electronic_results_pct": _rate(counts["results_electronic"], counts["results_issued"]),
            "reuse_pct": _rate(counts["dossiers_with_reuse"], counts["dossiers_received"]),
        }
    }
