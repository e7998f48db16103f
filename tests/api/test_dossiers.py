"""POST /api/dossiers (online submission) and GET /api/dossiers/status/{code_or_reference}."""

import copy
import json
from datetime import datetime

import pytest
import time_machine

from motcua.dossiers.models import Applicant, Dossier, DossierComponent, DossierEvent
from motcua.dossiers.online import long_reference, online_reference
from motcua.dossiers.services import dossier_act
from motcua.notifications.models import Notification
from tests.dossiers.test_services import receive

pytestmark = pytest.mark.django_db

SUBMIT = "/api/dossiers"
FORM = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"
BODY = {
    "procedure_code": "2.001417",
    "applicant": {
        "full_name": "Nguyễn Thị Hương",
        "citizen_id": "042190001234",
        "date_of_birth": "1990-05-12",
        "phone": "0912345678",
        "email": "huong@example.vn",
        "address_line": "Số 5 đường Hà Huy Tập, Phường Thành Sen",
    },
    "components": [{"name": FORM, "form": "original", "count": 1}],
    "return_channel": "post",
}


def post(client, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(SUBMIT, data, content_type="application/json", headers=headers)


def body(**changes):
    result = copy.deepcopy(BODY)
    for path, value in changes.items():
        target = result
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return result


def counts():
    return (
        Dossier.objects.count(),
        Applicant.objects.count(),
        DossierComponent.objects.count(),
        DossierEvent.objects.count(),
        Notification.objects.count(),
    )


# --- submission ------------------------------------------------------------------------------------


def test_anonymous_submission_creates_an_online_dossier_without_code(anon, catalogue):
    when = datetime.fromisoformat("2024-04-26T21:30+07:00")  # a Friday night: online never closes
    with time_machine.travel(when, tick=False):
        response = post(anon, BODY)
    assert response.status_code == 201
    out = response.json()
    dossier = Dossier.objects.get()
    assert out["reference"] == online_reference(dossier)
    assert out["status"] == 1 and out["status_label"] == "Mới đăng ký"
    assert out["status_url"] == f"/api/dossiers/status/{out['reference']}"
    assert out["procedure_code"] == "2.001417"
    assert dossier.code is None
    assert dossier.status == "submitted_online"
    assert dossier.channel == "online" and dossier.return_channel == "post"
    assert dossier.receiving_unit == catalogue["units"]["centre"]
    assert dossier.submitted_at == when and dossier.received_at is None and dossier.due_at is None
    assert dossier.received_by is None and dossier.steps.count() == 0
    assert [c.name for c in dossier.components.all()] == [FORM]
    event = dossier.events.get()
    assert (event.action, event.to_status, event.actor) == (
        "submitted_online",
        "submitted_online",
        None,
    )
    assert dossier.applicant.citizen_id == "042190001234"
    assert dossier.applicant_name == "Nguyễn Thị Hương"
    sms = Notification.objects.get(channel="sms")
    assert out["reference"] in sms.body and sms.to == "0912345678"


def test_desk_accepts_the_online_dossier_and_it_gets_its_code(anon, catalogue):
    reference = post(anon, BODY).json()["reference"]
    dossier = Dossier.objects.get()
    with time_machine.travel(datetime.fromisoformat("2024-04-29T08:30+07:00"), tick=False):
        dossier_act(catalogue["desk"], dossier.pk, "accept", expected_revision=dossier.revision)
    dossier.refresh_from_db()
    assert dossier.code == "000.00.40.H27-240429-0001"
    by_code = anon.get(f"/api/dossiers/status/{dossier.code}").json()
    by_reference = anon.get(f"/api/dossiers/status/{reference}").json()
    assert by_code == by_reference
    assert by_code["code"] == dossier.code
    assert by_code["status"] == 2 and by_code["status_label"] == "Được tiếp nhận"
    assert by_code["received_at"] is not None and by_code["due_at"] is not None


def test_an_anonymous_submission_with_a_known_id_and_another_name_is_refused(anon, catalogue):
    """[K] 2: the ID number is on record with another name: a conflict, refused with a stable
    code and a Vietnamese message that does not read the person on record back; nothing changes."""
    receive(catalogue)  # the desk knows Nguyễn Thị Hương, phone 0912345678
    known = Applicant.objects.get()
    before = counts()
    stranger = body(
        applicant__full_name="Kẻ Mạo Danh",
        applicant__phone="0999999999",
        applicant__address_line="Nơi khác",
    )
    response = post(anon, stranger)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "applicant_conflict"
    assert error["message"].startswith("Họ tên hoặc ngày sinh không khớp")
    assert list(error["fields"]) == ["applicant.citizen_id"]
    assert "Nguyễn Thị Hương" not in response.content.decode()
    assert counts() == before
    known.refresh_from_db()
    assert (known.full_name, known.phone, known.date_of_birth) == (
        "Nguyễn Thị Hương",
        "0912345678",
        None,
    )


def test_an_anonymous_submission_never_reaches_the_known_persons_phone(anon, catalogue):
    """[O] 1: someone who knows Hương's name and ID posts a dossier: her record is not changed
    and our SMS goes only to the contact given in that dossier, never to her phone."""
    receive(catalogue)
    known = Applicant.objects.get()
    Notification.objects.all().delete()
    for contact in (
        {"applicant__phone": "0999999999", "applicant__email": ...},
        {"applicant__phone": ..., "applicant__email": ...},
        {"applicant__phone": ..., "applicant__email": "ke@example.vn"},
    ):
        assert post(anon, body(applicant__address_line="Nơi khác", **contact)).status_code == 201
    known.refresh_from_db()
    assert (known.full_name, known.phone, known.email, known.address_line) == (
        "Nguyễn Thị Hương",
        "0912345678",
        "",
        "Phường Thành Sen, Hà Tĩnh",
    )
    online = list(Dossier.objects.filter(channel="online").order_by("pk"))
    assert all(d.applicant == known for d in online)
    assert [(d.contact_phone, d.contact_email) for d in online] == [
        ("0999999999", ""),
        ("", ""),
        ("", "ke@example.vn"),
    ]
    assert sorted(n.to for n in Notification.objects.all()) == ["0999999999", "ke@example.vn"]


# --- bad input: a structured Vietnamese error, nothing created ---------------------------------------

BAD_BODIES = [
    # (body, field, message start)
    (body(applicant=...), "applicant", "Thiếu thông tin bắt buộc."),
    (body(procedure_code=...), "procedure_code", "Thiếu thông tin bắt buộc."),
    (
        body(applicant__citizen_id="04219000123"),
        "applicant.citizen_id",
        "Số định danh cá nhân phải gồm đúng 12",
    ),
    (body(applicant__citizen_id="999190001234"), "applicant.citizen_id", "Ba chữ số đầu (999)"),
    (
        body(applicant__date_of_birth="1991-05-12"),
        "applicant.citizen_id",
        "Số định danh cho năm sinh 1990",
    ),
    (body(applicant__date_of_birth="12/05/1990"), "applicant.date_of_birth", "Phải là một ngày"),
    (body(applicant__full_name="   "), "applicant.full_name", "Hãy nhập họ và tên"),
    (body(applicant__full_name="N" * 256), "applicant.full_name", "Không được dài quá 255 ký tự."),
    (
        body(applicant__full_name="Nguyễn\x00"),
        "applicant.full_name",
        "Không được chứa ký tự điều khiển.",
    ),
    (body(applicant__phone="09x"), "applicant.phone", "Số điện thoại chỉ gồm chữ số."),
    (body(applicant__email="huong@"), "applicant.email", "Địa chỉ thư điện tử không hợp lệ."),
    (body(applicant__kind="robot"), "applicant.kind", "Giá trị không hợp lệ; chỉ nhận:"),
    (body(applicant__kind="organisation"), "applicant.tax_code", "Mã số doanh nghiệp / mã số thuế"),
    (body(applicant__nickname="Hương"), "applicant.nickname", "Trường này không được chấp nhận."),
    (body(components=[]), "components", "Còn thiếu giấy tờ bắt buộc: Tờ khai"),
    (body(components__0__form="scan"), "components.0.form", "Giá trị không hợp lệ; chỉ nhận:"),
    (body(components__0__count=0), "components.0.count", "Phải lớn hơn hoặc bằng 1."),
    (body(components="tờ khai"), "components", "Phải là một danh sách."),
    (body(return_channel="online"), "return_channel", "Thủ tục này không trả kết quả"),
    (body(return_channel="email"), "return_channel", "Giá trị không hợp lệ; chỉ nhận:"),
    (body(dossier_sets=100), "dossier_sets", "Phải nhỏ hơn hoặc bằng 99."),
    (body(dossier_sets="hai"), "dossier_sets", "Phải là một số nguyên."),
    (body(procedure_code="9.999999"), "procedure_code", "Thủ tục mã “9.999999” không có hiệu lực"),
    (body(procedure_code="2.000488"), "procedure_code", "Thủ tục này không nhận hồ sơ trực tuyến"),
    (body(procedure_code="2.000999"), "procedure_code", "Đây là thủ tục hành chính nội bộ"),
]


@pytest.mark.parametrize(
    "data, field, message", BAD_BODIES, ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD_BODIES)]
)
def test_bad_submission_is_refused_and_nothing_is_created(anon, catalogue, data, field, message):
    before = counts()
    response = post(anon, data)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"][field].startswith(message), error
    assert counts() == before


