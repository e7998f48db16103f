"""Statements (CSV / XLSX, per-bank column profiles) feed the same matcher; importing twice, or a
statement overlapping a webhook, stores each credit once; an unreadable line refuses the file."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.payments.models import Credit, MatchDecision
from motcua.payments.services import CreditData, credit_receive
from motcua.payments.statements import statement_import
from tests.payments.helpers import ACCOUNT, dossier_awaiting_payment


def vcb_csv(reference: str, *, bad_amount=False) -> bytes:
    lines = [
        "SAO KÊ TÀI KHOẢN;;;;",
        f"Số tài khoản: {ACCOUNT};;;;",
        "Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Mô tả",
        f"03/05/2024 10:15:00;5243.65937;;{'2OO,OOO' if bad_amount else '200,000'};"
        f"MBVCB.4525077405.{reference}.NGUYEN THI HUONG chuyen tien",
        "03/05/2024 11:00;5243.65938;50,000;;Phi quan ly tai khoan",
        "03/05/2024;5243.65939;;120,000;chuyen tien khong ghi noi dung",
        ";;;;",
    ]
    return "\n".join(lines).encode("utf-8-sig")


def test_csv_statement_matches_and_queues_and_is_idempotent(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    result = statement_import(
        desk["desk"], vcb_csv(charge.reference), "saoke.csv", profile="vcb", account_id=account.pk
    )
    assert (result.lines, result.credits, result.matched, result.review) == (2, 2, 1, 1)
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    again = statement_import(
        desk["desk"], vcb_csv(charge.reference), "saoke.csv", profile="vcb", account_id=account.pk
    )
    assert (again.credits, again.duplicates) == (0, 2)
    assert Credit.objects.count() == 2 and MatchDecision.objects.count() == 2


def test_a_bad_line_refuses_the_whole_file(desk, account):
    _, charge = dossier_awaiting_payment(desk)
    with pytest.raises(ValidationError) as error:
        statement_import(
            desk["desk"],
            vcb_csv(charge.reference, bad_amount=True),
            "saoke.csv",
            profile="vcb",
            account_id=account.pk,
        )
    assert "Dòng 4" in error.value.messages[0] and "số tiền" in error.value.messages[0]
    assert Credit.objects.count() == 0


def test_wrong_files_are_refused_clearly(desk, account):
    for content, name, expected in (
        (b"abc", "saoke.pdf", ".csv"),
        (b"\xff\xfe\x00", "saoke.csv", "UTF-8"),
        (b"a,b,c\n1,2,3", "saoke.csv", "tiêu đề"),
        (b"not a zip", "saoke.xlsx", "XLSX"),
    ):
        with pytest.raises(ValidationError) as error:
            statement_import(desk["desk"], content, name, profile="vcb", account_id=account.pk)
        assert expected in " ".join(error.value.messages)
    with pytest.raises(PermissionDenied):
        statement_import(desk["specialist"], b"", "a.csv", profile="vcb", account_id=account.pk)


def test_xlsx_statement_and_overlap_with_a_webhook(desk, account):
    from openpyxl import Workbook

    dossier, charge = dossier_awaiting_payment(desk)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # The same transfer was notified by webhook first (same account, bank reference, amount, day).
    credit_receive(None, CreditData(
            provider="sepay", provider_txn_id="92704", amount=200000,
            booked_at=datetime(2024, 5, 3, 10, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            narrative=charge.reference, account_number=ACCOUNT, bank_reference="FT24124001",
        ))  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.append(["Sao kê VietinBank"])
    sheet.append(["Ngày giao dịch", "Số giao dịch", "Nợ", "Có", "Diễn giải"])
    sheet.append(["03/05/2024 10:15", "FT24124001", None, 200000, f"CT {charge.reference}"])
    sheet.append([datetime(2024, 5, 3, 16, 0), "FT24124002", None, "75.000", "HS khong ro"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = statement_import(
        desk["desk"], buffer.getvalue(), "saoke.xlsx", profile="vietinbank", account_id=account.pk
    )
    assert (result.lines, result.credits, result.duplicates, result.review) == (2, 1, 1, 1)
    assert Credit.objects.count() == 2
    charge.refresh_from_db()
    assert charge.received_total == 200000  # not counted twice
