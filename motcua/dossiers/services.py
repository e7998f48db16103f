"""Every write to a dossier. Each service takes the acting user, runs in one transaction, locks the
dossier row, checks access and the workflow table, changes state, appends a history event and
queues notifications that leave only when the transaction commits (ARCHITECTURE.md, conventions).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.identity import citizen_id_validate
from motcua.core.text import name_key

from .changes import dossier_changed
from .codes import dossier_code_next, dossier_code_write
from .guards import guard_check
from .messages import applicant_notify, transition_notify
from .models import (
    RETURN_CHANNELS,
    Applicant,
    ApplicantChange,
    ApplicantKind,
    ChannelKind,
    Dossier,
    DossierComponent,
    DossierConsultation,
    DossierEvent,
    DossierPause,
    DossierStep,
    PauseKind,
    SupplementRequest,
)
from .permissions import MSG_NOT_ASSIGNABLE, access_dossier_for_officer, assignable_officers
from .workflow import STATUS_LABELS, SYSTEM_TRANSITIONS, Status, transition_for

MSG_STALE = (
    "Hồ sơ vừa được người khác cập nhật (trạng thái hiện tại: {status}). "
    "Vui lòng tải lại trang để xem thay đổi trước khi thao tác."
)


@dataclass
class ApplicantData:
    full_name: str
    citizen_id: str = ""
    date_of_birth: date | None = None
    kind: str = ApplicantKind.PERSON
    tax_code: str = ""
    province_code: str = ""
    ward_code: str = ""
    address_line: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class ComponentData:
    name: str
    form: str
    count: int = 1


class Resolution:
    """What the desk chose when the ID number came with another name or birth date."""

    STORED = "stored"  # a typo: the dossier takes the person as on record
    UPDATE = "update"  # the person's record is updated, with the reason recorded


@dataclass
class IntakeData:
    procedure_code: str
    applicant: ApplicantData
    components: list[ComponentData] = field(default_factory=list)
    channel: str = ChannelKind.DESK
    return_channel: str = ChannelKind.DESK
    dossier_sets: int = 1
    # Only for a desk reception that met an ApplicantConflict: Resolution.STORED or UPDATE, and
    # the reason an update of the person's record is made.
    applicant_resolution: str = ""
    applicant_change_reason: str = ""


MSG_CONFLICT_DESK = (
    "Số định danh này đã có trong hệ thống với họ tên hoặc ngày sinh khác. Hãy đối chiếu với "
    "giấy tờ tùy thân của người nộp và chọn: sửa lỗi nhập (dùng thông tin đã lưu), hoặc cập "
    "nhật thông tin người nộp và ghi rõ lý do."
)
MSG_CONFLICT_ONLINE = (
    "Họ tên hoặc ngày sinh không khớp với thông tin đã đăng ký cho số định danh cá nhân này. "
    "Ông/bà vui lòng kiểm tra lại; nếu thông tin đã thay đổi, mời ông/bà mang giấy tờ tùy thân "
    "đến Bộ phận Một cửa để cập nhật."
)
MSG_CONFLICT_ORGANISATION_ONLINE = (
    "Tên tổ chức không khớp với tên đã đăng ký cho mã số doanh nghiệp / mã số thuế này. "
    "Ông/bà vui lòng kiểm tra lại, hoặc liên hệ Bộ phận Một cửa để cập nhật."
)
MSG_REASON_REQUIRED = (
    "Hãy ghi rõ lý do cập nhật thông tin người nộp (ví dụ: đổi tên theo quyết định …)."
)
REASON_DESK_CONTACT = "Người nộp khai khi tiếp nhận hồ sơ tại Bộ phận Một cửa"
REASON_DESK_BIRTH_DATE = "Bổ sung ngày sinh khi tiếp nhận hồ sơ tại Bộ phận Một cửa"


class ApplicantConflict(ValidationError):
    """The ID number (or tax code) is on record with another name or birth date: two people, or
    a typo. Nothing was written. `stored` is the person on record, `typed` what was declared,
    `fields` the identity fields that differ."""

    code_name = "applicant_conflict"

    def __init__(
        self, message: str, *, stored: Applicant, typed: ApplicantData, fields: list, key=""
    ):
        key = key or ("tax_code" if typed.kind == ApplicantKind.ORGANISATION else "citizen_id")
        super().__init__({key: ValidationError(message, code=self.code_name)})
        self.stored, self.typed, self.fields = stored, typed, fields


# --- reception -----------------------------------------------------------------------------------


def dossier_receive(actor, data: IntakeData, *, received_at: datetime | None = None) -> Dossier:
    """Receive a complete dossier at the desk (or from the post): Decree 61/2018 art. 17.

    The code `<unit>-YYMMDD-NNNN` is taken inside this transaction; the due instant is the
    procedure's processing time counted in working hours from reception (Circular 01/2018 art. 19).
    """
    if not (actor and actor.is_active and actor.role == Role.DESK_OFFICER and actor.unit_id):
        raise PermissionDenied("Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ.")
    at = received_at or now()
    version = intake_version_validate(data, at)
    problems = applicant_errors(data.applicant)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        dossier = _received_write(
            actor,
            actor.unit,
            data,
            version,
            at,
            f"Tiếp nhận qua kênh {ChannelKind(data.channel).label.lower()}",
        )
        applicant_notify(
            dossier,
            f"Hồ sơ {dossier.code} ({version.name[:80]}) đã được tiếp nhận. "
            f"Hẹn trả kết quả: {dossier.due_at:%H:%M ngày %d/%m/%Y}.",
        )
    return dossier


def _received_write(actor, unit, data: IntakeData, version, at: datetime, note: str) -> Dossier:
    """Write a received dossier of `unit`: the person, the components, the steps (the first
    started), the "received" event and its feed row, and last the code (ADR 0005)."""
    applicant, changes = _applicant_at_desk(data)
    calendar = working_calendar_for(unit)
    due = calendar.due(at, float(version.processing_hours))
    # Written without its code: the daily number is taken last (see _intake_code_take).
    dossier = Dossier.objects.create(
        procedure_version=version,
        receiving_unit=unit,
        applicant=applicant,
        applicant_name=applicant.full_name,
        applicant_address=data.applicant.address_line.strip() or applicant.address_line,
        contact_phone=data.applicant.phone.strip(),
        contact_email=data.applicant.email.strip(),
        channel=data.channel,
        status=Status.RECEIVED,
        dossier_sets=data.dossier_sets,
        submitted_at=at,
        received_at=at,
        due_at_original=due,
        due_at=due,
        return_channel=data.return_channel,
        received_by=actor,
    )
    DossierComponent.objects.bulk_create(
        DossierComponent(dossier=dossier, order=i, name=c.name, form=c.form, count=c.count)
        for i, c in enumerate(data.components, start=1)
    )
    _applicant_changes_record(applicant, changes, actor=actor, at=at, dossier=dossier)
    dossier.current_step = _intake_steps_create(dossier, calendar, at, actor)
    _event(dossier, actor, "received", "", Status.RECEIVED, at=at, due_after=due, note=note)
    _intake_code_take(dossier, at)
    return dossier


def dossier_receive_from_agency(unit, data: IntakeData, *, note: str) -> Dossier:
    """Open a dossier of `unit` sent over by another agency (liên thông, Decree 61/2018 art. 16
    and 21; motcua.exchange.lienthong_in, ADR 0042): no desk officer takes it — the system receives
    it (actor None), `note` says from whom. The procedure must be in force and received by
    `unit`; the due instant is counted by the unit's working calendar from the version's
    processing time. The channel is LIENTHONG and the return channel empty — the result goes back
    to the sending agency by the exchange, and the citizen chose a channel there, so the version's
    channels are not checked (ADR 0044). Raises ValidationError and writes nothing otherwise."""
    if data.channel != ChannelKind.LIENTHONG or data.return_channel:
        raise ValidationError(
            {"channel": "Hồ sơ nhận liên thông có kênh “liên thông” và không có hình thức trả."}
        )
    at = now()
    try:
        version = intake_version_validate(data, at)
    except ValidationError as exc:
        errors = {
            k: v for k, v in exc.message_dict.items() if k not in ("channel", "return_channel")
        }
        if errors:
            raise ValidationError(errors) from None
        from motcua.catalog.selectors import version_in_force_shared

        version = version_in_force_shared(data.procedure_code, at.date())
    if version.receiving_unit_id != unit.pk:
        raise ValidationError(
            {
                "procedure_code": f"Thủ tục mã “{data.procedure_code}” không do {unit.name} tiếp nhận."
            }
        )
    problems = applicant_errors(data.applicant)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return _received_write(None, unit, data, version, at, note)


# --- the person on record ----------------------------------------------------------------------

IDENTITY_FIELDS = ("full_name", "date_of_birth")
CONTACT_FIELDS = ("phone", "email", "province_code", "ward_code", "address_line")
_RECORD_FIELDS = ("kind", "full_name", "tax_code", "date_of_birth", *CONTACT_FIELDS)


def applicant_identity_differences(stored: Applicant, typed: ApplicantData) -> list[str]:
    """The identity fields in which what was declared contradicts the person on record. A birth
    date missing on either side contradicts nothing."""
    differing = []
    if name_key(stored.full_name) != name_key(typed.full_name):
        differing.append("full_name")
    if stored.date_of_birth and typed.date_of_birth and stored.date_of_birth != typed.date_of_birth:
        differing.append("date_of_birth")
    return differing


def _applicant_locked(typed: ApplicantData) -> tuple[Applicant, bool]:
    """The person (or organisation) on record, locked for this reception, or a new record; True
    when new. Two desks receiving the same new person at once make one record (the unique
    citizen ID: get_or_create retries the read when the insert collides)."""
    values = {name: getattr(typed, name) for name in _RECORD_FIELDS}
    if typed.kind == ApplicantKind.ORGANISATION:
        existing = (
            Applicant.objects.select_for_update()
            .filter(kind=ApplicantKind.ORGANISATION, tax_code=typed.tax_code)
            .order_by("pk")
            .first()
        )
        if existing:
            return existing, False
        return Applicant.objects.create(**values), True
    return Applicant.objects.select_for_update().get_or_create(
        citizen_id=typed.citizen_id, defaults=values
    )


def _applicant_at_desk(data: IntakeData) -> tuple[Applicant, list[tuple[str, str, str, str]]]:
    """The person a desk reception is for, and the changes made to their record (field, old, new,
    reason) for _applicant_changes_record once the dossier exists.

    An ID number declared with another name or birth date raises ApplicantConflict unless the
    officer chose (data.applicant_resolution): STORED keeps the record as it is (the declaration
    had a typo); UPDATE writes the declared identity with the officer's reason. The contact the
    person gives at the desk (phone, e-mail, address) updates their record — they stand at the
    counter with their papers — and every field changed leaves a history row; an empty field
    erases nothing."""
    typed = data.applicant
    applicant, created = _applicant_locked(typed)
    if created:
        return applicant, []
    reason = data.applicant_change_reason.strip()
    changes: list[tuple[str, str, str, str]] = []
    differing = applicant_identity_differences(applicant, typed)
    if differing and data.applicant_resolution == Resolution.UPDATE:
        if not reason:
            raise ApplicantConflict(
                MSG_REASON_REQUIRED,
                stored=applicant,
                typed=typed,
                fields=differing,
                key="applicant_change_reason",
            )
        changes += _applicant_change(applicant, differing, typed, reason)
    elif differing and data.applicant_resolution != Resolution.STORED:
        raise ApplicantConflict(MSG_CONFLICT_DESK, stored=applicant, typed=typed, fields=differing)
    if applicant.date_of_birth is None and typed.date_of_birth:
        changes += _applicant_change(
            applicant, ["date_of_birth"], typed, reason or REASON_DESK_BIRTH_DATE
        )
    contact = [
        f
        for f in CONTACT_FIELDS
        if getattr(typed, f) and getattr(typed, f) != getattr(applicant, f)
    ]
    changes += _applicant_change(applicant, contact, typed, reason or REASON_DESK_CONTACT)
    if changes:
        applicant.save(update_fields=[change[0] for change in changes] + ["updated_at"])
    return applicant, changes


def _applicant_change(applicant: Applicant, names, typed: ApplicantData, reason: str) -> list:
    changes = []
    for name in names:
        old, new = getattr(applicant, name), getattr(typed, name)
        setattr(applicant, name, new)
        changes.append((name, _text(old), _text(new), reason))
    return changes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)[:255]


def _applicant_changes_record(applicant, changes, *, actor, at, dossier=None) -> None:
    """One history row per changed field, in the transaction that changed it."""
    if changes:
        ApplicantChange.objects.bulk_create(
            ApplicantChange(
                applicant=applicant,
                changed_at=at,
                changed_by=actor,
                field=name,
                old_value=old,
                new_value=new,
                reason=reason[:500],
                dossier=dossier,
            )
            for name, old, new, reason in changes
        )


def applicant_for_online(typed: ApplicantData) -> Applicant:
    """The person an online submission is for, read and never written: an online submission,
    anonymous or from an account, proves no identity, so it neither changes a person on record
    nor reads their contact (its notices go to the contact it gives: Dossier.contact_phone).
    An ID number declared with another name or birth date is refused (ApplicantConflict): only
    the desk, with the person's papers in hand, settles it. A new person is recorded as declared."""
    if typed.kind == ApplicantKind.ORGANISATION:
        existing = (
            Applicant.objects.filter(kind=ApplicantKind.ORGANISATION, tax_code=typed.tax_code)
            .order_by("pk")
            .first()
        )
        message = MSG_CONFLICT_ORGANISATION_ONLINE
    else:
        existing = Applicant.objects.filter(citizen_id=typed.citizen_id).first()
        message = MSG_CONFLICT_ONLINE
    if existing is None:
        values = {name: getattr(typed, name) for name in _RECORD_FIELDS}
        if typed.kind == ApplicantKind.ORGANISATION:
            return Applicant.objects.create(**values)
        existing, created = Applicant.objects.get_or_create(
            citizen_id=typed.citizen_id, defaults=values
        )
        if created:
            return existing
    differing = applicant_identity_differences(existing, typed)
    if differing:
        raise ApplicantConflict(message, stored=existing, typed=typed, fields=differing)
    return existing


