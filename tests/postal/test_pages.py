"""The postal pages: intake by post, the panel on the dossier page, posting from it, the desk's own
tracking record, the manifest and the list — with bad input refused and nothing changed."""

import subprocess

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.postal.models import Consignment, TrackingEvent
from tests.dossiers.test_services import at

from .helpers import process_to_result, receive_by_post
from .test_round_trip import post_result

pytestmark = pytest.mark.django_db
FORM = {
    "operator": "vnpost",
    "number": "EE123456785VN",
    "posted_on": "2024-04-24",
    "arrived_at": "2024-04-26T16:00",
    "applicant_kind": "person",
    "citizen_id": "042190001234",
    "full_name": "Nguyễn Thị Hương",
    "province_code": "42",
    "ward_code": "18073",
    "address_line": "Số 5, đường Phan Đình Phùng",
    "return_channel": "post",
    "dossier_sets": "1",
    "component_1": "on",
    "component_1_count": "1",
    "component_2_count": "1",
}
URL = "/can-bo/buu-chinh/tiep-nhan/2.001417/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_intake(client, **changes):
    with time_machine.travel(at("2024-04-26T16:30"), tick=False):
        return client.post(URL, FORM | changes)


def test_intake_by_post_starts_the_clock_at_the_desk(desk):
    client = signed_in(desk["desk"])
    with time_machine.travel(at("2024-04-26T16:30"), tick=False):
        page = client.get(URL).content.decode()
        assert "Số hiệu bưu gửi" in page and "Thời hạn giải quyết tính từ thời điểm này" in page
        search = client.get("/can-bo/buu-chinh/tiep-nhan/", {"q": "ly lich"}).content.decode()
    assert URL in search
    response = post_intake(client)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"/can-bo/ho-so/{dossier.pk}/"
    assert dossier.channel == "post" and dossier.received_at == at("2024-04-26T16:00")
    assert Consignment.objects.get().number == "EE123456785VN"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"posted_on": "2024-04-26", "arrived_at": "2024-04-25T09:00"},
            "Ngày gửi không được sau ngày hồ sơ đến",
        ),
        ({"arrived_at": "2024-04-27T08:00"}, "không được ở tương lai"),
        ({"posted_on": "2024-05-01"}, "Ngày gửi không được ở tương lai"),
        ({"number": "EE123456784VN"}, "sai chữ số kiểm tra"),
        ({"number": "12345"}, "gồm 2 chữ cái"),
        ({"citizen_id": "12345"}, "12 chữ số"),  # the desk form's own checks still apply
        ({"component_1": ""}, "Còn thiếu giấy tờ bắt buộc"),
        ({"operator": "dhl"}, "Chưa lưu được"),
    ],
)
def test_bad_intake_by_post_says_why_and_creates_nothing(desk, changes, message):
    client = signed_in(desk["desk"])
    data = {k: v for k, v in (FORM | changes).items() if v != ""}
    with time_machine.travel(at("2024-04-26T16:30"), tick=False):
        response = client.post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa lưu được" in body and message in body
    assert not Dossier.objects.exists() and not Consignment.objects.exists()


def test_the_same_envelope_is_not_received_twice(desk):
    client = signed_in(desk["desk"])
    assert post_intake(client).status_code == 302
    again = post_intake(client)
    assert again.status_code == 200 and "đã được tiếp nhận trước đây" in again.content.decode()
    assert Dossier.objects.count() == 1


def test_only_the_desk_receives_by_post(desk):
    assert signed_in(desk["specialist"]).get(URL).status_code == 403
    assert post_intake(signed_in(desk["head"])).status_code == 403
    assert not Dossier.objects.exists()


def test_panel_posts_the_result_and_a_double_click_posts_once(desk):
    dossier = process_to_result(desk, receive_by_post(desk))
    client = signed_in(desk["desk"])
    with time_machine.travel(at("2024-05-09T14:00"), tick=False):
        page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
        assert "Trả kết quả qua bưu chính" in page and "EE123456785VN" in page
        form = {
            "revision": dossier.revision,
            "receiver_name": "Nguyễn Thị Hương",
            "phone": "0912345678",
            "province_code": "42",
            "ward_code": "18073",
            "address_line": "Số 5",
            "weight_grams": "80",
            "operator": "vnpost",
        }
        url = f"/can-bo/buu-chinh/ho-so/{dossier.pk}/gui-ket-qua/"
        first = client.post(url, form, follow=True).content.decode()
        second = client.post(url, form, follow=True).content.decode()
    consignment = Consignment.objects.get(direction="outbound")
    assert f"Đã lập bưu gửi {consignment.number}, cước 20.000 đồng" in first
    assert "Chưa gửi được kết quả qua bưu chính" in second
    assert Dossier.objects.get().status == "returned"
    assert "In nhãn bưu gửi" in second


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"ward_code": "4"}, "Hãy chọn xã, phường thuộc tỉnh"),  # a Hà Nội ward in Hà Tĩnh
        ({"weight_grams": "0"}, "Khối lượng"),
        ({"address_line": ""}, "Số nhà"),
        ({"revision": "0"}, "vừa được người khác cập nhật"),
    ],
)
def test_bad_posting_is_refused_and_nothing_changes(desk, changes, message):
    dossier = process_to_result(desk, receive_by_post(desk))
    client = signed_in(desk["desk"])
    form = {
        "revision": dossier.revision,
        "receiver_name": "Nguyễn Thị Hương",
        "province_code": "42",
        "ward_code": "18073",
        "address_line": "Số 5",
        "weight_grams": "80",
        "operator": "vnpost",
    } | changes
    with time_machine.travel(at("2024-05-09T14:00"), tick=False):
        page = client.post(
            f"/can-bo/buu-chinh/ho-so/{dossier.pk}/gui-ket-qua/", form, follow=True
        ).content.decode()
    assert message in page
    assert not Consignment.objects.filter(direction="outbound").exists()
    assert Dossier.objects.get().status == "finished"


