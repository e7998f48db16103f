from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_receive
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import intake

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FORM = {
    "applicant_kind": "person",
    "citizen_id": "042190001234",
    "full_name": "Nguyễn Thị Hương",
    "province_code": "42",
    "ward_code": "",
    "return_channel": "desk",
    "dossier_sets": "1",
    "component_1": "on",
    "component_1_count": "1",
    "component_2_count": "1",
}


def login(client, user):
    client.force_login(user)
    return client


def test_intake_creates_a_dossier_and_opens_its_page(client, desk):
    login(client, desk["desk"])
    response = client.post(reverse("backoffice:dossier_intake", args=["2.001417"]), FORM)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "backoffice:dossier_detail", args=[dossier.pk]
    )
    assert dossier.components.count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"citizen_id": "12345"}, "12 chữ số"),
        ({"full_name": ""}, "Hãy nhập họ và tên"),
        ({"component_1": ""}, "Còn thiếu giấy tờ bắt buộc"),
        ({"dossier_sets": "0"}, "lớn hơn hoặc bằng"),
        ({"return_channel": "online"}, "hợp lệ"),
        ({"applicant_kind": "organisation", "tax_code": "12345"}, "10 chữ số"),
        (
            {"applicant_kind": "organisation", "tax_code": "0101234567", "citizen_id": "999"},
            "12 chữ số",
        ),
    ],
)
def test_bad_intake_shows_why_and_creates_nothing(client, desk, changes, message):
    login(client, desk["desk"])
    data = {k: v for k, v in (FORM | changes).items() if v != ""}
    response = client.post(reverse("backoffice:dossier_intake", args=["2.001417"]), data)
    assert response.status_code == 200
    assert not Dossier.objects.exists()
    body = response.content.decode()
    assert "Chưa lưu được" in body and message in body


def test_an_organisation_applies_with_its_tax_code(client, desk):
    login(client, desk["desk"])
    data = FORM | {
        "applicant_kind": "organisation",
        "tax_code": "0101234567",
        "citizen_id": "",
        "full_name": "Công ty TNHH Luật Hồng Lĩnh",
    }
    assert (
        client.post(reverse("backoffice:dossier_intake", args=["2.001417"]), data).status_code
        == 302
    )
    applicant = Dossier.objects.get().applicant
    assert applicant.kind == "organisation" and applicant.tax_code == "0101234567"
    client.post(reverse("backoffice:dossier_intake", args=["2.001417"]), data)
    assert (
        Dossier.objects.count() == 2 and len({d.applicant_id for d in Dossier.objects.all()}) == 1
    )


def test_search_is_accent_insensitive_and_recall_fills_the_form(client, desk):
    login(client, desk["desk"])
    page = client.get(
        reverse("backoffice:dossier_intake_search"), {"q": "LY LICH"}
    ).content.decode()
    assert "2.001417" in page
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier_receive(desk["desk"], intake())
    page = client.get(
        reverse("backoffice:dossier_intake", args=["2.001417"]), {"cccd": "042190001234"}
    ).content.decode()
    assert 'value="Nguyễn Thị Hương"' in page and "Đã điền thông tin người nộp" in page


def test_only_the_desk_opens_intake(client, desk):
    login(client, desk["specialist"])
    assert client.get(reverse("backoffice:dossier_intake_search")).status_code == 403


