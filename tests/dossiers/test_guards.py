"""Every guard the workflow table names is executable (motcua/dossiers/guards.py, ADR 0023): each is
in the registry, and each refuses its action with its own message and nothing changed."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.dossiers.guards import GUARDS
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services import dossier_system_act
from motcua.dossiers.workflow import SYSTEM_TRANSITIONS, TRANSITIONS
from motcua.notifications.models import Notification
from tests.dossiers.test_services import _insert_head_review, act, at, receive


def test_every_guard_the_table_names_is_in_the_registry():
    named = {t.guard for t in TRANSITIONS + SYSTEM_TRANSITIONS if t.guard}
    assert named <= set(GUARDS), f"guards without a check: {named - set(GUARDS)}"
    assert set(GUARDS) <= named, f"checks no transition uses: {set(GUARDS) - named}"
    for name, guard in GUARDS.items():
        assert callable(guard.check) and guard.message.strip(), name


def snapshot(dossier) -> tuple:
    """Everything an action could change: the row, its steps, history, pauses, lists, messages."""
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.revision,
        dossier.current_step_id,
        dossier.due_at,
        dossier.finished_at,
        dossier.returned_at,
        dossier.rescheduled_at,
        dossier.supplement_requests,
        list(
            dossier.steps.order_by("order").values_list(
                "order", "started_at", "finished_at", "assignee_id"
            )
        ),
        dossier.events.count(),
        dossier.pauses.count(),
        dossier.supplement_lists.count(),
        dossier.consultations.count(),
        Notification.objects.count(),
    )


def assigned(desk, when="2024-05-06T07:30"):
    dossier = receive(desk, when=when)
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    return dossier


def refused(dossier, message, attempt):
    before = snapshot(dossier)
    with pytest.raises(ValidationError) as caught:
        attempt()
    assert message in " ".join(caught.value.messages)
    assert snapshot(dossier) == before


# --- one refusal per guard ------------------------------------------------------------------------


def case_reason_required(desk):
    dossier = assigned(desk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00")
    refused(
        dossier,
        "Hãy ghi rõ lý do.",
        lambda: act(desk["leader"], dossier, "send_back", "2024-05-08T09:00", reason="  "),
    )


def case_supplement_listed(desk):
    dossier = assigned(desk)
    refused(
        dossier,
        "Hãy đánh dấu giấy tờ cần bổ sung hoặc ghi rõ nội dung",
        lambda: act(
            desk["specialist"],
            dossier,
            "request_supplement",
            "2024-05-06T09:00",
            papers=["", " "],
            reason=" ",
        ),
    )


def case_has_next_step(desk):
    dossier = assigned(desk)  # at "Thẩm định, xác minh"; the next step is the leader's signature
    refused(
        dossier,
        "Bước “Thẩm định, xác minh” là bước xử lý cuối cùng trước bước ký duyệt",
        lambda: act(desk["specialist"], dossier, "complete_step", "2024-05-07T08:00"),
    )


def case_is_last_processing_step(desk):
    """The reported defect: the dossier sits at the leader's step (as complete_step used to leave
    it) and the specialist submits: the leader's step would be closed by the specialist."""
    dossier = assigned(desk)
    leader_step = dossier.steps.get(name="Lãnh đạo Sở ký")
    dossier.steps.filter(name="Thẩm định, xác minh").update(finished_at=at("2024-05-07T08:00"))
    DossierStep.objects.filter(pk=leader_step.pk).update(started_at=at("2024-05-07T08:00"))
    Dossier.objects.filter(pk=dossier.pk).update(current_step=leader_step)
    refused(
        dossier,
        "Chỉ trình ký được khi hồ sơ ở bước xử lý cuối cùng trước bước ký duyệt; "
        "hồ sơ đang ở bước “Lãnh đạo Sở ký”.",
        lambda: act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00"),
    )


def case_once_and_one_working_day_before_due(desk):
    dossier = assigned(desk)  # due Fri 17/05 17:30
    refused(
        dossier,
        "Chỉ được xin lỗi và hẹn lại ngày trả một lần",
        lambda: act(
            desk["head"],
            dossier,
            "reschedule",
            "2024-05-17T09:30",
            new_due=at("2024-05-24T17:30"),
            reason="Chờ xác minh",
        ),
    )
    act(
        desk["head"],
        dossier,
        "reschedule",
        "2024-05-15T09:30",
        new_due=at("2024-05-24T17:30"),
        reason="Chờ xác minh",
    )
    refused(  # a second time
        dossier,
        "Chỉ được xin lỗi và hẹn lại ngày trả một lần",
        lambda: act(
            desk["head"],
            dossier,
            "reschedule",
            "2024-05-16T09:30",
            new_due=at("2024-05-31T17:30"),
            reason="Chờ xác minh lần nữa",
        ),
    )


