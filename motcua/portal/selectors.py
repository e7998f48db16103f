"""Reads for the citizen portal's public pages: what a citizen may see of a dossier, without signing in.

A tracking answer carries no personal data: the applicant's name is masked ("N*** T*** H***") and
no ID number, phone or address leaves this module. A dossier is found by its code or by the short
(or old long signed) reference of an online dossier (motcua.dossiers.online), typed in any case
with stray spaces or dashes; anything else is None, with no difference between "does not exist"
and any other reason.

The public answer never carries an officer's free text (a supplement note once held an ID number
and a phone): only the status, the step, the dates and the papers asked for. The note comes with
`detail=True`, for the signed-in owner or a visitor who typed the last digits of the applicant's
phone or ID number (tracking_unlock_check).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from motcua.core.clock import now
from motcua.core.identity import name_masked
from motcua.dossiers.codes import dossier_code_parse
from motcua.dossiers.models import ChannelKind, Dossier, DossierEvent
from motcua.dossiers.online import dossier_by_reference
from motcua.dossiers.workflow import (
    Status,
    national_status,
    national_status_label,
    status_label,
)
from motcua.payments.selectors import payment_block_for_dossier

MAX_CODE_LENGTH = 120


@dataclass(frozen=True)
class DossierTracking:
    """What the public tracking page shows of one dossier."""

    code: str | None
    procedure_code: str
    procedure_name: str
    applicant_masked: str
    status: str
    status_label: str
    national_status: int
    national_label: str
    step_name: str
    received_at: datetime | None
    submitted_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    todo: str
    short_reference: str | None = None
    note: str = ""  # the officer's free text: only in the detailed answer
    papers: tuple[str, ...] = ()  # the papers asked for, when the request lists them
    detailed: bool = False


PUBLIC_SUPPLEMENT_HINT = (
    "xem thông báo đã gửi đến ông/bà, hoặc nhập 4 số cuối điện thoại hay số định danh "
    "bên dưới để xem chi tiết"
)


def _todo(dossier: Dossier, note: str, *, public: bool = False) -> str:
    """What the applicant must do now, in plain Vietnamese ('' when nothing). `public`: without the
    officer's free text."""
    status = Status(dossier.status)
    if status in (Status.SUPPLEMENT_REQUESTED, Status.INTAKE_SUPPLEMENT):
        reason = PUBLIC_SUPPLEMENT_HINT if public else (note or "xem thông báo của Bộ phận Một cửa")
        return f"Bổ sung hồ sơ theo yêu cầu: {reason}"
    if status == Status.AWAITING_PAYMENT:
        reason = f" ({note})" if note and not public else ""
        return (
            f"Thực hiện nghĩa vụ tài chính (nộp phí, lệ phí){reason} để hồ sơ được tiếp tục xử lý."
        )
    if status == Status.FINISHED:
        if dossier.return_channel == ChannelKind.POST:
            return "Kết quả đã có và sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ đã đăng ký."
        if dossier.return_channel == ChannelKind.ONLINE:
            return "Kết quả đã có và được trả trực tuyến."
        return (
            "Kết quả đã có: mời ông/bà mang giấy tiếp nhận hồ sơ và hẹn trả kết quả đến "
            "Bộ phận Một cửa để nhận."
        )
    if status == Status.SUBMITTED_ONLINE:
        return "Chờ Bộ phận Một cửa kiểm tra và tiếp nhận hồ sơ; ông/bà chưa cần làm gì."
    return ""


_NOTE_ACTIONS = {
    Status.SUPPLEMENT_REQUESTED: "request_supplement",
    Status.INTAKE_SUPPLEMENT: "request_intake_supplement",
    Status.AWAITING_PAYMENT: "request_payment",
}


# What the tracking page shows of the dossier row, plus what the fee's payment panel needs
# (payments.selectors.payment_block_for_dossier): nothing else is read.
TRACKING_FIELDS = (
    "code",
    "short_reference",
    "status",
    "applicant_name",
    "return_channel",
    "received_at",
    "submitted_at",
    "submitted_by",
    "due_at",
    "returned_at",
    "receiving_unit_id",
    "procedure_version__name",
    "procedure_version__fee_due",
    "procedure_version__procedure__code",
    "current_step__name",
)


def _tracking_dossiers():
    return Dossier.objects.select_related("procedure_version__procedure", "current_step").only(
        *TRACKING_FIELDS
    )


def _tracking_dossier(code_or_reference: str) -> Dossier | None:
    text = (code_or_reference or "").strip()
    if not text or len(text) > MAX_CODE_LENGTH:
        return None
    # A list slice, not .first(): the code is unique, an ORDER BY would only cost a sort.
    found = list(_tracking_dossiers().filter(code=text)[:1])
    if found:
        return found[0]
    code = dossier_code_parse(text)  # "000.00.99.h26 240105 0001"
    if code is not None and code != text:
        found = list(_tracking_dossiers().filter(code=code)[:1])
        if found:
            return found[0]
    online = dossier_by_reference(text)
    return _tracking_dossiers().get(pk=online.pk) if online is not None else None