def test_the_desk_records_returned_mail_once_however_often_it_clicks(desk):
    dossier = process_to_result(desk, receive_by_post(desk))
    consignment = post_result(desk, dossier, "2024-05-09T14:00")
    client = signed_in(desk["desk"])
    data = {
        "token": "abc",
        "kind": "returned_to_sender",
        "at": "2024-05-12T09:00",
        "note": "Sai địa chỉ",
    }
    with time_machine.travel(at("2024-05-12T10:00"), tick=False):
        for _ in range(2):
            client.post(f"/can-bo/buu-chinh/buu-gui/{consignment.pk}/su-kien/", data)
    assert TrackingEvent.objects.get().recorded_by == desk["desk"]
    dossier.refresh_from_db()
    assert dossier.status == "finished"
    assert dossier.events.order_by("-pk").first().actor == desk["desk"]


def test_documents_and_lists(desk, tmp_path):
    dossier = process_to_result(desk, receive_by_post(desk))
    consignment = post_result(desk, dossier, "2024-05-09T14:00")
    client = signed_in(desk["desk"])
    manifest = client.get("/can-bo/buu-chinh/bang-ke.pdf", {"ngay": "2024-05-09"})
    assert manifest.status_code == 200
    path = tmp_path / "bang-ke.pdf"
    path.write_bytes(manifest.content)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "BẢNG KÊ BƯU GỬI" in text and consignment.number in text and "Tổng số: 1 bưu gửi" in text
    listing = client.get("/can-bo/buu-chinh/").content.decode()
    assert consignment.number in listing and "N*** T*** H***" in listing
    assert "Nguyễn Thị Hương" not in listing


def test_other_officers_get_403_before_404(desk):
    from motcua.accounts.roles import Role
    from tests.accounts.factories import UnitFactory, UserFactory

    dossier = process_to_result(desk, receive_by_post(desk))
    consignment = post_result(desk, dossier, "2024-05-09T14:00")
    stranger = signed_in(UserFactory(role=Role.DESK_OFFICER, unit=UnitFactory()))
    for url in (
        f"/can-bo/buu-chinh/buu-gui/{consignment.pk}/nhan.pdf",
        "/can-bo/buu-chinh/buu-gui/99999/nhan.pdf",
    ):
        assert stranger.get(url).status_code == 403
    assert (
        stranger.post(f"/can-bo/buu-chinh/ho-so/{dossier.pk}/gui-ket-qua/", {}).status_code == 403
    )
    assert consignment.number not in stranger.get("/can-bo/buu-chinh/").content.decode()


def test_panel_is_read_only_for_processors_and_absent_where_post_plays_no_part(desk):
    from tests.dossiers.test_services import receive

    dossier = process_to_result(desk, receive_by_post(desk))
    consignment = post_result(desk, dossier, "2024-05-09T14:00")
    page = signed_in(desk["specialist"]).get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "Bưu chính công ích" in page and consignment.number in page
    assert "Lập bưu gửi" not in page and "Ghi nhận sự kiện" not in page
    at_desk = receive(desk, when="2024-04-29T09:00")
    page = signed_in(desk["desk"]).get(f"/can-bo/ho-so/{at_desk.pk}/").content.decode()
    assert "Bưu chính công ích" not in page


def test_the_list_costs_the_same_queries_for_many_consignments(desk, django_assert_max_num_queries):
    from motcua.postal.s10 import s10_number

    for serial in range(10000000, 10000006):
        receive_by_post(desk, number=s10_number("EE", serial))
    client = signed_in(desk["desk"])
    with django_assert_max_num_queries(8):
        page = client.get("/can-bo/buu-chinh/?chieu=inbound")
    assert page.content.decode().count("Chiều đến") == 6 + 1  # six rows and the filter's option


def test_after_returned_mail_the_desk_hands_the_result_over_itself(desk):
    from datetime import date

    from motcua.postal.selectors import postal_counts

    dossier = process_to_result(desk, receive_by_post(desk))
    consignment = post_result(desk, dossier, "2024-05-09T14:00")
    client = signed_in(desk["desk"])
    data = {"token": "t1", "kind": "returned_to_sender", "at": "2024-05-12T09:00"}
    with time_machine.travel(at("2024-05-12T10:00"), tick=False):
        client.post(f"/can-bo/buu-chinh/buu-gui/{consignment.pk}/su-kien/", data)
        dossier.refresh_from_db()
        page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
        assert "Trả kết quả tại Bộ phận Một cửa" in page
        url = f"/can-bo/buu-chinh/ho-so/{dossier.pk}/tra-tai-quay/"
        client.post(url, {"revision": dossier.revision})
        again = client.post(url, {"revision": dossier.revision}, follow=True).content.decode()
    assert "Chưa trả được kết quả" in again
    dossier.refresh_from_db()
    assert (dossier.status, dossier.return_channel) == ("returned", "desk")
    counts = postal_counts(date(2024, 4, 1), date(2024, 6, 30))
    assert counts == {"received_post": 1, "returned_post": 0}