@pytest.mark.parametrize(
    "data, content_type, status, code, message",
    [
        (
            "{not json",
            "application/json",
            400,
            "invalid_json",
            "Nội dung gửi lên không phải là JSON",
        ),
        ("", "application/json", 422, "validation_error", "Dữ liệu gửi lên chưa hợp lệ"),
        ("[1, 2]", "application/json", 422, "validation_error", "Dữ liệu gửi lên chưa hợp lệ"),
        (
            "procedure_code=2.001417",
            "application/x-www-form-urlencoded",
            415,
            "unsupported_media_type",
            "Nội dung gửi lên phải là JSON",
        ),
        (
            json.dumps(BODY),
            "text/plain",
            415,
            "unsupported_media_type",
            "Nội dung gửi lên phải là JSON",
        ),
    ],
)
def test_unreadable_body_is_refused_and_nothing_is_created(
    anon, catalogue, data, content_type, status, code, message
):
    before = counts()
    response = anon.post(SUBMIT, data, content_type=content_type)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert (error["code"], error["message"][: len(message)]) == (code, message)
    assert counts() == before


def test_wrong_method_is_not_a_500(anon, catalogue):
    assert anon.get(SUBMIT).status_code == 405
    assert anon.delete("/api/catalog/procedures").status_code == 405


