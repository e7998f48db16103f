"""The dossier and progress records, built from real dossiers made by the dossier services: every
field and its format, the 766 flags, supplement rounds, fees, signed file links, and the dossiers
that cannot be sent."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client

from motcua.catalog.services import catalog_import
from motcua.documents.models import ComponentSource
from motcua.documents.results import issued_document_bytes, result_issue
from motcua.documents.services import (
    component_file_attach,
    component_file_confirm,
    component_reuse,
    stored_file_put,
)
from motcua.dossiers.online import dossier_submit_online
from motcua.dvcqg.models import FileFetch
from motcua.dvcqg.records import (
    NotSendable,
    hoso_record,
    national_time,
    tien_do_record,
    tien_do_records,
)
from motcua.dvcqg.services import procedure_mapping_set
from motcua.dvcqg.standin import hoso_problems, tien_do_problems
from motcua.payments.services import CreditData, credit_receive
from tests.catalog.factories import document, version
from tests.documents.factories import dossier_awaiting_signature, pdf_bytes
from tests.dossiers.test_services import FORM, act, at, intake, receive
from tests.payments.helpers import ACCOUNT, collecting_account, dossier_awaiting_payment

pytestmark = pytest.mark.django_db

BASE = "https://motcua.example.vn"
NAME = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"
SO = "Sở Tư pháp tỉnh Hà Tĩnh"
DIVISION = "Phòng Hành chính và Bổ trợ tư pháp"
NATIONAL_TIME = re.compile(r"^\d{14}$")


def record_of(dossier):
    dossier.refresh_from_db()
    return hoso_record(dossier, base_url=BASE)


def test_a_dossier_received_at_the_desk_every_field(desk):
    record = record_of(receive(desk))
    assert record == {
        "MaHoSo": "000.00.40.H27-240426-0001",
        "MaTTHC": "2.001417",
        "TenTTHC": NAME,
        "MaLinhVuc": "LLTP",
        "TenLinhVuc": "Lý lịch tư pháp",
        "KenhThucHien": "1",
        "ChuHoSo": "Nguyễn Thị Hương",
        "LoaiDoiTuong": "1",
        "MaDoiTuong": "",
        "SoGiayToChuHoSo": "042190001234",
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "042190001234"}],
        "ThongTinKhac": "",
        "Email": "",
        "Fax": "",
        "SoDienThoai": "0912345678",
        "TrichYeuHoSo": f"{NAME} – Nguyễn Thị Hương",
        "NgayNopHoSo": "20240426160000",
        "NgayTiepNhan": "20240426160000",
        # 10 working days across the 29/04–01/05 break (tests/dossiers/test_services.py)
        "NgayHenTra": "20240514160000",
        "NgayKetThucXuLy": "",
        "NgayTra": "",
        "NgayTuChoi": "",
        "TrangThaiHoSo": "2",
        "HinhThuc": "0",
        "DonViXuLy": SO,
        "NoiNopHoSo": CENTRE,
        "TaiLieuNop": [],
        "DanhSachGiayToKetQua": [],
        "DanhSachLePhi": [],
        "DanhSachTepDinhKemKhac": [{"TenGiayTo": FORM, "SoLuong": "1", "LoaiGiayTo": "Bản chính"}],
        "DanhSachHoSoBoSung": [],
        "HoSoCoThanhPhanSoHoa": "0",
        "DuocThanhToanTrucTuyen": "0",
        "TaiKhoanDuocXacThucVoiVNeID": "0",
    }
    assert hoso_problems(record) == []


def test_times_are_vietnam_time_whatever_the_zone_of_the_instant():
    from zoneinfo import ZoneInfo

    instant = datetime(2024, 4, 26, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert national_time(instant) == "20240426160000"
    assert national_time(None) == ""


def walk_to_return(desk, dossier):
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    yield
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    yield
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    yield
    act(desk["desk"], dossier, "return_result", "2024-05-09T14:00")
    yield


def test_the_status_dates_and_return_by_post_along_the_way(desk):
    dossier = receive(desk, return_channel="post")
    seen = []
    for _ in walk_to_return(desk, dossier):
        record = record_of(dossier)
        assert hoso_problems(record) == []
        seen.append((record["TrangThaiHoSo"], record["NgayKetThucXuLy"], record["NgayTra"]))
    assert seen == [
        ("4", "", ""),
        ("4", "", ""),
        ("9", "20240509090000", ""),
        ("10", "20240509090000", "20240509140000"),
    ]
    assert record["HinhThuc"] == "1"


def test_progress_records_follow_the_history(desk):
    dossier = receive(desk)
    for _ in walk_to_return(desk, dossier):
        pass
    dossier.refresh_from_db()
    records = tien_do_records(dossier)
    assert all(tien_do_problems(r) == [] for r in records)
    assert records[0] == {
        "MaHoSo": "000.00.40.H27-240426-0001",
        "NguoiXuLy": str(desk["desk"]),
        "ChucDanh": "Công chức Bộ phận Một cửa",
        "ThoiDiemXuLy": "20240426160000",
        "PhongBanXuLy": CENTRE,
        "NoiDungXuLy": "Tiếp nhận hồ sơ-Tiếp nhận qua kênh trực tiếp",
        "TrangThai": "2",
        "NgayBatDau": "20240426160000",
        "NgayKetThucTheoQuyDinh": "20240502100000",
    }
    assert [(r["TrangThai"], r["ChucDanh"], r["PhongBanXuLy"]) for r in records[1:]] == [
        ("4", "Lãnh đạo phòng", DIVISION),
        ("4", "Chuyên viên xử lý", DIVISION),
        ("9", "Lãnh đạo Sở", SO),
        ("10", "Công chức Bộ phận Một cửa", CENTRE),
    ]
    assert records[1]["NoiDungXuLy"] == f"Phân công xử lý-Giao cho {desk['specialist']}"
    assert records[1]["NguoiXuLy"] == str(desk["head"])
    assert [r["ThoiDiemXuLy"] for r in records[1:]] == [
        "20240502080000",
        "20240508100000",
        "20240509090000",
        "20240509140000",
    ]
    # The latest move alone, as the sync job sends it after each action.
    last = dossier.events.order_by("at", "pk").last()
    assert tien_do_record(last) == records[-1]
    last.to_status = ""  # in memory: a history entry with no status has no national code
    with pytest.raises(NotSendable) as refused:
        tien_do_record(last)
    assert refused.value.reason == "no_national_status"


def test_a_supplement_round_from_request_to_answer(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-03T09:00",
        papers=[FORM],
        reason="Tờ khai chưa có chữ ký",
    )
    record = record_of(dossier)
    assert record["TrangThaiHoSo"] == "5"
    # Our due instant is unknown while the clock stands still: the last one given is sent.
    assert dossier.due_at is None and record["NgayHenTra"] == "20240514160000"
    request_id = dossier.supplement_lists.get().pk
    assert record["DanhSachHoSoBoSung"] == [
        {
            "HoSoBoSungId": str(request_id),
            "NguoiYeuCauBoSung": str(desk["specialist"]),
            "NoiDungBoSung": f"{FORM}; Tờ khai chưa có chữ ký",
            "NgayBoSung": "20240503090000",
            "NguoiTiepNhanBoSung": "",
            "ThongTinTiepNhan": "",
            "NgayTiepNhanBoSung": "",
            "TrangThaiBoSung": "0",
            "DanhSachGiayToBoSung": [],
            "DanhSachLePhiBoSung": [],
            "NgayHenTraTruoc": "20240514160000",
            "NgayHenTraMoi": "",
        }
    ]
    assert hoso_problems(record) == []
    act(desk["desk"], dossier, "supplement_received", "2024-05-06T10:00")
    record = record_of(dossier)
    answered = record["DanhSachHoSoBoSung"][0]
    assert record["TrangThaiHoSo"] == "4"
    assert answered["TrangThaiBoSung"] == "1"
    assert answered["NguoiTiepNhanBoSung"] == str(desk["desk"])
    assert answered["NgayTiepNhanBoSung"] == "20240506100000"
    assert answered["NgayHenTraMoi"] == national_time(dossier.due_at) != ""
    assert record["NgayHenTra"] == answered["NgayHenTraMoi"]


def attach_scan(desk, dossier, *, confirmed=False):
    component = dossier.components.get()
    stored = stored_file_put(pdf_bytes("Tờ khai đã ký"))
    return component_file_attach(
        desk["desk"], component, stored, source=ComponentSource.DESK_SCAN, confirmed=confirmed
    )


def fetch(url: str):
    return Client().get(urlsplit(url).path)


def test_files_their_flags_and_their_signed_links(desk):
    dossier = receive(desk)
    attached = attach_scan(desk, dossier)
    record = record_of(dossier)
    (item,) = record["TaiLieuNop"]
    assert item["TepDinhKemId"] == str(attached.pk)
    assert item["TenTepDinhKem"] == f"{FORM}.pdf"
    assert (item["IsDeleted"], item["MaThanhPhanHoSo"], item["MaKetQuaThayThe"]) == (
        "False",
        "",
        "",
    )
    # A scan counts as digitised once an officer confirmed it against the original.
    assert (item["DuocSoHoa"], item["DuocTaiSuDung"], record["HoSoCoThanhPhanSoHoa"]) == (
        "0",
        "0",
        "0",
    )
    assert record["DanhSachTepDinhKemKhac"] == []  # the paper now has its file
    component_file_confirm(desk["desk"], attached.pk)
    record = record_of(dossier)
    assert (record["TaiLieuNop"][0]["DuocSoHoa"], record["HoSoCoThanhPhanSoHoa"]) == ("1", "1")
    link = record["TaiLieuNop"][0]["DuongDanTaiTepTin"]
    assert link.startswith(BASE + "/dvcqg/tep/")
    assert hoso_problems(record) == []
    response = fetch(link)
    assert response.status_code == 200
    assert response.content == pdf_bytes("Tờ khai đã ký")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    fetched = FileFetch.objects.get()
    assert (fetched.dossier_id, fetched.kind, fetched.object_id) == (
        dossier.pk,
        "component",
        attached.pk,
    )


def test_a_reused_file_is_flagged(desk):
    first = receive(desk)
    earlier = attach_scan(desk, first, confirmed=True)
    second = receive(desk, when="2024-05-06T09:00")
    component_reuse(desk["desk"], second.components.get(), earlier)
    item = record_of(second)["TaiLieuNop"][0]
    assert (item["DuocSoHoa"], item["DuocTaiSuDung"]) == ("1", "1")


def test_a_link_refused_when_tampered_expired_or_naming_another_dossier(desk):
    dossier = receive(desk)
    attach_scan(desk, dossier, confirmed=True)
    link = record_of(dossier)["TaiLieuNop"][0]["DuongDanTaiTepTin"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = link.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    refused = fetch(tampered)
    assert refused.status_code == 404 and "không hợp lệ" in refused.content.decode()
    with time_machine.travel(datetime.now() + timedelta(days=31)):
        expired = fetch(link)
    assert expired.status_code == 410 and "hết hạn" in expired.content.decode()
    # A valid link to a file of another dossier: the pair (dossier, file) must match.
    from motcua.dvcqg.links import FileRef, file_link

    other = receive(desk, when="2024-05-06T09:00")
    forged = file_link(FileRef(other.pk, "component", dossier.components.get().files.get().pk))
    assert fetch(forged).status_code == 404
    assert FileFetch.objects.count() == 0


def test_an_electronic_result_with_its_national_code(desk, signing):
    dossier = dossier_awaiting_signature(desk)
    issued = result_issue(desk["leader"], dossier)
    record = record_of(dossier)
    (result,) = record["DanhSachGiayToKetQua"]
    assert (result["GiayToId"], result["TenGiayTo"]) == (
        str(issued.pk),
        "Phiếu lý lịch tư pháp số 1",
    )
    assert (result["MaThanhPhanHoSo"], result["MaGiayToKetQua"]) == ("", "")
    national = {
        "TENTTHC": "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam",
        "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-LLTP", "TENLINHVUC": "Lý lịch tư pháp"}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "KQ.G09.000001", "TENKETQUA": "Phiếu lý lịch tư pháp"}],
    }
    procedure_mapping_set(None, "2.001417", "3.000333", national=national)
    record = record_of(dossier)
    assert (record["MaTTHC"], record["TenTTHC"]) == ("3.000333", national["TENTTHC"])
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == ("G09-LLTP", "Lý lịch tư pháp")
    assert record["DanhSachGiayToKetQua"][0]["MaGiayToKetQua"] == "KQ.G09.000001"
    assert hoso_problems(record) == []
    response = fetch(record["DanhSachGiayToKetQua"][0]["DuongDanTepTinKetQua"])
    assert response.status_code == 200
    assert response.content == issued_document_bytes(issued)
    assert "ket-qua-" in response["Content-Disposition"]


def test_the_fee_and_its_online_payment(desk):
    collecting_account()
    dossier, charge = dossier_awaiting_payment(desk)
    record = record_of(dossier)
    assert record["TrangThaiHoSo"] == "6"
    assert record["DanhSachLePhi"] == [
        {
            "TenPhiLePhi": charge.fee_name,
            "MaPhiLePhi": "",
            "HinhThucThu": "",
            "Gia": str(charge.amount),
            "LoaiPhiLePhi": "",
        }
    ]
    assert record["DuocThanhToanTrucTuyen"] == "0"
    credit_receive(
        None,
        CreditData(
            provider="generic",
            provider_txn_id="FT24124000001",
            amount=charge.amount,
            booked_at=at("2024-05-03T10:00"),
            narrative=f"NGUYEN THI HUONG chuyen tien {charge.reference}",
            account_number=ACCOUNT,
        ),
    )
    charge.refresh_from_db()
    assert charge.settled_channel == "online"
    assert record_of(dossier)["DuocThanhToanTrucTuyen"] == "2"


def test_refusal_and_its_dates(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["leader"], dossier, "refuse", "2024-05-03T15:30", reason="Không đủ điều kiện")
    record = record_of(dossier)
    assert record["TrangThaiHoSo"] == "3"
    assert record["NgayTuChoi"] == record["NgayKetThucXuLy"] == "20240503153000"


# --- dossiers that cannot be sent ---------------------------------------------------------------


def test_an_online_submission_not_yet_received_has_no_code(desk):
    data = intake()
    with time_machine.travel(at("2024-04-26T10:00"), tick=False):
        dossier = dossier_submit_online(data)
    with pytest.raises(NotSendable) as refused:
        hoso_record(dossier)
    assert refused.value.reason == "no_code" and "chưa có mã" in refused.value.message
    with pytest.raises(NotSendable):
        tien_do_records(dossier)


def test_a_local_procedure_needs_a_mapping(desk):
    local = version(name="Cấp bản sao trích lục (thủ tục riêng của tỉnh)")
    catalog_import(
        None,
        document(procedures=[{"code": "LOCAL-STP-001", "is_internal": False, "versions": [local]}]),
    )
    dossier = receive(desk, procedure_code="LOCAL-STP-001")
    with pytest.raises(NotSendable) as refused:
        hoso_record(dossier)
    assert refused.value.reason == "no_national_code"
    assert "motcua dvcqg map LOCAL-STP-001" in refused.value.message
    procedure_mapping_set(None, "LOCAL-STP-001", "1.002153")
    record = record_of(dossier)
    assert (record["MaTTHC"], record["TenTTHC"]) == ("1.002153", local["name"])
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == ("LLTP", "Lý lịch tư pháp")


def test_a_status_without_a_national_code_and_missing_required_values(desk):
    dossier = receive(desk)
    dossier.status = "archived"  # not a status of ours: only in memory, never saved
    with pytest.raises(NotSendable) as refused:
        hoso_record(dossier)
    assert refused.value.reason == "no_national_status"
    dossier.refresh_from_db()
    dossier.received_at = None  # a broken import, in memory
    with pytest.raises(NotSendable) as missing:
        hoso_record(dossier)
    assert missing.value.reason == "missing_fields" and "NgayTiepNhan" in missing.value.message


def test_every_date_of_a_full_record_has_the_national_format(desk):
    dossier = receive(desk, return_channel="post")
    for _ in walk_to_return(desk, dossier):
        pass
    record = record_of(dossier)
    dates = {k: v for k, v in record.items() if k.startswith("Ngay")}
    assert {k for k, v in dates.items() if not v} == {"NgayTuChoi"}  # never refused
    assert all(NATIONAL_TIME.match(v) for v in dates.values() if v)