def _intake_steps_create(dossier: Dossier, calendar, at: datetime, actor) -> DossierStep | None:
    """The version's steps for this dossier, the first already started by the receiving officer
    (what _steps_create then _step_start write, in one statement); returns the first."""
    steps = _steps_for(dossier)
    if not steps:
        return None
    first = steps[0]
    first.started_at = at
    first.due_at = calendar.due(at, float(first.budget_hours))
    first.assignee = actor
    DossierStep.objects.bulk_create(steps)
    if first.pk is None:  # a database that cannot return ids from a bulk insert
        first = dossier.steps.first()
    return first


def _intake_code_take(dossier: Dossier, at: datetime) -> None:
    """Take the daily number as the last write of the reception, so that the lock it holds to the
    commit (codes.dossier_number_take) keeps the unit's other desks waiting as little as possible,
    and write the code with the first step."""
    dossier_code_write(dossier, timezone.localtime(at).date(), current_step=dossier.current_step_id)


def intake_version_validate(data: IntakeData, at: datetime):
    from motcua.catalog.selectors import version_components, version_in_force_shared

    errors = {}
    version = version_in_force_shared(data.procedure_code, at.date())
    if version is None:
        raise ValidationError(
            {
                "procedure_code": f"Thủ tục mã “{data.procedure_code}” không có hiệu lực ngày {at:%d/%m/%Y}."
            }
        )
    if data.channel not in ChannelKind.values or data.channel not in version.intake_channels:
        errors["channel"] = "Thủ tục này không nhận hồ sơ qua kênh đã chọn."
    if (
        data.return_channel not in RETURN_CHANNELS
        or data.return_channel not in version.return_channels
    ):
        errors["return_channel"] = "Thủ tục này không trả kết quả qua hình thức đã chọn."
    if not 1 <= data.dossier_sets <= 99:
        errors["dossier_sets"] = "Số bộ hồ sơ phải từ 1 đến 99."
    missing = [
        c.name
        for c in version_components(version)
        if c.mandatory and c.name not in {d.name for d in data.components}
    ]
    if missing:
        errors["components"] = "Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing) + "."
    for component in data.components:
        if component.count < 1 or component.form not in ("original", "copy"):
            errors["components"] = (
                f"Giấy tờ “{component.name}”: số lượng hoặc hình thức không hợp lệ."
            )
    if errors:
        raise ValidationError(errors)
    return version


TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


def applicant_errors(applicant: ApplicantData) -> dict:
    """A person needs a valid citizen ID; an organisation its tax / enterprise code (10 digits, or
    13 for a branch), and the ID of the person acting for it only when one is given."""
    errors = {}
    if not applicant.full_name.strip():
        errors["full_name"] = "Hãy nhập họ và tên người nộp hồ sơ (hoặc tên tổ chức)."
    if applicant.kind not in ApplicantKind.values:
        errors["kind"] = "Người nộp phải là cá nhân hoặc tổ chức."
    elif applicant.kind == ApplicantKind.ORGANISATION:
        applicant.tax_code = "".join(applicant.tax_code.split())
        if not TAX_CODE.match(applicant.tax_code):
            errors["tax_code"] = (
                "Mã số doanh nghiệp / mã số thuế gồm 10 chữ số (13 chữ số với chi nhánh)."
            )
    if applicant.kind == ApplicantKind.PERSON or applicant.citizen_id.strip():
        try:
            applicant.citizen_id = citizen_id_validate(
                applicant.citizen_id, date_of_birth=applicant.date_of_birth
            )
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
    if applicant.phone and not applicant.phone.replace(" ", "").lstrip("+").isdigit():
        errors["phone"] = "Số điện thoại chỉ gồm chữ số."
    return errors


