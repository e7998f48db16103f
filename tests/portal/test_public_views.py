"""Public pages of the citizen portal: search, a procedure's page, tracking a dossier."""

import pytest
import time_machine
from django.urls import reverse

from motcua.catalog.services import catalog_import
from tests.catalog.factories import document, version
from tests.dossiers.test_services import act, at, receive

TODAY = "2024-05-06T10:00"


@pytest.fixture
def today():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def test_search_ignores_accents_and_case(client, desk, today):
    response = client.get(reverse("portal:home"), {"q": "LY lich tu phap"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in body
    assert reverse("portal:procedure_detail", args=["2.001417"]) in body
    assert "1 thủ tục phù hợp" in body


def test_search_finds_nothing_for_other_words(client, desk, today):
    body = client.get(reverse("portal:home"), {"q": "hộ chiếu"}).content.decode()
    assert "0 thủ tục phù hợp" in body and "2.001417" not in body


def test_search_paginates_twenty_and_bounds_queries(
    client, db, today, django_assert_max_num_queries
):
    from tests.catalog.factories import make_units

    make_units()
    procedures = [
        {
            "code": f"2.{n:06d}",
            "is_internal": False,
            "versions": [version(name=f"Thủ tục lý lịch số {n}")],
        }
        for n in range(100, 125)
    ]
    catalog_import(None, document(procedures=procedures))
    with django_assert_max_num_queries(4):
        first = client.get(reverse("portal:home"), {"q": "ly lich"})
    body = first.content.decode()
    assert "25 thủ tục phù hợp" in body and body.count("Thủ tục lý lịch số") == 20
    second = client.get(reverse("portal:home"), {"q": "ly lich", "trang": 2}).content.decode()
    assert second.count("Thủ tục lý lịch số") == 5 and "Trang 2/2" in second


def test_procedure_page_shows_the_version_in_force(client, desk, today):
    response = client.get(reverse("portal:procedure_detail", args=["2.001417"]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "10 ngày làm việc",
        "200.000 đồng",
        "100.000 đồng",
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "Bản chính, số lượng 1 · bắt buộc",
        "Bản sao, số lượng 1 · không bắt buộc",
        "Trực tiếp tại",
        "Trực tuyến",
        "bưu chính công ích",
        "Luật Lý lịch tư pháp 2009",
    ):
        assert text in body, text


def test_unknown_procedure_is_a_friendly_404(client, desk, today):
    response = client.get(reverse("portal:procedure_detail", args=["9.999999"]))
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in response.content.decode()


def test_tracking_by_code_masks_the_applicant(client, desk, django_assert_max_num_queries):
    dossier = receive(desk)
    url = reverse("portal:tracking_detail", args=[dossier.code])
    assert url == f"/cong-dan/tra-cuu/{dossier.code}/"
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "N*** T*** H***" in body
    assert "Nguyễn" not in body and "Hương" not in body
    for secret in ("042190001234", "0912345678", "Thành Sen"):
        assert secret not in body
    assert "Đã tiếp nhận, chờ phân công" in body
    # Progress in words (issue [K] item 10), never the national status number.
    assert "trạng thái quốc gia" not in body
    assert "Bước 3/5: xử lý." in body and 'aria-current="step"' in body
    assert "Tiếp nhận hồ sơ" in body  # the current step
    assert "16:00 14/05/2024" in body  # the appointment
    assert "16:00 26/04/2024" in body  # received


def test_tracking_form_without_javascript_redirects_to_the_dossier(client, desk):
    dossier = receive(desk)
    response = client.get(reverse("portal:tracking_form"), {"ma": f"  {dossier.code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:tracking_detail", args=[dossier.code])


def test_supplement_requested_shows_the_reason_and_a_paused_clock(client, desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-03T09:00",
        reason="Thiếu bản sao giấy khai sinh",
    )
    body = client.get(reverse("portal:tracking_detail", args=[dossier.code])).content.decode()
    assert "Yêu cầu bổ sung hồ sơ" in body
    # The officer's words only with the last digits (tests/portal/test_tracking_privacy.py).
    assert "Bổ sung hồ sơ theo yêu cầu: xem thông báo đã gửi đến ông/bà" in body
    assert "Thiếu bản sao giấy khai sinh" not in body
    assert "đang tạm dừng" in body


def test_finished_dossier_tells_where_to_collect(client, desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    dossier.refresh_from_db()
    body = client.get(reverse("portal:tracking_detail", args=[dossier.code])).content.decode()
    assert dossier.status == "finished"
    assert "Đã xử lý xong" in body and "Bộ phận Một cửa để nhận" in body


@pytest.mark.parametrize(
    "code", ["000.00.40.H27-240426-9999", "1.abc", "x" * 300, "' OR 1=1 --", "a/b"]
)
def test_unknown_code_is_a_friendly_404(client, desk, code):
    receive(desk)
    response = client.get(reverse("portal:tracking_form"), {"ma": code}, follow=True)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy hồ sơ" in body and "N***" not in body


def test_tracking_by_signed_online_reference(client, desk):
    from motcua.dossiers.online import online_reference

    dossier = receive(desk)
    reference = online_reference(dossier)
    response = client.get(reverse("portal:tracking_detail", args=[reference]))
    # The old long reference of a received dossier is sent on to the page under its code.
    assert response["Location"] == reverse("portal:tracking_detail", args=[dossier.code])
    response = client.get(response["Location"])
    assert response.status_code == 200 and "N*** T*** H***" in response.content.decode()
    tampered = reference[:-2] + ("AA" if not reference.endswith("AA") else "BB")
    assert client.get(reverse("portal:tracking_detail", args=[tampered])).status_code == 404


def test_pages_carry_no_inline_script_or_style(client, desk, today):
    for url in (
        reverse("portal:home") + "?q=ly",
        reverse("portal:procedure_detail", args=["2.001417"]),
        reverse("portal:tracking_form"),
    ):
        body = client.get(url).content.decode()
        assert '<html lang="vi">' in body
        assert "<script" not in body and "style=" not in body and "<style" not in body


def test_public_pages_answer_head_as_monitors_and_link_checkers_send_it(client, desk, today):
    """HEAD gets the GET's status without a body (found walking docs/deploy.md: the root answered
    HEAD with 405, failing `curl -I`); other methods stay refused."""
    for url in (reverse("portal:home"), reverse("portal:procedure_detail", args=["2.001417"])):
        response = client.head(url)
        assert response.status_code == 200 and response.content == b"", url
        assert client.put(url).status_code == 405
