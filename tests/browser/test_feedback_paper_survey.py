"""Entering paper survey forms with the keyboard only (desktop): digits move on by themselves,
Enter saves on the last field, and the page is empty and focused for the next form."""

from datetime import timedelta

import pytest

from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.feedback import survey_services
from motcua.feedback.models import Response
from tests.accounts.factories import UserFactory

from .helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def campaign(transactional_db):
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    questionnaire = survey_services.sipas_questionnaire_create(leader)
    today = now().date()
    quarter = (today.month - 1) // 3 + 1
    return survey_services.campaign_create(
        leader,
        year=today.year,
        quarter=quarter,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
        questionnaire_id=questionnaire.pk,
    )


def test_two_paper_forms_by_keyboard_only(page, campaign):
    page.set_viewport_size(DESKTOP)
    desk = UserFactory(role=Role.DESK_OFFICER)
    sign_in(page, desk)
    page.goto(f"/can-bo/phan-anh/khao-sat/{campaign.pk}/nhap-phieu/")
    assert_no_axe_violations(page)
    # The first question has the focus; ten digits fill the ten questions (0 = không trả lời).
    page.keyboard.type("5443205545")
    page.keyboard.type("017")  # form number; Enter moves to the date, Enter on the date saves
    page.keyboard.press("Enter")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Đã lưu phiếu. Đợt này có 1 phiếu." in page.content()
    response = Response.objects.get()
    scores = list(
        response.answers.order_by("question__aspect__position", "question__position").values_list(
            "score", flat=True
        )
    )
    assert scores == [5, 4, 4, 3, 2, None, 5, 5, 4, 5] and response.form_number == "017"
    # Ready for the next form: the first question focused and empty.
    focused = page.evaluate("document.activeElement.name")
    assert focused.startswith("q") and page.evaluate("document.activeElement.value") == ""
    # An incomplete form: Enter on the last field submits, the server names what is missing.
    page.keyboard.type("55555")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Câu 6 chưa nhập" in page.content()
    assert Response.objects.count() == 1
