"""Import of historical dossiers (issue [B] item 7): all or nothing, idempotent by code."""

import csv
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from motcua.accounts.roles import Role
from motcua.catalog.selectors import version_in_force
from motcua.dossiers.importing import HEADER, MAX_ERRORS, DossierImportError, dossiers_import
from motcua.dossiers.models import (
    Applicant,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierPause,
)
from motcua.dossiers.selectors import worklist_for
from motcua.dossiers.services import dossier_act
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = "000.00.40.H27"
POLICE = "000.00.50.H27"


def good(**overrides) -> dict:
    """A dossier received on Fri 26/04/2024 and returned: the desk had given it number 0007."""
    row = {
        "code": f"{CENTRE}-240426-0007",
        "procedure_code": "2.001417",
        "unit_code": CENTRE,
        "channel": "desk",
        "received_at": "2024-04-26T09:00:00+07:00",
        "due_at": "2024-05-14T09:00:00+07:00",
        "finished_at": "2024-05-10T10:00:00+07:00",
        "returned_at": "2024-05-13T08:30:00+07:00",
        "return_channel": "desk",
        "status": "10",
        "supplement_requests": "0",
        "applicant_name": "Nguyễn Thị Hương",
        "applicant_id": "042190001234",
    }
    row.update(overrides)
    return row


def open_row(number: int, **overrides) -> dict:
    """A dossier still being processed (national status 4), received on 02/05/2024."""
    values = {
        "code": f"{CENTRE}-240502-{number:04d}",
        "received_at": "2024-05-02T08:30:00+07:00",
        "due_at": "2024-05-16T08:30:00+07:00",
        "finished_at": "",
        "returned_at": "",
        "return_channel": "",
        "status": "4",
        "applicant_name": "Công ty TNHH Hồng Lĩnh",
        "applicant_id": "3001234567",
    }
    values.update(overrides)
    return good(**values)


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row[column] for column in header] if isinstance(row, dict) else row)
    return path


def snapshot():
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        Applicant.objects.count(),
        DossierPause.objects.count(),
        sorted(DailySequence.objects.values_list("unit_id", "day", "last_value")),
    )


def at(text):
    return datetime.fromisoformat(text + "+07:00")


def test_a_good_file_imports(desk, tmp_path):
    known = Applicant.objects.create(full_name="Nguyễn Thị Hương", citizen_id="042190001234")
    rows = [
        good(),
        good(code=f"{CENTRE}-240426-0008", returned_at="2024-05-13T09:00:00+07:00"),
        open_row(3),
        open_row(
            4, status="5", supplement_requests="1", applicant_id="", applicant_name="Lê Văn Nam"
        ),
        open_row(
            5,
            status="1",
            due_at="",
            channel="online",
            applicant_id="",
            applicant_name="Trần Thị Online",
        ),  # fmt: skip
    ]
    result = dossiers_import(None, write_csv(tmp_path / "ho_so.csv", rows))

    assert (result.rows, result.created, result.skipped) == (5, 5, 0)
    returned = Dossier.objects.get(code=f"{CENTRE}-240426-0007")
    assert returned.imported and returned.status == "returned" and returned.national_status == 10
    assert returned.received_at == at("2024-04-26T09:00") == returned.submitted_at
    assert returned.due_at == returned.due_at_original == at("2024-05-14T09:00")
    assert returned.returned_at == at("2024-05-13T08:30")
    assert returned.receiving_unit == desk["units"]["centre"]
    assert returned.procedure_version == version_in_force("2.001417", returned.received_at)
    # The citizen ID already known keeps its applicant; the two rows share it.
    assert set(Dossier.objects.filter(applicant=known).values_list("code", flat=True)) == {
        f"{CENTRE}-240426-0007",
        f"{CENTRE}-240426-0008",
    }
    company = Dossier.objects.get(code=f"{CENTRE}-240502-0003").applicant
    assert (company.kind, company.tax_code, company.full_name) == (
        "organisation",
        "3001234567",
        "Công ty TNHH Hồng Lĩnh",
    )
    assert Applicant.objects.count() == 4  # known, the company, two without an identifier
    paused = Dossier.objects.get(code=f"{CENTRE}-240502-0004")
    assert paused.status == "supplement_requested" and paused.supplement_requests == 1
    assert paused.due_at is None and paused.due_at_original == at("2024-05-16T08:30")
    assert paused.pauses.get().ended_at is None
    online = Dossier.objects.get(code=f"{CENTRE}-240502-0005")
    assert online.status == "submitted_online" and online.received_at is None
    assert online.submitted_at == at("2024-05-02T08:30")
    events = DossierEvent.objects.filter(action="imported")
    assert events.count() == 5 and set(events.values_list("to_status", flat=True)) == {
        "returned",
        "in_progress",
        "supplement_requested",
        "submitted_online",
    }
    centre = desk["units"]["centre"]
    assert sorted(DailySequence.objects.filter(unit=centre).values_list("day", "last_value")) == [
        (at("2024-04-26T00:00").date(), 8),
        (at("2024-05-02T00:00").date(), 5),
    ]