def _steps_for(dossier: Dossier) -> list[DossierStep]:
    """The version's internal process as this dossier's steps, none started yet (the version's
    steps are read once per process: catalog.selectors.version_steps)."""
    from motcua.catalog.selectors import version_steps

    return [
        DossierStep(
            dossier=dossier,
            order=step.order,
            name=step.name,
            unit_id=step.unit_id,
            role=step.role,
            budget_hours=step.budget_hours,
        )
        for step in version_steps(dossier.procedure_version)
    ]


def _steps_create(dossier: Dossier) -> None:
    DossierStep.objects.bulk_create(_steps_for(dossier))


def _step_start(dossier: Dossier, step: DossierStep, at: datetime, *, assignee=None) -> None:
    calendar = working_calendar_for(dossier.receiving_unit)
    step.started_at = at
    step.due_at = calendar.due(at, float(step.budget_hours))
    step.assignee = assignee
    step.save(update_fields=["started_at", "due_at", "assignee"])
    dossier.current_step = step
    dossier.save(update_fields=["current_step"])


# --- actions -------------------------------------------------------------------------------------


def dossier_act(
    actor, dossier_id: int, action: str, *, expected_revision: int, **params
) -> Dossier:
    """Take `action` on a dossier, as the workflow table allows for the actor's role and the
    dossier's status. `expected_revision` is the revision the actor's page showed: if anyone acted
    in between, the action is refused with a clear message and nothing changes."""
    transition = transition_for(action)
    with transaction.atomic():
        if getattr(actor, "role", None) == Role.CITIZEN:
            from .online import access_dossier_for_citizen  # online imports this module

            dossier = access_dossier_for_citizen(actor, dossier_id, for_update=True)
        else:
            dossier = access_dossier_for_officer(actor, dossier_id, for_update=True)
        if dossier.revision != expected_revision:
            raise ValidationError(
                MSG_STALE.format(status=STATUS_LABELS[Status(dossier.status)]), code="stale"
            )
        status = Status(dossier.status)
        if not transition.allows(status, actor.role):
            raise PermissionDenied(
                f"Không thể “{transition.label.lower()}” khi hồ sơ đang ở trạng thái "
                f"“{STATUS_LABELS[status]}” với vai trò của ông/bà."
            )
        guard_check(transition, dossier, actor, params)
        at = now()
        due_before = dossier.due_at
        note = ACTIONS[action](actor, dossier, at, **params) or params.get("reason", "")
        if transition.target is not None:
            dossier.status = transition.target
        dossier.revision += 1
        dossier.save()
        _event(
            dossier,
            actor,
            action,
            status,
            Status(dossier.status),
            at=at,
            note=note,
            due_before=due_before,
            due_after=dossier.due_at,
        )
        if action in SUPPLEMENT_ACTIONS:
            _supplement_list_link(dossier, action)
        transition_notify(transition, dossier, note, from_status=status)
    return dossier


