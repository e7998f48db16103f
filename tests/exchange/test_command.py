"""`motcua exchange pack` / `unpack` / `receive`: what pack writes, unpack reads back whole."""

import json

import pytest
from django.core.management import CommandError, call_command

from motcua.cli import main
from motcua.exchange import edxml
from motcua.exchange.files import exchange_file_bytes
from motcua.exchange.models import IncomingDocument

from .conftest import DOCX, PDF

pytestmark = pytest.mark.django_db


def _unpack(capsys, *args) -> dict:
    call_command("exchange", "unpack", *args)
    return json.loads(capsys.readouterr().out)


def test_pack_then_unpack_gives_every_header_field_and_the_same_bytes(tmp_path, capsys, document):
    package = tmp_path / "cong-van.edxml"
    call_command("exchange", "pack", "--document", str(document.pk), "--output", str(package))
    capsys.readouterr()
    data = _unpack(capsys, str(package), "--files", str(tmp_path / "tep"))

    assert data["kind"] == "document"
    assert data["sender"]["organ_id"] == "000.00.12.H27"
    assert data["sender"]["organ_name"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert [r["organ_id"] for r in data["recipients"]] == ["000.00.07.H27"]
    assert data["recipients"][0]["organ_name"] == "Sở Nội vụ tỉnh Hà Tĩnh"
    assert (data["code_number"], data["code_notation"]) == ("01", "STP-VP")
    assert data["document_id"] == "000.00.12.H27,2026/12/07,01/STP-VP"
    assert (data["place"], data["promulgation_date"]) == ("Hà Tĩnh", "2026-12-07")
    assert (data["type"], data["type_name"]) == ("18", "Công văn")
    assert data["subject"] == document.subject
    assert data["steering_type"] == "0"
    assert data["response_for"] == []
    assert (data["signer_competence"], data["signer_position"], data["signer_full_name"]) == (
        "KT.",
        "Phó Giám đốc",
        "Nguyễn Văn An",
    )
    assert data["due_date"] == "2026-12-21"
    assert [t["organ_id"] for t in data["traces"]] == ["000.00.12.H27"]
    assert data["business"]["doc_type"] == "0"
    assert [(a["name"], a["size"], a["description"]) for a in data["attachments"]] == [
        ("cong-van.pdf", len(PDF), "Văn bản chính"),
        ("phu-luc.docx", len(DOCX), "Phụ lục"),
    ]
    assert (tmp_path / "tep" / "01-cong-van.pdf").read_bytes() == PDF
    assert (tmp_path / "tep" / "02-phu-luc.docx").read_bytes() == DOCX


def test_the_package_equals_what_the_register_holds(tmp_path, document):
    package = tmp_path / "p.edxml"
    call_command("exchange", "pack", "--document", str(document.pk), "--output", str(package))
    parsed = edxml.parse(package.read_bytes(), max_package_bytes=10**8, max_attachment_bytes=10**8)
    assert [a.data for a in parsed.attachments] == [
        exchange_file_bytes(f) for f in document.files.all()
    ]


@pytest.mark.parametrize(
    "mangle, words",
    [
        (lambda d: d.replace(edxml.NS.encode(), b"http://www.go.vn/eDoc"), "Sai không gian tên"),
        (lambda d: d.replace(b"edXMLHeader", b"edXMLHeadless"), "thiếu phần đầu"),
        (
            lambda d: d.replace(
                b"<edXML:ContentTransferEncoded>", b"<edXML:ContentTransferEncoded>%"
            ),
            "base64",
        ),
        (lambda d: d[: len(d) // 2], "không phải XML hợp lệ"),
    ],
)
def test_unpack_of_a_malformed_package_exits_1_with_a_message(
    tmp_path, capsys, document, mangle, words
):
    good = tmp_path / "good.edxml"
    call_command("exchange", "pack", "--document", str(document.pk), "--output", str(good))
    bad = tmp_path / "bad.edxml"
    bad.write_bytes(mangle(good.read_bytes()))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["exchange", "unpack", str(bad)])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "Gói tin không hợp lệ" in captured.err and words in captured.err
    assert captured.out == ""


def test_unpack_refuses_an_attachment_over_the_limit(settings, tmp_path, capsys, document):
    settings.MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES = 1000
    package = tmp_path / "p.edxml"
    call_command("exchange", "pack", "--document", str(document.pk), "--output", str(package))
    with pytest.raises(SystemExit) as exited:
        main(["exchange", "unpack", str(package)])
    assert exited.value.code == 1
    assert "vượt giới hạn 1.000 byte" in capsys.readouterr().err


def test_unpack_of_a_missing_file_exits_1(capsys, tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["exchange", "unpack", str(tmp_path / "khong-co.edxml")])
    assert exited.value.code == 1
    assert "Không đọc được tệp" in capsys.readouterr().err


def test_pack_of_an_unknown_document_exits_1(capsys, tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["exchange", "pack", "--document", "999999", "--output", str(tmp_path / "x")])
    assert exited.value.code == 1
    assert not (tmp_path / "x").exists()


def test_receive_files_registers_good_ones_and_reports_bad_ones(
    tmp_path, capsys, document, receiver_unit
):
    good = tmp_path / "good.edxml"
    call_command("exchange", "pack", "--document", str(document.pk), "--output", str(good))
    bad = tmp_path / "bad.edxml"
    bad.write_bytes(good.read_bytes().replace(b">18<", b"><"))
    # call_command, not main(): run_from_argv closes the test's database connection afterwards.
    with pytest.raises(CommandError, match="1 gói tin không nhận được") as refused:
        call_command("exchange", "receive", str(good), str(bad))
    assert refused.value.returncode == 1
    captured = capsys.readouterr()
    assert "số đến 1" in captured.out and "thiếu loại văn bản" in captured.err
    assert IncomingDocument.objects.count() == 1
