"""The DVCQG client over real HTTP against the stand-in portal on loopback: sessions, every kind of
failure and its typed error, and what each call leaves in DvcqgCall."""

import time

import pytest

from motcua.dvcqg.client import (
    DvcqgAuthError,
    DvcqgBadReply,
    DvcqgClient,
    DvcqgConfigError,
    DvcqgRefused,
    DvcqgTransportError,
    dvcqg_client,
    dvcqg_enabled,
    safe_message,
    sessions_forget_all,
)
from motcua.dvcqg.models import DvcqgCall
from tests.dvcqg.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CODE = "000.00.40.H27-240426-0001"


def minimal_record(code=CODE, **overrides):
    """A record with the required fields only (the full one, built from a dossier, is in
    test_records.py)."""
    record = {
        "MaHoSo": code,
        "MaTTHC": "1.002153",
        "TenTTHC": "Đăng ký hành nghề luật sư với tư cách cá nhân",
        "MaLinhVuc": "LS",
        "TenLinhVuc": "Luật sư",
        "LoaiDoiTuong": "1",
        "NgayTiepNhan": "20240426160000",
        "NgayHenTra": "20240514160000",
        "TrangThaiHoSo": "2",
        "DonViXuLy": "Sở Tư pháp tỉnh Hà Tĩnh",
    }
    record.update(overrides)
    return record


def calls():
    return list(DvcqgCall.objects.order_by("started_at", "pk"))


def outcomes():
    return [(c.service, c.outcome) for c in calls()]


def test_one_login_serves_many_calls(portal):
    client = DvcqgClient()
    assert len(client.lay_danh_sach_tthc()) == 155
    client.dong_bo_ho_so([minimal_record()], is_updating=False)
    assert client.tra_cuu_ho_so(CODE) is True
    assert portal.logins == 1
    assert outcomes() == [
        ("DangNhap", "ok"),
        ("LayDanhSachTTHC", "ok"),
        ("DongBoHoSoMC", "ok"),
        ("TraCuuHoSo", "ok"),
    ]
    sync = calls()[2]
    assert (sync.http_status, sync.error_code, sync.ok) == (200, "", True)
    assert (sync.dossier_codes, sync.record_count) == (CODE, 1)
    assert sync.duration_ms >= 0


def test_the_envelope_carries_session_unit_service_and_keys(portal):
    DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=True)
    body = portal.bodies[-1]
    assert set(body) == {"session", "madonvi", "service", "isUpdating", "data"}
    assert body["session"] in portal.sessions
    assert (body["madonvi"], body["service"], body["isUpdating"]) == (
        "000.00.12.H27",
        "DongBoHoSoMC",
        "True",
    )


def test_the_session_is_shared_through_the_cache(portal):
    """Another process of the same installation (here: this one, its memory wiped) finds the
    session in the shared cache and does not log in again."""
    DvcqgClient().lay_danh_sach_tthc()
    sessions_forget_all()
    DvcqgClient().lay_thu_tuc("1.002153")
    assert portal.logins == 1


def test_a_session_that_dies_mid_batch_is_renewed_and_the_call_retried(portal):
    portal.faults.expire_after_calls = 2  # every session dies after its second accepted call
    client = DvcqgClient()
    for n in range(1, 6):
        client.dong_bo_ho_so([minimal_record(f"000.00.40.H27-240426-000{n}")], is_updating=False)
    assert len(portal.dossiers) == 5
    assert portal.logins == 3
    sync = [o for s, o in outcomes() if s == "DongBoHoSoMC"]
    assert sync == ["ok", "ok", "auth", "ok", "ok", "auth", "ok"]
    refused = [c for c in calls() if c.outcome == "auth"]
    assert all(c.http_status == 401 for c in refused)


def test_an_expired_session_told_by_error_code_is_renewed_once_the_code_is_configured(
    portal, settings
):
    portal.faults.session_error = "code"
    client = DvcqgClient()
    client.lay_danh_sach_tthc()
    portal.expire_sessions()
    with pytest.raises(DvcqgRefused) as refused:  # the code is not known to mean "session"
        client.lay_danh_sach_tthc()
    assert refused.value.error_code == "401"
    settings.DVCQG_AUTH_ERROR_CODES = ["401"]
    assert len(DvcqgClient().lay_danh_sach_tthc()) == 155
    assert portal.logins == 2


