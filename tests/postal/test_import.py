"""Tracking events from a CSV file: all-or-nothing, errors as "Dòng N, cột «…»: …", idempotent."""

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.postal.importing import EventImportError, tracking_events_import
from motcua.postal.models import Consignment, TrackingEvent
from tests.dossiers.test_services import at

from .helpers import process_to_result, receive_by_post
from .test_round_trip import post_result

pytestmark = pytest.mark.django_db
HEADER = "so_hieu,ma_su_kien,loai,thoi_diem,noi,ghi_chu,nguoi_ky_nhan,chung_tu\n"


@pytest.fixture
def posted(desk):
    dossier = process_to_result(desk, receive_by_post(desk))
    return post_result(desk, dossier, "2024-05-09T14:00")


def csv_of(*rows) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def run(content, **kwargs):
    with time_machine.travel(at("2024-05-20T10:00"), tick=False):
        return tracking_events_import(None, content, **kwargs)


def test_a_good_file_records_every_event_and_a_second_import_adds_nothing(posted):
    n = posted.number
    content = csv_of(
        f"{n},a1,accepted,09/05/2024 16:00,Bưu cục Hà Tĩnh,,,",
        f"{n},a2,in_transit,2024-05-10T08:00+07:00,,,,",
        f'{n},a3,returned_to_sender,2024-05-12T09:00+07:00,,"Đi vắng, không liên lạc được",,',
    )
    result = run(content)
    assert (result.recorded, result.skipped) == (3, 0)
    assert Dossier.objects.get().status == "finished"  # returned mail reopened the return step
    assert run(content).recorded == 0 and TrackingEvent.objects.count() == 3


def test_a_file_with_any_bad_row_is_refused_whole(posted):
    n = posted.number
    content = csv_of(
        f"{n},b1,accepted,09/05/2024 16:00,,,,",
        f"{n},b2,delivered,10/05/2024 10:00,,,,",  # no signature
        f"{n},b3,lost,10/05/2024 10:00,,,,",
        "EE000000014VN,b4,accepted,10/05/2024 10:00,,,,",  # unknown consignment
        f"{n},b5,accepted,ngày mai,,,,",
        f"{n},b1,accepted,09/05/2024 16:00,,,,",  # the same event twice in one file
    )
    with pytest.raises(EventImportError) as error:
        run(content)
    assert error.value.errors == [
        "Dòng 3, cột «nguoi_ky_nhan»: Sự kiện phát thành công phải có tên người ký nhận.",
        "Dòng 4, cột «loai»: Loại sự kiện phải là một trong: accepted, in_transit, delivered, "
        "returned_to_sender.",
        "Dòng 5, cột «so_hieu»: Không có bưu gửi trả kết quả số hiệu EE000000014VN.",
        "Dòng 6, cột «thoi_diem»: Thời điểm không đọc được; dùng 2024-05-10T09:30+07:00 hoặc "
        "10/05/2024 09:30.",
        "Dòng 7, cột «ma_su_kien»: trùng với một dòng phía trên.",
    ]
    assert not TrackingEvent.objects.exists()
    assert Consignment.objects.get(direction="outbound").status == "created"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"so_hieu,loai\nEE1,accepted\n", "Dòng 1: thiếu cột «ma_su_kien», «thoi_diem»"),
        (HEADER.encode(), "Tệp không có dòng sự kiện nào."),
        ("so_hieu,ma_su_kien,loai,thoi_diem\n".encode("utf-16"), "Tệp không phải văn bản UTF-8."),
        (b"so_hieu,ma_su_kien,loai,thoi_diem,mau\n", "Dòng 1: cột không dùng được «mau»."),
        (
            b"so_hieu,ma_su_kien,loai,thoi_diem\nEE123456785VN,x,accepted,09/05/2024 16:00,thua\n",
            "Dòng 2: nhiều ô hơn số cột",
        ),
    ],
)
def test_malformed_files(posted, content, message):
    with pytest.raises(EventImportError) as error:
        run(content)
    assert error.value.errors[0].startswith(message)
    assert not TrackingEvent.objects.exists()


def test_the_command(posted, tmp_path, capsys):
    good = tmp_path / "su-kien.csv"
    good.write_bytes(csv_of(f"{posted.number},c1,accepted,09/05/2024 16:00,,,,"))
    with time_machine.travel(at("2024-05-20T10:00"), tick=False):
        call_command("postal", "import-events", str(good))
    assert "recorded=1 skipped=0" in capsys.readouterr().out
    bad = tmp_path / "hong.csv"
    bad.write_bytes(csv_of(f"{posted.number},c2,lost,09/05/2024 16:00,,,,"))
    with pytest.raises(CommandError) as error:
        call_command("postal", "import-events", str(bad))
    assert "Dòng 2, cột «loai»" in str(error.value)
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("postal", "import-events", str(tmp_path / "khong-co.csv"))
    assert TrackingEvent.objects.count() == 1


def test_the_import_page(desk, posted):
    client = Client()
    client.force_login(desk["desk"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("s.csv", csv_of(f"{posted.number},p1,lost,09/05/2024 16:00,,,,"))
    with time_machine.travel(at("2024-05-20T10:00"), tick=False):
        page = client.post("/can-bo/buu-chinh/nhap-su-kien/", {"file": bad, "operator": "vnpost"})
    assert page.status_code == 200
    assert "Dòng 2, cột «loai»" in page.content.decode()
    assert not TrackingEvent.objects.exists()
    good = SimpleUploadedFile("s.csv", csv_of(f"{posted.number},p1,accepted,09/05/2024 16:00,,,,"))
    with time_machine.travel(at("2024-05-20T10:00"), tick=False):
        page = client.post(
            "/can-bo/buu-chinh/nhap-su-kien/", {"file": good, "operator": "vnpost"}, follow=True
        )
    assert "Đã ghi nhận 1 sự kiện" in page.content.decode()
    specialist = Client()
    specialist.force_login(desk["specialist"])
    assert specialist.get("/can-bo/buu-chinh/nhap-su-kien/").status_code == 403
