"""The report's "văn bản có chữ ký số" (seed II.6.1): an outgoing document's PDF is checked once,
when it is registered, and the report counts the documents of the period that carry one."""

from datetime import date

import pytest

from motcua.documents.keys import PKCS12, Activation, KeySpec
from motcua.documents.signing import pdf_sign
from motcua.exchange.indicators import report_sections
from motcua.exchange.models import OutgoingFile
from motcua.exchange.services import FileIn
from motcua.indicators.phrases import signed_text
from tests.documents.conftest import ca_files, signing  # noqa: F401 (fixtures)
from tests.documents.factories import pdf_bytes
from tests.documents.signing_helpers import one_byte_changed

from .conftest import DOCX, register

pytestmark = pytest.mark.django_db
signing_with_the_test_ca = pytest.mark.usefixtures("signing")


def _pdf(name: str, data: bytes) -> list[FileIn]:
    return [FileIn(name, "application/pdf", data, "Văn bản chính")]


@signing_with_the_test_ca
def test_a_signed_pdf_is_marked_and_the_period_s_share_counted(clerk, receiver_unit):
    signed = pdf_sign(pdf_bytes(), KeySpec(kind=PKCS12), Activation())
    day = date(2023, 3, 1)
    register(clerk, issued_on=day, due_date=None, files=_pdf("ky-so.pdf", signed))
    register(clerk, issued_on=day, due_date=None, files=_pdf("chua-ky.pdf", pdf_bytes()))
    register(
        clerk, issued_on=day, due_date=None, files=_pdf("sua.pdf", one_byte_changed(signed))
    )  # a signature that no longer covers what is sent is not a signed document
    register(
        clerk,
        issued_on=day,
        due_date=None,
        files=[FileIn("phu-luc.docx", "application/octet-stream", DOCX, "")],
    )
    register(clerk, issued_on=date(2023, 7, 1), due_date=None, files=_pdf("sau.pdf", signed))
    assert sorted(OutgoingFile.objects.values_list("name", "signed")) == [
        ("chua-ky.pdf", False),
        ("ky-so.pdf", True),
        ("phu-luc.docx", False),
        ("sau.pdf", True),
        ("sua.pdf", False),
    ]
    section = report_sections(date(2023, 1, 1), date(2023, 6, 30))["exchange"]
    assert section == {"outgoing": 4, "outgoing_signed": 1}
    assert signed_text(section, "6 tháng đầu năm 2023") == (
        "Trong 6 tháng đầu năm 2023, 25% văn bản đi (1/4 văn bản) có chữ ký số."
    )
    other_unit = report_sections(date(2023, 1, 1), date(2023, 6, 30), "000.00.07.H27")
    assert other_unit["exchange"] == {"outgoing": 0, "outgoing_signed": 0}


def test_the_sentences_say_nothing_without_documents_and_100_percent_in_full():
    assert signed_text(None, "năm 2023") == "" and signed_text({"outgoing": 0}, "năm 2023") == ""
    assert signed_text({"outgoing": 12, "outgoing_signed": 12}, "6 tháng đầu năm 2023") == (
        "Trong 6 tháng đầu năm 2023, 100% văn bản đi (12 văn bản) đều có chữ ký số."
    )


@signing_with_the_test_ca
def test_files_registered_before_the_check_existed_are_checked_once_by_the_migration(
    clerk, receiver_unit
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("motcua.exchange.migrations.0006_files_signed_checked")
    signed = pdf_sign(pdf_bytes(), KeySpec(kind=PKCS12), Activation())
    day = date(2023, 3, 1)
    register(clerk, issued_on=day, due_date=None, files=_pdf("ky-so.pdf", signed))
    register(clerk, issued_on=day, due_date=None, files=_pdf("chua-ky.pdf", pdf_bytes()))
    register(
        clerk,
        issued_on=day,
        due_date=None,
        files=[FileIn("phu-luc.docx", "application/octet-stream", DOCX, "")],
    )
    OutgoingFile.objects.update(signed=False)  # as every row stood after 0004
    migration.signatures_checked(apps, None)
    assert sorted(OutgoingFile.objects.values_list("name", "signed")) == [
        ("chua-ky.pdf", False),
        ("ky-so.pdf", True),
        ("phu-luc.docx", False),
    ]
    section = report_sections(date(2023, 1, 1), date(2023, 6, 30))["exchange"]
    assert section == {"outgoing": 3, "outgoing_signed": 1}
