"""The ISO 9001 register and self-inspection rounds."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.roles import Role
from motcua.reform import services
from motcua.reform.models import InspectionFinding, IsoDocumentVersion, IsoProcess
from motcua.reform.selectors import iso_counts
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
H1 = (date(2023, 1, 1), date(2023, 6, 30))


@pytest.fixture
def editor():
    return UserFactory(role=Role.ADMINISTRATOR)


def test_iso_register_counts_versions_and_overdue_reviews(editor):
    unit = UnitFactory()
    procedure = services.iso_process_create(
        editor, code="qt-01", name="Cấp Phiếu lý lịch tư pháp", kind="procedure",
        unit=unit, procedure_code="2.000505",
    )  # fmt: skip
    internal = services.iso_process_create(
        editor, code="QT-02", name="Kiểm soát tài liệu", kind="internal", unit=unit
    )
    assert procedure.code == "QT-01"
    services.iso_version_add(editor, procedure.pk, version="01", issued_on=date(2022, 3, 1),
                             next_review_on=date(2023, 3, 1), approver="Giám đốc Sở")  # fmt: skip
    current = services.iso_version_add(editor, internal.pk, version="01", approver="Giám đốc Sở",
                                       issued_on=date(2023, 2, 1), next_review_on=date(2023, 5, 1))  # fmt: skip
    services.iso_document_reviewed(editor, current.pk, on=date(2023, 5, 2), reviewer="Thư ký ISO",
                                   next_review_on=date(2024, 5, 2))  # fmt: skip
    counts = iso_counts(*H1)
    counts.pop("register")
    assert counts == {
        "processes": 2, "procedures": 1, "internal_processes": 1,
        "versions_issued": 1, "versions_reviewed": 1, "review_overdue": 1,
        "audits": 0, "findings": 0,
    }  # fmt: skip


def test_iso_bad_input_changes_nothing(editor):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as exc:
        services.iso_process_create(editor, code="", name="", kind="procedure", unit=unit)
    assert set(exc.value.message_dict) == {"code", "name", "procedure_code"}
    process = services.iso_process_create(editor, code="QT-1", name="A", kind="internal", unit=unit)
    with pytest.raises(ValidationError) as exc:
        services.iso_process_create(editor, code="qt-1", name="B", kind="internal", unit=unit)
    with pytest.raises(ValidationError) as exc:
        services.iso_version_add(editor, process.pk, version="01", issued_on=date(2023, 5, 1),
                                 next_review_on=date(2023, 4, 1), approver="Giám đốc Sở")  # fmt: skip
    assert "sau ngày ban hành" in exc.value.message_dict["next_review_on"][0]
    assert IsoProcess.objects.count() == 1 and not IsoDocumentVersion.objects.exists()


def test_inspection_rounds_record_findings_once_per_unit(editor):
    inspection = services.inspection_create(
        editor, title="Tự kiểm tra CCHC năm 2023", reference="Kế hoạch số 164/KH-STP",
        started_on=date(2023, 6, 12), ended_on=date(2023, 6, 30),
    )  # fmt: skip
    unit = UnitFactory()
    finding = services.inspection_finding_add(
        editor, inspection.pk, unit=unit.pk, findings="Hồ sơ thiếu minh chứng", follow_up="Bổ sung"
    )
    with pytest.raises(ValidationError):
        services.inspection_finding_add(editor, inspection.pk, unit=unit.pk, findings="Lần nữa")
    with pytest.raises(ValidationError):
        services.inspection_follow_up_done(editor, finding.pk, on=date(2023, 1, 1))
    services.inspection_follow_up_done(editor, finding.pk, on=date(2023, 7, 20))
    assert InspectionFinding.objects.get().follow_up_done_on == date(2023, 7, 20)
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(editor, title="", started_on=date(2023, 6, 30),
                                   ended_on=date(2023, 6, 1))  # fmt: skip
    assert set(exc.value.message_dict) == {"title", "ended_on"}