def tracking_key(code_or_reference: str) -> str | None:
    """The key the dossier's tracking page lives under (its code, else its short reference), or
    None: a typed key in another form is sent on to it."""
    dossier = _tracking_dossier(code_or_reference)
    if dossier is None:
        return None
    return dossier.code or dossier.short_reference


UNLOCK_DIGITS = 4


def tracking_unlock_check(code_or_reference: str, digits: str) -> int | None:
    """The id of the dossier when `digits` are the last UNLOCK_DIGITS digits of its applicant's
    phone (on the dossier's applicant record) or ID number (or tax code), else None."""
    digits = "".join((digits or "").split())
    if len(digits) != UNLOCK_DIGITS or not digits.isdigit():
        return None
    dossier = _tracking_dossier(code_or_reference)
    if dossier is None:
        return None
    # The phone given for THIS dossier (never the person record's: ADR 0020) and the ID numbers.
    row = (
        Dossier.objects.filter(pk=dossier.pk)
        .values_list("contact_phone", "applicant__citizen_id", "applicant__tax_code")
        .first()
    )
    known: list[str] = [v for v in (row or ()) if v and len(v) >= UNLOCK_DIGITS]
    ok = False
    for value in known:  # no early exit: the same work whichever matches
        ok |= hmac.compare_digest(value[-UNLOCK_DIGITS:], digits)
    return dossier.pk if ok else None


def tracking_owned_by(code_or_reference: str, user) -> bool:
    """The signed-in citizen submitted this dossier: they see it in full."""
    if not (user and user.is_authenticated):
        return False
    dossier = _tracking_dossier(code_or_reference)
    return dossier is not None and dossier.submitted_by_id == user.pk


def tracking_page(
    code_or_reference: str, *, detail: bool = False
) -> tuple[DossierTracking, dict] | None:
    """What portal/tracking.html shows, or None: (the view of the dossier — public, or with the
    officer's note when `detail` — and the context of the fee's payment panel). The panel, only
    while the dossier waits for its fee, is given the dossier already read (payment_block_for_dossier,
    a read: the charge is opened with the request)."""
    dossier = _tracking_dossier(code_or_reference)
    if dossier is None:
        return None
    payment = None
    if dossier.code and dossier.status == Status.AWAITING_PAYMENT:
        payment = payment_block_for_dossier(dossier)
    return _tracking_of(dossier, detail=detail), {"payment": payment}


def _tracking_of(dossier: Dossier, *, detail: bool = False) -> DossierTracking:
    status = Status(dossier.status)
    note = _request_note(dossier, status)
    version = dossier.procedure_version
    return DossierTracking(
        code=dossier.code,
        procedure_code=version.procedure.code,
        procedure_name=version.name,
        applicant_masked=name_masked(dossier.applicant_name),
        status=status.value,
        status_label=status_label(status),
        national_status=national_status(status),
        national_label=national_status_label(status),
        step_name=dossier.current_step.name if dossier.current_step else "",
        received_at=dossier.received_at,
        submitted_at=dossier.submitted_at,
        due_at=dossier.due_at,
        returned_at=dossier.returned_at,
        todo=_todo(dossier, note, public=not detail),
        papers=_papers_asked(dossier, status),
        short_reference=dossier.short_reference,
        note=note if detail else "",
        detailed=detail,
    )


def _papers_asked(dossier: Dossier, status: Status) -> tuple[str, ...]:
    """The papers of the latest supplement request while the applicant owes them: names of the
    procedure's components, never the officer's words, so anonymous visitors may see them."""
    if status not in (Status.SUPPLEMENT_REQUESTED, Status.INTAKE_SUPPLEMENT):
        return ()
    from motcua.dossiers.models import SupplementRequest

    latest = SupplementRequest.objects.filter(dossier=dossier).order_by("-pk").first()
    return tuple(latest.papers) if latest is not None else ()


# --- the signed-in citizen's own dossiers --------------------------------------------------------


def citizen_dossiers(user):
    """The dossiers this citizen's account submitted, newest first (one query with the procedure)."""
    return (
        Dossier.objects.filter(submitted_by=user)
        .select_related("procedure_version__procedure")
        .order_by("-submitted_at", "-pk")
    )


def citizen_drafts(user):
    from .models import Application

    return (
        Application.objects.filter(citizen=user, dossier__isnull=True)
        .select_related("procedure_version")
        .order_by("-updated_at")
    )


