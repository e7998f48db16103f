"""The services: validation with Vietnamese messages, nothing changed on bad input, roles."""

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.roles import Role
from motcua.reform import services
from motcua.reform.models import (
    ActivityKind,
    DocStatus,
    DocType,
    Draft,
    Issuer,
    LegalActivity,
    LegalDocument,
    ParCriterion,
    Plan,
    ReviewOutcome,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)
from tests.accounts.factories import UnitFactory, UserFactory
from tests.reform.factories import DocumentFactory, DraftFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(role=Role.DEPARTMENT_LEADER)


def _messages(exc: ValidationError) -> dict:
    return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}


def test_plan_create_validates_its_number_and_refuses_a_duplicate(editor):
    unit = UnitFactory()
    plan = services.plan_create(editor, number="08/kh-stp", issued_on=date(2023, 1, 16),
                                title="Kế hoạch CCHC năm 2023", unit=unit)  # fmt: skip
    assert (plan.number, plan.year) == ("08/KH-STP", 2023)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(editor, number="08/KH-STP", issued_on=date(2023, 2, 1),
                             title="Lần nữa", unit=unit)  # fmt: skip
    assert "đã có" in _messages(exc.value)["number"][0]
    with pytest.raises(ValidationError) as exc:
        services.plan_create(editor, number="kế hoạch 8", issued_on=None, title="", unit="x")
    assert set(_messages(exc.value)) == {"number", "issued_on", "title", "unit", "year"}
    assert Plan.objects.count() == 1


def test_only_editors_create(editor):
    specialist = UserFactory(role=Role.SPECIALIST)
    with pytest.raises(PermissionDenied):
        services.plan_create(specialist, number="1/KH-STP", issued_on=date(2023, 1, 2),
                             title="Kế hoạch", unit=specialist.unit)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.legal_document_register(
            specialist, issuer=Issuer.PROVINCIAL_COMMITTEE, doc_type=DocType.DECISION,
            number="1/2023/QĐ-UBND", issued_on=date(2023, 1, 2), title="Quy định",
            effective_from=date(2023, 1, 12),
        )  # fmt: skip
    assert not Plan.objects.exists() and not LegalDocument.objects.exists()


def test_task_create_checks_dates_source_and_double_submits(editor):
    plan = PlanFactory()
    fields = dict(source=TaskSource.PLAN, plan=plan.pk, title="Rà soát TTHC nội bộ",
                  area="procedures", unit=plan.unit.pk, assigned_on=date(2023, 1, 16),
                  deadline=date(2023, 6, 30))  # fmt: skip
    task = services.task_create(editor, **fields)
    with pytest.raises(ValidationError) as exc:
        services.task_create(editor, **fields)
    assert "đã có" in _messages(exc.value)["title"][0]
    with pytest.raises(ValidationError) as exc:
        services.task_create(editor, **fields | {"deadline": date(2023, 1, 1), "area": "x"})
    assert set(_messages(exc.value)) == {"deadline", "area"}
    with pytest.raises(ValidationError) as exc:
        services.task_create(editor, **fields | {"source": TaskSource.PROVINCE, "title": "Khác"})
    assert "UBND tỉnh" in _messages(exc.value)["source_document"][0]
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            editor, **fields | {"owner": UserFactory(citizen=True).pk, "title": "K"}
        )
    assert "owner" in _messages(exc.value)
    assert list(Task.objects.all()) == [task]


def _pdf():
    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%minh chung\n", "application/pdf")


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("bc.docx", buffer.getvalue(), "application/octet-stream")


