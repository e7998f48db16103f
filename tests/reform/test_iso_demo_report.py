"""The demo's ISO register gives the H1/2023 report's II.6.2 figures — 122/122 TTHC, 14 internal
processes, 04/04 public-service units — from the register, and the report's sentence says so."""

from datetime import date

import pytest
import time_machine

from motcua.demo.loaders import LoadReport, load_catalogue, load_org_units, load_staff
from motcua.indicators.narrative import DEFAULTS, figures_for_text, paragraph_render
from motcua.indicators.report import report_build
from motcua.indicators.scope import Scope
from motcua.reform.demo import ISO_ILLUSTRATIVE, ISO_INTERNAL, load_demo
from motcua.reform.indicators import report_sections
from motcua.reform.iso_selectors import iso_agency_code, iso_register_rows
from motcua.reform.models import IsoAction, IsoDocument, IsoFinding, IsoProcess

pytestmark = pytest.mark.django_db
H1 = (date(2023, 1, 1), date(2023, 6, 30))
SEED_SENTENCE = (
    "Hiện nay, Sở Tư pháp có 122/122 TTHC và 14 quy trình nội bộ được đưa vào áp dụng HTQLCL "
    "theo TCVN ISO 9001:2015. Hiện nay, 04/04 đơn vị sự nghiệp thuộc Sở đã xây dựng, áp dụng hệ "
    "thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015."
)


@time_machine.travel("2024-01-15T09:00+07:00", tick=False)
def test_the_demo_register_gives_the_seeds_iso_figures_and_sentence():
    load_org_units(LoadReport())
    load_catalogue(LoadReport())
    load_staff(LoadReport(), "Mat-khau-Thu-nghiem-2024")
    load_demo()
    assert iso_agency_code() == "000.00.12.H27"

    register = report_sections(*H1)["iso"]["register"]
    assert register == {
        "available": True, "at": "2023-06-30", "agency": "000.00.12.H27",
        "procedures_in_force": 122, "procedures_in_qms": 122, "internal_processes": 14,
        "units_total": 4, "units_applying": 4, "agency_applies": True,
    }  # fmt: skip

    report = report_build(Scope(*H1), default_agency="000.00.12.H27")
    text = figures_for_text(report)["iso_text"]
    assert text == SEED_SENTENCE
    assert SEED_SENTENCE in paragraph_render(DEFAULTS["iso"], figures_for_text(report))

    # Every internal process says where its name comes from; the unsourced ones say so.
    internal = IsoProcess.objects.filter(kind="internal", in_scope_until__isnull=True)
    assert internal.count() == len(ISO_INTERNAL) == 14
    assert all(p.source for p in internal)
    assert internal.filter(source=ISO_ILLUSTRATIVE).count() == 8
    # The seed's footnotes 21 and 22 are documents of the register.
    numbers = set(IsoDocument.objects.values_list("versions__decision", flat=True))
    assert {"18/QĐ-STP", "09/KH-STP"} <= numbers
    # One audit with findings of each kind and actions; one review overdue on 30/06/2023.
    assert set(IsoFinding.objects.values_list("kind", flat=True)) == {
        "nonconformity", "observation", "opportunity",
    }  # fmt: skip
    assert IsoAction.objects.filter(verified_on__isnull=False).count() == 1
    overdue = iso_register_rows(date(2023, 6, 30), overdue_only=True)
    assert [row.process.code for row in overdue] == ["QT-NB-14"]

    second = load_demo()
    assert second.created == {}
    assert report_sections(*H1)["iso"]["register"] == register
