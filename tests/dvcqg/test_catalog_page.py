"""The administrator's 'Danh mục' page under /can-bo/lien-thong/dvcqg/: the pull, the differences,
the unmatched procedures, accepting and rejecting; refused to everyone else."""

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.dvcqg.models import CatalogDifference, CatalogPull
from tests.accounts.factories import UserFactory
from tests.catalog.conftest import snapshot

from .test_catalog_pull import ALL_DIFFER, LOCAL, MAPPED, make_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(portal):
    return make_catalogue(portal)


LIST = reverse("backoffice:dvcqg_catalog")
PULL = reverse("backoffice:dvcqg_catalog_pull")


def item_url(item):
    return reverse("backoffice:dvcqg_catalog_item", args=[item.pk])


def test_the_administrator_pulls_and_sees_the_differences_and_the_unmatched(client, catalogue):
    client.force_login(catalogue["admin"])
    page = client.get(LIST)
    assert page.status_code == 200 and "Chưa đối chiếu lần nào" in page.content.decode()
    done = client.post(PULL, follow=True)
    html = done.content.decode()
    assert "Đã đọc danh mục của Cổng DVCQG" in html
    assert '<dd id="count-differs">2</dd>' in html and '<dd id="count-unmatched">1</dd>' in html
    assert f"{MAPPED} → 1.001233" in html and LOCAL in html
    assert "Tên thủ tục, Thời hạn giải quyết, Phí, lệ phí, Kênh nộp hồ sơ, Thành phần hồ sơ" in html
    item = CatalogDifference.objects.get(procedure__code=ALL_DIFFER)
    detail = client.get(item_url(item)).content.decode()
    assert "600.000 đồng (Phí thẩm định)" in detail and "Tạo phiên bản mới" in detail


def test_accept_and_reject_through_the_page(client, catalogue):
    client.force_login(catalogue["admin"])
    client.post(PULL)
    item = CatalogDifference.objects.get(procedure__code=ALL_DIFFER)
    count = ProcedureVersion.objects.count()
    bad = client.post(
        item_url(item),
        {"action": "accept", "aspect": ["fees"], "number": "15/QĐ-UBND", "signed_on": "hôm qua"},
    )
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    assert ProcedureVersion.objects.count() == count
    accepted = client.post(
        item_url(item),
        {
            "action": "accept",
            "aspect": ["fees", "name"],
            "number": "15/QĐ-UBND",
            "signed_on": "2024-03-01",
            "effective_from": "2024-03-10",
            "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        },
        follow=True,
    )
    html = accepted.content.decode()
    assert "Đã cập nhật thủ tục 1.008924" in html and "theo quyết định 15/QĐ-UBND" in html
    assert ProcedureVersion.objects.count() == count + 1
    other = CatalogDifference.objects.get(procedure__code=MAPPED)
    before = snapshot()
    empty = client.post(item_url(other), {"action": "reject", "reason": " "})
    assert empty.status_code == 400 and "lý do" in empty.content.decode()
    kept = client.post(
        item_url(other), {"action": "reject", "reason": "Tên địa phương đúng"}, follow=True
    )
    assert "Giữ nguyên danh mục: Tên địa phương đúng" in kept.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.DEPARTMENT_LEADER, Role.SPECIALIST])
def test_the_page_refuses_everyone_but_administrators(client, catalogue, role):
    client.force_login(catalogue["admin"])
    client.post(PULL)
    item = CatalogDifference.objects.get(procedure__code=ALL_DIFFER)
    client.force_login(UserFactory(role=role, unit=catalogue["units"]["so"]))
    before = snapshot()
    assert client.get(LIST).status_code == 403
    assert client.get(item_url(item)).status_code == 403
    assert client.post(PULL).status_code == 403
    accept = {
        "action": "accept",
        "aspect": ["fees"],
        "number": "15/QĐ-UBND",
        "signed_on": "2024-03-01",
        "effective_from": "2024-03-10",
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
    }
    assert client.post(item_url(item), accept).status_code == 403
    assert client.post(item_url(item), {"action": "reject", "reason": "x"}).status_code == 403
    assert snapshot() == before and CatalogPull.objects.count() == 1
    item.refresh_from_db()
    assert item.review == "pending"


def test_a_citizen_is_refused(client, catalogue):
    client.force_login(UserFactory(citizen=True))
    assert client.get(LIST).status_code in (302, 403)
