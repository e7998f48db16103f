"""HR pages under /nhan-su/ (administrator, department leader, organisation officers — see
permissions.py). Every page checks access before any look-up; lists mask birth dates; a person's
record shows them and the read is logged (motcua.core.audit)."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.accounts.roles import STAFF_ROLES
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.forms import add_service_errors
from motcua.core.identity import birth_date_masked
from motcua.org.selectors import unit_subtree_ids, units_in_tree_order

from . import forms, selectors, services
from .models import Post
from .permissions import require_staff_records

PAGE_SIZE = 30


def _guarded(view):
    """The role check before anything else (403 before 404)."""

    def wrapped(request, *args, **kwargs):
        require_staff_records(request.user)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _day(request) -> tuple[date, str]:
    """?ngay=dd/mm/yyyy, today when absent; an error message when malformed."""
    text = request.GET.get("ngay", "").strip()
    if not text:
        return now().date(), ""
    for fmt in forms.DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date(), ""
        except ValueError:
            continue
    return (
        now().date(),
        f"Ngày “{text[:20]}” không hợp lệ (dạng dd/mm/yyyy); đang xem ngày hôm nay.",
    )


def _unit_scope(request) -> tuple[set[int] | None, str]:
    unit = request.GET.get("don_vi", "")
    if unit.isdigit():
        return unit_subtree_ids(int(unit)), unit
    return None, ""


@_guarded
def staff_list(request):
    """People at work on a date (?ngay=), by unit (?don_vi=) and name (?q=, accents optional)."""
    day, date_error = _day(request)
    unit_ids, unit = _unit_scope(request)
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.staff_list(request.user, day=day, query=query, unit_ids=unit_ids)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("trang"))
    for person in page.object_list:
        person.birth_masked = birth_date_masked(person.birth_date)
        person.placement = person.placements_on_day[0] if person.placements_on_day else None
    summary = selectors.organisation_on(day, unit_ids)
    return render(
        request,
        "staffing/staff_list.html",
        {
            "page": page,
            "day": day,
            "date_error": date_error,
            "query": query,
            "units": units_in_tree_order(active_only=True),
            "unit": unit,
            "summary": summary,
            "total": sum(c.staff for c in summary.by_category.values()),
        },
    )


@_guarded
def posts(request):
    """Posts with quota, filled and vacant on a date (?ngay=)."""
    day, date_error = _day(request)
    unit_ids, unit = _unit_scope(request)
    page = Paginator(
        selectors.posts_on(day, unit_ids).order_by("unit__sort_order", "unit__code", "title", "pk"),
        PAGE_SIZE * 2,
    ).get_page(request.GET.get("trang"))
    for post in page.object_list:
        post.vacant = max(post.quota - post.filled, 0)
    return render(
        request,
        "staffing/posts.html",
        {
            "page": page,
            "posts": page.object_list,
            "day": day,
            "date_error": date_error,
            "unit": unit,
            "units": units_in_tree_order(active_only=True),
            "summary": selectors.organisation_on(day, unit_ids),
        },
    )


@_guarded
@require_http_methods(["GET", "POST"])
def post_add(request):
    form = forms.PostForm(request.POST or None, units=units_in_tree_order(active_only=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                request.user,
                unit_id=data["unit"],
                title=data["title"],
                category=data["category"],
                quota=data["quota"],
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm vị trí “{post.title}”.")
            return redirect("staffing:posts")
    return render(request, "staffing/form.html", {"form": form, "title": "Thêm vị trí, chỉ tiêu"})


def _open_posts():
    return (
        Post.objects.select_related("unit")
        .filter(valid_to__isnull=True)
        .order_by("unit__sort_order", "unit__code", "title")
    )


def _accounts():
    return User.objects.filter(
        is_active=True, role__in=STAFF_ROLES, staff_record__isnull=True
    ).order_by("full_name")


@_guarded
@require_http_methods(["GET", "POST"])
def staff_add(request):
    form = forms.StaffForm(request.POST or None, posts=_open_posts(), accounts=_accounts())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = services.staff_create(
                request.user,
                services.StaffData(
                    full_name=data["full_name"],
                    birth_date=data["birth_date"],
                    gender=data["gender"],
                    category=data["category"],
                    start_date=data["start_date"],
                    post_id=data["post"],
                    position=data["position"],
                    rank=data["rank"],
                    political_theory=data["political_theory"],
                    state_management=data["state_management"],
                    account_id=data["account"],
                    placed_on=data["placed_on"],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm hồ sơ {staff.full_name}.")
            return redirect("staffing:staff_detail", staff_id=staff.pk)
    return render(request, "staffing/form.html", {"form": form, "title": "Thêm hồ sơ cán bộ"})


# kind in the URL → (form, service, label, how the form's fields map to the service's arguments)
RECORD_KINDS = {
    "bang-cap": (forms.QualificationForm, services.qualification_add, "Thêm trình độ", {}),
    "boi-duong": (forms.CourseForm, services.course_add, "Thêm lớp bồi dưỡng", {}),
    "bo-nhiem": (forms.AppointmentForm, services.appointment_add, "Bổ nhiệm, bổ nhiệm lại", {}),
    "nang-luong": (
        forms.SalaryRaiseForm,
        services.salary_raise_add,
        "Nâng lương trước thời hạn",
        {},
    ),
    "luan-chuyen": (
        forms.RotationForm,
        services.staff_rotate,
        "Luân chuyển, chuyển đổi vị trí",
        {"to_post": "to_post_id"},
    ),
    "thoi-viec": (forms.LeaveForm, services.staff_leave, "Thôi việc", {}),
}


def _record_form(kind: str, data=None):
    form_class = RECORD_KINDS[kind][0]
    extra = {"posts": _open_posts()} if form_class is forms.RotationForm else {}
    return form_class(data, auto_id=f"{kind}_%s", **extra)


@_guarded
def staff_detail(request, staff_id: int):
    """A person's record with birth date in full (the read is logged) and forms to add to it."""
    staff = selectors.staff_record_for(request.user, staff_id)
    personal_data_read(request, f"staff:{staff.pk}", "staff_record")
    forms_by_kind = [(kind, spec[2], _record_form(kind)) for kind, spec in RECORD_KINDS.items()]
    return render(
        request, "staffing/staff_detail.html", {"staff": staff, "record_forms": forms_by_kind}
    )


@_guarded
@require_POST
def staff_record_add(request, staff_id: int, kind: str):
    if kind not in RECORD_KINDS:
        raise Http404("Không có loại thông tin này.")
    staff = selectors.staff_record_for(request.user, staff_id)
    _, service, label, renames = RECORD_KINDS[kind]
    form = _record_form(kind, request.POST)
    if form.is_valid():
        arguments = {renames.get(k, k): v for k, v in form.cleaned_data.items()}
        try:
            service(request.user, staff.pk, **arguments)
        except ValidationError as exc:
            add_service_errors(form, exc, {"post": "to_post"})
        else:
            messages.success(request, f"{label}: đã lưu.")
            return redirect("staffing:staff_detail", staff_id=staff.pk)
    personal_data_read(request, f"staff:{staff.pk}", "staff_record")
    forms_by_kind = [
        (k, spec[2], form if k == kind else _record_form(k)) for k, spec in RECORD_KINDS.items()
    ]
    return render(
        request,
        "staffing/staff_detail.html",
        {"staff": staff, "record_forms": forms_by_kind, "error_kind": kind},
        status=400,
    )
