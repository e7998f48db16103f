"""The register of legal documents (văn bản QPPL), drafts received, the activities on them
(appraisal, comments, checks, reviews, systematisation) and systematisation periods."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.core.clock import now

from .. import permissions
from ..models import (
    DRAFT_KINDS,
    EXPIRY_OUTCOMES,
    ISSUER_TYPES,
    TYPE_SIGNS,
    ActivityKind,
    DocStatus,
    DocType,
    Draft,
    Issuer,
    LegalActivity,
    LegalDocument,
    ReviewOutcome,
    SystematisationPeriod,
)
from .validation import (
    FIRST_YEAR,
    LAST_YEAR,
    MSG_DATE,
    MSG_REQUIRED,
    Errors,
    check_actor,
    check_date,
    check_text,
    resolve_by_pk,
    resolve_unit,
)

# Số/năm/ký hiệu (Luật 2015, art. 10; Nghị định 34/2016 art. 59): 12/2023/QĐ-UBND, 59/2020/QH14.
LEGAL_NUMBER = re.compile(r"^(\d{1,4})/(\d{4})/([A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")


def _check_issuer_type(errors: Errors, issuer: str, doc_type: str) -> None:
    if issuer not in Issuer.values:
        errors.add("issuer", "Hãy chọn cơ quan ban hành.")
    elif doc_type not in DocType.values:
        errors.add("doc_type", "Hãy chọn loại văn bản.")
    elif doc_type not in ISSUER_TYPES[issuer]:
        allowed = ", ".join(DocType(t).label for t in ISSUER_TYPES[issuer])
        errors.add(
            "doc_type",
            f"{Issuer(issuer).label} chỉ ban hành văn bản QPPL loại: {allowed} "
            "(Luật Ban hành văn bản QPPL năm 2015).",
        )


def legal_number_problem(number: str, doc_type: str, issued_on) -> str | None:
    """Why `number` is not a valid number for a document of that type and date, or None."""
    match = LEGAL_NUMBER.match(number)
    if not match:
        return "Số, ký hiệu phải có dạng số/năm/ký hiệu, ví dụ 12/2023/QĐ-UBND."
    if isinstance(issued_on, date) and int(match.group(2)) != issued_on.year:
        return f"Năm trong số, ký hiệu ({match.group(2)}) phải là năm ban hành ({issued_on.year})."
    sign = TYPE_SIGNS.get(doc_type)
    if sign and not match.group(3).startswith(f"{sign}-"):
        return f"Ký hiệu của {DocType(doc_type).label.lower()} phải bắt đầu bằng “{sign}-”."
    return None


@transaction.atomic
def legal_document_register(
    actor,
    *,
    issuer: str,
    doc_type: str,
    number: str,
    issued_on: date,
    title: str,
    effective_from: date,
    effective_to: date | None = None,
) -> LegalDocument:
    """Enter a promulgated legal document in the register: its issuer may promulgate its type, its
    number is số/năm/ký hiệu with the year of issue, it takes effect on or after its issue date."""
    check_actor(actor, permissions.require_legal_edit)
    errors = Errors()
    number = (number or "").strip().upper()
    _check_issuer_type(errors, issuer, doc_type)
    check_date(errors, "issued_on", issued_on)
    check_date(errors, "effective_from", effective_from)
    if effective_to is not None:
        check_date(errors, "effective_to", effective_to)
    if not number:
        errors.add("number", MSG_REQUIRED)
    else:
        problem = legal_number_problem(number, doc_type, issued_on)
        if problem:
            errors.add("number", problem)
    title = check_text(errors, "title", title, 500)
    if not {"issued_on", "effective_from"} & set(errors) and effective_from < issued_on:
        errors.add("effective_from", "Ngày có hiệu lực không được trước ngày ban hành.")
    dates_ok = "effective_from" not in errors and "effective_to" not in errors
    if effective_to and dates_ok and effective_to < effective_from:
        errors.add("effective_to", "Ngày hết hiệu lực không được trước ngày có hiệu lực.")
    if (
        "number" not in errors
        and LegalDocument.objects.filter(issuer=issuer, number=number).exists()
    ):
        errors.add("number", f"Văn bản số {number} đã có trong sổ.")
    errors.raise_if_any()
    status = (
        DocStatus.EXPIRED if effective_to and effective_to <= now().date() else DocStatus.IN_FORCE
    )
    try:
        with transaction.atomic():
            return LegalDocument.objects.create(
                issuer=issuer,
                doc_type=doc_type,
                number=number,
                issued_on=issued_on,
                title=title,
                effective_from=effective_from,
                effective_to=effective_to,
                status=status,
            )
    except IntegrityError:  # a double click that won the race: the first one stands
        raise ValidationError({"number": [f"Văn bản số {number} đã có trong sổ."]}) from None


@transaction.atomic
def draft_register(
    actor,
    *,
    title: str,
    issuer: str,
    doc_type: str,
    drafting_agency: str,
    received_on: date,
    request_reference: str = "",
) -> Draft:
    """Record a draft received for appraisal or comments (central drafts included)."""
    check_actor(actor, permissions.require_legal_edit)
    errors = Errors()
    title = check_text(errors, "title", title, 500)
    _check_issuer_type(errors, issuer, doc_type)
    drafting_agency = check_text(errors, "drafting_agency", drafting_agency, 255)
    check_date(errors, "received_on", received_on)
    if "received_on" not in errors and received_on > now().date():
        errors.add("received_on", "Ngày nhận không được sau hôm nay.")
    request_reference = (request_reference or "").strip()[:200]
    if (
        not errors
        and Draft.objects.filter(
            title=title, drafting_agency=drafting_agency, received_on=received_on
        ).exists()
    ):
        errors.add(
            "title", "Dự thảo này đã được ghi nhận (cùng tên, cơ quan soạn thảo, ngày nhận)."
        )
    errors.raise_if_any()
    return Draft.objects.create(
        title=title,
        issuer=issuer,
        doc_type=doc_type,
        drafting_agency=drafting_agency,
        received_on=received_on,
        request_reference=request_reference,
    )


@transaction.atomic
def legal_activity_record(
    actor,
    *,
    kind: str,
    done_on: date,
    unit,
    draft=None,
    document=None,
    period=None,
    reference: str = "",
    result: str = "",
    findings: str = "",
    handling: str = "",
    outcome: str = "",
    expired_on: date | None = None,
) -> LegalActivity:
    """Record one activity. Appraisal and comments concern a draft (appraisal only of a provincial
    one); checks, reviews and systematisation concern a registered document; a review states its
    outcome, and when the document has expired (fully or partly), since when — which also updates
    the register. The same activity on the same subject and day is recorded once."""
    check_actor(actor, permissions.require_legal_edit)
    errors = Errors()
    if kind not in ActivityKind.values:
        errors.add("kind", "Hãy chọn hoạt động.")
    check_date(errors, "done_on", done_on)
    if "done_on" not in errors and done_on > now().date():
        errors.add("done_on", "Ngày thực hiện không được sau hôm nay.")
    unit = resolve_unit(errors, "unit", unit)
    draft = resolve_by_pk(errors, "draft", Draft, draft, "Không tìm thấy dự thảo.")
    document = resolve_by_pk(errors, "document", LegalDocument, document, "Không tìm thấy văn bản.")
    period = resolve_by_pk(
        errors, "period", SystematisationPeriod, period, "Không tìm thấy kỳ hệ thống hóa."
    )
    outcome = outcome or ""
    if kind in DRAFT_KINDS:
        document, period, outcome, expired_on = None, None, "", None
        if draft is None and "draft" not in errors:
            errors.add("draft", "Hãy chọn dự thảo.")
        if kind == ActivityKind.APPRAISAL and draft is not None and draft.is_central:
            errors.add(
                "draft",
                "Sở Tư pháp chỉ thẩm định dự thảo văn bản của địa phương; dự thảo của Trung ương thì góp ý.",
            )
        if draft is not None and "done_on" not in errors and done_on < draft.received_on:
            errors.add("done_on", "Ngày thực hiện không được trước ngày nhận dự thảo.")
    elif kind in ActivityKind.values:
        draft = None
        if document is None and "document" not in errors:
            errors.add("document", "Hãy chọn văn bản QPPL.")
        if document is not None and "done_on" not in errors and done_on < document.issued_on:
            errors.add("done_on", "Ngày thực hiện không được trước ngày ban hành văn bản.")
        _check_kind_details(errors, kind, outcome, expired_on, document, period)
    if not errors and kind != ActivityKind.REVIEW:
        outcome, expired_on = "", None
    if (
        not errors
        and LegalActivity.objects.filter(
            kind=kind, draft=draft, document=document, done_on=done_on
        ).exists()
    ):
        errors.add("kind", "Hoạt động này đã được ghi nhận cho văn bản, dự thảo này trong ngày.")
    errors.raise_if_any()
    activity = LegalActivity.objects.create(
        kind=kind,
        done_on=done_on,
        unit=unit,
        draft=draft,
        document=document,
        period=period,
        reference=(reference or "").strip()[:200],
        result=(result or "").strip(),
        findings=(findings or "").strip(),
        handling=(handling or "").strip(),
        outcome=outcome,
        expired_on=expired_on,
    )
    if kind == ActivityKind.REVIEW and outcome in EXPIRY_OUTCOMES:
        assert expired_on is not None  # required for these outcomes, checked above
        _mark_expired(document, outcome, expired_on)
    return activity


def _check_kind_details(errors, kind, outcome, expired_on, document, period) -> None:
    if kind == ActivityKind.REVIEW:
        if outcome not in ReviewOutcome.values:
            errors.add("outcome", "Hãy chọn kết quả rà soát.")
        elif outcome in EXPIRY_OUTCOMES:
            if expired_on is None:
                errors.add("expired_on", "Hãy nhập ngày văn bản hết hiệu lực.")
            elif not isinstance(expired_on, date) or not (
                FIRST_YEAR <= expired_on.year <= LAST_YEAR
            ):
                errors.add("expired_on", MSG_DATE)
            elif document is not None and expired_on < document.effective_from:
                errors.add("expired_on", "Ngày hết hiệu lực không được trước ngày có hiệu lực.")
    elif kind == ActivityKind.SYSTEMATISATION and period is None and "period" not in errors:
        errors.add("period", "Hãy chọn kỳ hệ thống hóa.")


def _mark_expired(document: LegalDocument, outcome: str, expired_on: date) -> None:
    document = LegalDocument.objects.select_for_update().get(pk=document.pk)
    if outcome == ReviewOutcome.EXPIRED_FULLY:
        document.status, document.effective_to = DocStatus.EXPIRED, expired_on
    elif document.status != DocStatus.EXPIRED:
        document.status = DocStatus.PARTLY_EXPIRED
    document.save(update_fields=["status", "effective_to"])


@transaction.atomic
def period_create(actor, *, start_year: int, end_year: int, cutoff_on: date, note: str = ""):
    """A systematisation period: five years ending on the cut-off day (Nghị định 34/2016, art. 167)."""
    check_actor(actor, permissions.require_legal_edit)
    errors = Errors()
    if not all(isinstance(y, int) and FIRST_YEAR <= y <= LAST_YEAR for y in (start_year, end_year)):
        errors.add("start_year", "Năm không hợp lệ.")
    elif end_year - start_year != 4:
        errors.add("end_year", "Kỳ hệ thống hóa là 05 năm (ví dụ 2019–2023).")
    check_date(errors, "cutoff_on", cutoff_on)
    if not errors and cutoff_on.year != end_year:
        errors.add("cutoff_on", "Thời điểm chốt phải thuộc năm cuối của kỳ.")
    if (
        not errors
        and SystematisationPeriod.objects.filter(start_year=start_year, end_year=end_year).exists()
    ):
        errors.add("start_year", "Kỳ hệ thống hóa này đã có.")
    errors.raise_if_any()
    return SystematisationPeriod.objects.create(
        start_year=start_year, end_year=end_year, cutoff_on=cutoff_on, note=(note or "").strip()
    )