def _require_reason(reason: str | None) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Hãy ghi rõ lý do."})
    return (reason or "").strip()


def _assign(actor, dossier, at, *, assignee_id=None, **_):
    from motcua.accounts.models import User

    assignee = User.objects.filter(
        pk=assignee_id, is_active=True, role__in=(Role.SPECIALIST, Role.DIVISION_HEAD)
    ).first()
    if assignee is None:
        raise ValidationError({"assignee_id": "Hãy chọn chuyên viên xử lý đang làm việc."})
    if not assignable_officers(actor).filter(pk=assignee.pk).exists():  # the page's own choices
        raise ValidationError({"assignee_id": MSG_NOT_ASSIGNABLE})
    dossier.assignee = assignee
    step = _finish_current_step(dossier, at)
    next_step = _next_step(dossier, step)
    if next_step:
        _step_start(dossier, next_step, at, assignee=assignee)
    return f"Giao cho {assignee}"


def _complete_step(actor, dossier, at, *, note="", **_):
    step = _finish_current_step(dossier, at)
    next_step = _next_step(dossier, step)
    assert next_step is not None  # the guard has_next_step refused the action otherwise
    # The assignee carries on only into a step of their own role (a head's review is not theirs).
    carries_on = dossier.assignee and dossier.assignee.role == next_step.role
    _step_start(dossier, next_step, at, assignee=dossier.assignee if carries_on else None)
    return note


def _submit_for_signature(actor, dossier, at, *, note="", **_):
    step = _finish_current_step(dossier, at)
    next_step = _next_step(dossier, step)
    if next_step:
        _step_start(dossier, next_step, at)
    return note


def _approve(actor, dossier, at, **_):
    step = _finish_current_step(dossier, at)
    next_step = _next_step(dossier, step)
    if next_step:  # the return step at the desk
        _step_start(dossier, next_step, at)
    dossier.finished_at = at
    return ""


def _return_result(actor, dossier, at, *, return_channel="", **_):
    # The desk may return by another way than the one chosen at intake (e.g. at the desk after
    # the postal operator brought the mail back): the channel actually used is what counts.
    if return_channel:
        if return_channel not in RETURN_CHANNELS:
            raise ValidationError({"return_channel": "Hình thức trả kết quả không hợp lệ."})
        dossier.return_channel = return_channel
    _finish_current_step(dossier, at)
    dossier.returned_at = at
    dossier.current_step = None
    return ""


SUPPLEMENT_ACTIONS = ("request_intake_supplement", "request_supplement")


def _supplement_list_write(actor, dossier, at, papers, reason) -> str:
    """Store what the request asks for (guard supplement_listed: something is asked); the papers
    must be components of the dossier's procedure. Returns the request in words, for the history."""
    from motcua.catalog.selectors import version_components

    known = [c.name for c in version_components(dossier.procedure_version)]
    chosen = list(dict.fromkeys(str(p).strip() for p in papers or () if str(p).strip()))
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise ValidationError(
            {"papers": f"Giấy tờ “{unknown[0]}” không thuộc thành phần hồ sơ của thủ tục."}
        )
    chosen.sort(key=known.index)  # in the order the procedure lists them
    details = (reason or "").strip()
    SupplementRequest.objects.create(
        dossier=dossier, papers=chosen, details=details, requested_at=at, requested_by=actor
    )
    parts = ["Giấy tờ cần bổ sung, hoàn thiện: " + "; ".join(chosen) + "."] if chosen else []
    if details:
        parts.append(details)
    return "\n".join(parts)


def _supplement_list_link(dossier, action) -> None:
    """The list belongs to the history event Mẫu 02 is printed from (written just now)."""
    event = dossier.events.filter(action=action).order_by("-pk").values("pk")[:1]
    SupplementRequest.objects.filter(dossier=dossier, event__isnull=True).update(
        event_id=Subquery(event)
    )


