"""`motcua reform …`: figures as JSON, the expired list as XLSX, errors as CommandError."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from motcua.reform.models import ReviewOutcome
from tests.reform.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_report_prints_the_sections_as_json(capsys):
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_PARTLY, expired_on=date(2022, 3, 1))
    call_command("reform", "report", "--from", "2023-01-01", "--to", "2023-06-30")
    sections = json.loads(capsys.readouterr().out)
    assert sections["legal_documents"]["reviewed"] == 1
    assert sections["legal_documents"]["expired_partly"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--from", "2023-13-01", "--to", "2023-06-30"], "không đúng dạng"),
        (["report", "--from", "2023-07-01", "--to", "2023-06-30"], "không được trước"),
        (
            ["report", "--from", "2023-01-01", "--to", "2023-06-30", "--unit", "x"],
            "Không có đơn vị",
        ),
        (["expired-list", "--year", "1990", "--output", "a.xlsx"], "2000–2060"),
        (["expired-list", "--year", "2022", "--output", "a.csv"], ".xlsx"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("reform", *args)


def test_expired_list_writes_a_workbook(tmp_path):
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_FULLY, expired_on=date(2022, 3, 1))
    target = tmp_path / "danh-muc.xlsx"
    call_command("reform", "expired-list", "--year", "2022", "--output", str(target))
    workbook = load_workbook(target)
    assert len(list(workbook["Hết hiệu lực toàn bộ"].values)) == 3