def test_a_session_refused_again_after_renewal_is_an_auth_error(portal):
    portal.token_seconds = -1  # every session handed out is already dead
    with pytest.raises(DvcqgAuthError):
        DvcqgClient().lay_danh_sach_tthc()
    assert portal.logins == 2
    assert outcomes() == [
        ("DangNhap", "ok"),
        ("LayDanhSachTTHC", "auth"),
        ("DangNhap", "ok"),
        ("LayDanhSachTTHC", "auth"),
    ]


@pytest.mark.parametrize("how", ["refused", "wrong_password"])
def test_a_refused_login_is_an_auth_error_and_is_not_retried(portal, settings, how):
    if how == "refused":
        portal.faults.refuse_login = True
    else:
        settings.DVCQG_PASSWORD = "sai-mat-khau"
    with pytest.raises(DvcqgAuthError) as error:
        DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=False)
    assert "từ chối đăng nhập" in error.value.message
    assert outcomes() == [("DangNhap", "auth")]
    login = calls()[0]
    assert login.error_code == "-1" and "Sai tên đăng nhập" in login.message
    assert portal.dossiers == {}


def test_error_code_for_one_dossier_is_a_refusal_with_its_code(portal):
    portal.faults.refuse_codes[CODE] = (17, "Mã TTHC không tồn tại trên hệ thống")
    with pytest.raises(DvcqgRefused) as refused:
        DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=False)
    assert refused.value.error_code == "17"
    assert refused.value.portal_message == "Mã TTHC không tồn tại trên hệ thống"
    assert not refused.value.retryable
    call = calls()[-1]
    assert (call.outcome, call.error_code, call.ok, call.dossier_codes) == (
        "refused",
        "17",
        False,
        CODE,
    )
    assert "Mã TTHC không tồn tại" in call.message


def test_a_record_the_portal_finds_wrong_is_refused_with_the_reason(portal):
    with pytest.raises(DvcqgRefused) as refused:
        DvcqgClient().dong_bo_ho_so(
            [minimal_record(NgayHenTra="14/05/2024", TrangThaiHoSo="11")], is_updating=False
        )
    assert "NgayHenTra" in refused.value.message and "TrangThaiHoSo" in refused.value.message
    assert portal.dossiers == {}


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_a_retryable_transport_error(portal, status):
    portal.faults.http_status = status
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_danh_sach_tthc()
    assert error.value.retryable and f"HTTP {status}" in error.value.message
    call = calls()[-1]
    assert (call.outcome, call.http_status) == ("transport", status)


def test_a_slow_reply_times_out(portal, settings):
    settings.DVCQG_TIMEOUT_SECONDS = 0.5
    DvcqgClient().lay_danh_sach_tthc()  # logged in while the portal is quick
    portal.faults.delay_seconds = 3
    started = time.monotonic()
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_danh_sach_tthc()
    assert time.monotonic() - started < 2.5
    assert "không trả lời trong 0,5 giây" in error.value.message
    assert calls()[-1].outcome == "transport" and calls()[-1].duration_ms < 2500


def test_a_reply_that_trickles_in_is_abandoned_at_the_deadline(portal, settings):
    """Each byte comes well within the read timeout; the whole reply does not."""
    settings.DVCQG_TIMEOUT_SECONDS = 1
    settings.DVCQG_CONNECT_TIMEOUT_SECONDS = 0.5
    DvcqgClient().lay_thu_tuc("1.002153")
    portal.faults.trickle_seconds = 6
    started = time.monotonic()
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_thu_tuc("1.002153")
    assert time.monotonic() - started < 4
    assert "quá chậm" in error.value.message


def test_a_reply_that_is_not_json_is_a_transport_error(portal):
    portal.faults.malformed = True
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=False)
    assert "không phải JSON" in error.value.message
    assert calls()[-1].outcome == "transport"


