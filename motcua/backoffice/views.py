"""Back-office entry: sign-in and a home page per role. Views only translate HTTP into calls of
services and selectors; who may open what is decided in motcua.accounts.permissions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from motcua.accounts.permissions import staff_required
from motcua.accounts.roles import Role
from motcua.dossiers.overview import desk_overview, leader_overview
from motcua.dvcqg.selectors import dvcqg_status
from motcua.indicators.dashboard import dashboard_data, default_period
from motcua.indicators.scope import scope_build
from motcua.notifications.notices import (
    notice_mark_read,
    notices_unread_count,
    notices_unread_for,
)

from .views_signin import LoginView  # noqa: F401  (the sign-in view lives with its second step)

HOME_TEMPLATES = {
    Role.DESK_OFFICER: "backoffice/home/desk_officer.html",
    Role.SPECIALIST: "backoffice/home/worklist.html",
    Role.DIVISION_HEAD: "backoffice/home/worklist.html",
    Role.DEPARTMENT_LEADER: "backoffice/home/department_leader.html",
    Role.ADMINISTRATOR: "backoffice/home/administrator.html",
}


def _desk_home(user) -> dict:
    return {"tallies": desk_overview(user)}


def _leader_home(user) -> dict:
    """This period's figures (the dashboard's, for the half-year with the latest reception) and the
    work waiting on the leader."""
    date_from, date_to = default_period()
    data = dashboard_data(scope_build(date_from, date_to))
    return {"tallies": leader_overview(user), "period": data, "date_from": date_from,
            "date_to": date_to}  # fmt: skip


HOME_OVERVIEWS = {Role.DESK_OFFICER: _desk_home, Role.DEPARTMENT_LEADER: _leader_home}

# The administration areas an administrator's home page links to: (title, description, URL name).
ADMIN_AREAS = [
    ("Tổ chức và cán bộ", "Cây đơn vị, mã định danh, tài khoản cán bộ.", "backoffice:org_units"),
    (
        "Danh mục thủ tục hành chính",
        "Thủ tục, phiên bản theo quyết định công bố.",
        "backoffice:catalog_list",
    ),
    (
        "Lịch làm việc",
        "Ngày nghỉ, ngày làm bù, giờ làm việc của đơn vị.",
        "backoffice:calendar_list",
    ),
    (
        "Đăng nhập không thành công",
        "Các lần đăng nhập sai, tài khoản đang bị khóa, mở khóa.",
        "backoffice:signin_failures",
    ),
    (
        "Đồng bộ Cổng Dịch vụ công quốc gia",
        "Hồ sơ, tiến độ chờ gửi, gửi lỗi, ngừng gửi; gửi lại.",
        "backoffice:dvcqg_sync",
    ),
]
# The sync's health on the administrator's home (issue [I] 9): a lag beyond this is a warning.
SYNC_LAG_WARNING_SECONDS = 15 * 60


def _url_or_none(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


@staff_required
def home(request):
    role = request.user.role
    context = {
        "role_label": Role(role).label,
        "notices": notices_unread_for(request.user),
        "notices_unread": notices_unread_count(request.user),
    }
    if role in HOME_OVERVIEWS:
        context.update(HOME_OVERVIEWS[role](request.user))
    if role == Role.ADMINISTRATOR:
        # An area whose pages are not mounted yet is listed without a link rather than as a 404.
        context["admin_areas"] = [
            {"title": title, "description": text, "url": _url_or_none(url_name)}
            for title, text, url_name in ADMIN_AREAS
        ]
        context["sync"] = _sync_health()
    return render(request, HOME_TEMPLATES[role], context)


def _sync_health() -> dict:
    status = dvcqg_status()
    counts = status["counts"]
    status["alarm"] = status["enabled"] and (
        counts["dead"] > 0 or status["lag_seconds"] > SYNC_LAG_WARNING_SECONDS
    )
    status["lag_minutes"] = int(status["lag_seconds"] // 60)
    return status


@staff_required
@require_POST
def notice_read(request, notice_id: int):
    """ "Đã xem" on a notice of the home page's list; another officer's notice is refused (403)."""
    notice_mark_read(request.user, notice_id)
    messages.success(request, "Đã đánh dấu thông báo là đã xem.")
    return redirect("backoffice:home")
