"""The work-file archive (issue [J] 6): filing, retention, the hand-over package, fixity, and bad
input refused with nothing changed."""

import hashlib
import json
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from motcua.archives.jobs import archives_fixity_run
from motcua.archives.models import (
    AccessLevel,
    FixityCheck,
    HandOver,
    HandOverStatus,
    Reliability,
    RetentionRule,
    SourceKind,
    WorkFile,
    WorkFileItem,
)
from motcua.archives.pdfa import PdfaFailed, pdfa_check, pdfa_convert
from motcua.archives.services import (
    DEFAULT_RETENTION_YEARS,
    archives_file_year,
    archives_fixity_check,
    archives_handover,
)
from motcua.catalog.models import Procedure
from motcua.core.models import JOBS, JobRunStatus
from motcua.documents.storage import documents_storage
from motcua.exchange.files import exchange_file_put
from tests.documents.factories import pdf_bytes

pytestmark = pytest.mark.django_db


def _change_a_byte(stored):
    storage = documents_storage()
    with storage.open(stored.storage_name, "rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0x01
    storage.delete(stored.storage_name)
    assert storage.save(stored.storage_name, ContentFile(bytes(data))) == stored.storage_name


def test_filing_fills_the_metadata_and_is_idempotent(filed_year, outgoing):
    first = archives_file_year(None, 2024)
    assert first.items_added == 3 and first.work_files_created == 2
    dossiers = WorkFile.objects.get(source=SourceKind.DOSSIERS)
    dossier = filed_year["dossier"]
    procedure = dossier.procedure_version.procedure
    assert dossiers.code == f"2024.{dossier.receiving_unit.code}.{procedure.code}"
    assert dossier.procedure_version.name in dossiers.title and "2024" in dossiers.title
    assert dossiers.year == 2024 and dossiers.unit == dossier.receiving_unit
    assert dossiers.item_count == 2
    assert dossiers.page_count == 3  # result 2 pages + paper 1 page
    assert dossiers.retention_years == DEFAULT_RETENTION_YEARS
    assert dossiers.access_level == AccessLevel.RESTRICTED
    assert dossiers.language == "Tiếng Việt"
    assert dossiers.reliability == Reliability.MIXED  # a desk scan among born-digital results
    assert dossiers.start_date is not None and dossiers.end_date is not None
    assert dossiers.start_date <= dossiers.end_date
    items = list(dossiers.items.order_by("order"))
    assert {i.kind for i in items} == {"result", "component"}
    assert {i.sha256 for i in items} == {filed_year["result"].sha256, filed_year["paper"].sha256}
    assert all(i.reference == dossier.code for i in items)
    register = WorkFile.objects.get(source=SourceKind.OUTGOING)
    assert register.item_count == 1 and register.retention_years is None
    assert register.retention_label == "Vĩnh viễn"

    before = list(WorkFileItem.objects.values_list("pk", "work_file_id", "order", "sha256"))
    again = archives_file_year(None, 2024)
    assert again.items_added == 0 and again.work_files_created == 0
    assert again.items_already_filed == 3
    assert list(WorkFileItem.objects.values_list("pk", "work_file_id", "order", "sha256")) == before
    assert WorkFile.objects.count() == 2


def test_a_new_file_of_the_same_year_is_added_to_the_same_work_file(filed_year):
    from tests.archives.conftest import attach_files
    from tests.documents.factories import dossier_finished

    archives_file_year(None, 2024)
    second = dossier_finished(filed_year["desk"], citizen_id="042190009999")
    attach_files(filed_year["desk"], second, "2")
    result = archives_file_year(None, 2024)
    assert result.items_added == 2 and result.work_files_created == 0
    work_file = WorkFile.objects.get()
    assert work_file.item_count == 4
    assert list(work_file.items.values_list("order", flat=True)) == [1, 2, 3, 4]


def test_retention_per_procedure(filed_year):
    procedure = Procedure.objects.get(pk=filed_year["dossier"].procedure_version.procedure_id)
    RetentionRule.objects.create(
        procedure=procedure, retention_years=None, access_level=AccessLevel.PUBLIC
    )
    archives_file_year(None, 2024)
    work_file = WorkFile.objects.get()
    assert work_file.retention_years is None and work_file.retention_label == "Vĩnh viễn"
    assert work_file.access_level == AccessLevel.PUBLIC


def test_retention_years_of_a_rule(filed_year):
    procedure = Procedure.objects.get(pk=filed_year["dossier"].procedure_version.procedure_id)
    RetentionRule.objects.create(procedure=procedure, retention_years=20)
    archives_file_year(None, 2024)
    assert WorkFile.objects.get().retention_label == "20 năm"


def test_the_hand_over_package_opens_and_its_hashes_match(filed_year, outgoing, tmp_path):
    archives_file_year(None, 2024)
    output = tmp_path / "nop-luu"
    handover = archives_handover(None, 2024, output)
    assert handover.status == HandOverStatus.DONE
    assert handover.work_files == 2 and handover.files == 3
    assert sorted(p.name for p in output.iterdir()) == [
        "goi-nop-luu-2024.zip",
        "muc-luc-ho-so-2024.xlsx",
    ]
    book = load_workbook(output / "muc-luc-ho-so-2024.xlsx", read_only=True)
    rows = list(book["Mục lục hồ sơ"].values)
    assert rows[0][:3] == ("STT", "Mã hồ sơ", "Tiêu đề hồ sơ")
    assert {r[1] for r in rows[1:]} == set(WorkFile.objects.values_list("code", flat=True))
    assert len(list(book["Văn bản"].values)) == 1 + 3
    package = output / "goi-nop-luu-2024.zip"
    assert hashlib.sha256(package.read_bytes()).hexdigest() == handover.package_sha256
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["pdfa"] == {"standard": "PDF/A-2b", "copies": 3, "failed": 0}
        assert "PDF/A-2b" in manifest["note"]
        assert len(manifest["files"]) == 3
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
            # Beside each original PDF, its PDF/A-2b copy, which opens and declares PDF/A-2B.
            copy = archive.read(entry["pdfa"]["path"])
            assert entry["pdfa"]["path"].startswith("pdfa/") and copy.startswith(b"%PDF")
            assert hashlib.sha256(copy).hexdigest() == entry["pdfa"]["sha256"] != entry["sha256"]
            converted = tmp_path / "copy.pdf"
            converted.write_bytes(copy)
            pdfa_check(converted)
            with pikepdf.open(converted) as pdf:
                meta = pdf.open_metadata()
                assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        listed = archive.read(manifest["list"]["path"])
        assert hashlib.sha256(listed).hexdigest() == manifest["list"]["sha256"]
        load_workbook(package.parent / manifest["list"]["path"])  # the copy beside the zip too
    shas = {e["sha256"] for e in manifest["files"]}
    assert filed_year["result"].sha256 in shas and filed_year["paper"].sha256 in shas


def test_a_changed_byte_is_reported_by_the_fixity_job(filed_year):
    archives_file_year(None, 2024)
    assert "archives-fixity" in JOBS
    clean = archives_fixity_run()
    assert clean.status == JobRunStatus.OK and clean.counts["checked"] == 2

    _change_a_byte(filed_year["result"])
    run = archives_fixity_run()
    assert run.status == JobRunStatus.FAILED
    assert run.counts["changed"] == 1 and run.counts["missing"] == 0
    assert "bị thay đổi" in run.summary and "Phiếu lý lịch tư pháp" in run.summary
    check = FixityCheck.objects.first()
    assert check.changed == 1
    assert check.problems[0]["expected"] == filed_year["result"].sha256
    assert check.problems[0]["found"] not in (None, filed_year["result"].sha256)


def test_a_missing_file_is_reported(filed_year):
    archives_file_year(None, 2024)
    documents_storage().delete(filed_year["paper"].storage_name)
    check = archives_fixity_check(None)
    assert check.missing == 1 and check.changed == 0


def test_the_fixity_command_exits_1_on_a_changed_file(filed_year, capsys):
    archives_file_year(None, 2024)
    call_command("archives", "fixity")
    _change_a_byte(filed_year["paper"])
    with pytest.raises(CommandError, match="1 tệp bị thay đổi"):
        call_command("archives", "fixity")
    assert "BỊ THAY ĐỔI" in capsys.readouterr().out


def test_a_changed_file_refuses_the_hand_over_and_leaves_nothing(filed_year, tmp_path):
    archives_file_year(None, 2024)
    _change_a_byte(filed_year["paper"])
    output = tmp_path / "moi"
    with pytest.raises(ValidationError, match="đã bị thay đổi"):
        archives_handover(None, 2024, output)
    assert not output.exists()
    assert HandOver.objects.get().status == HandOverStatus.FAILED


def test_commands_file_and_hand_over(filed_year, tmp_path, capsys):
    call_command("archives", "file", "--year", "2024")
    assert "2 văn bản mới" in capsys.readouterr().out
    call_command("archives", "handover", "--year", "2024", "--output", str(tmp_path / "out"))
    out = capsys.readouterr().out
    assert "không chuyển đổi PDF/A" in out
    assert (tmp_path / "out" / "goi-nop-luu-2024.zip").exists()


# --- bad input: a clear message, nothing changed --------------------------------------------------


def _state():
    return (
        list(WorkFile.objects.values_list("pk", "code", "item_count")),
        WorkFileItem.objects.count(),
        HandOver.objects.count(),
    )


def test_a_year_in_the_future_is_refused(filed_year, tmp_path):
    before = _state()
    with pytest.raises(CommandError, match="Năm 2999 chưa đến"):
        call_command("archives", "file", "--year", "2999")
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("archives", "file", "--year", "1899")
    with pytest.raises(CommandError, match="chưa kết thúc"):
        call_command("archives", "handover", "--year", "2999", "--output", str(tmp_path / "x"))
    assert _state() == before
    assert not (tmp_path / "x").exists()


def test_the_current_year_cannot_be_handed_over(filed_year, tmp_path):
    from django.utils import timezone

    from motcua.core.clock import now

    year = timezone.localtime(now()).year
    before = _state()
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        archives_handover(None, year, tmp_path / "x")
    assert _state() == before


def test_a_hand_over_of_an_empty_year_is_refused(filed_year, tmp_path):
    archives_file_year(None, 2024)
    before = _state()
    with pytest.raises(CommandError, match="Năm 2023 chưa có hồ sơ công việc nào"):
        call_command("archives", "handover", "--year", "2023", "--output", str(tmp_path / "x"))
    assert _state() == before
    assert not (tmp_path / "x").exists()


def test_an_output_folder_that_is_not_empty_is_refused(filed_year, tmp_path):
    archives_file_year(None, 2024)
    output = tmp_path / "co-san"
    output.mkdir()
    (output / "cu.txt").write_text("của người khác")
    before = _state()
    with pytest.raises(CommandError, match="đã có tệp"):
        call_command("archives", "handover", "--year", "2024", "--output", str(output))
    assert _state() == before
    assert [p.name for p in output.iterdir()] == ["cu.txt"]
    a_file = tmp_path / "tep.txt"
    a_file.write_text("x")
    with pytest.raises(CommandError, match="không phải là thư mục"):
        call_command("archives", "handover", "--year", "2024", "--output", str(a_file))
    assert _state() == before


def test_an_empty_existing_folder_is_used(filed_year, tmp_path):
    archives_file_year(None, 2024)
    output = tmp_path / "trong"
    output.mkdir()
    assert archives_handover(None, 2024, output).status == HandOverStatus.DONE


def test_retention_set_from_the_command_line(filed_year, capsys):
    code = filed_year["dossier"].procedure_version.procedure.code
    call_command("archives", "retention", "--procedure", code, "--years", "vinh-vien")
    assert "vĩnh viễn" in capsys.readouterr().out
    archives_file_year(None, 2024)
    assert WorkFile.objects.get().retention_years is None
    call_command("archives", "retention", "--list")
    assert code in capsys.readouterr().out


def test_bad_retention_is_refused(filed_year):
    code = filed_year["dossier"].procedure_version.procedure.code
    for args, message in (
        (["--procedure", "9.999999", "--years", "5"], "Không có thủ tục"),
        (["--procedure", code, "--years", "0"], "từ 1 đến 100"),
        (["--procedure", code, "--years", "mười"], "từ 1 đến 100"),
        (["--procedure", code], "Cần --procedure"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("archives", "retention", *args)
    assert not RetentionRule.objects.exists()


def test_an_incoming_document_is_filed_in_the_incoming_work_file(desk):
    import hashlib
    from datetime import date, datetime

    from django.utils import timezone

    from motcua.exchange.models import IncomingDocument, IncomingFile

    document = IncomingDocument.objects.create(
        unit=desk["units"]["so"],
        year=2024,
        arrival_number=7,
        received_at=timezone.make_aware(datetime(2024, 3, 2, 9, 0)),
        from_organ_id="000.00.07.H27",
        from_organ_name="Sở Nội vụ",
        code_number="12",
        code_notation="SNV-VP",
        document_type="1",
        subject="V/v báo cáo",
        issued_on=date(2024, 3, 1),
        package_sha256="0" * 64,
    )
    data = b"%PDF-1.4 den"
    IncomingFile.objects.create(
        document=document,
        name="den.pdf",
        content_type="application/pdf",
        content_id="d1",
        storage_name=exchange_file_put(data)[0],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    archives_file_year(None, 2024)
    work_file = WorkFile.objects.get(source=SourceKind.INCOMING)
    assert work_file.code.endswith(".VBDEN") and work_file.item_count == 1
    item = work_file.items.get()
    assert item.reference == "12/SNV-VP" and item.document_date == date(2024, 3, 1)
    assert archives_fixity_check(None).changed == 0
    # One byte changed in the store.
    name = IncomingFile.objects.get(pk=item.incoming_file_id).storage_name
    documents_storage().delete(name)
    documents_storage().save(name, ContentFile(b"%PDF-1.4 dex"))
    assert archives_fixity_check(None).changed == 1


def test_a_filing_that_collides_with_another_is_refused_whole(filed_year, monkeypatch):
    from django.db import IntegrityError

    import motcua.archives.services as services

    def collide(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_file_register", collide)
    with pytest.raises(ValidationError, match="Hãy chạy lại"):
        archives_file_year(None, 2024)
    assert _state() == ([], 0, 0)


def test_a_pdf_that_ghostscript_cannot_convert_goes_alone_with_the_reason(
    filed_year, outgoing, tmp_path, monkeypatch
):
    archives_file_year(None, 2024)
    monkeypatch.setattr("motcua.archives.pdfa.shutil.which", lambda name: None)  # no Ghostscript
    handover = archives_handover(None, 2024, tmp_path / "nop-luu")
    assert handover.status == HandOverStatus.DONE and handover.files == 3
    with zipfile.ZipFile(tmp_path / "nop-luu" / "goi-nop-luu-2024.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert not [n for n in archive.namelist() if n.startswith("pdfa/")]
    assert manifest["pdfa"] == {"standard": "PDF/A-2b", "copies": 0, "failed": 3}
    assert all("Chưa cài Ghostscript" in e["pdfa_error"] for e in manifest["files"])


def test_the_pdfa_check_refuses_a_file_that_does_not_declare_pdfa(tmp_path):
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_bytes("Không phải PDF/A"))
    with pytest.raises(PdfaFailed, match="XMP khai pdfaid -, cần 2B"):
        pdfa_check(plain)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(PdfaFailed, match="không mở được"):
        pdfa_check(broken)
    converted = tmp_path / "converted.pdf"
    pdfa_convert(plain, converted)
    pdfa_check(converted)
    # Ghostscript makes a blank page of what it cannot read, with exit code 0: refused.
    with pytest.raises(PdfaFailed, match="bản gốc không mở được"):
        pdfa_convert(broken, tmp_path / "never.pdf")
    assert not (tmp_path / "never.pdf").exists()


def _declared_pdfa_with(tmp_path, *, javascript=False, font_embedded=True, lzw=False):
    """A file that declares PDF/A-2B and has an output intent, built by hand so that each
    structural rule can be broken on its own."""
    import pikepdf

    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
    font.BaseFont = pikepdf.Name.Helvetica
    if font_embedded:
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3)
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font))),
        Contents=pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Ho so) Tj ET"),
    )
    pdf.pages.append(pikepdf.Page(page))
    icc = pdf.make_stream(b"\0" * 128, N=3)
    pdf.Root.OutputIntents = pikepdf.Array(
        [pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                            DestOutputProfile=icc)]
    )  # fmt: skip
    if lzw:
        pdf.Root.PieceInfo = pdf.make_stream(b"\x80\x0b", Filter=pikepdf.Name.LZWDecode)
    if javascript:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"], meta["pdfaid:conformance"] = "2", "B"
    path = tmp_path / "declared.pdf"
    # As written: qpdf would otherwise re-encode the LZW stream with Flate.
    pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


def test_the_pdfa_check_applies_the_structural_rules_of_pdfa_2_not_only_the_declaration(
    tmp_path,
):
    pdfa_check(_declared_pdfa_with(tmp_path))  # declared, and breaks none of the rules checked
    with pytest.raises(PdfaFailed, match="6.6.1: hành động JavaScript không được phép"):
        pdfa_check(_declared_pdfa_with(tmp_path, javascript=True))
    with pytest.raises(PdfaFailed, match="6.2.11.4.1: phông /Helvetica không được nhúng"):
        pdfa_check(_declared_pdfa_with(tmp_path, font_embedded=False))
    with pytest.raises(PdfaFailed, match="6.1.7.2: luồng nén LZW"):
        pdfa_check(_declared_pdfa_with(tmp_path, lzw=True))
