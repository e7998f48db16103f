"""The online application: a draft with uploads, submission to "Mới đăng ký", the desk's answer,
the supplement answered online, withdrawal, assisted submission, return by post, the rating —
and bad uploads refused with a clear message and nothing stored."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.documents.models import ComponentFile, StoredFile
from motcua.dossiers.models import Dossier
from motcua.dossiers.online import online_reference, tracking_url
from motcua.notifications.models import Notification
from motcua.portal import services
from motcua.portal.models import Application, ApplicationFile, DossierRating
from tests.dossiers.test_services import act, at

from .factories import (
    CODE,
    applicant_input,
    citizen,
    online_dossier,
    pdf_bytes,
    pdf_upload,
    png_upload,
)

NOW = "2024-05-06T10:00"
RATING = dict(time_score=2, contacts_score=2, bodies_score=1, attitude_score=2, online_score=1)


@pytest.fixture
def today():
    with time_machine.travel(at(NOW), tick=False):
        yield


@pytest.fixture
def hương(desk, today):
    return citizen()


def test_apply_save_a_draft_then_submit(hương):
    version = version_in_force(CODE)
    draft = services.application_start(hương, version)
    assert draft.data["full_name"] == "Nguyễn Thị Hương" and draft.data["phone"] == "0912345678"
    # A draft saves half-filled and without its mandatory file.
    services.application_save(hương, draft.pk, applicant_input(hương, full_name="", uploads={}))
    with pytest.raises(ValidationError) as error:
        services.application_submit(hương, draft.pk)
    assert "file_1" in error.value.message_dict and not Dossier.objects.exists()
    values = applicant_input(hương, uploads={1: [pdf_upload()], 2: [png_upload()]})
    services.application_save(hương, draft.pk, values)
    dossier = services.application_submit(hương, draft.pk)
    assert dossier.status == "submitted_online" and dossier.national_status == 1
    assert (dossier.channel, dossier.submitted_by, dossier.assisted_by) == ("online", hương, None)
    files = ComponentFile.objects.filter(component__dossier=dossier)
    assert sorted(f.component.name for f in files) == [
        "Bản chụp giấy tờ tùy thân",
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
    ]
    assert {f.source for f in files} == {"citizen_upload"}
    # One message, by SMS as chosen, with the tracking link.
    sms = Notification.objects.get(to="0912345678")
    assert sms.channel == "sms" and tracking_url(dossier) in sms.body
    assert tracking_url(dossier).startswith("http://127.0.0.1:8000/cong-dan/tra-cuu/")
    # A double click submits once.
    assert services.application_submit(hương, draft.pk) == dossier
    assert Dossier.objects.count() == 1


def test_submit_refuses_bad_applicant_data_and_keeps_nothing(hương):
    draft = services.application_start(hương, version_in_force(CODE))
    values = applicant_input(hương, citizen_id="123", uploads={1: [pdf_upload()]})
    services.application_save(hương, draft.pk, values)
    with pytest.raises(ValidationError) as error:
        services.application_submit(hương, draft.pk)
    assert "applicant.citizen_id" in error.value.message_dict
    assert not Dossier.objects.exists() and not ComponentFile.objects.exists()


def test_sms_chosen_without_a_phone_is_refused(desk, today):
    by_mail = citizen("hoa@vi-du.vn")
    draft = services.application_start(by_mail, version_in_force(CODE))
    values = applicant_input(by_mail, notify_channel="sms", uploads={1: [pdf_upload()]})
    services.application_save(by_mail, draft.pk, values)
    with pytest.raises(ValidationError, match="số điện thoại"):
        services.application_submit(by_mail, draft.pk)


BAD_FILES = [
    ("chuong-trinh.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "không phải PDF, JPEG hay PNG"),
    ("hong.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n" + b"\x00" * 50, "PDF bị hỏng"),
    ("qua-lon.pdf", pdf_bytes() + b"%" * (services.MAX_UPLOAD_BYTES + 1), "Tệp quá lớn"),
]


@pytest.mark.parametrize("name,data,message", BAD_FILES, ids=["exe", "corrupt", "oversize"])
def test_bad_uploads_get_a_clear_message_and_nothing_is_stored(client, hương, name, data, message):
    draft = services.application_start(hương, version_in_force(CODE))
    client.force_login(hương)
    url = reverse("portal:application_edit", args=[draft.pk])
    form = {
        "full_name": "Nguyễn Thị Hương",
        "citizen_id": "042190001234",
        "phone": "0912345678",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
        "file_1": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }
    response = client.post(url, form)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and name in body
    assert not StoredFile.objects.exists() and not ApplicationFile.objects.exists()
    assert not Dossier.objects.exists()
    assert Application.objects.get().data.get("full_name", "") == "Nguyễn Thị Hương"  # as prefilled


def test_one_bad_file_among_good_ones_keeps_none(hương):
    draft = services.application_start(hương, version_in_force(CODE))
    exe = SimpleUploadedFile("anh.png", b"MZ" + b"\x00" * 100)
    values = applicant_input(hương, uploads={1: [pdf_upload()], 2: [exe]})
    with pytest.raises(ValidationError) as error:
        services.application_save(hương, draft.pk, values)
    assert "anh.png" in error.value.message_dict["file_2"][0]
    assert not ApplicationFile.objects.exists()


def test_the_form_page_saves_a_draft_and_submits(client, hương):
    client.force_login(hương)
    response = client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.get()
    assert response["Location"] == reverse("portal:application_edit", args=[draft.pk])
    page = client.get(response["Location"]).content.decode()
    assert (
        'value="Nguyễn Thị Hương"' in page and "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in page
    )
    form = {
        "full_name": "Nguyễn Thị Hương",
        "citizen_id": "042190001234",
        "phone": "0912345678",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "save",
        "file_1": pdf_upload(),
    }
    assert client.post(reverse("portal:application_edit", args=[draft.pk]), form).status_code == 302
    assert (
        "to-khai.pdf"
        in client.get(reverse("portal:application_edit", args=[draft.pk])).content.decode()
    )
    form.pop("file_1")
    form["action"] = "submit"
    response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("portal:dossier_submitted", args=[dossier.pk])
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Mới đăng ký trực tuyến" in page and online_reference(dossier) in page
    assert "Thông báo đã gửi cho ông/bà" in page and "da gui, cho Bo phan Mot cua kiem tra" in page


def test_supplement_at_intake_answered_online_then_accepted(desk, hương):
    dossier = online_dossier(hương)
    act(
        desk["desk"],
        dossier,
        "request_intake_supplement",
        "2024-05-06T11:00",
        note="Tờ khai chưa ký",
    )
    sms = Notification.objects.filter(to="0912345678").order_by("pk").last()
    # GSM-7 (no accents): 160 characters to an SMS instead of 70.
    assert "To khai chua ky" in sms.body and online_reference(dossier) in sms.body
    with pytest.raises(ValidationError, match="ít nhất một tệp"):
        services.supplement_answer(hương, dossier.pk, uploads={})
    component = dossier.components.get(order=1)
    with time_machine.travel(at("2024-05-06T14:00"), tick=False):
        services.supplement_answer(
            hương, dossier.pk, uploads={component.pk: [pdf_upload("da-ky.pdf", pages=2)]}
        )
    dossier.refresh_from_db()
    assert dossier.status == "submitted_online"
    assert component.files.count() == 2
    accepted = act(desk["desk"], dossier, "accept", "2024-05-07T08:00")
    assert accepted.status == "received" and accepted.code


def test_supplement_during_processing_resumes_the_clock(desk, hương):
    dossier = online_dossier(hương)
    act(desk["desk"], dossier, "accept", "2024-05-06T11:00")
    act(desk["head"], dossier, "assign", "2024-05-06T14:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason="Thiếu ảnh")
    component = dossier.components.first()
    with time_machine.travel(at("2024-05-08T09:00"), tick=False):
        services.supplement_answer(hương, dossier.pk, uploads={component.pk: [png_upload()]})
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.due_at is not None
    assert dossier.pauses.get().ended_at == at("2024-05-08T09:00")


def test_another_citizen_cannot_answer_or_withdraw(desk, hương):
    dossier = online_dossier(hương)
    act(desk["desk"], dossier, "request_intake_supplement", "2024-05-06T11:00", note="Thiếu")
    other = citizen("0987654321", "Trần Văn An", "042190005678")
    component = dossier.components.first()
    with pytest.raises(PermissionDenied):
        services.supplement_answer(other, dossier.pk, uploads={component.pk: [pdf_upload()]})
    with pytest.raises(PermissionDenied):
        services.dossier_withdraw_by_citizen(other, dossier.pk, reason="x", expected_revision=1)
    assert (
        not ComponentFile.objects.filter(component=component, source="citizen_upload")
        .exclude(created_at__lt=at("2024-05-06T10:30"))
        .exists()
    )


def test_withdraw_with_a_reason(client, desk, hương):
    dossier = online_dossier(hương)
    client.force_login(hương)
    url = reverse("portal:dossier_withdraw", args=[dossier.pk])
    response = client.post(url, {"reason": "", "revision": dossier.revision})
    assert response.status_code == 400 and "Hãy nhập lý do rút hồ sơ" in response.content.decode()
    response = client.post(url, {"reason": "Nộp nhầm thủ tục", "revision": dossier.revision})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn"
    assert dossier.events.last().note == "Nộp nhầm thủ tục"
    # Withdrawn is final: not again.
    response = client.post(url, {"reason": "Lần nữa", "revision": dossier.revision})
    assert response.status_code == 400 and "Không thể" in response.content.decode()


def _to_result(desk, dossier):
    act(desk["desk"], dossier, "accept", "2024-05-06T11:00")
    act(desk["head"], dossier, "assign", "2024-05-06T14:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T09:00")
    act(desk["leader"], dossier, "approve", "2024-05-08T10:00")
    return act(desk["desk"], dossier, "return_result", "2024-05-08T14:00")


def test_rating_after_the_result_once(client, desk, hương):
    dossier = online_dossier(hương)
    with pytest.raises(ValidationError, match="sau khi hồ sơ có kết quả"):
        services.dossier_rate(hương, dossier.pk, scores=RATING)
    _to_result(desk, dossier)
    client.force_login(hương)
    url = reverse("portal:dossier_rate", args=[dossier.pk])
    response = client.post(url, {"time_score": "2"})
    assert response.status_code == 400 and "Hãy chọn một mức đánh giá." in response.content.decode()
    assert not DossierRating.objects.exists()
    response = client.post(url, {**{k: str(v) for k, v in RATING.items()}, "comment": "Nhanh"})
    assert response.status_code == 302
    rating = DossierRating.objects.get()
    assert (rating.total, rating.comment, rating.citizen) == (8, "Nhanh", hương)
    response = client.post(url, {**{k: str(v) for k, v in RATING.items()}})
    assert "đã đánh giá" in response.content.decode() and DossierRating.objects.count() == 1
    response = client.post(url, {**RATING, "time_score": "7"})
    assert response.status_code == 400


def test_each_status_change_is_one_message_in_the_chosen_channel(desk, today):
    by_mail = citizen("hoa@vi-du.vn")
    dossier = online_dossier(by_mail, phone="0912345678", notify_channel="email")
    _to_result(desk, dossier)
    told = list(Notification.objects.filter(to__in=["hoa@vi-du.vn", "0912345678"]).order_by("pk"))
    # submitted, accepted, in progress, result ready, returned: one e-mail each, never an SMS.
    assert [n.channel for n in told] == ["email"] * 5
    assert len({n.event_key for n in told}) == 5
    assert "đang được xử lý" in told[2].body
    dossier.refresh_from_db()
    assert all(tracking_url(dossier) in n.body for n in told[1:])


def test_the_same_change_is_never_told_twice(desk, hương):
    from motcua.dossiers.messages import applicant_notify

    dossier = online_dossier(hương)
    applicant_notify(dossier, "Hồ sơ đã được gửi.")
    assert Notification.objects.filter(to="0912345678").count() == 1


def test_assisted_submission_by_the_desk(client, desk, today):
    officer = desk["desk"]
    client.force_login(officer)
    page = client.get(reverse("portal:procedure_detail", args=[CODE])).content.decode()
    assert "Nộp trực tuyến hộ công dân" in page
    client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.get()
    assert (draft.citizen, draft.assisted_by) == (None, officer)
    form = {
        "full_name": "Phan Văn Lộc",
        "citizen_id": "042190005678",
        "phone": "0987654321",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
        "file_1": pdf_upload(),
    }
    response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and online_reference(dossier) in response["Location"]
    assert (dossier.channel, dossier.assisted_by, dossier.submitted_by) == ("online", officer, None)
    assert dossier.events.get().actor == officer
    assert ComponentFile.objects.get().uploaded_by == officer
    # Another desk officer cannot open this draft.
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(role="desk_officer"))
    assert client.get(reverse("portal:application_edit", args=[draft.pk])).status_code == 403


def test_return_by_post(client, desk, hương):
    dossier = online_dossier(hương)
    client.force_login(hương)
    url = reverse("portal:dossier_return_post", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert "Phường Thành Sen" in page  # Hà Tĩnh's communes by default
    response = client.post(url, {"action": "province", "province_code": "1"})
    assert response.status_code == 200 and "Phường Ba Đình" in response.content.decode()
    form = {
        "action": "save",
        "receiver_name": "Nguyễn Thị Hương",
        "province_code": "42",
        "ward_code": "1",  # not a commune of Hà Tĩnh
        "address_line": "Số 5 đường Hà Huy Tập",
    }
    response = client.post(url, form)
    assert (
        response.status_code == 400 and "thuộc tỉnh, thành phố đã chọn" in response.content.decode()
    )
    dossier.refresh_from_db()
    assert dossier.return_channel == "desk"
    ward = [
        c
        for c, n in __import__("motcua.core.places", fromlist=["x"]).wards_of("42")
        if "Thành Sen" in n
    ][0]
    response = client.post(url, {**form, "ward_code": ward})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.return_channel == "post"


def test_receipt_qr_opens_the_tracking_page(desk, hương):
    from motcua.core.symbols import qr_svg_data_uri
    from motcua.dossiers.official_forms import receipt_context

    dossier = online_dossier(hương)
    dossier = act(desk["desk"], dossier, "accept", "2024-05-06T11:00")
    context = receipt_context(dossier)
    url = f"http://127.0.0.1:8000/cong-dan/tra-cuu/{dossier.code}/"
    assert context["qr"] == qr_svg_data_uri(url)


@pytest.fixture
def signing(settings, tmp_path_factory):
    from motcua.documents.testca import create_test_ca

    files = create_test_ca(tmp_path_factory.mktemp("ca"), passphrase="motcua-test")
    settings.MOTCUA_SIGNING_PKCS12 = str(files.signer_p12)
    settings.MOTCUA_SIGNING_PASSPHRASE = files.passphrase
    settings.MOTCUA_TRUST_ROOTS = str(files.trust_dir)
    return files


def test_the_citizen_downloads_the_electronic_result(client, desk, hương, signing):
    from motcua.documents.results import result_issue

    dossier = online_dossier(hương)
    _to_result(desk, dossier)
    dossier.refresh_from_db()
    issued = result_issue(desk["desk"], dossier)
    client.force_login(hương)
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    url = reverse("portal:result_download", args=[dossier.pk, issued.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")
    # Another citizen gets 403 for the same link.
    other = citizen("0987654321", "Trần Văn An", "042190005678")
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_the_officer_sees_how_the_dossier_came_in(client, desk, hương):
    dossier = online_dossier(hương, uploads={1: [pdf_upload()], 2: [png_upload()]})
    client.force_login(desk["desk"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Công dân tự nộp bằng tài khoản" in page and "Thông báo gửi qua tin nhắn SMS" in page
    assert page.count("Tệp công dân tải lên") == 1 and "Ảnh PNG" in page


def test_my_dossiers_list_is_paginated_with_bounded_queries(
    client, hương, django_assert_max_num_queries
):
    for _ in range(3):
        online_dossier(hương)
    client.force_login(hương)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:account_home")).content.decode()
    assert page.count("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam") == 3


def test_feedback_link_on_every_page_and_the_dossier(client, hương):
    dossier = online_dossier(hương)
    dossier.code = "000.00.40.H27-240506-0009"
    dossier.save(update_fields=["code"])
    client.force_login(hương)
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    url = reverse("feedback_public:feedback_new")
    assert f'href="{url}"' in page  # the footer, as on every page
    assert f"{url}?ho_so={dossier.code}" in page
    assert f'href="{url}"' in client.get(reverse("portal:home")).content.decode()


def test_a_submission_with_errors_keeps_the_draft(client, hương):
    client.force_login(hương)
    client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.get()
    form = {
        "full_name": "",
        "citizen_id": "042190001234",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
        "file_1": pdf_upload(),
    }
    response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hãy nhập họ và tên người nộp." in body and "to-khai.pdf" in body
    assert not Dossier.objects.exists() and draft.files.count() == 1
