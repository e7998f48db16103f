"""Every write to posts and HR records. Each service checks the actor (permissions.py), validates,
and writes in one transaction; errors are Vietnamese ValidationErrors (a dict per field).

A post's quota is enforced: nobody is placed in a full post, so "filled ≤ quota" holds on every
date and vacancies are simply quota − filled.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from motcua.accounts.models import User
from motcua.accounts.permissions import is_staff_member
from motcua.core.text import fold
from motcua.org.models import Unit

from .models import (
    Appointment,
    AppointmentKind,
    Category,
    Course,
    DegreeLevel,
    Gender,
    Placement,
    PoliticalTheory,
    Post,
    Qualification,
    Rotation,
    SalaryRaise,
    SalaryRaiseStatus,
    StaffMember,
    StateManagement,
)
from .permissions import require_staff_records


def _text(value: str, field: str, label: str, limit: int, errors: dict, required=True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        errors[field] = f"Hãy nhập {label}."
    elif len(text) > limit:
        errors[field] = f"{label[:1].upper()}{label[1:]} không quá {limit} ký tự."
    return text


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _staff_locked(staff_id: int) -> StaffMember:
    staff = StaffMember.objects.select_for_update().filter(pk=staff_id).first()
    if staff is None:
        raise ValidationError("Không tìm thấy hồ sơ cán bộ này.")
    return staff


# --- Posts ----------------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    actor,
    *,
    unit_id: int,
    title: str,
    category: str,
    quota: int,
    valid_from: date,
    valid_to: date | None = None,
) -> Post:
    """A post in a unit with its quota (chỉ tiêu biên chế / số người làm việc)."""
    require_staff_records(actor)
    errors: dict = {}
    title = _text(title, "title", "tên vị trí", 150, errors)
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first() if unit_id else None
    if unit is None:
        errors["unit"] = "Hãy chọn đơn vị đang hoạt động."
    if category not in Category.values:
        errors["category"] = "Hãy chọn loại: công chức, viên chức hoặc người lao động."
    if not isinstance(quota, int) or quota < 1 or quota > 999:
        errors["quota"] = "Chỉ tiêu phải là số nguyên từ 1 đến 999."
    if valid_to and valid_from and valid_to < valid_from:
        errors["valid_to"] = "Ngày kết thúc phải sau ngày bắt đầu."
    if (
        not errors
        and Post.objects.filter(unit=unit, title__iexact=title, category=category).exists()
    ):
        errors["title"] = "Đơn vị đã có vị trí này; hãy sửa chỉ tiêu của vị trí đó."
    _raise(errors)
    return Post.objects.create(
        unit=unit,
        title=title,
        category=category,
        quota=quota,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@transaction.atomic
def post_set_quota(actor, post_id: int, *, quota: int) -> Post:
    """Change a post's quota; never below the people in it today or later."""
    require_staff_records(actor)
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None:
        raise ValidationError("Không tìm thấy vị trí này.")
    if not isinstance(quota, int) or quota < 1 or quota > 999:
        raise ValidationError({"quota": "Chỉ tiêu phải là số nguyên từ 1 đến 999."})
    in_post = post.placements.filter(end_date__isnull=True).count()
    if quota < in_post:
        raise ValidationError(
            {"quota": f"Vị trí đang có {in_post} người; chỉ tiêu không thể nhỏ hơn."}
        )
    post.quota = quota
    post.save(update_fields=["quota"])
    return post


def _filled_on(post: Post, day: date, *, exclude_staff: int | None = None) -> int:
    placements = post.placements.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=day)
    )
    if exclude_staff:
        placements = placements.exclude(staff_id=exclude_staff)
    return placements.count()


def _post_for_placement(post_id, day: date, errors: dict, *, category: str | None, staff_id=None):
    post = Post.objects.select_for_update().filter(pk=post_id).first() if post_id else None
    if post is None:
        errors["post"] = "Hãy chọn vị trí việc làm."
        return None
    if post.valid_from > day or (post.valid_to and post.valid_to < day):
        errors["post"] = f"Vị trí “{post.title}” không có vào ngày {day:%d/%m/%Y}."
    elif category and post.category != category:
        errors["post"] = (
            f"Vị trí “{post.title}” dành cho {post.get_category_display().lower()}, "
            "không khớp loại cán bộ."
        )
    elif _filled_on(post, day, exclude_staff=staff_id) >= post.quota:
        errors["post"] = (
            f"Vị trí “{post.title}” ({post.unit}) đã đủ {post.quota} người vào ngày {day:%d/%m/%Y}."
        )
    return post


