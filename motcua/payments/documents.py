"""The documents of the payments app: the electronic receipt (biên lai) of one payment, and the
daily reconciliation report of one collecting account as PDF (WeasyPrint) and XLSX (openpyxl)."""

from __future__ import annotations

import io

from django.utils import timezone

from motcua.core.identity import citizen_id_masked
from motcua.core.pdf import render_pdf
from motcua.core.text import format_date_long, format_number

from .models import Outcome, PaymentChannel, Receipt
from .selectors import Reconciliation
from .words import amount_in_words


def receipt_context(receipt: Receipt) -> dict:
    charge = receipt.charge
    dossier = charge.dossier
    applicant = dossier.applicant
    credit = receipt.credit
    issued = timezone.localtime(receipt.issued_at)
    unit = dossier.receiving_unit
    return {
        "number": receipt.number,
        "agency_parent_name": unit.parent.name if unit.parent_id else "",
        "agency_name": unit.name,
        "date_long": format_date_long(issued.date()),
        "issued_at": issued,
        "booked_at": timezone.localtime(credit.booked_at),
        "payer_name": dossier.applicant_name,
        "payer_id": citizen_id_masked(applicant.citizen_id) if applicant.citizen_id else "",
        "amount": receipt.amount,
        "amount_words": amount_in_words(receipt.amount),
        "fee_name": charge.fee_name,
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure_version.procedure.code,
        "dossier_code": dossier.code,
        "reference": charge.reference,
        "channel": PaymentChannel(credit.channel).label,
        "account": charge.account,
        "bank_reference": credit.bank_reference,
        "charge_amount": charge.amount,
        "received_total": format_number(charge.received_total),
    }


def receipt_pdf(receipt: Receipt) -> bytes:
    return render_pdf("payments/pdf/bien_lai.html", {"r": receipt_context(receipt)})


def _rows(report: Reconciliation) -> list[list]:
    rows = []
    for credit, decision in report.credits:
        rows.append(
            [
                timezone.localtime(credit.booked_at).strftime("%d/%m/%Y %H:%M"),
                credit.provider,
                credit.bank_reference or credit.provider_txn_id,
                credit.amount,
                credit.narrative[:200],
                Outcome(decision.outcome).label if decision else "Chưa xử lý",
                decision.charge.dossier.code if decision and decision.charge_id else "",
            ]
        )
    return rows


HEADERS = [
    "Thời điểm",
    "Nguồn",
    "Số tham chiếu",
    "Số tiền (đồng)",
    "Nội dung",
    "Kết quả",
    "Mã hồ sơ",
]


def reconciliation_pdf(report: Reconciliation) -> bytes:
    return render_pdf(
        "payments/pdf/doi_soat.html",
        {
            "rep": report,
            "date_long": format_date_long(report.day),
            "rows": [row[:3] + [format_number(row[3])] + row[4:] for row in _rows(report)],
            "headers": HEADERS,
            "n": {
                key: format_number(getattr(report, key))
                for key in (
                    "expected_amount",
                    "received_amount",
                    "matched_amount",
                    "unmatched_amount",
                )
            },
        },
    )


def reconciliation_xlsx(report: Reconciliation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    sheet.append(["Báo cáo đối soát thu phí, lệ phí"])
    sheet.append(["Tài khoản", f"{report.account.account_number} — {report.account.bank_name}"])
    sheet.append(["Ngày", report.day.strftime("%d/%m/%Y")])
    sheet.append([])
    sheet.append(["Chỉ tiêu", "Số khoản", "Số tiền (đồng)"])
    sheet.append(["Phải thu (phát sinh trong ngày)", report.expected_count, report.expected_amount])
    sheet.append(["Đã nhận", report.received_count, report.received_amount])
    sheet.append(["Đã khớp với hồ sơ", report.matched_count, report.matched_amount])
    sheet.append(
        ["Chưa khớp (đối soát thủ công, hoàn trả)", report.unmatched_count, report.unmatched_amount]
    )
    for cell in (sheet["A1"], *sheet[5]):
        cell.font = Font(bold=True)
    details = workbook.create_sheet("Chi tiết")
    details.append(HEADERS)
    for cell in details[1]:
        cell.font = Font(bold=True)
    for row in _rows(report):
        details.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
