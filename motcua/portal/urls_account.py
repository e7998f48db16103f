"""The citizen's account under /cong-dan/tai-khoan/ (namespace `portal`). Sign-in pages are public;
every other page is for a signed-in citizen (a desk officer too for the application pages: the
assisted submission), and every dossier goes through access_dossier_for_citizen."""

from django.urls import include, path

from . import views_account as v

urlpatterns = [
    path("dang-nhap/", v.signin, name="signin"),
    path("dang-nhap/ma/", v.signin_code, name="signin_code"),
    path("dang-xuat/", v.signout, name="signout"),
    path("oidc/dang-nhap/", v.oidc_start, name="oidc_start"),
    path("oidc/callback/", v.oidc_callback, name="oidc_callback"),
    path("dvcqg/", include("motcua.portal.urls_national_signon")),
    path("", v.account_home, name="account_home"),
    path("thong-tin/", v.profile, name="profile"),
    path("nop/<str:code>/", v.apply_start, name="apply_start"),
    path("nhap/<int:application_id>/", v.application_edit, name="application_edit"),
    path(
        "nhap/<int:application_id>/tep/<int:file_id>/xoa/",
        v.application_file_delete,
        name="application_file_delete",
    ),
    path("ho-so/<int:dossier_id>/", v.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:dossier_id>/da-nop/", v.dossier_submitted, name="dossier_submitted"),
    path(
        "ho-so/<int:dossier_id>/giay-xac-nhan.pdf",
        v.dossier_receipt_pdf,
        name="dossier_receipt_pdf",
    ),
    path("ho-so/<int:dossier_id>/vietqr.png", v.dossier_qr_png, name="dossier_qr_png"),
    path("ho-so/<int:dossier_id>/bo-sung/", v.dossier_supplement, name="dossier_supplement"),
    path("ho-so/<int:dossier_id>/rut/", v.dossier_withdraw, name="dossier_withdraw"),
    path("ho-so/<int:dossier_id>/buu-chinh/", v.dossier_return_post, name="dossier_return_post"),
    path("ho-so/<int:dossier_id>/danh-gia/", v.dossier_rate, name="dossier_rate"),
    path(
        "ho-so/<int:dossier_id>/ket-qua/<int:document_id>/",
        v.result_download,
        name="result_download",
    ),
]

# --- the online forms (tờ khai trực tuyến, motcua.eforms) -------------------------------------------
from . import views_eforms as e  # noqa: E402

urlpatterns += [
    path("to-khai/<str:code>/", e.eform_start, name="eform_start"),
    path("to-khai/nhap/<int:draft_id>/", e.eform_edit, name="eform_edit"),
    path(
        "to-khai/nhap/<int:draft_id>/tep/<int:file_id>/xoa/",
        e.eform_file_delete,
        name="eform_file_delete",
    ),
]