# --- Staff records --------------------------------------------------------------------------------


@dataclass
class StaffData:
    full_name: str
    birth_date: date
    gender: str
    category: str
    start_date: date
    post_id: int
    position: str = ""
    rank: str = ""
    political_theory: str = ""
    state_management: str = ""
    account_id: int | None = None
    # When the person took this post, if later than `start_date` (records taken over from paper
    # start with the posts as they are now).
    placed_on: date | None = None


def staff_errors(data: StaffData) -> dict:
    errors: dict = {}
    _text(data.full_name, "full_name", "họ và tên", 150, errors)
    _text(data.rank, "rank", "ngạch", 150, errors, required=False)
    _text(data.position, "position", "chức vụ", 150, errors, required=False)
    if data.gender not in Gender.values:
        errors["gender"] = "Hãy chọn giới tính."
    if data.category not in Category.values:
        errors["category"] = "Hãy chọn loại: công chức, viên chức hoặc người lao động."
    if data.political_theory not in PoliticalTheory.values:
        errors["political_theory"] = "Trình độ lý luận chính trị không hợp lệ."
    if data.state_management not in StateManagement.values:
        errors["state_management"] = "Trình độ quản lý nhà nước không hợp lệ."
    if not data.birth_date:
        errors["birth_date"] = "Hãy nhập ngày sinh."
    if not data.start_date:
        errors["start_date"] = "Hãy nhập ngày vào làm việc."
    if data.birth_date and data.start_date:
        age = (data.start_date - data.birth_date).days / 365.25
        if age < 18 or age > 65:
            errors["birth_date"] = (
                "Ngày sinh không hợp lý: tuổi khi vào làm việc phải từ 18 đến 65."
            )
    return errors


@transaction.atomic
def staff_create(actor, data: StaffData) -> StaffMember:
    """An HR record and the person's first placement (unit and post from `start_date`)."""
    require_staff_records(actor)
    errors = staff_errors(data)
    post = None
    placed_on = data.placed_on or data.start_date
    if data.placed_on and data.start_date and data.placed_on < data.start_date:
        errors["placed_on"] = "Ngày nhận vị trí không thể trước ngày vào làm việc."
    elif placed_on:
        post = _post_for_placement(data.post_id, placed_on, errors, category=data.category)
    account = None
    if data.account_id:
        account = User.objects.filter(pk=data.account_id).first()
        if account is None or not is_staff_member(account):
            errors["account"] = "Tài khoản liên kết phải là tài khoản cán bộ đang hoạt động."
        elif StaffMember.objects.filter(account=account).exists():
            errors["account"] = "Tài khoản này đã gắn với một hồ sơ cán bộ khác."
    _raise(errors)
    name = " ".join(data.full_name.split())
    staff = StaffMember.objects.create(
        full_name=name,
        name_folded=fold(name),
        birth_date=data.birth_date,
        gender=data.gender,
        category=data.category,
        rank=" ".join(data.rank.split()),
        political_theory=data.political_theory,
        state_management=data.state_management,
        start_date=data.start_date,
        account=account,
    )
    Placement.objects.create(
        staff=staff,
        post=post,
        position=" ".join(data.position.split()) or post.title,
        start_date=placed_on,
    )
    return staff


@transaction.atomic
def staff_leave(actor, staff_id: int, *, end_date: date) -> StaffMember:
    """The person leaves (retirement, transfer out, resignation) on `end_date`; the post frees up."""
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    if staff.end_date:
        raise ValidationError(f"Cán bộ đã thôi việc từ ngày {staff.end_date:%d/%m/%Y}.")
    if not end_date or end_date <= staff.start_date:
        raise ValidationError({"end_date": "Ngày thôi việc phải sau ngày vào làm việc."})
    if staff.placements.filter(start_date__gte=end_date).exists():
        raise ValidationError({"end_date": "Ngày thôi việc phải sau lần bố trí công tác gần nhất."})
    staff.end_date = end_date
    staff.save(update_fields=["end_date"])
    staff.placements.filter(end_date__isnull=True).update(end_date=end_date)
    return staff