def case_returned_by_post(desk):
    dossier = assigned(desk)  # returned at the desk, not by post
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    act(desk["desk"], dossier, "return_result", "2024-05-09T14:00")

    def attempt():
        with time_machine.travel(at("2024-05-10T09:00"), tick=False):
            dossier_system_act(dossier.pk, "mail_returned", reason="Không có người nhận")

    refused(dossier, "Kết quả của hồ sơ này không được gửi qua bưu chính.", attempt)


def case_charge_paid_in_full(desk):
    dossier = assigned(desk)
    act(desk["specialist"], dossier, "request_payment", "2024-05-06T09:00")

    def attempt():
        with time_machine.travel(at("2024-05-06T10:00"), tick=False):
            dossier_system_act(dossier.pk, "payment_settled", reason="Đã nhận 200.000 đồng")

    refused(dossier, "Hồ sơ chưa nộp đủ phí, lệ phí qua ngân hàng.", attempt)


def case_handed_to_applicant(desk):
    dossier = assigned(desk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    # As dossiers_services.dossier_receive_from_agency records one another agency sent over.
    Dossier.objects.filter(pk=dossier.pk).update(channel="lienthong", return_channel="")
    refused(
        dossier,
        "kết quả tự động gửi về cơ quan đã chuyển hồ sơ",
        lambda: act(desk["desk"], dossier, "return_result", "2024-05-09T14:00"),
    )


def case_received_through_lienthong(desk):
    dossier = assigned(desk)  # received at our desk
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")

    def attempt():
        with time_machine.travel(at("2024-05-09T14:00"), tick=False):
            dossier_system_act(dossier.pk, "result_sent_to_agency", reason="Đã gửi")

    refused(dossier, "Chỉ hồ sơ nhận liên thông từ cơ quan khác", attempt)


CASES = {
    "reason_required": case_reason_required,
    "supplement_listed": case_supplement_listed,
    "has_next_step": case_has_next_step,
    "is_last_processing_step": case_is_last_processing_step,
    "once_and_one_working_day_before_due": case_once_and_one_working_day_before_due,
    "returned_by_post": case_returned_by_post,
    "charge_paid_in_full": case_charge_paid_in_full,
    "handed_to_applicant": case_handed_to_applicant,
    "received_through_lienthong": case_received_through_lienthong,
}


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_each_guard_refuses_with_its_message_and_changes_nothing(desk, name):
    assert name in CASES, f"guard {name} has no negative test"
    CASES[name](desk)


def test_liaison_from_the_page_needs_its_reason(desk):
    dossier = assigned(desk)
    police = desk["units"]["police"]
    refused(
        dossier,
        "Hãy ghi rõ lý do.",
        lambda: act(
            desk["specialist"],
            dossier,
            "route_inter_agency",
            "2024-05-06T09:00",
            unit_id=police.pk,
            working_hours="16",
        ),
    )
    act(
        desk["specialist"],
        dossier,
        "route_inter_agency",
        "2024-05-06T09:00",
        unit_id=police.pk,
        working_hours="16",
        reason="Đề nghị Công an tỉnh xác minh nhân thân",
    )
    dossier.refresh_from_db()
    assert dossier.status == "inter_agency"


def test_the_head_submits_from_the_last_processing_step(desk):
    """With a head's review before the leader's signature, the specialist completes the step and
    the head submits; submitting from the specialist's step is refused."""
    dossier = receive(desk, when="2024-05-06T07:30")
    _insert_head_review(dossier)
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    refused(
        dossier,
        "hồ sơ đang ở bước “Thẩm định, xác minh”",
        lambda: act(desk["specialist"], dossier, "submit_for_signature", "2024-05-07T08:00"),
    )
    act(desk["specialist"], dossier, "complete_step", "2024-05-07T08:00")
    act(desk["head"], dossier, "submit_for_signature", "2024-05-07T10:00", note="Đủ điều kiện")
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_signature"
    assert (
        dossier.current_step.name == "Lãnh đạo Sở ký" and dossier.current_step.finished_at is None
    )