def test_worklist_is_ordered_by_due_and_has_a_fixed_number_of_queries(
    client, desk, django_assert_max_num_queries
):
    for day in (26, 25, 24):
        with time_machine.travel(datetime(2024, 4, day, 9, 0, tzinfo=HCM)):
            dossier_receive(desk["desk"], intake())
    login(client, desk["head"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("backoffice:dossier_worklist")).content.decode()
    codes = [d.code for d in Dossier.objects.order_by("due_at")]
    assert page.index(codes[0]) < page.index(codes[1]) < page.index(codes[2])
    assert "urgency--late" in page  # due in May 2024, long gone


def test_bulk_assignment_and_a_stale_page(client, desk):
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        first = dossier_receive(desk["desk"], intake())
        second = dossier_receive(desk["desk"], intake())
    login(client, desk["head"])
    client.post(
        reverse("backoffice:dossier_bulk_assign"),
        {
            "dossier": [first.pk, second.pk],
            "assignee_id": desk["specialist"].pk,
            f"revision_{first.pk}": first.revision,
            f"revision_{second.pk}": second.revision,
        },
    )
    assert set(Dossier.objects.values_list("assignee", flat=True)) == {desk["specialist"].pk}
    # The same form posted again is out of date: refused, told, nothing changes.
    events = DossierEvent.objects.count()
    response = client.post(
        reverse("backoffice:dossier_action", args=[first.pk, "assign"]),
        {"revision": first.revision, "assignee_id": desk["head"].pk},
        follow=True,
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert DossierEvent.objects.count() == events


def test_receipt_pdf(client, desk):
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier = dossier_receive(desk["desk"], intake())
    login(client, desk["desk"])
    response = client.get(reverse("backoffice:dossier_receipt_pdf", args=[dossier.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_every_read_of_personal_data_is_logged(client, desk):
    from motcua.core.models import PersonalDataRead

    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier = dossier_receive(desk["desk"], intake())
    login(client, desk["head"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert "042******234" in page and "042190001234" not in page  # the ID number is masked
    client.get(reverse("backoffice:dossier_receipt_pdf", args=[dossier.pk]))
    reads = list(PersonalDataRead.objects.values_list("actor", "subject", "purpose"))
    assert reads == [
        (desk["head"].pk, f"dossier:{dossier.pk}", "dossier_detail"),
        (desk["head"].pk, f"dossier:{dossier.pk}", "receipt_pdf"),
    ]
    outsider = UserFactory(role=Role.DIVISION_HEAD)
    login(client, outsider)
    assert client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).status_code == 403
    assert PersonalDataRead.objects.count() == 2  # a refused request reads nothing


def test_history_speaks_vietnamese(client, desk):
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier = dossier_receive(desk["desk"], intake())
    login(client, desk["head"])
    client.post(
        reverse("backoffice:dossier_action", args=[dossier.pk, "assign"]),
        {"revision": dossier.revision, "assignee_id": desk["specialist"].pk},
    )
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    history = page[page.index('class="history"') :]
    assert (
        "Tiếp nhận hồ sơ" in history
        and "Phân công xử lý (Đã tiếp nhận, chờ phân công → Đang xử lý)" in history
    )
    assert "in_progress" not in history and ": received" not in history


def test_a_returned_dossier_shows_how_it_went_not_time_left(client, desk):
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier = dossier_receive(desk["desk"], intake())
    from tests.dossiers.test_services import act

    act(desk["head"], dossier, "assign", "2024-04-26T10:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-02T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-03T10:00")  # due 14/05: early
    act(desk["desk"], dossier, "return_result", "2024-05-03T15:00")
    login(client, desk["desk"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Kết quả: trước hạn" in page and "Còn " not in page


def test_a_head_cannot_assign_to_another_agencys_specialist(client, desk):
    """[O] 4: the page offers the head's own people; an id of another agency's specialist posted
    by hand — alone or in the bulk form — is refused in Vietnamese and nothing changes."""
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        first = dossier_receive(desk["desk"], intake())
        second = dossier_receive(desk["desk"], intake())
    police = UserFactory(
        role=Role.SPECIALIST, unit=desk["units"]["police"], full_name="Cán bộ Công an"
    )
    login(client, desk["head"])
    page = client.get(reverse("backoffice:dossier_detail", args=[first.pk])).content.decode()
    assert f'value="{desk["specialist"].pk}"' in page and "Cán bộ Công an" not in page
    events = DossierEvent.objects.count()
    single = client.post(
        reverse("backoffice:dossier_action", args=[first.pk, "assign"]),
        {"revision": first.revision, "assignee_id": police.pk},
        follow=True,
    )
    assert "Không thể giao hồ sơ cho người này" in single.content.decode()
    bulk = client.post(
        reverse("backoffice:dossier_bulk_assign"),
        {
            "dossier": [first.pk, second.pk],
            "assignee_id": police.pk,
            f"revision_{first.pk}": first.revision,
            f"revision_{second.pk}": second.revision,
        },
        follow=True,
    )
    assert bulk.content.decode().count("Không thể giao hồ sơ cho người này") == 2
    assert DossierEvent.objects.count() == events
    assert set(Dossier.objects.values_list("assignee", "status")) == {(None, "received")}


def test_a_department_leader_is_offered_and_may_assign_the_people_of_its_divisions(client, desk):
    with time_machine.travel(datetime(2024, 4, 26, 9, 0, tzinfo=HCM)):
        dossier = dossier_receive(desk["desk"], intake())
    login(client, desk["leader"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert f'value="{desk["specialist"].pk}"' in page
    client.post(
        reverse("backoffice:dossier_action", args=[dossier.pk, "assign"]),
        {"revision": dossier.revision, "assignee_id": desk["specialist"].pk},
    )
    dossier.refresh_from_db()
    assert dossier.assignee == desk["specialist"]