def test_an_oversized_reply_is_abandoned_while_it_streams(portal, settings):
    settings.DVCQG_MAX_REPLY_BYTES = 2 * 1024 * 1024
    portal.faults.oversized_bytes = 200 * 1024 * 1024  # 200 MB would take a while to read
    started = time.monotonic()
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_danh_sach_tthc()
    assert time.monotonic() - started < 5
    assert "vượt quá 2.097.152 byte" in error.value.message


def test_a_reply_declared_too_large_is_refused_before_reading(portal, settings):
    settings.DVCQG_MAX_REPLY_BYTES = 1000  # the catalogue's JSON is about 30 kB
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_danh_sach_tthc()
    assert "vượt quá 1.000 byte" in error.value.message


def test_a_reply_for_another_dossier_is_a_bad_reply(portal):
    portal.faults.foreign_code = "000.00.40.H27-240426-0099"
    with pytest.raises(DvcqgBadReply) as error:
        DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=False)
    assert "000.00.40.H27-240426-0099" in error.value.message
    call = calls()[-1]
    assert (call.outcome, call.ok, call.dossier_codes) == ("bad_reply", False, CODE)


def test_a_procedure_other_than_the_one_asked_is_a_bad_reply(portal):
    portal.faults.reply_override = {"error_code": 0, "result": [{"MATTHC": "2.002191"}]}
    with pytest.raises(DvcqgBadReply):
        DvcqgClient().lay_thu_tuc("1.002153")


@pytest.mark.parametrize(
    "reply",
    [
        {"message": "thiếu error_code", "result": []},
        {"error_code": "không", "result": []},
        {"error_code": 0, "result": "một chuỗi"},
        {"error_code": 0, "result": [1, 2]},
    ],
)
def test_a_reply_of_unknown_structure_is_a_bad_reply(portal, reply):
    portal.faults.reply_override = reply
    with pytest.raises(DvcqgBadReply):
        DvcqgClient().lay_danh_sach_tthc()
    assert calls()[-1].outcome == "bad_reply"


def test_error_code_may_come_as_a_string(portal):
    portal.faults.reply_override = {"error_code": "0", "message": "OK", "result": []}
    assert DvcqgClient().lay_danh_sach_tthc() == []


def test_a_dropped_connection_and_a_closed_port_are_transport_errors(portal, settings):
    portal.faults.drop = True
    with pytest.raises(DvcqgTransportError):
        DvcqgClient().lay_danh_sach_tthc()
    portal.close()
    sessions_forget_all()
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().lay_danh_sach_tthc()
    assert "Không kết nối được" in error.value.message
    assert calls()[-1].http_status is None


def test_a_wrong_path_is_not_retryable(portal, settings):
    settings.DVCQG_INTEGRATION_ENDPOINT = "/khong-co"
    with pytest.raises(DvcqgTransportError) as error:
        DvcqgClient().dong_bo_ho_so([minimal_record()], is_updating=False)
    assert not error.value.retryable and "HTTP 404" in error.value.message


def test_the_unit_code_and_dstcode_are_checked_by_the_stand_in(portal, settings):
    settings.DVCQG_MADONVI = "000.00.99.H27"
    with pytest.raises(DvcqgRefused, match="madonvi"):
        DvcqgClient().lay_danh_sach_tthc()
    settings.DVCQG_MADONVI, settings.DVCQG_DSTCODE = "000.00.12.H27", "KHAC"
    sessions_forget_all()
    with pytest.raises(DvcqgAuthError, match="dstcode"):
        DvcqgClient().lay_danh_sach_tthc()


def test_sync_is_off_without_an_adapter_url_and_refuses_an_incomplete_configuration(settings):
    settings.DVCQG_ADAPTER_URL = ""
    assert dvcqg_enabled() is False
    with pytest.raises(DvcqgConfigError, match="DVCQG_ADAPTER_URL"):
        dvcqg_client()
    settings.DVCQG_ADAPTER_URL = "http://127.0.0.1:9"
    settings.DVCQG_AUTH_ENDPOINT = settings.DVCQG_PASSWORD = ""
    with pytest.raises(DvcqgConfigError) as error:
        dvcqg_client()
    assert "DVCQG_AUTH_ENDPOINT" in str(error.value) and "DVCQG_PASSWORD" in str(error.value)
    assert DvcqgCall.objects.count() == 0


