"""Posts, staff records and the counts at any date, against hand-made data."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.roles import Role
from motcua.org.models import UnitKind
from motcua.staffing import indicators, selectors, services
from motcua.staffing.models import Placement, Post, Qualification, Rotation, StaffMember
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    so = UnitFactory(code="000.00.12.H26", name="Sở Thử", kind=UnitKind.DEPARTMENT)
    a = UnitFactory(code="000.01.12.H26", name="Phòng A", parent=so)
    b = UnitFactory(code="000.02.12.H26", name="Trung tâm B", parent=so, kind=UnitKind.CENTRE)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    return {
        "so": so,
        "a": a,
        "b": b,
        "admin": admin,
        "cv_a": services.post_create(
            admin,
            unit_id=a.pk,
            title="Chuyên viên",
            category="civil_servant",
            quota=3,
            valid_from=date(2020, 1, 1),
        ),
        "vc_b": services.post_create(
            admin,
            unit_id=b.pk,
            title="Trợ giúp viên",
            category="public_employee",
            quota=2,
            valid_from=date(2020, 1, 1),
        ),
    }


def _person(org, name, post, start, category="civil_servant", **extra):
    return services.staff_create(
        org["admin"],
        services.StaffData(
            full_name=name,
            birth_date=date(1985, 5, 5),
            gender="female",
            category=category,
            start_date=start,
            post_id=post.pk,
            **extra,
        ),
    )


def test_head_counts_and_vacancies_at_any_date(org):
    an = _person(org, "Nguyễn Thị An", org["cv_a"], date(2021, 1, 4))
    binh = _person(org, "Trần Văn Bình", org["cv_a"], date(2022, 3, 1))
    _person(org, "Lê Thị Chi", org["vc_b"], date(2021, 6, 1), category="public_employee")
    services.staff_leave(org["admin"], binh.pk, end_date=date(2023, 3, 31))
    assert an.placements.count() == 1

    def civil(day):
        return selectors.organisation_on(day).by_category["civil_servant"]

    assert civil(date(2020, 12, 31)).staff == 0 and civil(date(2020, 12, 31)).vacant == 3
    assert (civil(date(2022, 3, 1)).staff, civil(date(2022, 3, 1)).vacant) == (2, 1)
    assert (civil(date(2023, 3, 30)).staff, civil(date(2023, 3, 30)).vacant) == (2, 1)
    # Left on 31/3: not counted that day (the end date is the first day away).
    assert (civil(date(2023, 3, 31)).staff, civil(date(2023, 3, 31)).vacant) == (1, 2)
    summary = selectors.organisation_on(date(2022, 6, 1))
    assert summary.units == 2
    assert summary.by_category["public_employee"].staff == 1
    assert summary.by_category["worker"].posts == 0
    only_b = selectors.organisation_on(date(2022, 6, 1), {org["b"].pk})
    assert only_b.by_category["civil_servant"].posts == 0
    assert only_b.by_category["public_employee"].staff == 1


def test_rotation_moves_the_count_from_one_unit_to_another(org):
    head_b = services.post_create(
        org["admin"],
        unit_id=org["b"].pk,
        title="Chuyên viên phụ trách",
        category="civil_servant",
        quota=1,
        valid_from=date(2020, 1, 1),
    )
    an = _person(org, "Nguyễn Thị An", org["cv_a"], date(2021, 1, 4))
    rotation = services.staff_rotate(
        org["admin"],
        an.pk,
        to_post_id=head_b.pk,
        moved_on=date(2023, 2, 1),
        decision_number="12/QĐ-STP",
    )
    assert (rotation.from_unit, rotation.to_unit) == (org["a"], org["b"])
    in_a = {org["a"].pk}
    assert selectors.staff_on(date(2023, 1, 31), in_a).count() == 1
    assert selectors.staff_on(date(2023, 2, 1), in_a).count() == 0
    assert selectors.staff_on(date(2023, 2, 1), {org["b"].pk}).count() == 1
    assert Placement.objects.filter(staff=an).count() == 2
    # The new post is full now: nobody else fits in it.
    binh = _person(org, "Trần Văn Bình", org["cv_a"], date(2021, 1, 4))
    with pytest.raises(ValidationError, match="đã đủ 1 người"):
        services.staff_rotate(
            org["admin"], binh.pk, to_post_id=head_b.pk, moved_on=date(2023, 3, 1)
        )
    assert Rotation.objects.count() == 1 and Placement.objects.filter(staff=binh).count() == 1


def test_a_full_post_takes_nobody_more(org):
    _person(org, "Một", org["vc_b"], date(2021, 1, 4), category="public_employee")
    _person(org, "Hai", org["vc_b"], date(2021, 1, 4), category="public_employee")
    with pytest.raises(ValidationError) as error:
        _person(org, "Ba", org["vc_b"], date(2021, 1, 4), category="public_employee")
    assert "đã đủ 2 người" in error.value.message_dict["post"][0]
    assert StaffMember.objects.count() == 2


def test_highest_qualification_per_person(org):
    an = _person(org, "Nguyễn Thị An", org["cv_a"], date(2021, 1, 4))
    binh = _person(org, "Trần Văn Bình", org["cv_a"], date(2021, 1, 4))
    _person(org, "Lê Chi", org["cv_a"], date(2021, 1, 4))  # nothing recorded
    admin = org["admin"]
    services.qualification_add(admin, an.pk, level="bachelor", field="Luật")
    services.qualification_add(
        admin, an.pk, level="master", field="Luật Kinh tế", awarded_on=date(2023, 5, 1)
    )
    services.qualification_add(admin, binh.pk, level="bachelor", field="Kinh tế")
    services.qualification_add(admin, binh.pk, level="bachelor", field="luật")
    assert selectors.organisation_on(date(2023, 4, 30)).qualifications == {
        "bachelor_law": 2,
        "none": 1,
    }
    assert selectors.organisation_on(date(2023, 6, 30)).qualifications == {
        "master_law": 1,
        "bachelor_law": 1,
        "none": 1,
    }
    # "Luật" must be a word: "Luật học" is law, "Kinh tế" is not.
    assert Qualification.objects.filter(is_law=True).count() == 3


def test_activity_of_a_period(org):
    an = _person(org, "Nguyễn Thị An", org["cv_a"], date(2021, 1, 4))
    admin = org["admin"]
    services.appointment_add(
        admin,
        an.pk,
        kind="reappointment",
        position="Phó Trưởng phòng",
        decided_on=date(2023, 5, 15),
        decision_number="45/QĐ-STP",
    )
    services.salary_raise_add(admin, an.pk, status="granted", decided_on=date(2023, 7, 1))
    services.course_add(admin, an.pk, name="Trung cấp LLCT", starts_on=date(2023, 3, 1))
    org_h1 = indicators.report_sections(date(2023, 1, 1), date(2023, 6, 30))["organisation"]
    assert org_h1["appointments"] == {"reappointment": {"civil_servant": 1}}
    assert org_h1["early_salary_raises"] == {} and org_h1["courses"] == 1
    assert Placement.objects.get(staff=an).position == "Phó Trưởng phòng"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"full_name": " "}, "full_name"),
        ({"gender": "x"}, "gender"),
        ({"category": "contractor"}, "category"),
        ({"birth_date": date(2015, 1, 1)}, "birth_date"),
        ({"political_theory": "master"}, "political_theory"),
        ({"post_id": 0}, "post"),
        ({"category": "public_employee"}, "post"),  # a civil-servant post
        ({"start_date": date(2019, 12, 31)}, "post"),  # the post did not exist yet
        ({"placed_on": date(2020, 12, 1)}, "placed_on"),
    ],
)
def test_bad_staff_input_saves_nothing(org, change, field):
    values = {
        "full_name": "Nguyễn Văn A",
        "birth_date": date(1985, 1, 1),
        "gender": "male",
        "category": "civil_servant",
        "start_date": date(2021, 1, 4),
        "post_id": org["cv_a"].pk,
    } | change
    with pytest.raises(ValidationError) as error:
        services.staff_create(org["admin"], services.StaffData(**values))
    assert field in error.value.message_dict
    assert StaffMember.objects.count() == 0 and Placement.objects.count() == 0


def test_bad_records_and_posts_save_nothing(org):
    an = _person(org, "Nguyễn Thị An", org["cv_a"], date(2021, 1, 4))
    admin = org["admin"]
    with pytest.raises(ValidationError):
        services.qualification_add(admin, an.pk, level="phd", field="")
    with pytest.raises(ValidationError):
        services.course_add(
            admin, an.pk, name="Lớp", starts_on=date(2023, 3, 1), ends_on=date(2023, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.appointment_add(
            admin,
            an.pk,
            kind="appointment",
            position="",
            decided_on=date(2020, 1, 1),
            decision_number="",
        )
    with pytest.raises(ValidationError):
        services.staff_leave(admin, an.pk, end_date=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="Đơn vị đã có vị trí này"):
        services.post_create(
            admin,
            unit_id=org["a"].pk,
            title="chuyên viên",
            category="civil_servant",
            quota=1,
            valid_from=date(2020, 1, 1),
        )
    with pytest.raises(ValidationError) as error:
        services.post_create(
            admin, unit_id=0, title="", category="x", quota=0, valid_from=date(2020, 1, 1)
        )
    assert set(error.value.message_dict) == {"unit", "title", "category", "quota"}
    _person(org, "Trần Văn Bình", org["cv_a"], date(2021, 1, 4))
    with pytest.raises(ValidationError, match="không thể nhỏ hơn"):
        services.post_set_quota(admin, org["cv_a"].pk, quota=1)
    with pytest.raises(ValidationError, match="từ 1 đến 999"):
        services.post_set_quota(admin, org["cv_a"].pk, quota=0)
    assert Qualification.objects.count() == 0 and Post.objects.count() == 2
    assert Post.objects.get(pk=org["cv_a"].pk).quota == 3
    an.refresh_from_db()
    assert an.end_date is None and not an.courses.exists() and not an.appointments.exists()


@pytest.mark.parametrize(
    "role", [Role.SPECIALIST, Role.DIVISION_HEAD, Role.DESK_OFFICER, Role.CITIZEN]
)
def test_only_hr_people_write(org, role):
    user = UserFactory(citizen=True) if role == Role.CITIZEN else UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        services.post_create(
            user,
            unit_id=org["a"].pk,
            title="X",
            category="worker",
            quota=1,
            valid_from=date(2020, 1, 1),
        )


def test_organisation_officer_by_permission(org):
    from django.contrib.auth.models import Permission

    officer = UserFactory(role=Role.SPECIALIST)
    officer.user_permissions.add(Permission.objects.get(codename="manage_records"))
    officer = type(officer).objects.get(pk=officer.pk)  # fresh permission cache
    post = services.post_create(
        officer,
        unit_id=org["a"].pk,
        title="Văn thư",
        category="worker",
        quota=1,
        valid_from=date(2020, 1, 1),
    )
    assert post.quota == 1
