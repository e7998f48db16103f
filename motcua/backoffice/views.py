"""Back-office entry: sign-in and a home page per role. Views only translate HTTP into calls of
services and selectors; who may open what is decided in motcua.accounts.permissions."""

from django.shortcuts import render
from django.urls import Resolver404, resolve

from motcua.accounts.permissions import staff_required
from motcua.accounts.roles import Role

from .views_signin import LoginView  # noqa: F401  (the sign-in view lives with its second step)

HOME_TEMPLATES = {
    Role.DESK_OFFICER: "backoffice/home/desk_officer.html",
    Role.SPECIALIST: "backoffice/home/worklist.html",
    Role.DIVISION_HEAD: "backoffice/home/worklist.html",
    Role.DEPARTMENT_LEADER: "backoffice/home/department_leader.html",
    Role.ADMINISTRATOR: "backoffice/home/administrator.html",
}

# The administration areas an administrator's home page links to: (title, description, path).
ADMIN_AREAS = [
    ("Tổ chức và cán bộ", "Cây đơn vị, mã định danh, tài khoản cán bộ.", "/to-chuc/"),
    ("Danh mục thủ tục hành chính", "Thủ tục, phiên bản theo quyết định công bố.", "/danh-muc/"),
    ("Lịch làm việc", "Ngày nghỉ, ngày làm bù, giờ làm việc của đơn vị.", "/lich-lam-viec/"),
    (
        "Đăng nhập không thành công",
        "Các lần đăng nhập sai, tài khoản đang bị khóa, mở khóa.",
        "/quan-tri/dang-nhap/",
    ),
]


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@staff_required
def home(request):
    role = request.user.role
    context = {"role_label": Role(role).label}
    if role == Role.ADMINISTRATOR:
        # An area whose pages are not mounted yet is listed without a link rather than as a 404.
        context["admin_areas"] = [
            {"title": title, "description": text, "url": path if _resolves(path) else None}
            for title, text, path in ADMIN_AREAS
        ]
    return render(request, HOME_TEMPLATES[role], context)