# --- idempotency -----------------------------------------------------------------------------------


def test_same_key_same_body_returns_the_same_dossier(anon, catalogue):
    first = post(anon, BODY, **{"Idempotency-Key": "k-1"})
    # The same content written differently (key order, spacing) is the same request.
    again = post(anon, json.dumps(BODY, indent=4, sort_keys=True), **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Dossier.objects.count() == 1


def test_same_key_different_body_is_a_conflict_and_creates_nothing(anon, catalogue):
    post(anon, BODY, **{"Idempotency-Key": "k-2"})
    before = counts()
    response = post(anon, body(dossier_sets=2), **{"Idempotency-Key": "k-2"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "idempotency_conflict"
    assert error["message"].startswith("Khóa Idempotency-Key này đã được dùng")
    assert counts() == before


def test_a_refused_submission_does_not_burn_its_key(anon, catalogue):
    assert post(anon, body(components=[]), **{"Idempotency-Key": "k-3"}).status_code == 422
    assert post(anon, BODY, **{"Idempotency-Key": "k-3"}).status_code == 201
    assert Dossier.objects.count() == 1


def test_different_keys_make_different_dossiers(anon, catalogue):
    a = post(anon, BODY, **{"Idempotency-Key": "k-4"}).json()["reference"]
    b = post(anon, BODY, **{"Idempotency-Key": "k-5"}).json()["reference"]
    assert a != b and Dossier.objects.count() == 2


def test_too_long_key_is_refused(anon, catalogue):
    response = post(anon, BODY, **{"Idempotency-Key": "k" * 201})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "Idempotency-Key": "Không được dài quá 200 ký tự."
    }
    assert Dossier.objects.count() == 0


# --- status ----------------------------------------------------------------------------------------


def test_status_by_reference_before_a_code_exists(anon, catalogue):
    reference = post(anon, BODY).json()["reference"]
    response = anon.get(f"/api/dossiers/status/{reference}")
    assert response.status_code == 200
    assert response.json() | {"submitted_at": None} == {
        "code": None,
        "procedure_code": "2.001417",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "applicant": "N*** T*** H***",
        "status": 1,
        "status_label": "Mới đăng ký",
        "detail_label": "Mới đăng ký trực tuyến",
        "submitted_at": None,
        "received_at": None,
        "due_at": None,
        "finished": False,
        "returned": False,
    }


def test_status_leaks_no_personal_data(anon, catalogue):
    dossier = receive(catalogue)
    answer = anon.get(f"/api/dossiers/status/{dossier.code}").json()
    text = json.dumps(answer, ensure_ascii=False)
    applicant = dossier.applicant
    for secret in (
        applicant.citizen_id,
        applicant.phone,
        applicant.address_line,
        "Hương",
        "Nguyễn",
        "0912",
        "huong@",
        "Thành Sen",
    ):
        assert secret not in text
    assert answer["applicant"] == "N*** T*** H***"


def test_status_follows_the_dossier(anon, catalogue):
    dossier = receive(catalogue)
    body = anon.get(f"/api/dossiers/status/{dossier.code}").json()
    assert (body["status"], body["status_label"]) == (2, "Được tiếp nhận")
    assert body["due_at"] == "2024-05-14T16:00:00+07:00"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda ref, other: (
            other.split(".")[0] + "." + ref.split(".")[1]
        ),  # another id, my signature
        lambda ref, other: ref[:-1] + ("A" if ref[-1] != "A" else "B"),  # signature altered
        lambda ref, other: ref.split(".")[0],  # no signature: the bare id
        lambda ref, other: "1",
        lambda ref, other: ref + ".x",
    ],
)
def test_a_tampered_reference_finds_nothing(anon, catalogue, tamper):
    post(anon, BODY)
    # The long signed reference of earlier versions (a short one is checked in tests/portal).
    mine = long_reference(Dossier.objects.filter(channel="online").latest("pk"))
    other_dossier = receive(catalogue)
    other = online_reference(other_dossier)
    response = anon.get(f"/api/dossiers/status/{tamper(mine, other)}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error == {
        "code": "not_found",
        "message": "Không tìm thấy hồ sơ với mã hồ sơ hoặc mã tra cứu đã nhập.",
        "fields": {},
    }


