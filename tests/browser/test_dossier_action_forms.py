"""Every action form of the officer's dossier page against the workflow table, in a real browser:
for each transition a dossier is put in a source state through the services, the right officer opens
the page (1366×768), fills the action's form with what the service requires and submits, and the
service must have accepted it (the status moved, the page says what was done). A form that lacks a
field its service requires — as "Chuyển liên thông" lacked its reason — fails here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.catalog.selectors import version_in_force
from motcua.core.clock import now
from motcua.dossiers.models import Applicant, Dossier
from motcua.dossiers.services import dossier_act, dossier_receive
from motcua.dossiers.workflow import DONE_TEXT, TRANSITIONS, Status
from tests.dossiers.test_services import _insert_head_review, intake

from .helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser

OFFICER_VIEWPORT = {"width": 1366, "height": 768}
ROLE_ORDER = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
SOURCE_ORDER = (
    Status.SUBMITTED_ONLINE,
    Status.INTAKE_SUPPLEMENT,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.CONSULTING,
    Status.INTER_AGENCY,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.AWAITING_SIGNATURE,
    Status.FINISHED,
    Status.REFUSED,
)
# The moves that lead from an assigned dossier to each later status (actor role, action, params).
AFTER_ASSIGN = {
    Status.IN_PROGRESS: [],
    Status.CONSULTING: [("specialist", "consult", {"reason": "Xin ý kiến"})],
    Status.INTER_AGENCY: [("specialist", "route_inter_agency", {"reason": "Liên thông"})],
    Status.SUPPLEMENT_REQUESTED: [("specialist", "request_supplement", {"reason": "Thiếu ảnh"})],
    Status.AWAITING_PAYMENT: [("specialist", "request_payment", {})],
    Status.AWAITING_SIGNATURE: [("specialist", "submit_for_signature", {})],
    Status.FINISHED: [("specialist", "submit_for_signature", {}), ("leader", "approve", {})],
    Status.REFUSED: [
        ("specialist", "submit_for_signature", {}),
        ("leader", "refuse", {"reason": "x"}),
    ],
}
AXE_CHECKED = ("approve", "request_supplement")
OFFICER_TRANSITIONS = [t for t in TRANSITIONS if set(t.roles) & set(ROLE_ORDER)]


def _step(dossier, actor, action, **params):
    dossier.refresh_from_db()
    return dossier_act(actor, dossier.pk, action, expected_revision=dossier.revision, **params)


def _online(people) -> Dossier:
    version = version_in_force("2.001417", now())
    applicant = Applicant.objects.create(full_name="Lê Văn Nam", citizen_id="042090001234")
    return Dossier.objects.create(
        procedure_version=version,
        receiving_unit=version.receiving_unit,
        applicant=applicant,
        applicant_name=applicant.full_name,
        channel="online",
        status=Status.SUBMITTED_ONLINE,
        submitted_at=now() - timedelta(hours=1),
    )


def dossier_in(status: Status, people, *, head_review=False) -> Dossier:
    """A dossier brought to `status` through the services, as officers would."""
    if status in (Status.SUBMITTED_ONLINE, Status.INTAKE_SUPPLEMENT):
        dossier = _online(people)
        if status == Status.INTAKE_SUPPLEMENT:
            _step(dossier, people["desk"], "request_intake_supplement", reason="Tờ khai chưa ký")
        return dossier
    dossier = dossier_receive(people["desk"], intake())
    if status == Status.RECEIVED:
        return dossier
    if head_review:
        _insert_head_review(dossier)
    _step(dossier, people["head"], "assign", assignee_id=people["specialist"].pk)
    police = people["units"]["police"].pk
    for who, action, params in AFTER_ASSIGN[status]:
        if action in ("consult", "route_inter_agency"):
            params = {**params, "unit_id": police}
        _step(dossier, people[who], action, **params)
    dossier.refresh_from_db()
    assert dossier.status == status
    return dossier


def _officer_for(transition, people):
    role = next(r for r in ROLE_ORDER if r in transition.roles)
    return next(p for p in people.values() if getattr(p, "role", None) == role)


def _fill(form, transition, dossier) -> None:
    """What the service requires for this action, typed into the form's own fields."""
    action = transition.action
    if action == "assign":
        form.locator("select[name=assignee_id]").select_option(label="Phạm Thị Xử Lý")
    if action in ("consult", "route_inter_agency"):
        form.locator("select[name=unit_id]").select_option(label="Công an tỉnh Hà Tĩnh")
        form.locator("input[name=working_hours]").fill("16")
    if action in ("consultation_answered", "inter_agency_returned"):
        form.locator("textarea[name=note]").fill("Đã có kết quả xác minh")
    if transition.guard == "supplement_listed":
        form.locator("input[name=paper]").first.check()
        form.locator("textarea[name=reason]").fill("Ảnh chụp mờ")
    if transition.guard == "reason_required" or action == "reschedule":
        form.locator("textarea[name=reason]").fill("Lý do ghi rõ cho thao tác")
    if action == "reschedule":
        later = timezone.localtime(dossier.due_at) + timedelta(days=7)
        form.locator("input[name=new_due]").fill(f"{later:%Y-%m-%dT%H:%M}")
    if action == "submit_for_signature":
        form.locator("textarea[name=note]").fill("Đủ điều kiện, đề nghị ký")


@pytest.mark.parametrize("transition", OFFICER_TRANSITIONS, ids=lambda t: t.action)
def test_each_action_form_is_accepted_by_its_service(page, people, transition):
    page.set_viewport_size(OFFICER_VIEWPORT)
    page.set_default_timeout(4_000)
    source = next(s for s in SOURCE_ORDER if s in transition.sources)
    dossier = dossier_in(source, people, head_review=transition.action == "complete_step")
    events_before = dossier.events.count()
    officer = _officer_for(transition, people)
    sign_in(page, officer)
    page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    form = page.locator(f'form[data-action="{transition.action}"]')
    fold = page.locator(f'details:has(form[data-action="{transition.action}"]) > summary')
    if fold.count():
        fold.click()
    if transition.action in AXE_CHECKED:  # the signing page, and a page with the supplement list
        assert_no_axe_violations(page)
    _fill(form, transition, dossier)
    form.get_by_role("button", name=transition.label, exact=True).click()
    page.wait_for_load_state()

    dossier.refresh_from_db()
    content = page.content()
    assert dossier.events.count() == events_before + 1, content
    assert dossier.status == (transition.target or source), content
    code = dossier.code or f"trực tuyến #{dossier.pk}"
    assert DONE_TEXT[transition.action].format(code=code) in content


def test_the_walk_covers_every_officer_action_of_the_table():
    officer_actions = {t.action for t in TRANSITIONS if set(t.roles) - {Role.CITIZEN}}
    assert {t.action for t in OFFICER_TRANSITIONS} == officer_actions
