"""The dossier services: reception, the actions of the workflow table, pauses, rescheduling."""

import multiprocessing
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.db.models import F

from motcua.accounts.roles import Role
from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import (
    ApplicantData,
    ComponentData,
    IntakeData,
    dossier_act,
    dossier_receive,
)
from motcua.notifications.models import Notification
from tests.accounts.factories import UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FORM = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"


def at(text):
    return datetime.fromisoformat(text + "+07:00")


def intake(**overrides):
    data = IntakeData(
        procedure_code="2.001417",
        applicant=ApplicantData(
            full_name="Nguyễn Thị Hương",
            citizen_id="042190001234",
            phone="0912345678",
            address_line="Phường Thành Sen, Hà Tĩnh",
        ),
        components=[ComponentData(FORM, "original", 1)],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def receive(desk, when="2024-04-26T16:00", **overrides):
    with time_machine.travel(at(when), tick=False):
        return dossier_receive(desk["desk"], intake(**overrides))


def act(user, dossier, action, when, **params):
    dossier.refresh_from_db()
    with time_machine.travel(at(when), tick=False):
        return dossier_act(user, dossier.pk, action, expected_revision=dossier.revision, **params)


def test_reception_gives_code_due_steps_history_and_tells_the_applicant(desk):
    dossier = receive(desk)
    # 10 working days = 80 h from Fri 26/04/2024 16:00, across the 29/04–01/05 break and the worked
    # Saturday 04/05: 1,5 h on 26/04, then 02, 03, 04, 06, 07, 08, 09, 10, 13/05 (72 h, 6,5 left),
    # Tue 14/05: 4 h + 2,5 h -> 16:00.
    assert dossier.code == "000.00.40.H27-240426-0001"
    assert dossier.due_at == dossier.due_at_original == at("2024-05-14T16:00")
    assert dossier.status == "received" and dossier.national_status == 2
    steps = list(dossier.steps.values_list("name", "budget_hours"))
    assert [name for name, _ in steps] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định, xác minh",
        "Lãnh đạo Sở ký",
        "Trả kết quả",
    ]
    first = dossier.steps.first()
    assert first.started_at == at("2024-04-26T16:00") and first.due_at == at("2024-05-02T10:00")
    assert list(dossier.events.values_list("action", "to_status")) == [("received", "received")]
    assert Notification.objects.get().to == "0912345678"


def test_the_whole_way_to_return(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    act(desk["desk"], dossier, "return_result", "2024-05-09T14:00")
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.national_status == 10
    assert dossier.finished_at == at("2024-05-09T09:00") and dossier.returned_at == at(
        "2024-05-09T14:00"
    )
    history = list(
        dossier.events.values_list("action", "from_status", "to_status", "actor__username")
    )
    assert history == [
        ("received", "", "received", "motcua"),
        ("assign", "received", "in_progress", "truongphong"),
        ("submit_for_signature", "in_progress", "awaiting_signature", "chuyenvien"),
        ("approve", "awaiting_signature", "finished", "giamdoc"),
        ("return_result", "finished", "returned", "motcua"),
    ]
    finished = DossierStep.objects.filter(dossier=dossier, finished_at__isnull=False).count()
    assert finished == 4


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"components": []}, "components"),
        ({"channel": "fax"}, "channel"),
        (
            {"return_channel": "online"},
            "return_channel",
        ),  # this procedure returns at the desk or by post
        ({"dossier_sets": 0}, "dossier_sets"),
        ({"applicant": ApplicantData(full_name="A", citizen_id="12345")}, "citizen_id"),
        ({"applicant": ApplicantData(full_name=" ", citizen_id="042190001234")}, "full_name"),
    ],
)
def test_bad_intake_is_refused_and_nothing_is_created(desk, overrides, field):
    with pytest.raises(ValidationError) as error:
        receive(desk, **overrides)
    assert field in error.value.message_dict
    assert not Dossier.objects.exists() and not DailySequence.objects.exists()
    assert not Notification.objects.exists()


def test_only_the_desk_receives(desk):
    with pytest.raises(PermissionDenied), time_machine.travel(at("2024-04-26T09:00")):
        dossier_receive(desk["specialist"], intake())
    assert not Dossier.objects.exists()


