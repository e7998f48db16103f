"""A supplement request says what to bring, once and completely (Decree 61/2018 art. 15, 17, 19.4):
the papers of the procedure ticked plus words, stored with the request and carried into Mẫu 02, the
SMS / e-mail and the citizen's own dossier page; an empty request or an unknown paper is refused."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.dossiers.models import SupplementRequest
from motcua.dossiers.official_forms.notices import supplement_request_context
from motcua.notifications.models import Notification
from tests.dossiers.test_guards import assigned, refused
from tests.dossiers.test_services import act, at

FORM = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"
COPY = "Bản chụp giấy tờ tùy thân"
WORDS = "Tờ khai chưa ghi nơi cư trú trước đây\nẢnh chụp mờ, không đọc được số"


def asked(desk, **params):
    dossier = assigned(desk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-06T09:00", **params)
    dossier.refresh_from_db()
    return dossier


def test_the_request_stores_its_papers_and_words_with_its_event(desk):
    dossier = asked(desk, papers=[COPY, FORM], reason=WORDS)
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.papers == [FORM, COPY]  # in the procedure's order
    assert request.details == WORDS and request.requested_by == desk["specialist"]
    assert request.event.action == "request_supplement"
    assert request.lines() == [FORM, COPY, *WORDS.splitlines()]
    assert FORM in request.event.note and "nơi cư trú" in request.event.note
    assert dossier.status == "supplement_requested"


def test_mau_02_lists_every_paper_and_word(desk):
    dossier = asked(desk, papers=[FORM], reason=WORDS)
    context = supplement_request_context(dossier)
    assert context["papers"] == [FORM]
    assert context["details_lines"] == WORDS.splitlines()
    assert context["reason_lines"] == [FORM, *WORDS.splitlines()]


def test_the_sms_is_short_and_the_email_complete(desk):
    desk_phone = "0912345678"
    dossier = asked(desk, papers=[FORM, COPY], reason=WORDS)
    sms = Notification.objects.filter(channel="sms", to=desk_phone).order_by("pk").last()
    # GSM-7 (no accents), so the list fits in one or two SMS instead of four or five.
    assert sms.body.startswith(f"Ho so {dossier.code} can bo sung (mot lan, day du): To khai yeu")
    assert len(sms.body) <= 306
    dossier.contact_email = "huong@example.vn"  # notices go to the dossier's own contact
    dossier.notify_channel = "email"
    dossier.save()
    act(desk["desk"], dossier, "supplement_received", "2024-05-07T09:00")
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-07T10:00",
        papers=[COPY],
        reason=WORDS,
    )
    email = Notification.objects.filter(channel="email", to="huong@example.vn").last()
    assert f"- {COPY}" in email.body
    assert "- Tờ khai chưa ghi nơi cư trú trước đây" in email.body
    assert "- Ảnh chụp mờ, không đọc được số" in email.body


def test_an_empty_request_or_an_unknown_paper_is_refused(desk):
    dossier = assigned(desk)
    refused(
        dossier,
        "Hãy đánh dấu giấy tờ cần bổ sung",
        lambda: act(desk["specialist"], dossier, "request_supplement", "2024-05-06T09:00"),
    )
    refused(
        dossier,
        "Giấy tờ “Sổ hộ khẩu” không thuộc thành phần hồ sơ của thủ tục.",
        lambda: act(
            desk["specialist"],
            dossier,
            "request_supplement",
            "2024-05-06T09:00",
            papers=["Sổ hộ khẩu"],
        ),
    )
    assert not SupplementRequest.objects.exists()


def test_the_officer_ticks_papers_on_the_dossier_page(client, desk):
    dossier = assigned(desk)
    client.force_login(desk["specialist"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert f'name="paper" value="{FORM}"' in page and f'name="paper" value="{COPY}"' in page
    dossier.refresh_from_db()
    url = reverse("backoffice:dossier_action", args=[dossier.pk, "request_supplement"])
    with time_machine.travel(at("2024-05-06T09:00"), tick=False):
        response = client.post(
            url, {"revision": dossier.revision, "paper": [COPY], "reason": "Ảnh mờ"}, follow=True
        )
    assert f"Đã gửi yêu cầu bổ sung hồ sơ {dossier.code}" in response.content.decode()
    request = SupplementRequest.objects.get()
    assert request.papers == [COPY] and request.details == "Ảnh mờ"


@pytest.mark.parametrize("status_on_page", ["dossier_detail", "dossier_supplement"])
def test_the_citizen_sees_the_whole_list_on_her_own_pages(client, desk, status_on_page):
    from tests.portal.factories import citizen, online_dossier

    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        hương = citizen()
        dossier = online_dossier(hương)
    act(
        desk["desk"],
        dossier,
        "request_intake_supplement",
        "2024-05-06T11:00",
        papers=[FORM],
        reason="Tờ khai chưa ký",
    )
    client.force_login(hương)
    page = client.get(reverse(f"portal:{status_on_page}", args=[dossier.pk])).content.decode()
    assert FORM in page and "Tờ khai chưa ký" in page
    assert 'class="items supplement-list"' in page
    if status_on_page == "dossier_detail":
        assert "Ông/bà cần làm gì" in page


def test_an_intake_request_without_a_list_is_refused(desk):
    from tests.portal.factories import citizen, online_dossier

    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        dossier = online_dossier(citizen())
    with pytest.raises(ValidationError):
        act(desk["desk"], dossier, "request_intake_supplement", "2024-05-06T11:00", reason=" ")
    dossier.refresh_from_db()
    assert dossier.status == "submitted_online" and not dossier.supplement_lists.exists()


def test_the_printed_mau_02_carries_the_list(desk, tmp_path):
    import subprocess

    from motcua.dossiers.official_forms.notices import notice_pdf

    dossier = asked(desk, papers=[COPY], reason="Ảnh chụp mờ, không đọc được số")
    pdf = tmp_path / "mau02.pdf"
    pdf.write_bytes(notice_pdf("02", dossier))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert COPY in text and "Ảnh chụp mờ, không đọc được số" in text
