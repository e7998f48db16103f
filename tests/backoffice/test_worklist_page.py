"""The worklist page /ho-so/: a fixed number of queries whatever the rows, a count that stops at a
cap and says so in Vietnamese, page links that work up to the cap."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.backoffice import views_dossiers
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import selectors
from motcua.dossiers.models import Applicant, Dossier
from motcua.dossiers.workflow import Status

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 5, 6, 8, 0, tzinfo=HCM)
URL = reverse("backoffice:dossier_worklist")


def open_dossiers(desk, count, *, first=0, **fields):
    """`count` open dossiers received at the desk's unit, due an hour apart, in the procedure's
    agency (so the division's staff see them too); each with an assignee and a current step."""
    version = ProcedureVersion.objects.get()
    applicant = Applicant.objects.get_or_create(full_name="Nguyễn Thị Hương")[0]
    made = []
    for number in range(first, first + count):
        values = {
            "code": f"000.00.40.H27-240506-{number:04d}",
            "procedure_version": version,
            "receiving_unit": desk["desk"].unit,
            "applicant": applicant,
            "applicant_name": applicant.full_name,
            "channel": "desk",
            "status": Status.IN_PROGRESS,
            "assignee": desk["specialist"],
            "received_at": START,
            "due_at": START + timedelta(hours=number),
        }
        dossier = Dossier.objects.create(**(values | fields))
        dossier.current_step = dossier.steps.create(order=1, name="Thẩm định", budget_hours=8)
        dossier.save(update_fields=["current_step"])
        made.append(dossier)
    return made


def queries_of_the_page(client, user, params=None) -> int:
    client.force_login(user)
    client.get(URL, params)  # sessions, calendars: caches warmed once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["desk", "specialist", "head", "leader"])
def test_the_page_costs_the_same_queries_with_5_rows_and_with_50(client, desk, who):
    open_dossiers(desk, 5)
    with_five = queries_of_the_page(client, desk[who])
    open_dossiers(desk, 45, first=5)
    with_fifty = queries_of_the_page(client, desk[who])
    assert with_five == with_fifty
    assert with_fifty <= 12


def test_under_the_cap_the_page_says_how_many(client, desk):
    open_dossiers(desk, 7)
    client.force_login(desk["desk"])
    page = client.get(URL).content.decode()
    assert "7 hồ sơ" in page and "Trên" not in page


def test_past_the_cap_the_page_says_more_and_pages_run_to_the_cap(client, desk, monkeypatch):
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_CAP", 5)
    monkeypatch.setattr(views_dossiers, "PAGE_SIZE", 2)
    dossiers = open_dossiers(desk, 9)
    client.force_login(desk["desk"])
    first = client.get(URL).content.decode()
    assert "Trên 5 hồ sơ" in first and "Trang 1/3" in first
    assert dossiers[0].code in first and dossiers[2].code not in first
    last = client.get(URL, {"trang": "3"}).content.decode()
    assert "Trang 3/3" in last and dossiers[4].code in last and dossiers[5].code not in last
    # A page past the cap, or not a number, is not an error: the last page, the first page.
    assert "Trang 3/3" in client.get(URL, {"trang": "40"}).content.decode()
    assert "Trang 1/3" in client.get(URL, {"trang": "abc"}).content.decode()


def test_the_thousand_is_written_the_vietnamese_way(client, desk, monkeypatch):
    assert selectors.WORKLIST_COUNT_CAP == 1000
    monkeypatch.setattr(selectors.Worklist, "over_cap", property(lambda self: True))
    open_dossiers(desk, 2)
    client.force_login(desk["desk"])
    assert "Trên 1.000 hồ sơ" in client.get(URL).content.decode()


def test_an_unknown_status_filter_is_ignored_and_a_closed_one_lists_nothing(client, desk):
    open_dossiers(desk, 3)
    client.force_login(desk["desk"])
    assert "3 hồ sơ" in client.get(URL, {"trang_thai": "khong-co"}).content.decode()
    closed = client.get(URL, {"trang_thai": "returned"}).content.decode()
    assert "Không có hồ sơ nào." in closed and "0 hồ sơ" in closed


def test_a_row_shows_its_status_step_due_instant_and_procedure(client, desk):
    long_name = "Cấp Phiếu lý lịch tư pháp " * 5  # 130 characters
    ProcedureVersion.objects.update(name=long_name)  # a published version is immutable by save()
    dossier = open_dossiers(desk, 1)[0]
    client.force_login(desk["desk"])
    page = client.get(URL).content.decode()
    assert "Đang xử lý · Thẩm định" in page
    assert "08:00 06/05/2024" in page  # the due instant, local time
    shortened = long_name[:79] + "…"
    assert f'<td data-label="Thủ tục">{shortened}</td>' in page and dossier.code in page


def test_a_paused_dossier_shows_no_due_instant(client, desk):
    open_dossiers(desk, 1, due_at=None, status=Status.SUPPLEMENT_REQUESTED)
    client.force_login(desk["desk"])
    page = client.get(URL).content.decode()
    assert '<td data-label="Hạn trả">—</td>' in page and "Tạm dừng" in page