def test_an_action_on_an_outdated_page_is_refused(desk):
    dossier = receive(desk)
    stale_revision = dossier.revision
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    with pytest.raises(ValidationError) as error:
        dossier_act(
            desk["head"],
            dossier.pk,
            "assign",
            expected_revision=stale_revision,
            assignee_id=desk["head"].pk,
        )
    assert "vừa được người khác cập nhật" in error.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.assignee == desk["specialist"] and dossier.events.count() == 2


def test_a_role_cannot_take_an_action_the_table_forbids(desk):
    dossier = receive(desk)
    before = dossier.events.count()
    with pytest.raises(PermissionDenied):
        act(desk["desk"], dossier, "approve", "2024-04-29T09:00")
    with pytest.raises(PermissionDenied):
        act(
            desk["specialist"],
            dossier,
            "assign",
            "2024-04-29T09:00",
            assignee_id=desk["specialist"].pk,
        )
    dossier.refresh_from_db()
    assert dossier.status == "received" and dossier.events.count() == before


def test_officers_of_other_units_cannot_see_or_act(desk):
    dossier = receive(desk)
    outsider = UserFactory(role=Role.DIVISION_HEAD)  # a division of another agency
    with pytest.raises(PermissionDenied) as error:
        act(outsider, dossier, "assign", "2024-05-02T08:00", assignee_id=outsider.pk)
    assert "không có quyền" in str(error.value)
    with pytest.raises(PermissionDenied):
        dossier_act(desk["head"], 999999, "assign", expected_revision=0)


def test_supplement_pauses_the_clock_and_resumes_or_restarts(desk):
    dossier = receive(desk, when="2024-05-06T07:30")  # due 10 days later: Fri 17/05 17:30
    assert dossier.due_at == at("2024-05-17T17:30")
    act(desk["head"], dossier, "assign", "2024-05-06T07:30", assignee_id=desk["specialist"].pk)
    with pytest.raises(ValidationError):
        act(desk["specialist"], dossier, "request_supplement", "2024-05-06T13:30", reason="  ")
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-06T13:30",
        reason="Thiếu bản sao CCCD",
    )
    dossier.refresh_from_db()
    assert (
        dossier.status == "supplement_requested"
        and dossier.national_status == 5
        and dossier.due_at is None
    )
    # Back Wed 08/05 09:30: the pause covered Mon 13:30–17:30, Tue, Wed 07:30–09:30 = 14 h, so the
    # due instant moves 14 working hours: Fri 17/05 17:30 + 14 h = Tue 21/05 15:30.
    act(desk["desk"], dossier, "supplement_received", "2024-05-08T09:30")
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.due_at == at("2024-05-21T15:30")
    assert dossier.supplement_requests == 1
    # A second request, answered with a restart from zero (Decree 61 art. 19.4): 80 h from Thu 09/05 08:00.
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-08T14:00",
        reason="Hồ sơ chưa hợp lệ",
    )
    act(desk["desk"], dossier, "supplement_received", "2024-05-09T08:00", restart=True)
    dossier.refresh_from_db()
    assert dossier.due_at == at("2024-05-23T08:00") and dossier.supplement_requests == 2


def test_reschedule_once_and_at_least_a_working_day_ahead(desk):
    dossier = receive(desk, when="2024-05-06T07:30")  # due Fri 17/05 17:30
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    with pytest.raises(
        ValidationError
    ):  # Fri 17/05 09:30 is less than a working day before the deadline
        act(
            desk["head"],
            dossier,
            "reschedule",
            "2024-05-17T09:30",
            new_due=at("2024-05-24T17:30"),
            reason="Chờ xác minh",
        )
    with pytest.raises(ValidationError):  # the new date must be later
        act(
            desk["head"],
            dossier,
            "reschedule",
            "2024-05-15T09:30",
            new_due=at("2024-05-16T17:30"),
            reason="Chờ xác minh",
        )
    act(
        desk["head"],
        dossier,
        "reschedule",
        "2024-05-15T09:30",
        new_due=at("2024-05-24T17:30"),
        reason="Chờ xác minh",
    )
    dossier.refresh_from_db()
    assert dossier.due_at == at("2024-05-24T17:30") and dossier.due_at_original == at(
        "2024-05-17T17:30"
    )
    with pytest.raises(ValidationError) as error:
        act(
            desk["head"],
            dossier,
            "reschedule",
            "2024-05-16T09:30",
            new_due=at("2024-05-28T17:30"),
            reason="Lần hai",
        )
    assert "một lần" in error.value.messages[0]


