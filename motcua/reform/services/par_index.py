"""The PAR index (Chỉ số cải cách hành chính): assessments, criteria and their scores."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import permissions
from ..models import (
    ParAssessment,
    ParCriterion,
)
from ..par_auto import vn_points
from .validation import (
    FIRST_YEAR,
    LAST_YEAR,
    MSG_REQUIRED,
    Errors,
    check_actor,
    check_text,
    resolve_by_pk,
    resolve_unit,
)


def _points(errors: Errors, field: str, value, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, MSG_REQUIRED)
        return None
    try:
        points = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(field, "Điểm phải là số, ví dụ 1,5.")
        return None
    if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.01")):
        errors.add(field, "Điểm phải là số không âm, tối đa hai chữ số thập phân.")
        return None
    if points >= 10000:
        errors.add(field, "Điểm quá lớn.")
        return None
    return points


@transaction.atomic
def par_assessment_create(actor, *, year: int, unit) -> ParAssessment:
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    if not isinstance(year, int) or not (FIRST_YEAR <= year <= LAST_YEAR):
        errors.add("year", "Năm đánh giá không hợp lệ.")
    unit = resolve_unit(errors, "unit", unit)
    if not errors and ParAssessment.objects.filter(year=year, unit=unit).exists():
        errors.add("year", f"Đã có bộ chỉ số năm {year} của đơn vị này.")
    errors.raise_if_any()
    return ParAssessment.objects.create(year=year, unit=unit)


@transaction.atomic
def par_criterion_add(
    actor, assessment_id: int, *, code: str, title: str, max_points, parent=None
) -> ParCriterion:
    """A criterion (no parent) or a sub-criterion; only sub-criteria without children are scored."""
    check_actor(actor, permissions.require_edit)
    assessment = ParAssessment.objects.select_for_update().filter(pk=assessment_id).first()
    if assessment is None:
        raise ValidationError("Không tìm thấy bộ chỉ số.")
    errors = Errors()
    code = check_text(errors, "code", code, 16)
    title = check_text(errors, "title", title, 500)
    points = _points(errors, "max_points", max_points)
    parent = resolve_by_pk(errors, "parent", ParCriterion, parent, "Không tìm thấy tiêu chí cha.")
    if parent is not None and parent.assessment_id != assessment.pk:
        errors.add("parent", "Tiêu chí cha thuộc bộ chỉ số khác.")
    if parent is not None and parent.self_score is not None:
        errors.add("parent", "Tiêu chí cha đã được chấm điểm, không thêm tiêu chí con được.")
    if code and assessment.criteria.filter(code=code).exists():
        errors.add("code", f"Mã tiêu chí {code} đã có.")
    errors.raise_if_any()
    assert points is not None  # required: a missing value was refused above
    return ParCriterion.objects.create(
        assessment=assessment, parent=parent, code=code, title=title, max_points=points
    )


def _scored_criterion(criterion_id: int) -> ParCriterion:
    criterion = ParCriterion.objects.select_for_update().filter(pk=criterion_id).first()
    if criterion is None:
        raise ValidationError("Không tìm thấy tiêu chí.")
    if criterion.children.exists():
        raise ValidationError("Chỉ chấm điểm tiêu chí thành phần (không có tiêu chí con).")
    if criterion.max_points is None:
        raise ValidationError(
            "Tiêu chí chưa có điểm tối đa chính thức (chưa có dữ liệu chính thức), chưa chấm được."
        )
    return criterion


@transaction.atomic
def par_self_score(actor, criterion_id: int, *, score, evidence: str = "") -> ParCriterion:
    """The unit's own score for a sub-criterion, at most its maximum, with evidence (links or
    document references, one a line)."""
    check_actor(actor, permissions.require_edit)
    criterion = _scored_criterion(criterion_id)
    errors = Errors()
    points = _points(errors, "self_score", score)
    if points is not None and criterion.max_points is not None and points > criterion.max_points:
        errors.add(
            "self_score",
            f"Điểm tự đánh giá không được vượt {vn_points(criterion.max_points)} điểm.",
        )
    evidence = (evidence or "").strip()
    if criterion.auto_key and not evidence:
        errors.add(
            "evidence",
            "Tiêu chí có số liệu tự động: tự chấm thay cho điểm đề xuất phải ghi tài liệu kiểm "
            "chứng.",
        )
    errors.raise_if_any()
    criterion.self_score = points
    criterion.evidence = evidence
    criterion.score_basis = "manual"
    criterion.save(update_fields=["self_score", "evidence", "score_basis"])
    return criterion


@transaction.atomic
def par_final_score(actor, criterion_id: int, *, score) -> ParCriterion:
    """The score the provincial appraisal council gave, entered when it is published."""
    check_actor(actor, permissions.require_edit)
    criterion = _scored_criterion(criterion_id)
    errors = Errors()
    points = _points(errors, "final_score", score)
    if points is not None and criterion.max_points is not None and points > criterion.max_points:
        errors.add(
            "final_score",
            f"Điểm thẩm định không được vượt {vn_points(criterion.max_points)} điểm.",
        )
    errors.raise_if_any()
    criterion.final_score = points
    criterion.save(update_fields=["final_score"])
    return criterion


@transaction.atomic
def par_scores_set(actor, criterion_id: int, *, self_score, evidence: str = "", final_score=None):
    """Both scores of a sub-criterion from one form: saved together or not at all."""
    criterion = par_self_score(actor, criterion_id, score=self_score, evidence=evidence)
    if final_score not in (None, ""):
        criterion = par_final_score(actor, criterion_id, score=final_score)
    return criterion