def test_procedures_questions_answers_and_ratings(portal):
    client = DvcqgClient()
    record = client.lay_thu_tuc("1.002153")
    assert record["TENTTHC"] == "Đăng ký hành nghề luật sư với tư cách cá nhân"
    assert [k["KENH"] for k in record["CACHTHUCTHUCHIEN"]] == [1, 2, 3]
    with pytest.raises(DvcqgRefused, match="Không tìm thấy thủ tục"):
        client.lay_thu_tuc("9.999999")
    questions = client.lay_hoi_dap_gui_tu_dvcqg()
    assert questions[0]["HOIDAPID"] == "DVCQG-HD-0001"
    answer = {
        "HOIDAPID": "DVCQG-HD-0001",
        "MADONVI": "000.00.12.H27",
        "NGUOITRALOI": "Phòng Hành chính tư pháp",
        "CHUCVUNGUOITRALOI": "Trưởng phòng",
        "NGAYTRALOI": "03/05/2024",
        "NOIDUNGTRALOI": "Mang theo tờ khai và căn cước.",
    }
    client.dong_bo_ket_qua_hoi_dap([answer])
    assert client.lay_tra_loi("DVCQG-HD-0001") == [
        {"TRALOIID": "DVCQG-HD-0001-1", "NOIDUNGTRALOI": "Mang theo tờ khai và căn cước."}
    ]
    with pytest.raises(DvcqgRefused, match="dd/MM/yyyy"):
        client.dong_bo_ket_qua_hoi_dap([{**answer, "NGAYTRALOI": "2024-05-03"}])
    question = {"HOIDAPID": "STP-1", "MaLinhVuc": "LS", "NOIDUNG": "Hỏi?", "MADONVI": "x"}
    client.dong_bo_hoi_dap([question])
    assert client.lay_hoi_dap_bo_co_quan() == [question]
    rating = {
        "NgayTongHop": "5-2024",
        "TongSoNguoiDanhGia": 40,
        "PhanTramDanhGiaRatHaiLong": "60%",
        "PhanTramDanhGiaHaiLong": "35%",
        "PhanTramDanhGiaChuaHaiLong": "5%",
        "NoiDung": "Thái độ phục vụ",
    }
    client.dong_bo_danh_gia([rating])
    with pytest.raises(DvcqgRefused, match="M-yyyy"):
        client.dong_bo_danh_gia([{**rating, "NgayTongHop": "2024-05"}])
    assert portal.ratings == [rating]


def test_the_password_and_the_session_never_reach_the_records_or_the_log(portal, caplog):
    caplog.set_level("DEBUG")
    portal.faults.expire_after_calls = 1
    client = DvcqgClient()
    client.dong_bo_ho_so([minimal_record()], is_updating=False)
    client.dong_bo_ho_so([minimal_record()], is_updating=True)
    portal.faults.refuse_codes[CODE] = (5, "Lỗi")
    with pytest.raises(DvcqgRefused):
        client.dong_bo_ho_so([minimal_record()], is_updating=True)
    secrets = [PASSWORD, *portal.sessions]
    assert len(secrets) == 4
    stored = " ".join(str(value) for row in DvcqgCall.objects.values() for value in row.values())
    for secret in secrets:
        assert secret not in stored and secret not in caplog.text
    assert "DongBoHoSoMC" in caplog.text


def test_messages_are_kept_short_and_without_numbers_or_addresses():
    text = "Số điện thoại 0912345678 và CCCD 042190001234 của a.b@example.vn sai. " + "x" * 400
    safe = safe_message(text)
    assert "0912345678" not in safe and "042190001234" not in safe and "@" not in safe
    assert len(safe) == 300 and safe.endswith("…")
