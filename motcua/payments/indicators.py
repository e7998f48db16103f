"""The payments section of the periodic report (motcua.indicators.discovery contract).

`report_sections(date_from, date_to, unit_code=None)` → {"payments": {...}} with, for the dossiers
received in [date_from, date_to] (both days included; at `unit_code` when given):

  paid_online      dossiers whose fee was paid in full online (bank transfer / VietQR)
  paid_desk        dossiers whose fee was paid in full at the desk (cash, POS)
  paid_online_pct  paid_online / (paid_online + paid_desk) × 100, one decimal; None when no payment
  charges          dossiers that owed a fee (a charge was opened)
  unpaid           of them, still unpaid or partly paid
  due_amount       sum owed, đồng
  received_amount  sum received, đồng (overpayments included)
"""

from datetime import date

from .selectors import charge_totals, payment_channel_counts


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    counts = payment_channel_counts(date_from, date_to, unit_code)
    totals = charge_totals(date_from, date_to, unit_code)
    paid = counts["paid_online"] + counts["paid_desk"]
    return {
        "payments": {
            **counts,
            "paid_online_pct": round(counts["paid_online"] * 100 / paid, 1) if paid else None,
            "charges": totals["charges"],
            "unpaid": totals["unpaid"],
            "due_amount": totals["due"],
            "received_amount": totals["received"],
        }
    }
