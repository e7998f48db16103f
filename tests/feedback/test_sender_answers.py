"""[K] 12: the sender of a feedback item hears of the answer (and of a refusal, a request for more
information, the publication) by SMS or e-mail, sent only after the action commits."""

import pytest
from django.core import mail
from django.db import transaction

from motcua.accounts.roles import Role
from motcua.feedback import services
from motcua.notifications import sms
from motcua.notifications.models import Notification
from tests.accounts.factories import UserFactory

from .helpers import received, travel

pytestmark = pytest.mark.django_db

ANSWER = "Phiếu lý lịch tư pháp của ông đã có, mời ông nhận tại Bộ phận Một cửa từ ngày 05/5."


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    settings.MOTCUA_PUBLIC_BASE_URL = "https://dichvucong.example.vn"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def staff():
    return (
        UserFactory(role=Role.DEPARTMENT_LEADER),
        UserFactory(role=Role.SPECIALIST),
    )


def assigned(staff, **overrides):
    leader, officer = staff
    item = received("2023-04-27T09:00", **overrides)
    with travel("2023-04-28T08:00"):
        services.feedback_assign(
            leader, item.pk, classification="regulation", assignee_id=officer.pk
        )
    return item


def test_the_answer_reaches_a_phone_by_sms_after_commit(staff, django_capture_on_commit_callbacks):
    item = assigned(staff)
    with django_capture_on_commit_callbacks() as callbacks, travel("2023-05-05T10:00"):
        services.feedback_answer(staff[1], item.pk, answer=ANSWER)
        assert sms.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    [(phone, text)] = sms.outbox
    assert phone.endswith("912345678")
    assert item.code in text and "da duoc tra loi" in text
    assert f"https://dichvucong.example.vn/hoi-dap/tra-cuu/?so={item.code}" in text
    assert len(text) <= 160 and text == text.encode("ascii", "replace").decode()  # one GSM-7 SMS


def test_the_answer_itself_reaches_an_email_address(staff, django_capture_on_commit_callbacks):
    item = assigned(staff, sender_contact="an.nguyen@example.vn")
    with django_capture_on_commit_callbacks(execute=True), travel("2023-05-05T10:00"):
        services.feedback_answer(staff[1], item.pk, answer=ANSWER)
    [message] = mail.outbox
    assert message.to == ["an.nguyen@example.vn"]
    assert item.code in message.subject
    assert ANSWER in message.body and "Nguyễn Văn An" in message.body
    assert f"/hoi-dap/tra-cuu/?so={item.code}" in message.body
    assert sms.outbox == []


def test_an_action_that_rolls_back_tells_nobody(staff, django_capture_on_commit_callbacks):
    item = assigned(staff)
    with (
        django_capture_on_commit_callbacks(execute=True),
        travel("2023-05-05T10:00"),
        transaction.atomic(),
    ):
        services.feedback_answer(staff[1], item.pk, answer=ANSWER)
        transaction.set_rollback(True)
    assert sms.outbox == [] and not Notification.objects.filter(reference=item.code).exists()


def test_refusal_and_request_for_more_carry_the_officers_words(
    staff, django_capture_on_commit_callbacks
):
    leader, _ = staff
    refused = received(suffix="r", sender_contact="binh@example.vn")
    asked = received(suffix="s")
    with django_capture_on_commit_callbacks(execute=True), travel("2023-04-28T09:00"):
        services.feedback_refuse(leader, refused.pk, reason="Nội dung không thuộc thẩm quyền Sở.")
        services.feedback_request_supplement(
            leader, asked.pk, request_text="Cho biết mã hồ sơ và ngày nộp."
        )
    assert "Nội dung không thuộc thẩm quyền Sở." in mail.outbox[0].body
    assert "Cho biet ma ho so va ngay nop." in sms.outbox[0][1]


def test_publication_is_told_once_and_a_repeat_sends_nothing_more(
    staff, django_capture_on_commit_callbacks
):
    leader, officer = staff
    item = assigned(staff)
    with django_capture_on_commit_callbacks(execute=True), travel("2023-05-05T10:00"):
        services.feedback_answer(officer, item.pk, answer=ANSWER)
        services.feedback_publish(leader, item.pk, public_question="Bao giờ có phiếu lý lịch?")
    assert len(sms.outbox) == 2 and "cong khai" in sms.outbox[1][1]
    from motcua.feedback.sender_messages import sender_notify

    with django_capture_on_commit_callbacks(execute=True):
        sender_notify(item, "publish")  # a second code path for the same event
    assert len(sms.outbox) == 2
    assert Notification.objects.filter(reference=item.code).count() == 2


def test_receiving_and_assigning_send_nothing(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assigned(staff)
    assert sms.outbox == [] and mail.outbox == []