def test_the_same_file_twice_changes_nothing(desk, tmp_path):
    path = write_csv(tmp_path / "ho_so.csv", [good(), open_row(1), open_row(2, status="6")])
    assert dossiers_import(None, path).created == 3
    before = snapshot()
    revisions = list(Dossier.objects.order_by("pk").values_list("pk", "revision", "status"))

    again = dossiers_import(None, path)

    assert (again.rows, again.created, again.skipped) == (3, 0, 3)
    assert snapshot() == before
    assert list(Dossier.objects.order_by("pk").values_list("pk", "revision", "status")) == revisions


BAD_CELLS = [
    ("code", "HS-2024-1", "không đúng dạng"),
    ("code", "000.00.12.H27-240426-0007", "khác mã đơn vị"),
    ("code", f"{CENTRE}-240231-0007", "không phải ngày có thật"),
    ("code", f"{CENTRE}-240426-0000", "phải từ 0001"),
    ("procedure_code", "9.999999", "không có trong danh mục"),
    ("procedure_code", "", "không được để trống"),
    ("unit_code", "000.99.99.H27", "không có đơn vị mã"),
    ("channel", "email", "không hợp lệ"),
    ("channel", "", "không được để trống"),
    ("received_at", "", "không được để trống"),
    ("received_at", "26/04/2024 09:00", "không phải ngày giờ ISO 8601"),
    ("received_at", "2024-04-26T09:00:00", "thiếu múi giờ"),
    ("received_at", "2099-04-26T09:00:00+07:00", "ở tương lai"),
    ("due_at", "2024-04-25T09:00:00+07:00", "trước thời điểm tiếp nhận"),
    ("due_at", "2024-13-01T09:00:00+07:00", "không phải ngày giờ ISO 8601"),
    ("finished_at", "2024-04-26T08:00:00+07:00", "trước thời điểm tiếp nhận"),
    ("finished_at", "", "phải có thời điểm kết thúc xử lý"),
    ("returned_at", "2024-05-09T10:00:00+07:00", "trước thời điểm xử lý xong"),
    ("returned_at", "", "phải có thời điểm trả kết quả"),
    ("return_channel", "fax", "không hợp lệ"),
    ("return_channel", "lienthong", "không hợp lệ"),  # its result goes to the sending agency
    ("status", "11", "từ 1 đến 10"),
    ("status", "đã trả", "từ 1 đến 10"),
    ("status", "4", "chưa kết thúc nên ô này phải để trống"),
    ("supplement_requests", "-1", "số nguyên không âm"),
    ("supplement_requests", "", "số nguyên không âm"),
    ("applicant_name", "", "không được để trống"),
    ("applicant_id", "12345", "không phải số định danh cá nhân"),
    ("applicant_id", "999190001234", "không phải mã tỉnh"),
]