def test_history_is_append_only(desk):
    dossier = receive(desk)
    event = dossier.events.get()
    event.note = "sửa lịch sử"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(dossier=dossier).update(note="x")
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(dossier=dossier).delete()
    assert DossierEvent.objects.get().note != "sửa lịch sử"


def _assign_in_process(dossier_id, revision, head_id, assignee_id, queue):
    connections.close_all()
    from motcua.accounts.models import User

    try:
        dossier_act(
            User.objects.get(pk=head_id),
            dossier_id,
            "assign",
            expected_revision=revision,
            assignee_id=assignee_id,
        )
        queue.put("ok")
    except ValidationError as exc:
        queue.put(exc.messages[0])
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs a server database shared by processes (runs on PostgreSQL in CI)",
)
def test_two_officers_at_the_same_moment_one_wins_the_other_is_told(desk):
    dossier = receive(desk)
    other_head = UserFactory(role=Role.DIVISION_HEAD, unit=desk["units"]["division"])
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [
        ctx.Process(
            target=_assign_in_process,
            args=(dossier.pk, dossier.revision, head.pk, desk["specialist"].pk, queue),
        )
        for head in (desk["head"], other_head)
    ]
    for w in workers:
        w.start()
    results = sorted(queue.get(timeout=60) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    assert (
        results[0] != "ok" and "vừa được người khác cập nhật" in results[0] and results[1] == "ok"
    )
    assert Dossier.objects.get(pk=dossier.pk).events.count() == 2


def test_accepting_an_online_dossier_gives_code_appointment_and_steps(desk):
    from motcua.catalog.selectors import version_in_force
    from motcua.dossiers.models import Applicant

    version = version_in_force("2.001417", at("2024-04-26T09:00"))
    applicant = Applicant.objects.create(full_name="Lê Văn Nam", citizen_id="042090001234")
    online = Dossier.objects.create(
        procedure_version=version,
        receiving_unit=version.receiving_unit,
        applicant=applicant,
        applicant_name=applicant.full_name,
        channel="online",
        status="submitted_online",
        submitted_at=at("2024-04-26T20:00"),
    )
    assert online.code is None and online.national_status == 1
    act(desk["desk"], online, "accept", "2024-05-02T07:30")
    online.refresh_from_db()
    # 80 h from Thu 02/05 07:30: 02, 03, Sat 04 (worked), 06, 07, 08, 09, 10, 13, 14/05 -> Tue 14/05 17:30.
    assert online.code == "000.00.40.H27-240502-0001" and online.status == "received"
    assert online.due_at == at("2024-05-14T17:30") and online.steps.count() == 4


def _receive_in_process(desk_id, count, queue):
    connections.close_all()
    from motcua.accounts.models import User

    officer = User.objects.get(pk=desk_id)
    codes = []
    for _ in range(count):
        with time_machine.travel(at("2024-04-26T09:00"), tick=False):
            codes.append(dossier_receive(officer, intake()).code)
    queue.put(codes)
    connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs a server database shared by processes (runs on PostgreSQL in CI)",
)
def test_eight_processes_receiving_dossiers_get_unique_gapless_codes(desk):
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [
        ctx.Process(target=_receive_in_process, args=(desk["desk"].pk, 10, queue)) for _ in range(8)
    ]
    for w in workers:
        w.start()
    codes = [code for _ in workers for code in queue.get(timeout=120)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 81))
    assert Dossier.objects.count() == 80 and all(
        c.startswith("000.00.40.H27-240426-") for c in codes
    )