@transaction.atomic
def staff_rotate(
    actor,
    staff_id: int,
    *,
    to_post_id: int,
    moved_on: date,
    decision_number: str = "",
    position: str = "",
) -> Rotation:
    """Move a person to a post in another unit (luân chuyển, chuyển đổi vị trí công tác): the
    current placement ends on `moved_on` and a new one starts the same day."""
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    errors: dict = {}
    current = staff.placements.select_related("post").filter(end_date__isnull=True).first()
    if staff.end_date or current is None:
        raise ValidationError("Cán bộ đã thôi việc, không thể luân chuyển.")
    if not moved_on or moved_on <= current.start_date:
        errors["moved_on"] = f"Ngày chuyển phải sau ngày {current.start_date:%d/%m/%Y}."
        _raise(errors)
    decision_number = _text(decision_number, "decision_number", "số quyết định", 64, errors, False)
    post = _post_for_placement(
        to_post_id, moved_on, errors, category=staff.category, staff_id=staff.pk
    )
    if post is not None and post.pk == current.post_id:
        errors["post"] = "Vị trí mới trùng vị trí hiện tại."
    _raise(errors)
    current.end_date = moved_on
    current.save(update_fields=["end_date"])
    Placement.objects.create(
        staff=staff,
        post=post,
        position=" ".join(position.split()) or post.title,
        start_date=moved_on,
    )
    return Rotation.objects.create(
        staff=staff,
        from_unit_id=current.post.unit_id,
        to_unit_id=post.unit_id,
        moved_on=moved_on,
        decision_number=decision_number,
    )


@transaction.atomic
def qualification_add(
    actor, staff_id: int, *, level: str, field: str, awarded_on: date | None = None
) -> Qualification:
    """A degree; "Luật" anywhere in the field (accents ignored) makes it a law degree."""
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    errors: dict = {}
    if level not in DegreeLevel.values:
        errors["level"] = (
            "Hãy chọn trình độ: tiến sĩ, thạc sĩ, đại học, cao đẳng, trung cấp, sơ cấp."
        )
    field = _text(field, "field", "chuyên ngành", 150, errors)
    if awarded_on and awarded_on < staff.birth_date:
        errors["awarded_on"] = "Ngày cấp bằng không thể trước ngày sinh."
    _raise(errors)
    return Qualification.objects.create(
        staff=staff,
        level=level,
        field=field,
        is_law="luat" in fold(field).split(),
        awarded_on=awarded_on,
    )


@transaction.atomic
def course_add(
    actor, staff_id: int, *, name: str, starts_on: date, ends_on: date | None = None
) -> Course:
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    errors: dict = {}
    name = _text(name, "name", "tên lớp, khóa học", 255, errors)
    if not starts_on:
        errors["starts_on"] = "Hãy nhập ngày bắt đầu."
    elif ends_on and ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc phải sau ngày bắt đầu."
    _raise(errors)
    return Course.objects.create(staff=staff, name=name, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def appointment_add(
    actor, staff_id: int, *, kind: str, position: str, decided_on: date, decision_number: str
) -> Appointment:
    """An appointment or re-appointment by decision; the current placement takes the position."""
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    errors: dict = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = "Hãy chọn bổ nhiệm hoặc bổ nhiệm lại."
    position = _text(position, "position", "chức vụ", 150, errors)
    decision_number = _text(decision_number, "decision_number", "số quyết định", 64, errors)
    if not decided_on:
        errors["decided_on"] = "Hãy nhập ngày quyết định."
    elif decided_on < staff.start_date:
        errors["decided_on"] = "Ngày quyết định không thể trước ngày vào làm việc."
    _raise(errors)
    staff.placements.filter(end_date__isnull=True).update(position=position)
    return Appointment.objects.create(
        staff=staff,
        kind=kind,
        position=position,
        decided_on=decided_on,
        decision_number=decision_number,
    )


@transaction.atomic
def salary_raise_add(
    actor, staff_id: int, *, status: str, decided_on: date, decision_number: str = ""
) -> SalaryRaise:
    """An early salary raise (nâng bậc lương trước thời hạn), proposed or granted."""
    require_staff_records(actor)
    staff = _staff_locked(staff_id)
    errors: dict = {}
    if status not in SalaryRaiseStatus.values:
        errors["status"] = "Hãy chọn: đề nghị hoặc đã nâng."
    decision_number = _text(decision_number, "decision_number", "số văn bản", 64, errors, False)
    if not decided_on:
        errors["decided_on"] = "Hãy nhập ngày."
    _raise(errors)
    return SalaryRaise.objects.create(
        staff=staff, status=status, decided_on=decided_on, decision_number=decision_number
    )