def _request_intake_supplement(actor, dossier, at, *, papers=(), reason="", note="", **_):
    """Online dossier incomplete at intake: say once and completely what to add (art. 17.2)."""
    return _supplement_list_write(actor, dossier, at, papers, reason or note)


def _request_supplement(actor, dossier, at, *, papers=(), reason="", note="", **_):
    """Found ineligible while processing: request once and completely, the clock stops (19.4)."""
    note = _supplement_list_write(actor, dossier, at, papers, reason or note)
    dossier.supplement_requests += 1
    DossierPause.objects.create(
        dossier=dossier, kind=PauseKind.SUPPLEMENT, reason=note, started_at=at
    )
    dossier.due_at = None  # unknown while the clock stands still
    return note


def _request_payment(actor, dossier, at, *, reason="", **_):
    DossierPause.objects.create(
        dossier=dossier, kind=PauseKind.PAYMENT, reason=reason or "Nộp phí, lệ phí", started_at=at
    )
    dossier.due_at = None
    return reason


def _clock_resumes(actor, dossier, at, *, restart=False, **_):
    """The applicant delivered: close the pause and recompute the due instant. Decree 61/2018 art.
    19.4: when the dossier was found ineligible, the processing time restarts from zero."""
    pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    if pause is None:
        raise ValidationError("Hồ sơ không có khoảng tạm dừng đang mở.")
    pause.ended_at = at
    pause.restarted = bool(restart)
    pause.save(update_fields=["ended_at", "restarted"])
    dossier.due_at = _due_from_history(dossier)
    return "Tính lại thời hạn từ đầu" if restart else ""


def _due_from_history(dossier: Dossier) -> datetime | None:
    """The due instant after the clock resumes: processing time from reception (or from the last
    restart), pushed by every pause since; a rescheduled date is pushed by the pauses after it."""
    calendar = working_calendar_for(dossier.receiving_unit)
    pauses = list(dossier.pauses.all())
    start = dossier.received_at
    if start is None:  # never received: there is no clock to resume
        return None
    restarts = [p.ended_at for p in pauses if p.restarted and p.ended_at]
    if restarts:
        start = max(restarts)
        pauses = [p for p in pauses if p.started_at >= start]
    spans = [(p.started_at, p.ended_at) for p in pauses]
    rescheduled = dossier.events.filter(action="reschedule").order_by("-at").first()
    if rescheduled is None or restarts:
        return calendar.due(start, float(dossier.procedure_version.processing_hours), spans)
    paused_after = sum(
        calendar.working_minutes_between(s, e)
        for s, e in spans
        if s >= rescheduled.at and e is not None
    )
    return calendar.due(rescheduled.due_after, paused_after / 60)


def _reschedule(actor, dossier, at, *, new_due: datetime | None = None, reason=None, **_):
    """Apology and a new date (Decree 61/2018 art. 19.9): at most once, at least one working day
    before the current deadline, and only to a later instant."""
    reason = _require_reason(reason)  # once, a working day ahead: guard in the table
    if new_due is None or new_due <= dossier.due_at:
        raise ValidationError({"new_due": "Ngày hẹn mới phải sau ngày hẹn hiện tại."})
    dossier.rescheduled_at = at
    dossier.due_at = new_due
    return reason


def _end_with_reason(actor, dossier, at, *, reason=None, **_):
    reason = _require_reason(reason)
    _finish_current_step(dossier, at)
    dossier.finished_at = at
    return reason


def _withdraw(actor, dossier, at, *, reason="", **_):
    _finish_current_step(dossier, at)
    dossier.finished_at = at
    dossier.current_step = None
    return reason or "Công dân yêu cầu rút hồ sơ"


def _note_only(actor, dossier, at, *, note="", reason="", **_):
    return note or reason


