"""Mẫu 05 (Phiếu kiểm soát quá trình giải quyết hồ sơ) and Mẫu 06 (Sổ theo dõi hồ sơ) of Circular
01/2018/TT-VPCP, filled from the dossier's history, its steps and the timeliness rule. Render them
with `motcua.dossiers.official_forms.form_pdf("05" | "06", on, context)`."""

from datetime import date, datetime

from django.db.models import Min, Q
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.text import format_date_long, format_number

from ..models import Dossier
from ..selectors import dossiers_visible_to
from ..timeliness import LABELS, DossierFacts, dossier_timeliness, period_bounds, step_timeliness
from ..workflow import STATUS_LABELS, Status

APPLICANT = "Tổ chức, cá nhân nộp hồ sơ"
# History actions that move the dossier from one pair of hands to another, and who receives it:
# "step" = whoever holds the step that is current after the action.
HANDOFFS = {
    "assign": "step",
    "complete_step": "step",
    "submit_for_signature": "step",
    "approve": "step",
    "send_back": "assignee",
    "request_supplement": "applicant",
    "supplement_received": "assignee",
    "request_payment": "applicant",
    "payment_received": "assignee",
    "consult": "consulted",
    "consultation_answered": "assignee",
    "route_inter_agency": "inter_agency",
    "inter_agency_returned": "assignee",
    "refuse": "desk",
    "stop": "desk",
    "return_result": "applicant",
}


def when_long(value: datetime | None) -> str:
    """'08 giờ 00 phút, ngày 02 tháng 5 năm 2024', the wording of the forms."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, {format_date_long(local.date())}"


def _short(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _header(unit) -> dict:
    return {
        "agency_parent_name": unit.parent.name if unit.parent_id else "",
        "agency_name": unit.name,
        "place": "Hà Tĩnh",
        "date_long": format_date_long(timezone.localtime(now()).date()),
    }


# --- Mẫu 05 --------------------------------------------------------------------------------------


def control_sheet_context(dossier: Dossier) -> dict:
    """Mẫu 05: one row per hand-off ("Giao: … / Nhận: …"), with its time and, where the hand-off
    ends a step of the internal process, that step's grade (trước hạn / đúng hạn / quá hạn)."""
    from motcua.calendars.selectors import working_calendar_for

    steps = {s.name: s for s in dossier.steps.select_related("unit", "assignee")}
    pauses = list(dossier.pauses.all())
    calendar = working_calendar_for(dossier.receiving_unit)
    events = list(dossier.events.select_related("actor", "unit"))
    version = dossier.procedure_version
    rows, holder = [], events[0].step_name if events else ""
    for event in events:
        receiver = HANDOFFS.get(event.action)
        if receiver is None:
            holder = event.step_name or holder
            continue
        given = steps.get(holder)
        grade = None
        if given is not None and given.finished_at == event.at:
            grade = step_timeliness(given, pauses, calendar)
        rows.append(
            {
                "giver": _giver(event, given),
                "receiver": _receiver(receiver, event, steps, dossier),
                "at_text": when_long(event.at),
                "result": LABELS[grade] if grade else "",
                "note": event.note if event.action not in ("assign",) else "",
            }
        )
        holder = event.step_name or holder
    return {
        **_header(dossier.receiving_unit),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": version.name,
        "competent_agency": version.competent_agency.name,
        "coordinating": "; ".join(
            e.note for e in events if e.action in ("consult", "route_inter_agency") and e.note
        ),
        "received_at_text": when_long(dossier.received_at),
        "due_at_text": when_long(dossier.due_at),
        "rows": rows,
    }


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _holder_text(unit_name: str, person: str) -> str:
    return " — ".join(p for p in (unit_name, person) if p)


def _giver(event, step) -> str:
    """The holder of the step being handed on; whoever took the action when the step had none."""
    unit = (step.unit if step and step.unit_id else None) or event.unit
    person = (step.assignee if step and step.assignee_id else None) or event.actor
    return _holder_text(unit.name if unit else "", _person(person))


