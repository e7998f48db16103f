"""The demo organisation gives the seed's figures at 30/06/2023, and loading twice changes nothing."""

from datetime import date

import pytest

from motcua.demo.loaders import LoadReport, load_org_units
from motcua.staffing import demo, indicators
from motcua.staffing.models import Placement, Post, Qualification, StaffMember

pytestmark = pytest.mark.django_db


def test_demo_figures_and_idempotence():
    load_org_units(LoadReport())
    assert demo.load_demo() == {"posts": 27, "staff": 66}
    counts = (Post.objects.count(), StaffMember.objects.count(), Qualification.objects.count())
    assert demo.load_demo() == {"posts": 0, "staff": 0}
    assert (
        Post.objects.count(),
        StaffMember.objects.count(),
        Qualification.objects.count(),
    ) == counts
    assert Placement.objects.count() == 66

    org = indicators.report_sections(date(2023, 1, 1), date(2023, 6, 30))["organisation"]
    assert org["units"] == 9
    assert org["posts"] == 29 and org["posts_vacant"] == 3
    assert org["staff"] == 66
    assert org["by_category"] == {
        "civil_servant": {"staff": 26, "posts": 29, "vacant": 3},
        "public_employee": {"staff": 36, "posts": 36, "vacant": 0},
        "worker": {"staff": 4, "posts": 4, "vacant": 0},
    }
    assert org["qualifications"] == {
        "master_law": 11,
        "master_other": 1,
        "bachelor_law": 45,
        "bachelor_other": 6,
        "intermediate_other": 1,
        "vocational_other": 2,
    }
    assert sum(org["political_theory"].values()) == 66
    # The board (Giám đốc, Phó Giám đốc): the demo gives them cao cấp.
    assert org["political_theory"]["advanced"] == 2
    assert org["appointments"] == {"reappointment": {"civil_servant": 1, "public_employee": 1}}
    assert org["early_salary_raises"] == {
        "granted": {"civil_servant": 2, "public_employee": 3},
        "proposed": {"civil_servant": 1},
    }
    assert org["courses"] == 5
    # One division: Phòng Hành chính và Bổ trợ tư pháp (4 civil servants, no vacancy).
    hc = indicators.report_sections(date(2023, 1, 1), date(2023, 6, 30), "000.05.12.H27")
    assert hc["organisation"]["staff"] == 5 and hc["organisation"]["posts_vacant"] == 0
    # Before the posts existed nothing is counted.
    early = indicators.report_sections(date(2022, 1, 1), date(2022, 7, 31))["organisation"]
    assert early["posts"] == 0
