"""The guards of the workflow table, made executable (ADR 0023).

A transition's `guard` (workflow.py) names a precondition beyond status and role. Every name used in
the table is a key of GUARDS: a predicate of (dossier, actor, params) and the Vietnamese message a
person reads when it fails. `guard_check` is called by services.dossier_act and dossier_system_act
before anything changes, so a guard can no longer be a label nobody checks; a test fails when the
table names a guard this registry lacks.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now

from .models import ChannelKind, Dossier, DossierStep

# The roles of a step in which a leader signs the result (the process's signing step).
SIGNING_ROLES = frozenset({Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER})
ONE_WORKING_DAY_MINUTES = 8 * 60


@dataclass(frozen=True)
class Guard:
    check: Callable[[Dossier, object, dict], bool]
    message: str  # may name the current step: {step}
    field: str = ""  # the form field the refusal belongs to, if any


def signing_step(dossier: Dossier) -> DossierStep | None:
    """The step where the result is signed: the last step of a leader's role. A process without
    one (a short same-day procedure) has its last step before the return as the signing step."""
    steps = list(dossier.steps.order_by("order"))
    signing = [s for s in steps if s.role in SIGNING_ROLES]
    if signing:
        return signing[-1]
    return steps[-2] if len(steps) >= 2 else None


def _step_after_current(dossier: Dossier) -> DossierStep | None:
    current = dossier.current_step if dossier.current_step_id else None
    after = current.order if current is not None else 0
    return dossier.steps.filter(order__gt=after).order_by("order").first()


def _reason_given(dossier, actor, params) -> bool:
    return bool((params.get("reason") or "").strip())


def _supplement_listed(dossier, actor, params) -> bool:
    """A supplement request names what is missing or wrong (papers ticked, or words), once and
    completely (Decree 61/2018 art. 15, 17, 19.4)."""
    papers = [p for p in params.get("papers") or () if str(p).strip()]
    words = (params.get("reason") or params.get("note") or "").strip()
    return bool(papers) or bool(words)


def _has_next_step(dossier, actor, params) -> bool:
    """Another processing step follows; the signing step is reached by submitting for signature,
    never by completing a step (else the dossier would sit at the leader's step, unsignable)."""
    following = _step_after_current(dossier)
    return following is not None and following != signing_step(dossier)


def _is_last_processing_step(dossier, actor, params) -> bool:
    """The dossier is at the step just before the signing step (or has no process at all)."""
    if not dossier.steps.exists():
        return True
    signing = signing_step(dossier)
    return signing is not None and _step_after_current(dossier) == signing


def _once_and_one_working_day_before_due(dossier, actor, params) -> bool:
    """Apology and new date at most once, at least one working day before the due instant
    (Decree 61/2018 art. 19.9)."""
    if dossier.rescheduled_at or dossier.due_at is None:
        return False
    calendar = working_calendar_for(dossier.receiving_unit)
    return calendar.working_minutes_between(now(), dossier.due_at) >= ONE_WORKING_DAY_MINUTES


def _returned_by_post(dossier, actor, params) -> bool:
    return dossier.return_channel == ChannelKind.POST


def _handed_to_applicant(dossier, actor, params) -> bool:
    # exchange.lienthong_in answers the sending agency and moves the dossier on; our desk has no
    # contact for its citizen.
    return not dossier.returns_to_sending_agency


def _received_through_lienthong(dossier, actor, params) -> bool:
    return dossier.returns_to_sending_agency


def _charge_paid_in_full(dossier, actor, params) -> bool:
    from motcua.payments.models import SETTLED_STATUSES, Charge

    return Charge.objects.filter(dossier=dossier, status__in=SETTLED_STATUSES).exists()


GUARDS: dict[str, Guard] = {
    "reason_required": Guard(_reason_given, "Hãy ghi rõ lý do.", "reason"),
    "supplement_listed": Guard(
        _supplement_listed,
        "Hãy đánh dấu giấy tờ cần bổ sung hoặc ghi rõ nội dung cần bổ sung, hoàn thiện "
        "(yêu cầu một lần, đầy đủ).",
        "papers",
    ),
    "has_next_step": Guard(
        _has_next_step,
        "Bước “{step}” là bước xử lý cuối cùng trước bước ký duyệt: hãy trình ký, "
        "không chuyển bước.",
    ),
    "is_last_processing_step": Guard(
        _is_last_processing_step,
        "Chỉ trình ký được khi hồ sơ ở bước xử lý cuối cùng trước bước ký duyệt; "
        "hồ sơ đang ở bước “{step}”.",
    ),
    "once_and_one_working_day_before_due": Guard(
        _once_and_one_working_day_before_due,
        "Chỉ được xin lỗi và hẹn lại ngày trả một lần, chậm nhất 01 ngày làm việc trước hạn "
        "trả kết quả.",
    ),
    "returned_by_post": Guard(
        _returned_by_post, "Kết quả của hồ sơ này không được gửi qua bưu chính."
    ),
    "handed_to_applicant": Guard(
        _handed_to_applicant,
        "Hồ sơ nhận liên thông từ cơ quan khác: kết quả tự động gửi về cơ quan đã chuyển hồ sơ "
        "qua trục liên thông, không trả tại Bộ phận Một cửa.",
    ),
    "received_through_lienthong": Guard(
        _received_through_lienthong,
        "Chỉ hồ sơ nhận liên thông từ cơ quan khác mới được gửi kết quả về cơ quan chuyển hồ sơ.",
    ),
    "charge_paid_in_full": Guard(
        _charge_paid_in_full, "Hồ sơ chưa nộp đủ phí, lệ phí qua ngân hàng."
    ),
}


def guard_check(transition, dossier: Dossier, actor, params: dict) -> None:
    """Refuse (ValidationError, code "guard") when the transition's guard does not hold."""
    if not transition.guard:
        return
    guard = GUARDS[transition.guard]
    if guard.check(dossier, actor, params):
        return
    current = dossier.current_step if dossier.current_step_id else None
    step = current.name if current is not None else "—"
    message = guard.message.format(step=step)
    raise ValidationError({guard.field: message} if guard.field else message, code="guard")
