"""The ISO 9001 register (ADR 0038): kept in step with the catalogue, controlled documents whose new
issue supersedes the old, overdue reviews, audit → finding → action → verified, and the bad input
that is refused with nothing changed."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.roles import Role
from motcua.catalog.services import catalog_import
from motcua.reform import services
from motcua.reform.iso_selectors import (
    document_state,
    in_scope_q,
    iso_register_figures,
    iso_register_rows,
    iso_review_due,
)
from motcua.reform.models import (
    IsoAction,
    IsoAudit,
    IsoDocument,
    IsoDocumentReview,
    IsoDocumentVersion,
    IsoFinding,
    IsoProcess,
    IsoUnit,
)
from tests.accounts.factories import UserFactory
from tests.catalog.factories import SO, history_document, make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def internal(editor, units):
    return services.iso_process_create(
        editor, code="QT-NB-01", name="Quy trình kiểm soát tài liệu", kind="internal",
        unit=units["so"], in_scope_from=date(2022, 3, 1),
    )  # fmt: skip


def _snapshot() -> tuple:
    return tuple(
        sorted(model.objects.values_list("pk", flat=True))
        for model in (IsoProcess, IsoDocument, IsoDocumentVersion, IsoDocumentReview,
                      IsoFinding, IsoAction, IsoUnit)
    )  # fmt: skip


# --- the catalogue ------------------------------------------------------------------------------
def test_sync_brings_procedures_in_force_in_and_takes_a_replaced_one_out(editor, units):
    """history_document: 2.001417 (Sở) from 2023-01-01, replaced on 2025-07-01 by 3.000333 of
    the police; 2.000977 decided by the legal-aid centre (under the Sở); LOCAL-STP-091 is an
    internal procedure (TTHC nội bộ), not counted among the procedures of the one-stop shop."""
    catalog_import(None, history_document())

    before = services.iso_register_sync(editor, at=date(2022, 12, 31), agency=SO)
    assert (before.added, before.removed) == ([], [])

    first = services.iso_register_sync(editor, at=date(2023, 1, 1), agency=SO)
    assert sorted(first.added) == ["2.000977", "2.001417"] and first.removed == []
    process = IsoProcess.objects.get(procedure_code="2.001417")
    assert process.code == "QT-TTHC-2.001417" and process.kind == "procedure"
    assert process.in_scope_from == date(2023, 1, 1) and process.unit == units["so"]
    assert IsoProcess.objects.get(procedure_code="2.000977").unit == units["legal_aid"]

    again = services.iso_register_sync(editor, at=date(2024, 1, 1), agency=SO)  # amended: same
    assert (again.added, again.removed) == ([], [])
    assert IsoProcess.objects.count() == 2

    replaced = services.iso_register_sync(editor, at=date(2025, 7, 3), agency=SO)
    assert replaced.removed == ["2.001417"] and replaced.added == []
    process.refresh_from_db()
    assert process.in_scope_until == date(2025, 7, 1)  # the day it left force, not the sync day
    assert not IsoProcess.objects.filter(in_scope_q(date(2025, 7, 3)), pk=process.pk).exists()

    def figures(day):
        f = iso_register_figures(day, SO)
        return f["procedures_in_qms"], f["procedures_in_force"]

    assert figures(date(2025, 6, 30)) == (2, 2)
    assert figures(date(2025, 7, 1)) == (1, 1)
    assert figures(date(2022, 12, 31)) == (0, 0)
    out = iso_register_rows(date(2025, 7, 3), scope="out")
    assert [row.process.procedure_code for row in out] == ["2.001417"]


def test_sync_links_a_process_entered_by_hand_instead_of_duplicating_it(editor, units):
    # Entered before the procedure was in the catalogue (the earlier demo did so).
    by_hand = services.iso_process_create(
        editor, code="QT-HCTP-02", name="Cấp Phiếu lý lịch tư pháp", kind="procedure",
        unit=units["division"], procedure_code="2.001417",
    )  # fmt: skip
    assert by_hand.procedure is None
    catalog_import(None, history_document())
    result = services.iso_register_sync(editor, at=date(2023, 3, 1), agency=SO)
    assert result.linked == ["2.001417"] and result.added == ["2.000977"]
    by_hand.refresh_from_db()
    assert by_hand.procedure.code == "2.001417"
    assert IsoProcess.objects.filter(procedure_code="2.001417").count() == 1


def test_a_new_procedure_in_the_catalogue_appears_at_the_next_sync(editor, units):
    from tests.catalog.factories import decision, document, version

    catalog_import(None, history_document())
    services.iso_register_sync(editor, at=date(2023, 3, 1), agency=SO)
    catalog_import(
        None,
        document(
            procedures=[
                {"code": "2.002516", "is_internal": False,
                 "versions": [version("5/QĐ-UBND", "2023-06-08", name="Đăng ký khai sinh có yếu tố nước ngoài")]},
            ],
            decisions=[decision("5/QĐ-UBND", "2023-06-08")],
        ),
    )  # fmt: skip
    result = services.iso_register_sync(editor, at=date(2023, 6, 30), agency=SO)
    assert result.added == ["2.002516"]
    assert iso_register_figures(date(2023, 6, 30), SO)["procedures_in_qms"] == 3


# --- controlled documents -----------------------------------------------------------------------
def test_a_new_issue_supersedes_the_old_which_is_left_as_it_was(editor, internal):
    first = services.iso_version_add(
        editor, internal.pk, version="01", issued_on=date(2022, 3, 1),
        next_review_on=date(2023, 3, 1), approver="Giám đốc Sở", decision="25/QĐ-STP",
    )  # fmt: skip
    form = services.iso_document_create(
        editor, code="QT-NB-01-BM01", title="Danh mục tài liệu nội bộ", kind="form",
        process=internal.pk,
    )  # fmt: skip
    services.iso_document_version_add(
        editor, form.pk, version="01", issued_on=date(2022, 3, 1), approver="Giám đốc Sở",
        next_review_on=date(2023, 3, 1),
    )  # fmt: skip
    frozen = IsoDocumentVersion.objects.filter(pk=first.pk).values().get()

    second = services.iso_version_add(
        editor, internal.pk, version="02", issued_on=date(2023, 3, 30),
        next_review_on=date(2024, 3, 30), approver="Giám đốc Sở",
    )  # fmt: skip
    assert second.supersedes == first
    assert IsoDocumentVersion.objects.filter(pk=first.pk).values().get() == frozen
    row = iso_register_rows(date(2023, 6, 30))[0]
    state = row.process_document
    assert state.current == second and state.superseded == [first]
    assert state.review_due == date(2024, 3, 30)
    assert [s.document.code for s in row.forms] == ["QT-NB-01-BM01"]


def test_an_overdue_review_is_flagged_until_the_document_is_reviewed(editor, internal):
    version = services.iso_version_add(
        editor, internal.pk, version="01", issued_on=date(2022, 3, 1),
        next_review_on=date(2023, 3, 1), approver="Giám đốc Sở",
    )  # fmt: skip
    at = date(2023, 6, 30)
    assert iso_register_rows(at)[0].overdue(at)
    assert [r.process.code for r in iso_register_rows(at, overdue_only=True)] == ["QT-NB-01"]
    assert [s.document.code for s in iso_review_due(at)] == ["QT-NB-01"]
    services.iso_document_reviewed(
        editor, version.pk, on=date(2023, 7, 3), reviewer="Thư ký ISO",
        next_review_on=date(2024, 7, 3), note="Còn phù hợp",
    )  # fmt: skip
    assert not iso_register_rows(date(2023, 7, 4))[0].overdue(date(2023, 7, 4))
    assert iso_register_rows(date(2023, 7, 4), overdue_only=True) == []
    assert document_state(IsoDocument.objects.get()).last_reviewed == date(2023, 7, 3)


# --- audits -------------------------------------------------------------------------------------
def test_audit_finding_action_done_and_verified(editor, units, internal):
    audit = services.iso_audit_create(
        editor, year=2023, title="Đánh giá nội bộ năm 2023", held_from=date(2023, 5, 15),
        held_to=date(2023, 5, 19), lead_auditor="Chánh Văn phòng", auditors="Thư ký ISO",
        processes=[internal.pk], units=[units["division"].pk],
    )  # fmt: skip
    assert list(audit.processes.all()) == [internal]
    finding = services.iso_finding_add(
        editor, audit.pk, kind="nonconformity", clause="7.5.3", found_on=date(2023, 5, 16),
        description="Hồ sơ chưa được lưu theo quy trình.", process=internal.pk,
    )  # fmt: skip
    action = services.iso_action_add(
        editor, finding.pk, description="Lập lại danh mục hồ sơ", owner="Chánh Văn phòng",
        due_on=date(2023, 6, 15),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:  # not done yet: nothing to verify
        services.iso_action_verified(editor, action.pk, on=date(2023, 6, 20), by="Thư ký ISO")
    assert "đã hoàn thành" in exc.value.message_dict["on"][0]
    services.iso_action_done(editor, action.pk, on=date(2023, 6, 12), result="Đã lập.")
    services.iso_action_verified(editor, action.pk, on=date(2023, 6, 20), by="Thư ký ISO")
    action.refresh_from_db()
    assert (action.done_on, action.verified_on, action.verified_by) == (
        date(2023, 6, 12), date(2023, 6, 20), "Thư ký ISO",
    )  # fmt: skip
    review = services.iso_management_review_create(
        editor, held_on=date(2023, 6, 26), chair="Giám đốc Sở", audit=audit.pk,
        inputs="Kết quả đánh giá nội bộ", decisions="Duy trì hệ thống",
    )  # fmt: skip
    assert review.audit == audit


# --- bad input ----------------------------------------------------------------------------------
def test_a_review_date_before_the_issue_date_is_refused(editor, internal):
    version = services.iso_version_add(
        editor, internal.pk, version="01", issued_on=date(2023, 3, 1),
        next_review_on=date(2024, 3, 1), approver="Giám đốc Sở",
    )  # fmt: skip
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.iso_version_add(
            editor, internal.pk, version="02", issued_on=date(2023, 5, 1),
            next_review_on=date(2023, 4, 1), approver="Giám đốc Sở",
        )  # fmt: skip
    assert exc.value.message_dict["next_review_on"] == ["Hạn rà soát phải sau ngày ban hành."]
    with pytest.raises(ValidationError) as exc:
        services.iso_document_reviewed(
            editor, version.pk, on=date(2023, 2, 1), reviewer="Thư ký ISO",
            next_review_on=date(2024, 2, 1),
        )  # fmt: skip
    assert exc.value.message_dict["on"] == ["Ngày rà soát không được trước ngày ban hành."]
    with pytest.raises(ValidationError) as exc:  # an issue older than the current one
        services.iso_version_add(
            editor, internal.pk, version="00", issued_on=date(2022, 1, 1),
            next_review_on=date(2023, 1, 1), approver="",
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"issued_on", "approver"}
    assert "trước lần ban hành hiện hành (01/03/2023)" in exc.value.message_dict["issued_on"][0]
    assert _snapshot() == before


def test_a_duplicate_code_is_refused(editor, units, internal):
    services.iso_document_create(
        editor, code="KH-09-2023", title="Kế hoạch ISO năm 2023", kind="plan"
    )
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.iso_process_create(
            editor, code="qt-nb-01", name="Trùng mã", kind="internal", unit=units["so"]
        )
    assert exc.value.message_dict["code"] == ["Mã quy trình QT-NB-01 đã có trong hệ thống."]
    with pytest.raises(ValidationError) as exc:
        services.iso_document_create(editor, code="kh-09-2023", title="Trùng", kind="plan")
    assert exc.value.message_dict["code"] == ["Mã tài liệu KH-09-2023 đã có trong hệ thống."]
    with pytest.raises(ValidationError) as exc:
        services.iso_document_create(editor, code="BM-1", title="Biểu mẫu lạc", kind="form")
    assert "phải thuộc một quy trình" in exc.value.message_dict["process"][0]
    assert _snapshot() == before


def test_an_action_due_before_its_finding_and_a_clause_not_in_the_standard_are_refused(
    editor, internal
):
    audit = services.iso_audit_create(
        editor, year=2023, title="Đánh giá nội bộ năm 2023", held_from=date(2023, 5, 15),
        held_to=date(2023, 5, 19), lead_auditor="Chánh Văn phòng",
    )  # fmt: skip
    finding = services.iso_finding_add(
        editor, audit.pk, kind="observation", clause="9.2", found_on=date(2023, 5, 17),
        description="Chưa lưu chương trình đánh giá.",
    )  # fmt: skip
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.iso_action_add(
            editor, finding.pk, description="Lưu chương trình", owner="Thư ký ISO",
            due_on=date(2023, 5, 1),
        )  # fmt: skip
    assert exc.value.message_dict["due_on"] == [
        "Thời hạn khắc phục không được trước ngày phát hiện (17/05/2023)."
    ]
    with pytest.raises(ValidationError) as exc:
        services.iso_finding_add(
            editor, audit.pk, kind="nonconformity", clause="11.2", found_on=date(2023, 6, 1),
            description="x",
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"clause", "found_on"}
    assert "không phải điều khoản của TCVN ISO 9001:2015" in exc.value.message_dict["clause"][0]
    with pytest.raises(ValidationError) as exc:
        services.iso_audit_create(
            editor, year=2023, title="Sai ngày", held_from=date(2023, 5, 19),
            held_to=date(2023, 5, 15), lead_auditor="Chánh Văn phòng",
        )  # fmt: skip
    assert exc.value.message_dict["held_to"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert _snapshot() == before


def test_a_unit_recorded_twice_is_refused(editor, units):
    services.iso_unit_applies(editor, unit=units["legal_aid"], applies_from=date(2023, 6, 30))
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.iso_unit_applies(editor, unit=units["legal_aid"], applies_from=date(2023, 7, 1))
    assert "đã được ghi nhận đang áp dụng ISO" in exc.value.message_dict["unit"][0]
    assert _snapshot() == before
    figures = iso_register_figures(date(2023, 6, 30), SO)
    assert (figures["units_applying"], figures["units_total"]) == (1, 1)
    assert iso_register_figures(date(2023, 6, 29), SO)["units_applying"] == 0


def test_a_specialist_outside_the_office_cannot_write_the_register(units):
    from django.core.exceptions import PermissionDenied

    specialist = UserFactory(role=Role.SPECIALIST, unit=units["division"])
    with pytest.raises(PermissionDenied):
        services.iso_register_sync(specialist, at=date(2023, 6, 30), agency=SO)
    assert not IsoProcess.objects.exists()


def test_an_audit_naming_a_process_that_does_not_exist_is_refused(editor, internal):
    with pytest.raises(ValidationError) as exc:
        services.iso_audit_create(
            editor, year=2023, title="Đánh giá", held_from=date(2023, 5, 15),
            held_to=date(2023, 5, 19), lead_auditor="Chánh Văn phòng",
            processes=[internal.pk, 999999, "x"],
        )  # fmt: skip
    assert exc.value.message_dict["processes"] == ["Có quy trình được chọn không tồn tại."]
    assert not IsoAudit.objects.exists()
