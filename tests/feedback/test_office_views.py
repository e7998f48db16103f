"""Back-office PAKN and survey pages: masking, the read log, actions through the pages, bad input."""

from datetime import date

import pytest
from django.test import Client

from motcua.accounts.roles import Role
from motcua.core.models import PersonalDataRead
from motcua.feedback import survey_services
from motcua.feedback.models import Feedback, FeedbackEvent, Question, Response
from tests.accounts.factories import UserFactory

from .helpers import received, travel

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_worklist_masks_senders_and_flags_overdue():
    received("2023-04-03T09:00", sender_name="Nguyễn Văn An", sender_contact="0912345678")
    desk = _client(UserFactory(role=Role.DESK_OFFICER))
    with travel("2023-06-01T09:00"):
        page = desk.get("/can-bo/phan-anh/").content.decode()
    assert "N*** V*** A***" in page and "Nguyễn Văn An" not in page
    assert "0912345678" not in page
    assert "quá hạn" in page
    assert PersonalDataRead.objects.count() == 0


def test_detail_shows_contact_and_logs_the_read():
    item = received()
    desk = UserFactory(role=Role.DESK_OFFICER)
    page = _client(desk).get(f"/can-bo/phan-anh/{item.pk}/").content.decode()
    assert "0912345678" in page
    assert PersonalDataRead.objects.get().subject == f"feedback:{item.pk}"


def test_citizens_get_403_before_404():
    client = _client(UserFactory(citizen=True))
    assert client.get("/can-bo/phan-anh/999999/").status_code == 403
    assert (
        client.post("/can-bo/phan-anh/999999/thao-tac/publish/", {"text": "x"}).status_code == 403
    )
    assert client.get("/can-bo/phan-anh/khao-sat/999999/nhap-phieu/").status_code == 403


def test_intake_at_the_desk_and_the_way_to_publication_through_the_pages():
    desk = _client(UserFactory(role=Role.DESK_OFFICER))
    leader_user = UserFactory(role=Role.DEPARTMENT_LEADER)
    leader = _client(leader_user)
    response = desk.post(
        "/can-bo/phan-anh/tiep-nhan/",
        {
            "channel": "hotline",
            "sender_name": "Phạm Thị Dung",
            "sender_contact": "0987000111",
            "title": "Thái độ hướng dẫn",
            "token": "desk-1",
            "content": "Công chức hướng dẫn chưa đầy đủ, tôi phải đi lại hai lần.",
        },
    )
    item = Feedback.objects.get()
    assert response["Location"] == f"/can-bo/phan-anh/{item.pk}/"
    # The desk may not assign (leaders only): the page says so, nothing changes.
    desk.post(
        f"/can-bo/phan-anh/{item.pk}/phan-cong/",
        {"classification": "behaviour", "assignee": leader_user.pk},
    )
    item.refresh_from_db()
    assert item.assignee is None
    leader.post(
        f"/can-bo/phan-anh/{item.pk}/phan-cong/",
        {"classification": "behaviour", "assignee": leader_user.pk},
    )
    leader.post(
        f"/can-bo/phan-anh/{item.pk}/thao-tac/answer/", {"text": "Sở đã nhắc nhở công chức."}
    )
    empty = leader.post(f"/can-bo/phan-anh/{item.pk}/thao-tac/publish/", {"text": ""}, follow=True)
    assert "vui lòng nhập nội dung" in empty.content.decode()
    item.refresh_from_db()
    assert item.status == "answered"
    leader.post(f"/can-bo/phan-anh/{item.pk}/thao-tac/publish/", {"text": "Hướng dẫn chưa đầy đủ?"})
    twice = leader.post(
        f"/can-bo/phan-anh/{item.pk}/thao-tac/publish/", {"text": "Lần hai"}, follow=True
    ).content.decode()
    assert "không thể “Công khai trên Hỏi – Đáp”" in twice
    item.refresh_from_db()
    assert item.status == "published" and item.public_question == "Hướng dẫn chưa đầy đủ?"
    assert FeedbackEvent.objects.filter(feedback=item).count() == 4
    assert (
        leader.post(f"/can-bo/phan-anh/{item.pk}/thao-tac/xoa/", {"text": "x"}).status_code == 404
    )


def test_bad_intake_shows_messages_and_saves_nothing():
    desk = _client(UserFactory(role=Role.DESK_OFFICER))
    page = desk.post(
        "/can-bo/phan-anh/tiep-nhan/", {"channel": "portal", "token": "t"}
    ).content.decode()
    assert "Lựa chọn không hợp lệ." in page and "Hãy nhập họ và tên." in page
    assert Feedback.objects.count() == 0


@pytest.fixture
def campaign():
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    questionnaire = survey_services.questionnaire_create(
        leader, name="Bộ thử", aspects=[("Tiếp cận", ["Chỗ ngồi"]), ("Công chức", ["Thái độ"])]
    )
    return survey_services.campaign_create(
        leader,
        year=2023,
        quarter=2,
        starts_on=date(2023, 4, 1),
        ends_on=date(2023, 6, 30),
        questionnaire_id=questionnaire.pk,
    )


def test_paper_entry_page(campaign):
    desk = _client(UserFactory(role=Role.DESK_OFFICER))
    url = f"/can-bo/phan-anh/khao-sat/{campaign.pk}/nhap-phieu/"
    q1, q2 = Question.objects.order_by("aspect__position").values_list("pk", flat=True)
    with travel("2023-05-10T09:00"):
        page = desk.get(url).content.decode()
        assert "autofocus" in page and 'value="10/05/2023"' in page
        form = {f"q{q1}": "5", f"q{q2}": "0", "surveyed_on": "10/05/2023", "token": "p1"}
        assert desk.post(url, form)["Location"] == url
        again = desk.post(url, form).content.decode()
        assert "đã được lưu (bấm lưu hai lần?)" in again
        bad = desk.post(url, form | {f"q{q1}": "7", "token": "p2"}).content.decode()
        assert "Chỉ nhập một chữ số 1–5" in bad
        missing = desk.post(url, {f"q{q1}": "4", "surveyed_on": "10/05/2023", "token": "p3"})
        assert "Câu 2 chưa nhập" in missing.content.decode()
        results = desk.get(f"/can-bo/phan-anh/khao-sat/{campaign.pk}/").content.decode()
    response = Response.objects.get()
    assert response.channel == "paper" and response.answers.filter(score__isnull=True).count() == 1
    assert "100,0%" in results or "100.0%" in results


def test_campaign_creation_is_for_leaders(campaign):
    assert (
        _client(UserFactory(role=Role.SPECIALIST)).get("/can-bo/phan-anh/khao-sat/tao/").status_code
        == 403
    )
    leader = _client(UserFactory(role=Role.ADMINISTRATOR))
    ok = leader.post(
        "/can-bo/phan-anh/khao-sat/tao/",
        {"year": "2023", "quarter": "3", "starts_on": "01/07/2023", "ends_on": "30/09/2023"},
    )
    assert ok.status_code == 302
    dup = leader.post(
        "/can-bo/phan-anh/khao-sat/tao/",
        {"year": "2023", "quarter": "3", "starts_on": "01/07/2023", "ends_on": "30/09/2023"},
    ).content.decode()
    assert "Đã có đợt khảo sát quý 3/2023" in dup