def test_send_back_runs_the_previous_step_again(desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T08:00")
    with pytest.raises(ValidationError):
        act(desk["leader"], dossier, "send_back", "2024-05-08T09:00", reason="")
    act(desk["leader"], dossier, "send_back", "2024-05-08T09:00", reason="Xác minh lại nơi cư trú")
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.current_step.name == "Thẩm định, xác minh"
    assert dossier.current_step.finished_at is None and dossier.current_step.started_at == at(
        "2024-05-08T09:00"
    )
    assert dossier.current_step.assignee == desk["specialist"]
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-09T08:00")
    dossier.refresh_from_db()
    signing = dossier.current_step
    assert signing.name == "Lãnh đạo Sở ký" and signing.finished_at is None
    assert signing.started_at == at("2024-05-09T08:00")


def test_consultation_with_a_deadline_and_its_answer(desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    police = desk["units"]["police"]
    before = dossier.events.count()
    with pytest.raises(ValidationError):  # no unit chosen
        act(desk["specialist"], dossier, "consult", "2024-05-06T09:00", reason="Xác minh án tích")
    with pytest.raises(ValidationError):  # a deadline of zero
        act(
            desk["specialist"],
            dossier,
            "consult",
            "2024-05-06T09:00",
            reason="x",
            unit_id=police.pk,
            working_hours="0",
        )
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.events.count() == before
    act(
        desk["specialist"],
        dossier,
        "consult",
        "2024-05-06T09:00",
        reason="Xác minh án tích",
        unit_id=police.pk,
        working_hours="16",
    )
    consultation = dossier.consultations.get()
    # 16 working hours from Mon 06/05 09:00: 6,5 h Mon, 8 h Tue, Wed 07:30 + 1,5 h = 09:00.
    assert consultation.unit == police and consultation.due_at == at("2024-05-08T09:00")
    with pytest.raises(ValidationError):
        act(desk["specialist"], dossier, "consultation_answered", "2024-05-08T10:00", note="")
    act(
        desk["specialist"],
        dossier,
        "consultation_answered",
        "2024-05-08T10:00",
        note="Không có án tích",
    )
    consultation.refresh_from_db()
    assert consultation.answer == "Không có án tích" and consultation.answered_late
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert (
        dossier.events.order_by("-at", "-pk").first().note == "Không có án tích (trả lời quá hạn)"
    )


def _insert_head_review(dossier):
    """A head's review step between the specialist's and the leader's (the demo's processes)."""
    dossier.steps.filter(order__gte=3).update(order=F("order") + 10)
    DossierStep.objects.create(
        dossier=dossier,
        order=3,
        name="Lãnh đạo phòng xem xét",
        role="division_head",
        budget_hours=4,
    )


def test_the_assignee_does_not_carry_into_a_step_of_another_role(desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    _insert_head_review(dossier)
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "complete_step", "2024-05-07T08:00")  # into the head's review
    dossier.refresh_from_db()
    step = dossier.current_step
    assert step.name == "Lãnh đạo phòng xem xét"
    assert step.assignee is None and dossier.assignee == desk["specialist"]


def test_the_table_decides_who_is_told(desk):
    from motcua.notifications.models import Notification

    for person, email in (
        (desk["desk"], "motcua@stp.vn"),
        (desk["specialist"], "cv@stp.vn"),
        (desk["head"], "tp@stp.vn"),
    ):
        person.email = email
        person.save()
    dossier = receive(desk, when="2024-05-06T07:30")
    Notification.objects.all().delete()
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    # The applicant hears of the national status change (2 → 4) too, the assignee of the work.
    assert sorted(Notification.objects.values_list("channel", "to")) == [
        ("email", "cv@stp.vn"),
        ("sms", "0912345678"),
    ]
    Notification.objects.all().delete()
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-06T09:00",
        reason="Thiếu bản sao CCCD",
    )
    told = sorted(Notification.objects.values_list("channel", "to"))
    assert told == [
        ("email", "motcua@stp.vn"),
        ("sms", "0912345678"),
    ]  # applicant and desk, as the table says
    sms = Notification.objects.get(channel="sms")
    assert sms.body == (  # GSM-7 (no accents): one SMS of 160 characters, not three of 70
        "Ho so 000.00.40.H27-240506-0001 can bo sung (mot lan, day du): Thieu ban sao CCCD "
        "http://127.0.0.1:8000/cong-dan/tra-cuu/000.00.40.H27-240506-0001/"
    )
    Notification.objects.all().delete()
    act(desk["desk"], dossier, "supplement_received", "2024-05-07T09:00")
    assert sorted(Notification.objects.values_list("to", flat=True)) == ["0912345678", "cv@stp.vn"]