@time_machine.travel("2023-03-01T09:00+07:00", tick=False)
def test_progress_sets_dates_and_keeps_evidence(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory()
    services.task_progress_add(editor, task.pk, status=TaskStatus.IN_PROGRESS,
                               note="Đã dự thảo báo cáo", on=date(2023, 2, 20), evidence=_pdf())  # fmt: skip
    progress = services.task_progress_add(editor, task.pk, status=TaskStatus.DONE,
                                          note="Đã ban hành", evidence=_docx())  # fmt: skip
    task.refresh_from_db()
    assert (task.status, task.started_on, task.completed_on) == (
        TaskStatus.DONE, date(2023, 2, 20), date(2023, 3, 1),
    )  # fmt: skip
    assert progress.evidence.name.startswith("reform/evidence/2023/03/01/")
    assert progress.evidence_name == "bc.docx"


@time_machine.travel("2023-03-01T09:00+07:00", tick=False)
def test_bad_progress_changes_nothing(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory()
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    bad = [
        dict(status=TaskStatus.IN_PROGRESS, note="x", evidence=fake),
        dict(status="xong", note="x"),
        dict(status=TaskStatus.IN_PROGRESS, note="   "),
        dict(status=TaskStatus.IN_PROGRESS, note="x", on=date(2023, 3, 2)),
        dict(status=TaskStatus.IN_PROGRESS, note="x", on=date(2022, 12, 1)),
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError) as exc:
            services.task_progress_add(editor, task.pk, **kwargs)
        assert exc.value.message_dict
    task.refresh_from_db()
    assert (task.status, task.started_on) == (TaskStatus.NOT_STARTED, None)
    assert not TaskProgress.objects.exists()
    assert not list(tmp_path.rglob("*.*"))
    with pytest.raises(ValidationError) as exc:
        services.task_progress_add(editor, task.pk, status=TaskStatus.IN_PROGRESS, note="x",
                                   evidence=SimpleUploadedFile("a.pdf", b"", "application/pdf"))  # fmt: skip


@time_machine.travel("2023-03-01T09:00+07:00", tick=False)
def test_a_double_click_records_progress_once(editor):
    task = TaskFactory()
    services.task_progress_add(editor, task.pk, status=TaskStatus.IN_PROGRESS, note="Đã họp")
    with pytest.raises(ValidationError) as exc:
        services.task_progress_add(editor, task.pk, status=TaskStatus.IN_PROGRESS, note="Đã họp")
    assert exc.value.message_dict["note"] == ["Cập nhật này đã được ghi nhận."]
    assert TaskProgress.objects.count() == 1


def test_the_owner_and_their_head_may_report_progress_others_not():
    task = TaskFactory()
    owner = UserFactory(role=Role.SPECIALIST)
    task.owner = owner
    task.save()
    head = UserFactory(role=Role.DIVISION_HEAD, unit=task.unit)
    stranger = UserFactory(role=Role.DIVISION_HEAD)
    with time_machine.travel("2023-03-01T09:00+07:00", tick=False):
        services.task_progress_add(owner, task.pk, status=TaskStatus.IN_PROGRESS, note="Bắt đầu")
        services.task_progress_add(head, task.pk, status=TaskStatus.IN_PROGRESS, note="Đôn đốc")
        with pytest.raises(PermissionDenied):
            services.task_progress_add(stranger, task.pk, status=TaskStatus.DONE, note="Xong")
    assert TaskProgress.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"number": "12/2023/QĐ-UBND", "issued_on": date(2022, 5, 1)}, "number", "năm ban hành"),
        ({"number": "12/2023/NQ-HĐND"}, "number", "QĐ-"),
        ({"number": "QĐ 12"}, "number", "12/2023/QĐ-UBND"),
        ({"doc_type": DocType.CIRCULAR}, "doc_type", "chỉ ban hành"),
        ({"issuer": "so_tu_phap"}, "issuer", "cơ quan ban hành"),
        ({"effective_from": date(2023, 4, 30)}, "effective_from", "trước ngày ban hành"),
        ({"effective_to": date(2023, 5, 1)}, "effective_to", "trước ngày có hiệu lực"),
        ({"title": ""}, "title", "bắt buộc"),
    ],
)
def test_register_refuses_bad_documents(editor, changes, field, words):
    fields = dict(issuer=Issuer.PROVINCIAL_COMMITTEE, doc_type=DocType.DECISION,
                  number="12/2023/QĐ-UBND", issued_on=date(2023, 5, 2), title="Quy định giá đất",
                  effective_from=date(2023, 5, 15))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.legal_document_register(editor, **fields | changes)
    assert words in " ".join(_messages(exc.value)[field])
    assert not LegalDocument.objects.exists()
    services.legal_document_register(editor, **fields)
    with pytest.raises(ValidationError):
        services.legal_document_register(editor, **fields)
    assert LegalDocument.objects.count() == 1


@time_machine.travel("2023-06-01T09:00+07:00", tick=False)
def test_a_review_finding_expiry_updates_the_register(editor):
    document = DocumentFactory()
    unit = UnitFactory()
    services.legal_activity_record(editor, kind=ActivityKind.REVIEW, done_on=date(2023, 3, 1),
                                   unit=unit, document=document, outcome=ReviewOutcome.EXPIRED_PARTLY,
                                   expired_on=date(2022, 7, 1))  # fmt: skip
    document.refresh_from_db()
    assert document.status == DocStatus.PARTLY_EXPIRED
    services.legal_activity_record(editor, kind=ActivityKind.REVIEW, done_on=date(2023, 4, 1),
                                   unit=unit, document=document, outcome=ReviewOutcome.EXPIRED_FULLY,
                                   expired_on=date(2022, 12, 1))  # fmt: skip
    document.refresh_from_db()
    assert (document.status, document.effective_to) == (DocStatus.EXPIRED, date(2022, 12, 1))


