"""The catalogue pages of the back office: list (search, filters, no N+1), detail, import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.catalog.services import catalog_export, catalog_import
from tests.accounts.factories import UserFactory

from .conftest import snapshot
from .factories import decision, document, history_document, version

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:catalog_list")
IMPORT = reverse("backoffice:catalog_import")


@pytest.fixture
def catalogue(units):
    catalog_import(None, history_document())


@pytest.fixture
def desk(client, units):
    client.force_login(UserFactory(role=Role.DESK_OFFICER, unit=units["centre"]))
    return client


@pytest.fixture
def admin(client, units):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, unit=units["so"]))
    return client


def _many(n: int) -> None:
    """n more procedures announced on 2023-01-01."""
    procedures = [
        {
            "code": f"1.{900000 + i:06d}",
            "is_internal": False,
            "versions": [version(name=f"Thủ tục thử số {i}")],
        }
        for i in range(n)
    ]
    catalog_import(None, document(procedures=procedures))


def test_list_shows_versions_in_force_with_vietnamese_labels(desk, catalogue):
    body = desk.get(LIST, {"ngay": "2024-05-01"}).content.decode()
    assert "Danh mục thủ tục hành chính" in body
    assert "Cấp Phiếu lý lịch tư pháp cho công dân (sửa đổi)" in body
    assert "Một phần" in body and "ngày làm việc" in body
    assert "3.000333" not in body  # not yet announced on 1/5/2024
    assert "Nhập danh mục" not in body  # the desk officer may not import


def test_search_is_accent_insensitive_and_filters_apply(desk, catalogue):
    def codes(**params):
        body = desk.get(LIST, {"ngay": "2023-06-01", **params}).content.decode()
        return [c for c in ("2.001417", "2.000977", "LOCAL-STP-091") if c in body]

    assert codes(q="phieu ly lich") == ["2.001417"]
    assert codes(q="TRỢ GIÚP") == ["2.000977"]
    assert codes(q="2.0009") == ["2.000977"]
    assert codes(linh_vuc="TGPL") == ["2.000977", "LOCAL-STP-091"]
    assert codes(muc_do="mot_phan") == ["2.001417"]
    assert codes(linh_vuc="TGPL", muc_do="none", q="bao cao vien") == ["LOCAL-STP-091"]


def test_bad_filter_value_shows_a_vietnamese_error(desk, catalogue):
    body = desk.get(LIST, {"ngay": "ngày mai"}).content.decode()
    assert "Ngày không hợp lệ: hãy nhập dạng ngày/tháng/năm." in body
    body = desk.get(LIST, {"muc_do": "cao"}).content.decode()
    assert "Lựa chọn không hợp lệ." in body


def test_list_query_count_does_not_grow_with_rows(desk, catalogue, django_assert_num_queries):
    # session + user, fields for the filter, the count, the page.
    with django_assert_num_queries(5):
        assert desk.get(LIST, {"ngay": "2023-06-01"}).status_code == 200
    _many(40)
    with django_assert_num_queries(5):
        response = desk.get(LIST, {"ngay": "2023-06-01"})
    assert "Thủ tục thử số 39" in response.content.decode()


def test_list_is_paginated_keeping_the_filters(desk, catalogue):
    _many(60)
    body = desk.get(LIST, {"ngay": "2023-06-01", "q": "thu tuc thu"}).content.decode()
    assert "Trang 1/2" in body
    assert "?ngay=2023-06-01&amp;q=thu+tuc+thu&amp;trang=2" in body
    second = desk.get(LIST, {"ngay": "2023-06-01", "q": "thu tuc thu", "trang": 2}).content.decode()
    assert "Trang 2/2" in second


def test_detail_shows_versions_components_fees_and_steps(desk, catalogue):
    body = desk.get(reverse("backoffice:catalog_detail", args=["2.001417"])).content.decode()
    assert "Sửa đổi, bổ sung theo Quyết định số 2/QĐ-UBND" in body
    assert "Thay thế theo Quyết định số 3/QĐ-UBND" in body
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in body and "Bản sao" in body
    assert "Phí cung cấp thông tin lý lịch tư pháp: 200.000 đồng" in body
    assert "Thẩm định, xác minh" in body and "<strong>80</strong>" in body
    assert "35,5" in body  # a budget of the amended version, Vietnamese decimal comma
    assert "3.000333" in body  # replaced by


def test_detail_of_an_unknown_code_is_404(desk, catalogue):
    assert desk.get(reverse("backoffice:catalog_detail", args=["9.999999"])).status_code == 404


def test_citizen_and_anonymous_are_kept_out(units, catalogue):
    anonymous = Client()
    assert anonymous.get(LIST).status_code == 302
    citizen = Client()
    citizen.force_login(UserFactory(citizen=True))
    assert citizen.get(LIST).status_code == 403
    assert citizen.get(reverse("backoffice:catalog_detail", args=["2.001417"])).status_code == 403


def test_import_page_is_for_the_administrator_only(desk):
    assert desk.get(IMPORT).status_code == 403
    assert desk.post(IMPORT).status_code == 403


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_administrator_imports_a_file(admin):
    content = json.dumps(history_document(), ensure_ascii=False).encode()
    response = admin.post(IMPORT, {"tep": _upload("danh-muc.json", content)}, follow=True)
    body = response.content.decode()
    assert "Đã nhập: 2 lĩnh vực, 5 quyết định, 4 thủ tục mới, 7 phiên bản mới" in body
    assert json.loads(catalog_export("json"))["procedures"][0]["code"] == "2.000977"


def test_bad_upload_lists_every_error_and_changes_nothing(admin, catalogue):
    before = snapshot()
    doc = history_document()
    doc["decisions"].append(decision("9/QĐ-UBND", "2024-03-01"))
    doc["procedures"].append(
        {
            "code": "2.000001",
            "is_internal": False,
            "versions": [
                version("9/QĐ-UBND", "2024-03-01", field="XYZ", competent_agency="000.99.99.H27")
            ],
        }
    )
    response = admin.post(
        IMPORT, {"tep": _upload("x.json", json.dumps(doc, ensure_ascii=False).encode())}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tệp bị từ chối, chưa ghi gì vào danh mục (2 lỗi)" in body
    assert "lĩnh vực “XYZ” không có trong danh sách lĩnh vực" in body
    assert "không có đơn vị mã “000.99.99.H27”" in body
    assert snapshot() == before


def test_upload_of_another_kind_of_file(admin):
    body = admin.post(IMPORT, {"tep": _upload("a.csv", b"x")}).content.decode()
    assert "chỉ nhận tệp .json hoặc .xlsx" in body
    body = admin.post(IMPORT, {}).content.decode()
    assert "Hãy chọn tệp danh mục." in body


def test_import_needs_the_csrf_token(units):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, unit=units["so"]))
    content = json.dumps(history_document(), ensure_ascii=False).encode()
    assert client.post(IMPORT, {"tep": _upload("d.json", content)}).status_code == 403
    page = client.get(IMPORT).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
