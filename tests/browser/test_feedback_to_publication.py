"""A complaint from a citizen's phone to its publication on the Hỏi – Đáp page."""

import pytest
from django.core.cache import cache

from motcua.accounts.roles import Role
from motcua.feedback.models import Feedback
from tests.accounts.factories import UserFactory

from .helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def test_complaint_sent_answered_and_published(page, transactional_db):
    cache.clear()
    leader = UserFactory(role=Role.DEPARTMENT_LEADER, full_name="Nguyễn Văn Giám")
    officer = UserFactory(role=Role.SPECIALIST, full_name="Phạm Thị Xử Lý")

    # A citizen on a 360×800 phone, coming from a dossier's page.
    page.goto("/hoi-dap/gui/?ho_so=000.00.12.H27-230427-0001")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phản ánh").click()  # empty: messages, nothing saved
    assert "Hãy nhập họ và tên." in page.content() and Feedback.objects.count() == 0
    assert_no_axe_violations(page)
    page.get_by_label("Họ và tên").fill("Lê Thị Hạnh")
    page.get_by_label("Điện thoại hoặc thư điện tử").fill("0912000111")
    page.get_by_label("Tiêu đề").fill("Chờ phiếu lý lịch tư pháp quá lâu")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Tôi nộp hồ sơ cấp phiếu lý lịch tư pháp đã lâu mà chưa nhận được kết quả."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phản ánh").click()
    item = Feedback.objects.get()
    assert item.code in page.content() and item.dossier_code == "000.00.12.H27-230427-0001"
    assert_no_axe_violations(page)

    # The leader classifies and assigns; the officer answers; the leader publishes.
    page.set_viewport_size(DESKTOP)
    sign_in(page, leader)
    page.goto("/can-bo/phan-anh/")
    with page.expect_navigation():
        page.get_by_role("link", name=item.code).click()
    page.get_by_label("Phân loại").select_option(label="Hành vi hành chính")
    page.get_by_label("Cán bộ xử lý").select_option(value=str(officer.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Giao xử lý").click()
    assert "Đã phân loại và giao xử lý." in page.content()
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"/can-bo/phan-anh/{item.pk}/")
    page.get_by_label("Nội dung trả lời").fill("Hồ sơ đã có kết quả, mời bà nhận tại Trung tâm.")
    with page.expect_navigation():
        page.get_by_role("button", name="Trả lời").click()
    assert "Đã trả lời, chờ công khai" in page.content()

    page.context.clear_cookies()
    sign_in(page, leader)
    page.goto(f"/can-bo/phan-anh/{item.pk}/")
    page.get_by_label("Câu hỏi công khai (đã bỏ thông tin cá nhân)").fill(
        "Chờ phiếu lý lịch tư pháp quá thời hạn thì làm thế nào?"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Công khai trên Hỏi – Đáp").click()
    assert "Đã công khai" in page.content()

    # Anyone reads it on a phone, found without accents, with no personal data.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/hoi-dap/?q=ly lich tu phap")
    with page.expect_navigation():
        page.get_by_role("link", name="Chờ phiếu lý lịch tư pháp quá lâu").click()
    content = page.content()
    assert "mời bà nhận tại Trung tâm" in content
    assert "Lê Thị Hạnh" not in content and "0912000111" not in content
    assert_no_axe_violations(page)


def test_online_survey_on_a_phone(page, transactional_db):
    from datetime import timedelta

    from motcua.core.clock import now
    from motcua.feedback import survey_services
    from motcua.feedback.models import Response

    cache.clear()
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    questionnaire = survey_services.sipas_questionnaire_create(leader)
    today = now().date()
    campaign = survey_services.campaign_create(
        leader,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=3),
        questionnaire_id=questionnaire.pk,
    )
    page.goto(f"/hoi-dap/khao-sat/{campaign.slug}/")
    assert_no_axe_violations(page)
    for group in page.locator("fieldset.fb-q").all():
        group.get_by_label("Hài lòng", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phiếu").click()
    assert "Cảm ơn ông/bà đã trả lời" in page.content()
    assert_no_axe_violations(page)
    assert Response.objects.get().answers.filter(score=4).count() == 10
