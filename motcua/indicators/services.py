"""Writes of the indicators app: report drafts (versions kept), issuing (number per year), the
issuing department's profile. Each service is atomic, validated, and raises ValidationError with a
Vietnamese message, changing nothing, when the input is wrong."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from motcua.accounts.permissions import require
from motcua.core.clock import now

from .models import ReportDraft, ReportDraftVersion, ReportIssue, ReportProfile
from .narrative import default_paragraphs, paragraphs_validate
from .permissions import can_edit_reports, can_issue_reports
from .scope import Scope


def default_profile() -> ReportProfile | None:
    return ReportProfile.objects.filter(is_default=True).select_related("unit").first()


def default_agency_code() -> str | None:
    profile = default_profile()
    return profile.unit.code if profile else None


def profile_for(scope: Scope) -> ReportProfile | None:
    if scope.unit_code:
        found = ReportProfile.objects.filter(unit__code=scope.unit_code).first()
        if found:
            return found
    return default_profile()


def report_draft_create(actor, scope: Scope, *, title: str = "") -> ReportDraft:
    """A new draft for `scope` with the default narrative as its version 1."""
    from motcua.org.models import Unit

    require(can_edit_reports(actor), "Bạn không có quyền soạn báo cáo.")
    at = now()
    title = (title or "").strip() or default_title(scope)
    if len(title) > 255:
        raise ValidationError("Trích yếu dài quá 255 ký tự.")
    with transaction.atomic():
        unit = Unit.objects.get(code=scope.unit_code) if scope.unit_code else None
        draft = ReportDraft.objects.create(
            date_from=scope.date_from,
            date_to=scope.date_to,
            unit=unit,
            title=title,
            created_by=actor,
            created_at=at,
        )
        ReportDraftVersion.objects.create(
            draft=draft, number=1, paragraphs=starting_paragraphs(), author=actor, created_at=at
        )
    return draft


def starting_paragraphs() -> dict[str, str]:
    """A new draft's narrative: the paragraphs of the last issued report as its officers edited
    them (their {figures} are refilled for the new period when rendered), so the department's
    wording carries over; the default text for a paragraph the last report did not have (a newer
    template) or whose text no longer validates (a figure since removed). The default narrative
    when nothing was issued yet."""
    paragraphs = default_paragraphs()
    last = (
        ReportIssue.objects.select_related("version")
        .order_by("-issued_on", "-year", "-number")
        .first()
    )
    if last is None:
        return paragraphs
    for key, text in (last.version.paragraphs or {}).items():
        if key not in paragraphs or not isinstance(text, str):
            continue
        try:
            paragraphs_validate({**default_paragraphs(), key: text})
        except ValidationError:
            continue
        paragraphs[key] = text.strip()
    return paragraphs


def default_title(scope: Scope) -> str:
    months = (
        (scope.date_to.year - scope.date_from.year) * 12
        + scope.date_to.month
        - scope.date_from.month
        + 1
    )
    if scope.date_from.month == 1 and scope.date_from.day == 1 and months == 6:
        span = f"6 tháng đầu năm {scope.date_to.year}"
    elif scope.date_from.month == 1 and scope.date_from.day == 1 and months == 12:
        span = f"năm {scope.date_to.year}"
    else:
        span = f"từ ngày {scope.date_from:%d/%m/%Y} đến ngày {scope.date_to:%d/%m/%Y}"
    return f"Kết quả thực hiện công tác cải cách hành chính {span}"


def report_draft_save(actor, draft_id: int, paragraphs: dict[str, str]) -> ReportDraftVersion:
    """Save the narrative as a new version (earlier versions are kept). Refused once issued, and
    when a paragraph is unknown, empty, too long, or names a figure that does not exist."""
    require(can_edit_reports(actor), "Bạn không có quyền soạn báo cáo.")
    with transaction.atomic():
        draft = ReportDraft.objects.select_for_update().get(pk=draft_id)
        if ReportIssue.objects.filter(draft=draft).exists():
            raise ValidationError("Báo cáo đã ban hành, không sửa được nữa.")
        cleaned = paragraphs_validate(paragraphs)
        last = draft.versions.aggregate(n=Max("number"))["n"] or 0
        return ReportDraftVersion.objects.create(
            draft=draft, number=last + 1, paragraphs=cleaned, author=actor, created_at=now()
        )


def report_issue(actor, draft_id: int, figures: dict, *, symbol: str = "BC-STP") -> ReportIssue:
    """Issue a draft: the next number of the year (sequential from 01 on 1 January, Decree
    30/2020 art. 15), the latest version and the figures frozen. A draft is issued once."""
    require(can_issue_reports(actor), "Chỉ lãnh đạo mới được ban hành báo cáo.")
    at = now()
    for attempt in range(3):
        try:
            with transaction.atomic():
                draft = ReportDraft.objects.select_for_update().get(pk=draft_id)
                if ReportIssue.objects.filter(draft=draft).exists():
                    raise ValidationError("Báo cáo này đã được ban hành.")
                version = draft.latest
                last = ReportIssue.objects.filter(year=at.year).aggregate(n=Max("number"))["n"] or 0
                return ReportIssue.objects.create(
                    draft=draft,
                    year=at.year,
                    number=last + 1,
                    symbol=symbol,
                    issued_on=at.date(),
                    issued_by=actor,
                    version=version,
                    figures=figures,
                )
        except IntegrityError:
            if attempt == 2:  # two issuers took the same number thrice: give up, nothing written
                raise ValidationError(
                    "Số báo cáo vừa được cấp cho báo cáo khác; hãy thử lại."
                ) from None
    raise AssertionError("unreachable")
