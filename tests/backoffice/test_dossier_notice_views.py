"""The Mẫu 02, 03 and 04 links of the dossier page: a PDF inline for staff who may see the dossier,
403 for everyone else, 404 with the reason when the dossier has no such notice."""

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.dossiers.test_official_forms_notices import in_progress, with_every_notice
from tests.dossiers.test_services import act

NOTICES = {
    "02": "backoffice:dossier_form_02",
    "03": "backoffice:dossier_form_03",
    "04": "backoffice:dossier_form_04",
}


@pytest.mark.parametrize("number", sorted(NOTICES))
@pytest.mark.parametrize("who", ["desk", "specialist", "head", "leader"])
def test_staff_of_the_dossier_get_the_pdf_inline(client, desk, number, who):
    dossier = with_every_notice(desk)[number]
    client.force_login(desk[who])
    response = client.get(reverse(NOTICES[number], args=[dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="mau-{number}-{dossier.code}.pdf"'


@pytest.mark.parametrize("number", sorted(NOTICES))
def test_a_dossier_without_the_notice_gets_404_saying_why(client, desk, number):
    dossier = in_progress(desk)  # nothing requested, refused or rescheduled
    client.force_login(desk["head"])
    response = client.get(reverse(NOTICES[number], args=[dossier.pk]))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"Mẫu {number}" in page and dossier.code in page and "Không có phiếu này" in page


def test_one_event_among_several_and_a_wrong_one(client, desk):
    dossier = in_progress(desk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason="Lần một")
    act(desk["desk"], dossier, "supplement_received", "2024-05-08T09:00")
    act(desk["specialist"], dossier, "request_supplement", "2024-05-09T09:00", reason="Lần hai")
    first = dossier.events.get(note="Lần một")
    received = dossier.events.get(action="received")
    client.force_login(desk["specialist"])
    url = reverse(NOTICES["02"], args=[dossier.pk])
    assert client.get(url, {"su_kien": first.pk}).status_code == 200
    for wrong in (received.pk, 999999, "abc"):
        assert client.get(url, {"su_kien": wrong}).status_code == 404
    # An event of another dossier is not printed on this one's notice.
    other = in_progress(desk)
    act(desk["specialist"], other, "request_supplement", "2024-05-07T10:00", reason="Hồ sơ khác")
    foreign = other.events.get(action="request_supplement")
    assert client.get(url, {"su_kien": foreign.pk}).status_code == 404


@pytest.mark.parametrize("number", sorted(NOTICES))
@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER]
)
def test_an_officer_of_another_unit_gets_403(client, desk, number, role):
    dossier = with_every_notice(desk)[number]
    client.force_login(UserFactory(role=role))  # in a unit of its own, outside the Sở
    response = client.get(reverse(NOTICES[number], args=[dossier.pk]))
    assert response.status_code == 403
    assert b"%PDF" not in response.content


@pytest.mark.parametrize("number", sorted(NOTICES))
def test_citizens_administrators_and_unknown_ids_get_403(client, desk, number):
    dossier = with_every_notice(desk)[number]
    url = reverse(NOTICES[number], args=[dossier.pk])
    for user in (
        UserFactory(citizen=True),
        UserFactory(role=Role.ADMINISTRATOR, unit=desk["units"]["so"]),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
    # A dossier id that does not exist answers like one that is not theirs: ids cannot be probed.
    client.force_login(desk["head"])
    assert client.get(reverse(NOTICES[number], args=[999999])).status_code == 403


@pytest.mark.parametrize("number", sorted(NOTICES))
def test_anonymous_visitors_are_sent_to_sign_in(client, desk, number):
    dossier = with_every_notice(desk)[number]
    response = client.get(reverse(NOTICES[number], args=[dossier.pk]))
    assert response.status_code == 302 and reverse("backoffice:login") in response["Location"]