def _consult(
    actor,
    dossier,
    at,
    *,
    unit_id=None,
    organ_id="",
    organ_name="",
    reason=None,
    working_hours=8,
    kind="consult",
    **_,
):
    """Ask another unit for its opinion (or its part of a liên thông procedure) with a deadline in
    working hours; the dossier's own clock keeps running (Decree 61/2018 art. 19.5).

    `organ_id` (a QCVN 102:2016 code) names the agency instead: one of our units stays internal; an
    agency of another system gets the official letter and the dossier's papers through the document
    exchange (motcua.exchange.lienthong, ADR 0034 "Liên thông"), sent once this move commits."""
    from motcua.org.models import Unit

    reason = _require_reason(reason)
    organ_id = (organ_id or "").strip()
    if unit_id is None and organ_id:
        unit = Unit.objects.filter(code=organ_id, is_active=True).first()
    else:
        unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None and not organ_id:
        raise ValidationError({"unit_id": "Hãy chọn đơn vị được hỏi ý kiến."})
    try:
        hours = float(working_hours)
    except (TypeError, ValueError):
        hours = -1
    if not 0 < hours <= 15 * 8:
        raise ValidationError(
            {"working_hours": "Thời hạn trả lời phải từ 1 giờ đến 15 ngày làm việc."}
        )
    due = working_calendar_for(dossier.receiving_unit).due(at, hours)
    assert due is not None  # None only while a pause is open, and none is given
    consultation = DossierConsultation.objects.create(
        dossier=dossier,
        kind=kind,
        unit=unit,
        organ_id=organ_id if unit is None else "",
        organ_name=(organ_name or "").strip()[:255] if unit is None else "",
        request=reason,
        requested_by=actor,
        requested_at=at,
        due_at=due,
    )
    if unit is None:
        from motcua.exchange.lienthong import lienthong_send  # refuses when no transport is set

        document = lienthong_send(actor, dossier, consultation)
        addressee = consultation.organ_name or organ_id
        return (
            f"{addressee} ({organ_id}), công văn {document.number_symbol} gửi qua trục liên "
            f"thông, hạn trả lời {due:%H:%M %d/%m/%Y}: {reason}"
        )
    return f"{unit.name}, hạn trả lời {due:%H:%M %d/%m/%Y}: {reason}"


def _route_inter_agency(actor, dossier, at, **params):
    return _consult(actor, dossier, at, kind="inter_agency", **params)


def _answer(kind):
    def record(actor, dossier, at, *, note="", reason="", **_):
        answer = (note or reason or "").strip()
        if not answer:
            raise ValidationError({"note": "Hãy ghi nội dung trả lời."})
        open_requests = dossier.consultations.filter(kind=kind, answered_at__isnull=True)
        if not open_requests.exists():
            raise ValidationError("Không có yêu cầu nào đang chờ trả lời.")
        late = open_requests.filter(due_at__lt=at).count()
        open_requests.update(answered_at=at, answer=answer)
        return answer + (" (trả lời quá hạn)" if late else "")

    return record


def _send_back(actor, dossier, at, *, reason=None, **_):
    """The signer returns the dossier for rework: the previous step runs again from now (its earlier
    run stays in the history) and the signing step will start afresh when it is submitted again."""
    reason = _require_reason(reason)
    signing = dossier.current_step
    previous = (
        dossier.steps.filter(order__lt=signing.order).order_by("-order").first()
        if signing
        else None
    )
    if signing:
        signing.started_at = signing.due_at = None
        signing.save(update_fields=["started_at", "due_at"])
    if previous:
        previous.finished_at = None
        previous.save(update_fields=["finished_at"])
        _step_start(dossier, previous, at, assignee=previous.assignee or dossier.assignee)
    return reason


def _accept(actor, dossier, at, **_):
    """An online dossier found complete is received now: it gets its code, its appointment and its
    process steps, exactly as a desk reception (Decree 61/2018 art. 17.2)."""
    if not dossier.code:  # an imported submission keeps the code the old system gave it
        dossier.code = dossier_code_next(dossier.receiving_unit, at)
    dossier.received_at = at
    dossier.received_by = actor
    due = working_calendar_for(dossier.receiving_unit).due(
        at, float(dossier.procedure_version.processing_hours)
    )
    dossier.due_at_original = dossier.due_at = due
    dossier.save()
    _steps_create(dossier)
    first = dossier.steps.first()
    if first:
        _step_start(dossier, first, at, assignee=actor)
    return "Tiếp nhận hồ sơ trực tuyến"


ACTIONS = {
    "accept": _accept,
    "request_intake_supplement": _request_intake_supplement,
    "resubmit": _note_only,
    "refuse_intake": _end_with_reason,
    "assign": _assign,
    "complete_step": _complete_step,
    "consult": _consult,
    "consultation_answered": _answer("consult"),
    "route_inter_agency": _route_inter_agency,
    "inter_agency_returned": _answer("inter_agency"),
    "request_supplement": _request_supplement,
    "supplement_received": _clock_resumes,
    "request_payment": _request_payment,
    "payment_received": _clock_resumes,
    "submit_for_signature": _submit_for_signature,
    "send_back": _send_back,
    "approve": _approve,
    "reschedule": _reschedule,
    "refuse": _end_with_reason,
    "stop": _end_with_reason,
    "withdraw": _withdraw,
    "return_result": _return_result,
}


# --- moves made on outside evidence (workflow.SYSTEM_TRANSITIONS) ---------------------------------


def dossier_result_mail_returned(dossier_id: int, *, reason: str, relayed_by=None) -> Dossier:
    """The postal operator sent back undelivered the result (or the refusal notice) returned by
    post: the dossier waits to be returned again (Decree 61/2018 art. 20). Which of the two moves
    applies is read from the history: the status the dossier had when it was returned."""
    last_return = (
        DossierEvent.objects.filter(dossier_id=dossier_id, action="return_result")
        .order_by("-at", "-pk")
        .first()
    )
    refused = last_return is not None and last_return.from_status == Status.REFUSED
    action = "refusal_mail_returned" if refused else "mail_returned"
    return dossier_system_act(dossier_id, action, reason=reason, relayed_by=relayed_by)


