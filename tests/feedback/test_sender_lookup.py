"""[K] 12: the sender finds their own item without an account — its receipt number (any case,
any spaces) plus the last 4 digits of the phone they gave, or the e-mail — never the number alone;
rate-limited per client address and per number."""

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.accounts.roles import Role
from motcua.feedback import services
from motcua.feedback.sender_lookup import receipt_number_parse
from tests.accounts.factories import UserFactory

from .helpers import received, travel

pytestmark = pytest.mark.django_db

ANSWER = "Phiếu lý lịch tư pháp đã có, mời ông nhận tại Bộ phận Một cửa."
NOT_FOUND = "Không tìm thấy phản ánh với số tiếp nhận và thông tin xác nhận này."


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def answered():
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    officer = UserFactory(role=Role.SPECIALIST)
    item = received("2023-04-27T09:00", sender_contact="0912 345 678")
    with travel("2023-04-28T08:00"):
        services.feedback_assign(
            leader, item.pk, classification="regulation", assignee_id=officer.pk
        )
    with travel("2023-05-05T10:00"):
        return services.feedback_answer(officer, item.pk, answer=ANSWER)


def look_up(client, number, proof, address="10.0.0.1"):
    return client.post("/hoi-dap/tra-cuu/", {"so": number, "xac_nhan": proof}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "typed",
    ["PAKN-2023-0001", "pakn-2023-0001", " Pakn 2023 0001 ", "PAKN20230001", "pakn–2023–0001"],
)
def test_the_number_is_read_in_any_case_and_spacing(typed):
    assert receipt_number_parse(typed) == "PAKN-2023-0001"


@pytest.mark.parametrize("typed", ["", "2023-0001", "PAKN-23-1", "PAKN-2023-0001; drop"])
def test_what_is_no_number_is_none(typed):
    assert receipt_number_parse(typed) is None


def test_number_and_last_four_digits_show_status_dates_and_answer(answered):
    client = Client()
    response = look_up(client, answered.code.lower().replace("-", " "), "5678")
    assert response.status_code == 302
    assert response["Location"] == f"/hoi-dap/tra-cuu/{answered.code}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert answered.code in html and "Đã trả lời, chờ công khai" in html
    assert "27/04/2023" in html and "05/05/2023" in html  # received, answered
    assert ANSWER in html
    assert "0912" not in html  # the contact is never shown back


def test_an_email_sender_proves_it_with_the_address_in_any_case():
    item = received(sender_contact="Binh.Tran@Example.vn")
    client = Client()
    response = look_up(client, item.code, " binh.tran@example.VN ")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Mới tiếp nhận" in html and "đang được xem xét" in html


@pytest.mark.parametrize(
    "number, proof",
    [
        ("PAKN-2023-0001", "1234"),  # wrong digits
        ("PAKN-2023-0002", "5678"),  # unknown number: the same message
        ("PAKN-2023-0001", "binh@example.vn"),  # an e-mail for a phone sender
    ],
)
def test_wrong_digits_and_unknown_numbers_get_one_message_and_open_nothing(answered, number, proof):
    client = Client()
    response = look_up(client, number, proof)
    assert response.status_code == 400
    assert NOT_FOUND in response.content.decode()
    assert ANSWER not in response.content.decode()
    page = client.get(f"/hoi-dap/tra-cuu/{answered.code}/")
    assert page.status_code == 302 and page["Location"].startswith("/hoi-dap/tra-cuu/?so=")


@pytest.mark.parametrize(
    "number, proof, message",
    [
        ("PAKN-2023-0001", "", "Hãy nhập 4 chữ số cuối"),  # never the number alone
        ("PAKN-2023-0001", "678", "Hãy nhập đúng 4 chữ số cuối"),
        ("PAKN-2023-0001", "0912345678", "Hãy nhập đúng 4 chữ số cuối"),
        ("2023-0001", "5678", "Số tiếp nhận có dạng PAKN-năm-số"),
        ("", "5678", "Hãy nhập số tiếp nhận"),
    ],
)
def test_bad_shapes_are_explained_in_vietnamese(answered, number, proof, message):
    response = look_up(Client(), number, proof)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ANSWER not in response.content.decode()


def test_the_result_page_needs_the_proof_in_this_session(answered):
    assert look_up(Client(), answered.code, "5678").status_code == 302
    other = Client().get(f"/hoi-dap/tra-cuu/{answered.code}/")
    assert other.status_code == 302 and ANSWER not in other.content.decode()


def test_the_link_in_the_message_fills_in_the_number(answered):
    html = Client().get(f"/hoi-dap/tra-cuu/?so={answered.code}").content.decode()
    assert f'value="{answered.code}"' in html and 'name="xac_nhan"' in html


def test_one_address_gets_ten_tries_in_ten_minutes(answered):
    client = Client()
    for _ in range(10):
        assert look_up(client, answered.code, "0000").status_code == 400
    blocked = look_up(client, answered.code, "5678")
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    # another client address is counted on its own
    other = received("2023-04-28T09:00", suffix="2", sender_contact="0987654321")
    assert look_up(Client(), other.code, "4321", address="10.0.0.2").status_code == 302


def test_one_number_gets_ten_tries_an_hour_from_any_address(answered):
    for attempt in range(10):
        response = look_up(Client(), answered.code, "0000", address=f"10.0.1.{attempt}")
        assert response.status_code == 400
    blocked = look_up(Client(), answered.code, "5678", address="10.0.2.1")
    assert blocked.status_code == 429


def test_the_qa_page_and_the_receipt_lead_to_the_lookup():
    item = received()
    assert 'href="/hoi-dap/tra-cuu/"' in Client().get("/hoi-dap/").content.decode()
    receipt = Client().get(f"/hoi-dap/gui/da-nhan/{item.code}/").content.decode()
    assert f'href="/hoi-dap/tra-cuu/?so={item.code}"' in receipt
