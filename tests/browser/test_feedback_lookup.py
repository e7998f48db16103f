"""[K] 12 on a 360×800 phone: a citizen sends a complaint with a photo, an officer answers, the
citizen gets the SMS and finds the answer and the photo by the receipt number and the last 4
digits of the phone — every page without axe violations and without sideways scrolling."""

import re

import pytest
from django.core.cache import cache

from motcua.accounts.roles import Role
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.notifications import sms
from tests.accounts.factories import UserFactory
from tests.documents.factories import image_bytes

from .helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
ANSWER = "Đã nhắc đơn vị quản lý vỉa hè; từ ngày 10/5 lối đi được giải phóng."


def assert_fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"trang rộng {width}px trên màn hình 360px"


def test_a_complaint_with_a_photo_then_the_answer_by_number_and_digits(
    page, transactional_db, settings, tmp_path
):
    cache.clear()
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    page.set_viewport_size(PHONE)
    photo = tmp_path / "via-he.jpg"
    photo.write_bytes(image_bytes(size=(640, 480)))
    not_a_photo = tmp_path / "anh.jpg"
    not_a_photo.write_bytes(b"MZ\x90\x00 day khong phai anh")

    page.goto("/hoi-dap/gui/")
    page.get_by_label("Họ và tên").fill("Lê Thị Hạnh")
    page.get_by_label("Điện thoại hoặc thư điện tử").fill("0912 000 111")
    page.get_by_label("Tiêu đề").fill("Vỉa hè trước Bộ phận Một cửa bị lấn chiếm")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Xe máy để kín vỉa hè trước cổng, người già phải đi dưới lòng đường."
    )
    files = page.get_by_label("Ảnh hoặc tệp PDF kèm theo (nếu có)")
    # A file that is no photo: a clear message, nothing saved, the rest of the form kept.
    files.set_input_files([str(photo), str(not_a_photo)])
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phản ánh").click()
    assert "anh.jpg: Tệp không phải PDF, JPEG hay PNG" in page.content()
    assert Feedback.objects.count() == 0
    assert page.get_by_label("Tiêu đề").input_value() == "Vỉa hè trước Bộ phận Một cửa bị lấn chiếm"
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)

    page.get_by_label("Ảnh hoặc tệp PDF kèm theo (nếu có)").set_input_files(str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phản ánh").click()
    item = Feedback.objects.get()
    assert item.code in page.content() and item.attachments.count() == 1
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)

    # An officer answers: the SMS carries the number and the lookup link.
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    officer = UserFactory(role=Role.SPECIALIST)
    services.feedback_assign(leader, item.pk, classification="regulation", assignee_id=officer.pk)
    services.feedback_answer(officer, item.pk, answer=ANSWER)
    phone, text = sms.outbox[-1]
    assert phone.endswith("912000111") and item.code in text
    link = re.search(r"https?://\S+", text).group(0)
    assert link.endswith(f"/hoi-dap/tra-cuu/?so={item.code}")

    # The citizen types the number as they like, with the wrong digits first.
    page.goto("/hoi-dap/tra-cuu/")
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)
    page.get_by_label("Số tiếp nhận").fill(" " + item.code.lower().replace("-", " ") + " ")
    page.get_by_label("4 số cuối điện thoại, hoặc thư điện tử đã ghi khi gửi").fill("1234")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert "Không tìm thấy phản ánh với số tiếp nhận" in page.content()
    assert ANSWER not in page.content()
    assert_no_axe_violations(page)

    page.get_by_label("4 số cuối điện thoại, hoặc thư điện tử đã ghi khi gửi").fill("0111")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_role("heading", name=f"Phản ánh {item.code}").is_visible()
    assert "Đã trả lời, chờ công khai" in page.content() and ANSWER in page.content()
    assert_no_axe_violations(page)
    assert_fits_the_phone(page)

    # Their own photo opens from the page.
    with page.expect_response(re.compile(r"/tep/1/$")) as response_info:
        page.get_by_role("link", name="via-he.jpg").click()
    response = response_info.value
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