# The answer actions of the workflow table the system may also take, when the answer arrives from
# another agency over the document exchange (motcua.exchange.lienthong): which consultation kind.
EXCHANGE_ANSWERS = {"consultation_answered": "consult", "inter_agency_returned": "inter_agency"}


def dossier_system_act(
    dossier_id: int,
    action: str,
    *,
    reason: str,
    relayed_by=None,
    consultation_id: int | None = None,
) -> Dossier:
    """Apply a move of SYSTEM_TRANSITIONS: no role takes it, outside evidence does (a postal
    tracking event). Checked against the table's sources, recorded with its reason and with the
    person who relayed the evidence, if one did; refused with nothing changed otherwise.

    The answer actions of EXCHANGE_ANSWERS are taken the same way when another agency's answer
    arrives through the document exchange: `consultation_id` names the request it answers."""
    transition = next((t for t in SYSTEM_TRANSITIONS if t.action == action), None)
    if transition is None and action in EXCHANGE_ANSWERS and consultation_id is not None:
        transition = transition_for(action)
    if transition is None:
        raise KeyError(f"Thao tác hệ thống không tồn tại: {action}")
    reason = _require_reason(reason)
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("receiving_unit")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None:
            raise ValidationError("Không tìm thấy hồ sơ.")
        status = Status(dossier.status)
        if status not in transition.sources:
            raise ValidationError(
                f"Không thể “{transition.label.lower()}” khi hồ sơ đang ở trạng thái "
                f"“{STATUS_LABELS[status]}”.",
                code="status",
            )
        guard_check(transition, dossier, relayed_by, {"reason": reason})
        at = now()
        if action in EXCHANGE_ANSWERS:
            _exchange_answer(dossier, at, EXCHANGE_ANSWERS[action], consultation_id, reason)
        else:
            SYSTEM_ACTIONS[action](dossier, at)
        dossier.status = transition.target or status
        dossier.revision += 1
        dossier.save()
        _event(
            dossier,
            relayed_by,
            action,
            status,
            transition.target,
            at=at,
            note=reason,
            due_before=dossier.due_at,
            due_after=dossier.due_at,
        )
        transition_notify(transition, dossier, reason)
    return dossier


def _result_back_at_desk(dossier: Dossier, at: datetime) -> None:
    """Mail came back: only a result sent by post can; the return step of the process opens again
    and the dossier has no return instant until it is returned anew (guard returned_by_post)."""
    dossier.returned_at = None
    last = dossier.steps.order_by("-order").first()
    if last is not None:
        last.finished_at = None
        last.save(update_fields=["finished_at"])
        dossier.current_step = last


def _payment_settled(dossier: Dossier, at: datetime) -> None:
    """The fee was paid in full by bank transfer: close the payment pause, recompute the due."""
    _clock_resumes(None, dossier, at)


def _exchange_answer(dossier: Dossier, at: datetime, kind: str, consultation_id, answer) -> None:
    """The one request the agency answered over the exchange gets its answer (still open: an answer
    that arrives twice moves the dossier once)."""
    answered = DossierConsultation.objects.filter(
        pk=consultation_id, dossier=dossier, kind=kind, answered_at__isnull=True
    ).update(answered_at=at, answer=answer)
    if not answered:
        raise ValidationError("Yêu cầu này đã được trả lời.", code="answered")


def _sent_to_agency(dossier: Dossier, at: datetime) -> None:
    """The answer went back to the agency that sent the dossier: its return step is done."""
    _return_result(None, dossier, at)


SYSTEM_ACTIONS = {
    "result_sent_to_agency": _sent_to_agency,
    "refusal_sent_to_agency": _sent_to_agency,
    "mail_returned": _result_back_at_desk,
    "refusal_mail_returned": _result_back_at_desk,
    "payment_settled": _payment_settled,
}


# --- helpers -------------------------------------------------------------------------------------


def _finish_current_step(dossier: Dossier, at: datetime) -> DossierStep | None:
    step = dossier.current_step
    if step and step.finished_at is None:
        step.finished_at = at
        step.save(update_fields=["finished_at"])
    return step


def _next_step(dossier: Dossier, step: DossierStep | None) -> DossierStep | None:
    after = step.order if step else 0
    return dossier.steps.filter(order__gt=after).order_by("order").first()


def _event(
    dossier, actor, action, from_status, to_status, *, at, note="", due_before=None, due_after=None
):
    step = dossier.current_step
    DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=actor,
        actor_role=getattr(actor, "role", ""),
        action=action,
        from_status=from_status,
        to_status=to_status,
        step_name=step.name if step else "",
        unit=getattr(actor, "unit", None),
        note=note,
        due_before=due_before,
        due_after=due_after,
    )
    # Every move passes here: whoever shows the status (the public tracking page) hears of it once
    # the move commits.
    dossier_changed(dossier, action)