@pytest.mark.parametrize(("column", "value", "fragment"), BAD_CELLS)
def test_one_bad_cell_imports_nothing_and_names_row_and_column(
    desk, tmp_path, column, value, fragment
):
    rows = [good(), good(**{"code": f"{CENTRE}-240426-0009", column: value}), open_row(1)]
    if column == "unit_code":  # the code names the unit too; keep the error in unit_code alone
        rows[1]["code"] = f"{value}-240426-0009"
    before = snapshot()

    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "ho_so.csv", rows))

    assert snapshot() == before
    assert [e for e in caught.value.errors if not e.startswith("Dòng 3, ")] == []
    named = "finished_at" if (column, value) == ("status", "4") else column
    assert any(
        e.startswith(f"Dòng 3, cột «{named}»: ") and fragment in e for e in caught.value.errors
    ), caught.value.errors


def test_a_procedure_without_a_version_in_force_that_day_is_refused(desk, tmp_path):
    row = good(code=f"{CENTRE}-221230-0001", received_at="2022-12-30T09:00:00+07:00")
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "ho_so.csv", [row]))
    assert caught.value.errors == [
        "Dòng 2, cột «procedure_code»: thủ tục «2.001417» không có phiên bản có hiệu lực "
        "ngày 30/12/2022 (ngày tiếp nhận)."
    ]
    assert Dossier.objects.count() == 0


def test_a_code_twice_in_the_file_is_refused(desk, tmp_path):
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "ho_so.csv", [good(), open_row(1), good()]))
    assert caught.value.errors == [
        f"Dòng 4, cột «code»: mã hồ sơ «{CENTRE}-240426-0007» đã có ở dòng 2."
    ]
    assert snapshot()[0] == 0


def test_a_stored_code_with_other_data_is_refused(desk, tmp_path):
    dossiers_import(None, write_csv(tmp_path / "first.csv", [good()]))
    before = snapshot()
    changed = [open_row(1), good(status="9", returned_at="", applicant_name="Nguyễn Thị Hường")]
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "second.csv", changed))
    assert snapshot() == before
    assert caught.value.errors == [
        f"Dòng 3, cột «returned_at»: hồ sơ «{CENTRE}-240426-0007» đã có trong hệ thống với dữ "
        "liệu khác (hệ thống: «2024-05-13T08:30:00+07:00»; tệp: «»).",
        f"Dòng 3, cột «status»: hồ sơ «{CENTRE}-240426-0007» đã có trong hệ thống với dữ liệu "
        "khác (hệ thống: «10»; tệp: «9»).",
        f"Dòng 3, cột «applicant_name»: hồ sơ «{CENTRE}-240426-0007» đã có trong hệ thống với "
        "dữ liệu khác (hệ thống: «Nguyễn Thị Hương»; tệp: «Nguyễn Thị Hường»).",
    ]


def test_a_wrong_header_or_row_width_is_refused(desk, tmp_path):
    header = [*HEADER[:-1], "cccd"]
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "a.csv", [list(good().values())], header=header))
    assert caught.value.errors[0].startswith("Dòng 1: tiêu đề phải đúng là «code,procedure_code,")
    short = list(open_row(1).values())[:-1]
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "b.csv", [good(), short]))
    assert caught.value.errors == ["Dòng 3: có 12 ô, cần đúng 13 ô như dòng tiêu đề."]
    assert snapshot()[0] == 0


def test_errors_are_capped_with_a_count_of_the_rest(desk, tmp_path):
    rows = [open_row(n, channel="fax") for n in range(1, 301)]
    with pytest.raises(DossierImportError) as caught:
        dossiers_import(None, write_csv(tmp_path / "ho_so.csv", rows))
    assert caught.value.total == 300
    assert len(caught.value.errors) == MAX_ERRORS + 1
    assert caught.value.errors[-1] == "… và 100 lỗi khác."


def test_a_desk_reception_after_an_import_gets_the_next_free_number(desk, tmp_path):
    dossiers_import(None, write_csv(tmp_path / "ho_so.csv", [good()]))  # 0007 on 26/04/2024
    dossier = receive(desk, "2024-04-26T16:00")
    assert dossier.code == f"{CENTRE}-240426-0008"