def test_the_reference_is_salted_not_a_plain_django_signature(anon, catalogue):
    from django.core import signing

    dossier = Dossier.objects.get(pk=receive(catalogue).pk)
    forged = signing.Signer(sep=".", algorithm="sha256").sign(str(dossier.pk))
    assert forged != online_reference(dossier)
    assert anon.get(f"/api/dossiers/status/{forged}").status_code == 404


def test_unknown_code_is_not_found(anon, catalogue):
    response = anon.get("/api/dossiers/status/000.00.40.H27-240426-0099")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- rate limits -----------------------------------------------------------------------------------


def test_too_many_submissions_from_one_address_are_slowed_down(anon, catalogue):
    statuses = [post(anon, body(components=[])).status_code for _ in range(30)]
    assert set(statuses) == {422}
    response = post(anon, BODY)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Ông/bà gửi quá nhiều yêu cầu")
    assert int(response["Retry-After"]) >= 1
    assert Dossier.objects.count() == 0


def test_a_forged_x_forwarded_for_does_not_change_the_throttle_key(anon, catalogue):
    """[O] 1: without a trusted proxy the client is the connection's peer, whatever it writes."""
    statuses = [
        post(anon, body(components=[]), **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(30)
    ]
    assert set(statuses) == {422}
    response = post(anon, BODY, **{"X-Forwarded-For": "198.51.100.77"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert Dossier.objects.count() == 0


def test_behind_a_trusted_proxy_the_client_it_reports_is_throttled(anon, catalogue, settings):
    """The test client connects from 127.0.0.1, here the trusted proxy: each client it reports
    is counted on its own, and what a client wrote left of it is not believed."""
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    for n in range(30):
        chain = f"203.0.113.{n}, 198.51.100.7, 10.1.2.3"  # forged, client, inner proxy
        assert post(anon, body(components=[]), **{"X-Forwarded-For": chain}).status_code == 422
    blocked = post(anon, BODY, **{"X-Forwarded-For": "198.51.100.7"})
    assert blocked.status_code == 429
    other = post(anon, BODY, **{"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 201


def test_submissions_are_limited_per_id_number(anon, catalogue):
    """[O] 1: a client changing addresses still cannot file more than a few dossiers (and send
    as many SMS) for one ID number."""
    statuses = [post(anon, body(applicant__phone=f"09{n:08d}")).status_code for n in range(6)]
    assert statuses == [201] * 5 + [429]
    error = post(anon, body(applicant__phone="0911111111")).json()["error"]
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Đã có quá nhiều hồ sơ trực tuyến")
    assert Dossier.objects.count() == 5


def test_submissions_are_limited_per_phone_number(anon, catalogue):
    numbers = [f"0421900012{n:02d}" for n in range(40, 46)]
    statuses = [
        post(anon, body(applicant__citizen_id=number, applicant__date_of_birth=...)).status_code
        for number in numbers
    ]
    assert statuses == [201] * 5 + [429]
    assert not Applicant.objects.filter(citizen_id=numbers[-1]).exists()
