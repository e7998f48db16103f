"""PAKN services: receipt and deadlines in working days, the workflow table, bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.roles import STAFF_ROLES, Role
from motcua.feedback import services
from motcua.feedback.models import Channel, Feedback, FeedbackEvent
from motcua.feedback.workflow import TRANSITIONS, Status, allowed_actions
from tests.accounts.factories import UserFactory

from .helpers import at, data, received, travel

pytestmark = pytest.mark.django_db


def test_receipt_number_and_deadlines_follow_the_2023_calendar():
    # Thu 27/4/2023 09:00; 28/4 works; 29/4–3/5 are days off (Giỗ Tổ, 30/4, 1/5 and swaps).
    item = received("2023-04-27T09:00")
    assert item.code == "PAKN-2023-0001"
    assert item.status == Status.RECEIVED
    assert item.refuse_due == at("2023-05-04T09:00")  # 2 working days
    assert item.supplement_due == at("2023-05-09T09:00")  # 5
    assert item.settle_due == at("2023-05-23T09:00")  # 15
    assert list(item.events.values_list("action", "to_status")) == [("receive", "received")]
    second = received("2023-04-28T10:00", suffix="2")
    assert second.code == "PAKN-2023-0002"


def test_same_token_twice_registers_once():
    first = received(suffix="same")
    again = received(suffix="same")
    assert again.pk == first.pk
    assert Feedback.objects.count() == 1
    assert FeedbackEvent.objects.count() == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("sender_name", "  "),
        ("sender_contact", "goi cho toi"),
        ("sender_contact", "12345"),
        ("title", ""),
        ("content", "ngắn quá"),
        ("content", "x" * 5001),
        ("dossier_code", "000.00.12.H27-230427-0001; drop table"),
        ("channel", "fax"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(field, value):
    with pytest.raises(ValidationError) as error, travel("2023-04-27T09:00"):
        services.feedback_receive(None, data(**{field: value}))
    assert field in error.value.message_dict
    assert error.value.message_dict[field][0][0].isupper()
    assert Feedback.objects.count() == 0


def test_desk_hotline_and_email_intake_need_staff():
    citizen = UserFactory(citizen=True)
    with pytest.raises(PermissionDenied), travel("2023-04-27T09:00"):
        services.feedback_receive(citizen, data(channel=Channel.HOTLINE))
    desk = UserFactory(role=Role.DESK_OFFICER)
    item = received(actor=desk, channel=Channel.HOTLINE, suffix="h")
    assert item.received_by == desk and item.channel == Channel.HOTLINE


def test_the_whole_way_to_publication():
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    officer = UserFactory(role=Role.SPECIALIST)
    item = received("2023-04-27T09:00")
    with travel("2023-04-28T08:00"):
        services.feedback_assign(
            leader, item.pk, classification="regulation", assignee_id=officer.pk
        )
    with travel("2023-05-05T10:00"):
        item = services.feedback_answer(officer, item.pk, answer="Hồ sơ đã được trả ngày 05/5.")
    # Publish ≤ 2 working days after the answer: Fri 05/5 10:00 → Tue 09/5 10:00 (6, 7/5 weekend).
    assert item.publish_due == at("2023-05-09T10:00")
    assert item.status == Status.ANSWERED
    with travel("2023-05-08T08:00"):
        item = services.feedback_publish(
            leader, item.pk, public_question="Thời hạn cấp phiếu lý lịch tư pháp là bao lâu?"
        )
    assert item.status == Status.PUBLISHED
    assert item.unit_id == officer.unit_id
    assert list(item.events.values_list("action", flat=True)) == [
        "receive",
        "assign",
        "answer",
        "publish",
    ]
    # Publishing twice (a double click) says why and changes nothing.
    with pytest.raises(ValidationError, match="Đã công khai"), travel("2023-05-08T08:01"):
        services.feedback_publish(leader, item.pk, public_question="Khác")
    item.refresh_from_db()
    assert item.public_question.startswith("Thời hạn") and item.events.count() == 4


def test_supplement_stops_then_restarts_the_15_days():
    officer = UserFactory(role=Role.SPECIALIST)
    item = received("2023-04-27T09:00")
    with travel("2023-05-04T08:00"):
        item = services.feedback_request_supplement(
            officer, item.pk, request_text="Xin cho biết mã hồ sơ."
        )
    assert item.status == Status.SUPPLEMENT and item.settle_due is None
    with travel("2023-05-04T09:00"), pytest.raises(ValidationError, match="Chờ bổ sung"):
        # Still waiting: the table does not allow a second request from this status…
        services.feedback_request_supplement(officer, item.pk, request_text="Lần hai")
    with travel("2023-05-10T14:00"):
        item = services.feedback_supplement_received(officer, item.pk, note="Mã hồ sơ 0001")
    assert item.status == Status.PROCESSING
    # 15 working days from Wed 10/5 14:00 → Wed 31/5 14:00.
    assert item.settle_due == at("2023-05-31T14:00")
    with travel("2023-05-11T09:00"), pytest.raises(ValidationError, match="một lần"):
        services.feedback_request_supplement(officer, item.pk, request_text="Lần hai")


def test_refusal_needs_a_reason_and_nothing_changes_without_one():
    officer = UserFactory(role=Role.DESK_OFFICER)
    item = received()
    with pytest.raises(ValidationError) as error:
        services.feedback_refuse(officer, item.pk, reason="   ")
    assert "reason" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == Status.RECEIVED and item.events.count() == 1
    item = services.feedback_refuse(officer, item.pk, reason="Không thuộc thẩm quyền của Sở.")
    assert item.status == Status.REFUSED and item.settle_due is None


def test_assign_rejects_bad_classification_and_non_staff_assignee():
    leader = UserFactory(role=Role.DIVISION_HEAD)
    citizen = UserFactory(citizen=True)
    item = received()
    with pytest.raises(ValidationError) as error:
        services.feedback_assign(leader, item.pk, classification="khac", assignee_id=citizen.pk)
    assert set(error.value.message_dict) == {"classification", "assignee"}
    item.refresh_from_db()
    assert item.status == Status.RECEIVED and item.assignee is None


def test_only_the_assignee_or_a_leader_answers():
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    officer = UserFactory(role=Role.SPECIALIST)
    other = UserFactory(role=Role.SPECIALIST)
    item = received()
    services.feedback_assign(leader, item.pk, classification="behaviour", assignee_id=officer.pk)
    with pytest.raises(PermissionDenied):
        services.feedback_answer(other, item.pk, answer="Trả lời")
    item.refresh_from_db()
    assert item.status == Status.PROCESSING and item.answer == ""
    services.feedback_answer(officer, item.pk, answer="Trả lời")


def test_citizen_cannot_act():
    item = received()
    with pytest.raises(PermissionDenied):
        services.feedback_refuse(UserFactory(citizen=True), item.pk, reason="x")


# --- The table, cell by cell -----------------------------------------------------------------


class _Person:
    def __init__(self, role, pk=1):
        self.role, self.pk = role, pk


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_allowed_actions_follow_the_table(status, role):
    allowed = {t.action for t in allowed_actions(status, _Person(role), assignee_id=None)}
    expected = {t.action for t in TRANSITIONS if status in t.sources and role in t.roles}
    assert allowed == expected


def test_table_has_the_expected_shape():
    cells = {(t.action, s) for t in TRANSITIONS for s in t.sources}
    assert ("publish", Status.ANSWERED) in cells
    assert ("publish", Status.PROCESSING) not in cells
    assert ("refuse", Status.PROCESSING) not in cells
    # A specialist answers only what is assigned to them.
    specialist = _Person(Role.SPECIALIST, pk=7)
    assert "answer" not in {t.action for t in allowed_actions(Status.PROCESSING, specialist, 8)}
    assert "answer" in {t.action for t in allowed_actions(Status.PROCESSING, specialist, 7)}