def test_an_import_after_desk_receptions_continues_their_sequence(desk, tmp_path):
    for _ in range(9):
        receive(desk, "2024-04-26T16:00")  # the desk has given 0001 … 0009 that day
    before = snapshot()
    with pytest.raises(DossierImportError) as caught:  # 0007 is a desk dossier with other data
        dossiers_import(None, write_csv(tmp_path / "a.csv", [good()]))
    assert snapshot() == before
    assert caught.value.errors[0].startswith("Dòng 2, cột «received_at»: hồ sơ «")
    dossiers_import(None, write_csv(tmp_path / "b.csv", [good(code=f"{CENTRE}-240426-0012")]))
    assert receive(desk, "2024-04-26T16:30").code == f"{CENTRE}-240426-0013"


def test_imported_dossiers_are_in_the_worklists_of_the_right_staff(desk, tmp_path):
    dossiers_import(None, write_csv(tmp_path / "ho_so.csv", [good(), open_row(1), open_row(2)]))
    open_codes = {f"{CENTRE}-240502-0001", f"{CENTRE}-240502-0002"}
    for person in ("desk", "head", "specialist", "leader"):
        codes = set(worklist_for(desk[person]).values_list("code", flat=True))
        assert codes == open_codes, person  # the returned one is no longer work
    police_desk = UserFactory(role=Role.DESK_OFFICER, unit=desk["units"]["police"])
    assert not worklist_for(police_desk).exists()


def test_an_imported_paused_dossier_can_resume(desk, tmp_path):
    dossiers_import(None, write_csv(tmp_path / "ho_so.csv", [open_row(1, status="5")]))
    dossier = Dossier.objects.get()
    with time_machine.travel(datetime.now(HCM) + timedelta(minutes=1), tick=False):
        resumed = dossier_act(desk["desk"], dossier.pk, "supplement_received", expected_revision=0)
    assert resumed.status == "in_progress" and resumed.due_at is not None
    assert resumed.pauses.get().ended_at is not None


def test_only_an_administrator_may_import_from_the_back_office(desk, tmp_path):
    path = write_csv(tmp_path / "ho_so.csv", [good()])
    with pytest.raises(PermissionDenied):
        dossiers_import(desk["desk"], path)
    assert snapshot()[0] == 0
    admin = UserFactory(role=Role.ADMINISTRATOR, unit=desk["units"]["so"])
    assert dossiers_import(admin, path).created == 1
    assert DossierEvent.objects.get().actor == admin


def test_a_two_thousand_row_file_imports(desk, tmp_path):
    rows = []
    for n in range(2000):
        day = datetime(2024, 3, 1, 8, 0, tzinfo=HCM) + timedelta(days=n // 100, minutes=n % 100)
        rows.append(
            good(
                code=f"{CENTRE}-{day:%y%m%d}-{n % 100 + 1:04d}",
                received_at=day.isoformat(),
                due_at=(day + timedelta(days=14)).isoformat(),
                finished_at=(day + timedelta(days=10)).isoformat(),
                returned_at=(day + timedelta(days=11)).isoformat(),
                applicant_id=f"04219{n:07d}",
            )
        )
    path = write_csv(tmp_path / "ho_so.csv", rows)
    result = dossiers_import(None, path)
    assert (result.created, Dossier.objects.filter(imported=True).count()) == (2000, 2000)
    assert DossierEvent.objects.filter(action="imported").count() == 2000
    assert DailySequence.objects.filter(last_value=100).count() == 20


def test_the_command_prints_counts_or_errors(desk, tmp_path, capsys):
    path = write_csv(tmp_path / "ho_so.csv", [good(), open_row(1)])
    call_command("dossiers", "import", str(path))
    assert "created=2 skipped=0" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [open_row(2, status="12")])
    with pytest.raises(SystemExit) as exited:
        call_command("dossiers", "import", str(bad))
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "chưa ghi gì (1 lỗi)" in err and "Dòng 2, cột «status»" in err
    assert Dossier.objects.count() == 2