@time_machine.travel("2023-06-01T09:00+07:00", tick=False)
def test_bad_activities_change_nothing(editor):
    unit = UnitFactory()
    document = DocumentFactory()
    central = DraftFactory(issuer=Issuer.GOVERNMENT, doc_type=DocType.DECREE)
    bad = [
        (dict(kind=ActivityKind.APPRAISAL, draft=central.pk), "draft"),
        (dict(kind=ActivityKind.APPRAISAL), "draft"),
        (dict(kind=ActivityKind.REVIEW, document=document.pk), "outcome"),
        (dict(kind=ActivityKind.REVIEW, document=document.pk, outcome=ReviewOutcome.EXPIRED_FULLY), "expired_on"),
        (dict(kind=ActivityKind.REVIEW, document=document.pk, outcome=ReviewOutcome.EXPIRED_FULLY,
              expired_on=date(2019, 1, 1)), "expired_on"),
        (dict(kind=ActivityKind.SELF_CHECK, document="999999"), "document"),
        (dict(kind=ActivityKind.SELF_CHECK, document=document.pk, done_on=date(2023, 6, 2)), "done_on"),
        (dict(kind=ActivityKind.SYSTEMATISATION, document=document.pk), "period"),
        (dict(kind="audit", document=document.pk), "kind"),
    ]  # fmt: skip
    for kwargs, field in bad:
        kwargs = {"done_on": date(2023, 3, 1), "unit": unit.pk} | kwargs
        with pytest.raises(ValidationError) as exc:
            services.legal_activity_record(editor, **kwargs)
        assert field in exc.value.message_dict, (kwargs, exc.value.message_dict)
    assert not LegalActivity.objects.exists()
    document.refresh_from_db()
    assert document.status == DocStatus.IN_FORCE
    ok = dict(
        kind=ActivityKind.SELF_CHECK, document=document.pk, done_on=date(2023, 3, 1), unit=unit.pk
    )
    services.legal_activity_record(editor, **ok)
    with pytest.raises(ValidationError):  # a double click
        services.legal_activity_record(editor, **ok)
    assert LegalActivity.objects.count() == 1


@time_machine.travel("2023-06-01T09:00+07:00", tick=False)
def test_draft_register_refuses_bad_input(editor):
    with pytest.raises(ValidationError) as exc:
        services.draft_register(editor, title="", issuer=Issuer.MINISTER, doc_type=DocType.DECREE,
                                drafting_agency="", received_on=date(2023, 7, 1))  # fmt: skip
    assert set(exc.value.message_dict) == {"title", "doc_type", "drafting_agency", "received_on"}
    assert not Draft.objects.exists()


def test_par_scores_stay_within_the_maximum(editor):
    assessment = services.par_assessment_create(editor, year=2023, unit=UnitFactory())
    parent = services.par_criterion_add(
        editor, assessment.pk, code="1", title="Chỉ đạo", max_points="3"
    )
    leaf = services.par_criterion_add(editor, assessment.pk, code="1.1", title="Kế hoạch",
                                      max_points="1,5", parent=parent.pk)  # fmt: skip
    for score in ("1,75", "-1", "abc", "1.234", "NaN"):
        with pytest.raises(ValidationError):
            services.par_self_score(editor, leaf.pk, score=score)
    with pytest.raises(ValidationError):
        services.par_self_score(editor, parent.pk, score="1")
    services.par_self_score(editor, leaf.pk, score="1,25", evidence="https://stp.hatinh.gov.vn/kh")
    services.par_final_score(editor, leaf.pk, score="1")
    leaf.refresh_from_db()
    assert (str(leaf.self_score), str(leaf.final_score)) == ("1.25", "1.00")
    assert ParCriterion.objects.get(pk=parent.pk).self_score is None


def test_task_update_reassigns_and_moves_the_deadline(editor):
    task = TaskFactory(deadline=date(2023, 6, 30))
    owner = UserFactory(role=Role.SPECIALIST)
    services.task_update(editor, task.pk, owner=owner.pk, deadline=date(2023, 9, 30))
    task.refresh_from_db()
    assert (task.owner, task.deadline) == (owner, date(2023, 9, 30))
    for changes, field in (
        ({"deadline": date(2022, 1, 1)}, "deadline"),
        ({"area": "x", "title": " "}, "area"),
        ({"owner": UserFactory(citizen=True).pk}, "owner"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.task_update(editor, task.pk, **changes)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.task_update(editor, task.pk, status="done")
    with pytest.raises(PermissionDenied):
        services.task_update(UserFactory(role=Role.SPECIALIST), task.pk, title="Khác")
    task.refresh_from_db()
    assert (task.owner, task.deadline, task.status) == (owner, date(2023, 9, 30), "not_started")


def test_a_done_task_keeps_its_deadline(editor):
    task = TaskFactory(
        status=TaskStatus.DONE, started_on=date(2023, 2, 1), completed_on=date(2023, 7, 5)
    )
    with pytest.raises(ValidationError) as exc:
        services.task_update(editor, task.pk, deadline=date(2023, 7, 31))
    assert "không đổi thời hạn" in exc.value.message_dict["deadline"][0]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("bao-cao.html", "bao-cao.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("?", "minh-chung.pdf"),
        ("", "minh-chung.pdf"),
    ],
)
def test_evidence_keeps_the_extension_of_what_it_really_is(sent, kept):
    from motcua.reform.evidence import evidence_file_name

    assert evidence_file_name(sent, "pdf") == kept
