"""The public pages: the feedback form (CSRF, token, rate limit, ?ho_so=), the receipt, the Q&A."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.feedback import services
from motcua.feedback.models import Feedback
from tests.accounts.factories import UserFactory

from .helpers import received, travel

pytestmark = pytest.mark.django_db

FORM = {
    "sender_name": "Trần Thị Bình",
    "sender_contact": "binh@example.vn",
    "dossier_code": "000.00.12.H27-230427-0001",
    "title": "Hỏi về lệ phí chứng thực",
    "content": "Xin cho biết lệ phí chứng thực bản sao từ bản chính là bao nhiêu một trang?",
    "token": "public-token-1",
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_url_name_the_portal_links_to():
    assert reverse("feedback_public:feedback_new") == "/hoi-dap/gui/"


def test_form_prefills_the_dossier_code_and_a_token():
    response = Client().get("/hoi-dap/gui/?ho_so=000.00.12.H27-230427-0001")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="000.00.12.H27-230427-0001"' in html
    assert 'name="token"' in html and "Gửi phản ánh" in html


def test_sending_gives_a_receipt_without_personal_data():
    response = Client().post("/hoi-dap/gui/", FORM)
    item = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hoi-dap/gui/da-nhan/{item.code}/"
    receipt = Client().get(response["Location"]).content.decode()
    assert item.code in receipt
    assert "binh@example.vn" not in receipt and "Trần Thị Bình" not in receipt
    assert item.channel == "portal" and item.dossier_code == FORM["dossier_code"]


def test_replayed_form_registers_once():
    client = Client()
    first = client.post("/hoi-dap/gui/", FORM)
    second = client.post("/hoi-dap/gui/", FORM)
    assert first["Location"] == second["Location"]
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"sender_contact": "không có"}, "số điện thoại"),
        ({"content": "ngắn"}, "quá ngắn"),
        ({"sender_name": ""}, "Hãy nhập họ và tên"),
        ({"token": ""}, "Biểu mẫu đã hết hạn"),
        ({"dossier_code": "<script>"}, "Mã hồ sơ chỉ gồm"),
    ],
)
def test_bad_input_shows_a_vietnamese_message_and_saves_nothing(change, message):
    response = Client().post("/hoi-dap/gui/", FORM | change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Feedback.objects.count() == 0


def test_csrf_is_enforced():
    response = Client(enforce_csrf_checks=True).post("/hoi-dap/gui/", FORM)
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_rate_limit_per_address():
    client = Client()
    for n in range(5):
        assert client.post("/hoi-dap/gui/", FORM | {"token": f"t{n}"}).status_code == 302
    response = client.post("/hoi-dap/gui/", FORM | {"token": "t-extra"})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert Feedback.objects.count() == 5


def test_qa_lists_published_answers_only_without_personal_data():
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    item = received(sender_name="Lê Văn Cường", sender_contact="0987654321")
    hidden = received(suffix="2", title="Chưa công khai")
    with travel("2023-04-27T10:00"):
        services.feedback_assign(
            leader, item.pk, classification="regulation", assignee_id=leader.pk
        )
        services.feedback_answer(leader, item.pk, answer="Thời hạn là 10 ngày làm việc.")
        services.feedback_publish(
            leader, item.pk, public_question="Thời hạn cấp phiếu lý lịch tư pháp?"
        )
    page = Client().get("/hoi-dap/?q=ly lich").content.decode()
    assert item.title in page and hidden.title not in page
    assert "Lê Văn Cường" not in page and "0987654321" not in page
    detail = Client().get(f"/hoi-dap/cau-hoi/{item.code}/").content.decode()
    assert "Thời hạn là 10 ngày làm việc." in detail and "0987654321" not in detail
    assert Client().get(f"/hoi-dap/cau-hoi/{hidden.code}/").status_code == 404
    assert "Không có câu hỏi nào khớp" in Client().get("/hoi-dap/?q=zzz").content.decode()
