"""In a real browser at 360×800: the desk receives a dossier by post, and later posts its result
from the dossier page; both pages pass axe."""

from datetime import timedelta

import pytest

from motcua.core.clock import now
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_act
from motcua.postal.models import Consignment
from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_desk_receives_by_post_and_posts_the_result(page, people):
    sign_in(page, people["desk"])
    page.goto("/can-bo/buu-chinh/tiep-nhan/?q=ly+lich")
    page.get_by_role("link", name="2.001417").click()
    arrived = (now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    page.get_by_label("Số hiệu bưu gửi").fill("EE123456785VN")
    page.get_by_label("Ngày gửi (dấu bưu điện)").fill(f"{arrived.date() - timedelta(days=2)}")
    page.get_by_label("Hồ sơ đến Bộ phận Một cửa lúc").fill(f"{arrived:%Y-%m-%dT%H:%M}")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("042190001234")
    page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Nguyễn Thị Hương")
    page.get_by_label("Số nhà, đường, thôn, xóm").fill("Số 5, đường Phan Đình Phùng")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Tiếp nhận hồ sơ qua bưu chính").click()
    page.wait_for_load_state()
    assert "gửi qua bưu chính" in page.content(), page.content()
    dossier = Dossier.objects.get()
    assert dossier.channel == "post" and dossier.received_at == arrived

    for user, action, params in (
        (people["head"], "assign", {"assignee_id": people["specialist"].pk}),
        (people["specialist"], "submit_for_signature", {}),
        (people["leader"], "approve", {}),
    ):
        dossier = dossier_act(
            user, dossier.pk, action, expected_revision=dossier.revision, **params
        )

    page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    page.get_by_label("Xã, phường").select_option(label="Phường Thành Sen")
    page.get_by_label("Khối lượng (gam)").fill("120")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Lập bưu gửi và trả kết quả qua bưu chính").click()
    page.wait_for_load_state()
    consignment = Consignment.objects.get(direction="outbound")
    assert f"Đã lập bưu gửi {consignment.number}" in page.content()
    assert Dossier.objects.get().status == "returned"