def _request_note(dossier: Dossier, status: Status) -> str:
    """The note of the latest request the status answers to (what to supplement, to pay…), if any."""
    action = _NOTE_ACTIONS.get(status)
    if not action:
        return ""
    latest = (
        DossierEvent.objects.filter(dossier=dossier, action=action)
        .order_by("-at", "-pk")
        .values_list("note", flat=True)
        .first()
    )
    return (latest or "").strip()


def dossier_todo(dossier: Dossier) -> tuple[str, str]:
    """(what the applicant must do now, the note of the latest request) for the dossier page."""
    status = Status(dossier.status)
    note = _request_note(dossier, status)
    return _todo(dossier, note), note


def dossier_files(dossier: Dossier) -> list:
    """The files of the dossier's components (documents app), [] before that app provides them."""
    try:
        from motcua.documents.selectors import files_for_dossier
    except ImportError:
        return []
    return list(files_for_dossier(dossier))


def dossier_results(dossier: Dossier) -> list:
    """The electronic results issued for the dossier (documents app)."""
    try:
        from motcua.documents.selectors import results_for_dossier
    except ImportError:
        return []
    return list(results_for_dossier(dossier))


def dossier_messages(dossier: Dossier) -> list:
    """The messages the applicant received about this dossier, one per status change (found by
    their event keys, dossier + revision, through the unique index)."""
    from motcua.notifications.models import Notification

    keys = [f"dossier-{dossier.pk}-r{revision}" for revision in range(dossier.revision + 1)]
    return list(
        Notification.objects.filter(event_key__in=keys)
        .only("channel", "body", "created_at", "status")
        .order_by("created_at", "pk")
    )


def fee_due_text(version) -> str:
    """When the fee is paid, in words ("nộp khi nộp hồ sơ"), or "" when nothing is to be paid."""
    if not any(fee.amount for fee in version.fees.all()):
        return ""
    return "nộp " + version.get_fee_due_display().lower()


# --- the online applicant's receipt (issue 15 item 9) ---------------------------------------------


@dataclass(frozen=True)
class ReceiptPaper:
    name: str
    form: str
    count: int
    files: tuple[str, ...]


def online_receipt(dossier: Dossier) -> dict:
    """ "Giấy xác nhận nộp hồ sơ trực tuyến", the online counterpart of Mẫu 01 (Circular 01/2018):
    the reference, the papers sent with the names of the files uploaded for each, the submission
    time and the expected date. Before the desk accepts the dossier the date is provisional: the
    procedure's processing time counted on the unit's working calendar from the submission, as if
    it had been received then (dossiers.services._accept counts it from the acceptance)."""
    from django.utils import timezone

    from motcua.calendars.selectors import working_calendar_for
    from motcua.core.symbols import qr_svg_data_uri
    from motcua.dossiers.codes import short_reference_display
    from motcua.dossiers.official_forms import (
        applicant_full_address,
        fee_lines,
        form_header,
        time_text,
    )
    from motcua.dossiers.online import online_reference, tracking_url

    from .models import ApplicationFile

    version = dossier.procedure_version
    unit = dossier.receiving_unit
    names: dict[int, list[str]] = {}
    for order, name in (
        ApplicationFile.objects.filter(application__dossier=dossier)
        .order_by("component_order", "created_at", "pk")
        .values_list("component_order", "name")
    ):
        names.setdefault(order, []).append(name)
    papers = [
        ReceiptPaper(c.name, c.get_form_display(), c.count, tuple(names.get(c.order, ())))
        for c in dossier.components.order_by("order")
    ]
    provisional = dossier.received_at is None
    submitted_at = dossier.submitted_at or now()  # an online dossier is submitted, or being so
    if provisional:
        due = working_calendar_for(unit).due(submitted_at, float(version.processing_hours))
    else:
        due = dossier.due_at_original
    submitted = timezone.localtime(submitted_at)
    fees = fee_lines(version)
    return {
        **form_header(unit, submitted.date()),
        "reference": short_reference_display(dossier.short_reference)
        if dossier.short_reference
        else online_reference(dossier),
        "code": dossier.code or "",
        "qr": qr_svg_data_uri(tracking_url(dossier, short=True)),
        "tracking_url": tracking_url(dossier, short=True),
        "receiving_unit_name": unit.name,
        "applicant_name": dossier.applicant_name,
        "applicant_address": applicant_full_address(dossier),
        "applicant_phone": dossier.contact_phone,
        "applicant_email": dossier.contact_email,
        "procedure_name": version.name,
        "papers": papers,
        "submitted_at_text": time_text(submitted_at),
        "due_at_text": time_text(due),
        "provisional": provisional,
        "fees": "; ".join(fees),
        "fee_due": version.get_fee_due_display().lower() if fees else "",
    }
