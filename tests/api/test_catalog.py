"""GET /api/catalog/procedures and /api/catalog/procedures/{code}: public, accent-insensitive."""

import pytest

pytestmark = pytest.mark.django_db

LIST = "/api/catalog/procedures"


def test_anonymous_visitor_lists_public_procedures_in_force(anon, catalogue):
    response = anon.get(LIST)
    assert response.status_code == 200
    body = response.json()
    codes = [item["code"] for item in body["items"]]
    assert codes == ["2.000488", "2.001417"]  # the internal procedure is not for citizens
    assert body["count"] == 2
    item = body["items"][1]
    assert item["name"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert item["accepts_online"] is True
    assert item["level_label"] == "Một phần"
    assert item["receiving_unit"] == "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"


@pytest.mark.parametrize("query", ["ly lich tu phap", "LÝ LỊCH", "Lý lịch", "2.001417"])
def test_search_ignores_accents_and_case(anon, catalogue, query):
    body = anon.get(LIST, {"q": query}).json()
    assert [item["code"] for item in body["items"]] == ["2.001417"]


def test_search_without_match_is_an_empty_page(anon, catalogue):
    body = anon.get(LIST, {"q": "hộ chiếu"}).json()
    assert body == {"items": [], "count": 0, "page": 1, "page_size": 20}


def test_pages(anon, catalogue):
    first = anon.get(LIST, {"page_size": 1}).json()
    second = anon.get(LIST, {"page_size": 1, "page": 2}).json()
    third = anon.get(LIST, {"page_size": 1, "page": 3}).json()
    assert [i["code"] for i in first["items"]] == ["2.000488"]
    assert [i["code"] for i in second["items"]] == ["2.001417"]
    assert third["items"] == [] and third["count"] == 2


def test_at_a_day_before_the_catalogue_took_effect_lists_nothing(anon, catalogue):
    assert anon.get(LIST, {"at": "2022-12-31"}).json()["count"] == 0
    assert anon.get(LIST, {"at": "2023-01-01"}).json()["count"] == 2


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"at": "30/06/2024"}, "at", "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26)."),
        ({"at": "2024-02-30"}, "at", "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26)."),
        ({"page": "0"}, "page", "Phải lớn hơn hoặc bằng 1."),
        ({"page": "một"}, "page", "Phải là một số nguyên."),
        ({"page_size": "101"}, "page_size", "Phải nhỏ hơn hoặc bằng 100."),
        ({"q": "x" * 201}, "q", "Không được dài quá 200 ký tự."),
        ({"q": "a\x00b"}, "q", "Không được chứa ký tự điều khiển."),
    ],
)
def test_bad_query_is_a_structured_vietnamese_error(anon, catalogue, params, field, message):
    response = anon.get(LIST, params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Dữ liệu gửi lên chưa hợp lệ")
    assert error["fields"] == {field: message}


def test_detail_has_fees_components_channels_and_time(anon, catalogue):
    response = anon.get(f"{LIST}/2.001417")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "2.001417"
    assert body["decision"] == "1/QĐ-UBND"
    assert body["processing_time"] == {
        "value": 10.0,
        "unit": "working_days",
        "text": "10 ngày làm việc",
        "working_hours": 80.0,
    }
    assert body["fees"] == [
        {"name": "Phí cung cấp thông tin lý lịch tư pháp", "amount": 200000},
        {"name": "Phí cho sinh viên, người có công", "amount": 100000},
    ]
    assert [(c["name"], c["form_label"], c["mandatory"]) for c in body["components"]] == [
        ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chính", True),
        ("Bản chụp giấy tờ tùy thân", "Bản sao", False),
    ]
    assert body["intake_channels"] == [
        {"code": "desk", "label": "Trực tiếp"},
        {"code": "online", "label": "Trực tuyến"},
        {"code": "post", "label": "Bưu chính"},
    ]
    assert [c["code"] for c in body["return_channels"]] == ["desk", "post"]
    assert body["results"] == ["Phiếu lý lịch tư pháp"]


@pytest.mark.parametrize(
    "path",
    [
        f"{LIST}/9.999999",  # no such procedure
        f"{LIST}/2.000999",  # internal: not in the public catalogue
        f"{LIST}/2.001417?at=2022-12-31",  # not yet in force that day
    ],
)
def test_detail_not_found_is_structured(anon, catalogue, path):
    response = anon.get(path)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"].startswith("Không có thủ tục mã")
    assert error["fields"] == {}
