"""Back-office URLs. Each area has its own URL module so that areas can grow independently."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_signin

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views_signin.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", views_signin.login_code, name="login_code"),
    path("xac-thuc-hai-buoc/", views_signin.totp_enrol, name="totp_enrol"),
    path("quan-tri/dang-nhap/", views_signin.signin_failures, name="signin_failures"),
    path(
        "quan-tri/dang-nhap/<int:user_id>/mo-khoa/",
        views_signin.account_unlock,
        name="account_unlock",
    ),
    path("thong-bao/<int:notice_id>/da-xem/", views.notice_read, name="notice_read"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("to-chuc/", include("motcua.backoffice.urls_org")),
    path("danh-muc/", include("motcua.backoffice.urls_catalog")),
    path("lich-lam-viec/", include("motcua.backoffice.urls_calendar")),
    path("ho-so/", include("motcua.backoffice.urls_dossiers")),
    path("tac-vu/", include("motcua.backoffice.urls_jobs")),
    path("lien-thong/dvcqg/", include("motcua.backoffice.urls_dvcqg")),
    path("quan-tri/", include("motcua.backoffice.urls_audit")),
    # Văn thư: document exchange between agencies (edXML), staff of the unit (ADR 0034).
    path("van-thu/", include("motcua.backoffice.urls_exchange")),
    # Lưu trữ: the unit's work files (hồ sơ công việc), staff of the unit (ADR 0039).
    path("luu-tru/", include("motcua.backoffice.urls_archives")),
]
