"""HR pages: who gets in, masking and the read log, counts at a date, bad input."""

from datetime import date

import pytest
from django.test import Client

from motcua.accounts.roles import Role
from motcua.core.models import PersonalDataRead
from motcua.org.models import UnitKind
from motcua.staffing import services
from motcua.staffing.models import Course, Post, StaffMember
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    so = UnitFactory(code="000.00.12.H26", name="Sở Thử", kind=UnitKind.DEPARTMENT)
    unit = UnitFactory(code="000.01.12.H26", name="Phòng A", parent=so)
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    post = services.post_create(
        leader,
        unit_id=unit.pk,
        title="Chuyên viên",
        category="civil_servant",
        quota=2,
        valid_from=date(2020, 1, 1),
    )
    person = services.staff_create(
        leader,
        services.StaffData(
            full_name="Nguyễn Thị Hồng",
            birth_date=date(1984, 7, 21),
            gender="female",
            category="civil_servant",
            start_date=date(2021, 1, 4),
            post_id=post.pk,
        ),
    )
    client = Client()
    client.force_login(leader)
    return {"client": client, "leader": leader, "post": post, "person": person, "unit": unit}


def test_list_masks_birth_dates_and_searches_without_accents(setup):
    page = (
        setup["client"].get("/can-bo/nhan-su/?q=nguyen thi hong&ngay=30/06/2023").content.decode()
    )
    assert "Nguyễn Thị Hồng" in page
    assert "**/**/1984" in page and "21/07/1984" not in page
    assert PersonalDataRead.objects.count() == 0
    before = setup["client"].get("/can-bo/nhan-su/?ngay=31/12/2020").content.decode()
    assert "Nguyễn Thị Hồng" not in before


def test_bad_date_says_so_in_vietnamese(setup):
    page = setup["client"].get("/can-bo/nhan-su/?ngay=31/02/2023").content.decode()
    assert "không hợp lệ (dạng dd/mm/yyyy)" in page


def test_record_shows_birth_date_and_logs_the_read(setup):
    person = setup["person"]
    page = setup["client"].get(f"/can-bo/nhan-su/can-bo/{person.pk}/").content.decode()
    assert "21/07/1984" in page
    read = PersonalDataRead.objects.get()
    assert read.subject == f"staff:{person.pk}" and read.actor == setup["leader"]


def test_posts_page_shows_vacancies_at_a_date(setup):
    page = setup["client"].get("/can-bo/nhan-su/vi-tri/?ngay=30/06/2023").content.decode()
    assert "Chuyên viên" in page and "<strong>1</strong>" in page


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.DIVISION_HEAD, Role.DESK_OFFICER])
def test_other_staff_get_403_even_for_missing_ids(setup, role):
    client = Client()
    client.force_login(UserFactory(role=role))
    for url in (
        "/can-bo/nhan-su/",
        "/can-bo/nhan-su/vi-tri/",
        "/can-bo/nhan-su/can-bo/999999/",
        "/can-bo/nhan-su/can-bo/them/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/can-bo/nhan-su/can-bo/999999/bang-cap/", {}).status_code == 403


def test_add_a_course_through_the_page_and_bad_input_changes_nothing(setup):
    person, client = setup["person"], setup["client"]
    url = f"/can-bo/nhan-su/can-bo/{person.pk}/boi-duong/"
    bad = client.post(url, {"name": "Lớp LLCT", "starts_on": "01/03/2023", "ends_on": "01/01/2023"})
    assert bad.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in bad.content.decode()
    malformed = client.post(url, {"name": "Lớp", "starts_on": "2023-13-45"})
    assert "Ngày phải có dạng dd/mm/yyyy" in malformed.content.decode()
    assert Course.objects.count() == 0
    ok = client.post(url, {"name": "Trung cấp Lý luận chính trị", "starts_on": "06/03/2023"})
    assert ok.status_code == 302 and Course.objects.get().name == "Trung cấp Lý luận chính trị"
    assert client.post(f"/can-bo/nhan-su/can-bo/{person.pk}/khong-co/", {}).status_code == 404


def test_add_staff_and_post_through_the_pages(setup):
    client = setup["client"]
    full = client.post(
        "/can-bo/nhan-su/can-bo/them/",
        {
            "full_name": "Trần Văn Tâm",
            "birth_date": "02/02/1990",
            "gender": "male",
            "category": "civil_servant",
            "post": setup["post"].pk,
            "start_date": "01/04/2023",
        },
    )
    assert full.status_code == 302
    # The post (quota 2) is full now: the page says so and saves nothing.
    refused = client.post(
        "/can-bo/nhan-su/can-bo/them/",
        {
            "full_name": "Lê Văn Ba",
            "birth_date": "02/02/1991",
            "gender": "male",
            "category": "civil_servant",
            "post": setup["post"].pk,
            "start_date": "01/05/2023",
        },
    )
    assert "đã đủ 2 người" in refused.content.decode()
    assert StaffMember.objects.count() == 2
    added = client.post(
        "/can-bo/nhan-su/vi-tri/them/",
        {
            "unit": setup["unit"].pk,
            "title": "Văn thư",
            "category": "worker",
            "quota": "1",
            "valid_from": "01/01/2023",
        },
    )
    assert added.status_code == 302 and Post.objects.count() == 2
    bad = client.post("/can-bo/nhan-su/vi-tri/them/", {"unit": "x", "quota": "-1"})
    assert "Lựa chọn không hợp lệ." in bad.content.decode() and Post.objects.count() == 2


def test_list_queries_do_not_grow_with_rows(setup, django_assert_max_num_queries):
    leader, post = setup["leader"], setup["post"]
    post2 = services.post_create(
        leader,
        unit_id=setup["unit"].pk,
        title="Lái xe",
        category="worker",
        quota=20,
        valid_from=date(2020, 1, 1),
    )
    for n in range(12):
        person = services.staff_create(
            leader,
            services.StaffData(
                full_name=f"Người số {n}",
                birth_date=date(1980, 1, 1),
                gender="male",
                category="worker",
                start_date=date(2021, 1, 4),
                post_id=post2.pk,
            ),
        )
        services.qualification_add(leader, person.pk, level="vocational", field="Lái xe")
    assert post.pk
    with django_assert_max_num_queries(16):
        setup["client"].get("/can-bo/nhan-su/?ngay=30/06/2023")