def _receiver(kind: str, event, steps: dict, dossier: Dossier) -> str:
    if kind == "applicant":
        return f"{APPLICANT}: {dossier.applicant_name}"
    if kind == "consulted":
        return "Cơ quan phối hợp giải quyết"
    if kind == "inter_agency":
        return "Cơ quan giải quyết liên thông"
    if kind == "desk":
        return f"Bộ phận tiếp nhận và trả kết quả: {dossier.receiving_unit.name}"
    if kind == "assignee":
        return _holder_text("", _person(dossier.assignee)) or "Chuyên viên xử lý"
    step = steps.get(event.step_name)
    if step is None:
        return ""
    unit = step.unit.name if step.unit_id else dossier.receiving_unit.name
    who = _person(step.assignee) or (Role(step.role).label if step.role in Role.values else "")
    return _holder_text(unit, who)


# --- Mẫu 06 --------------------------------------------------------------------------------------

MAX_BOOK_DAYS = 31


def tracking_book_dossiers(user, date_from: date, date_to: date):
    """The dossiers a book lists: those its reader may see (the one visibility rule, ADR 0017 —
    the desk's book holds what the desk received, a department's what its agency decides),
    received in the period — one query."""
    start, end = period_bounds(date_from, date_to)
    return (
        dossiers_visible_to(user)
        .filter(received_at__gte=start, received_at__lte=end)
        .select_related("procedure_version__competent_agency", "applicant")
        .annotate(transferred_at=Min("steps__finished_at", filter=Q(steps__order=1)))
        .order_by("received_at", "code")
    )


def tracking_book_context(user, date_from: date, date_to: date) -> dict:
    """Mẫu 06: one line per dossier received in the period, with the columns of Circular 01/2018
    (STT, Mã hồ sơ, Tên TTHC, Số lượng hồ sơ, Tên cá nhân/tổ chức, Địa chỉ/số điện thoại, Cơ quan
    chủ trì, Ngày nhận, Ngày hẹn trả, Ngày chuyển, Ngày nhận kết quả, Ngày trả kết quả, Ký nhận,
    Ghi chú). Ghi chú carries the timeliness grade of a finished dossier, else its status."""
    at = now()
    rows = [
        _book_row(number, dossier, at)
        for number, dossier in enumerate(tracking_book_dossiers(user, date_from, date_to), 1)
    ]
    unit = user.unit
    graded = [r["grade"] for r in rows if r["grade"]]
    return {
        **_header(unit),
        "unit_name": unit.name,
        "period_text": f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
        "rows": rows,
        "total_text": format_number(len(rows)),
        "summary": ", ".join(
            f"{label.lower()}: {format_number(graded.count(label))}" for label in LABELS.values()
        ),
    }


def _book_row(number: int, dossier: Dossier, at: datetime) -> dict:
    note = []
    grade = None
    if dossier.finished_at or dossier.returned_at:
        facts = DossierFacts(
            dossier.status,
            dossier.received_at,
            dossier.due_at,
            dossier.finished_at,
            dossier.returned_at,
            dossier.supplement_requests,
        )
        graded = dossier_timeliness(facts, at)
        grade = LABELS[graded] if graded else None
    if grade:
        note.append(grade)
    if Status(dossier.status) not in (Status.FINISHED, Status.RETURNED):
        note.append(STATUS_LABELS[Status(dossier.status)])
    if dossier.rescheduled_at:
        note.append(f"Hẹn lại (ban đầu {_short(dossier.due_at_original)})")
    if dossier.supplement_requests:
        note.append(f"Yêu cầu bổ sung {dossier.supplement_requests} lần")
    return {
        "number": format_number(number),
        "code": dossier.code,
        "procedure_name": dossier.procedure_version.name,
        "sets": dossier.dossier_sets,
        "applicant_name": dossier.applicant_name,
        "address_phone": "; ".join(
            p for p in (dossier.applicant_address, dossier.contact_phone) if p
        ),
        "competent_agency": dossier.procedure_version.competent_agency.name,
        "received": _short(dossier.received_at),
        "due": _short(dossier.due_at),
        "transferred": _short(dossier.transferred_at),
        "result_received": _short(dossier.finished_at),
        "returned": _short(dossier.returned_at),
        "grade": grade,
        "note": "; ".join(note),
    }
