"""The demo's outgoing documents of H1/2023 (motcua/demo/outgoing.py): the documents of the Sở the
seed names, each with its number, date and subject, a signed PDF registered through the outgoing
register, so that the report's "100% văn bản … đều có chữ ký số" comes from data (ADR 0041,
2026-12-08). The full load checks the report's sentence (test_demo_seed.py)."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from motcua.demo import loaders
from motcua.demo.outgoing import SEED_DOCUMENTS, demo_outgoing_load
from motcua.documents.testca import create_test_ca
from motcua.exchange.files import exchange_file_bytes
from motcua.exchange.indicators import report_sections
from motcua.exchange.models import OutgoingDocument, OutgoingFile, RegisterCounter, RegisterKind
from motcua.org.models import Unit

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2023, 1, 1), date(2023, 6, 30)
# The seed beside the checkout (../shared), or beside the worktrees' folder.
SEED_FILE = next(
    (
        folder / "shared" / "seed" / "000_e999723e70b110aa.txt"
        for folder in Path(__file__).resolve().parents[3:5]
        if (folder / "shared" / "seed").is_dir()
    ),
    Path("shared-not-found"),
)


@pytest.fixture(scope="module")
def ca_files(tmp_path_factory):
    return create_test_ca(tmp_path_factory.mktemp("ca"), passphrase="motcua-test")


@pytest.fixture
def demo_key(settings, ca_files):
    settings.MOTCUA_SIGNING_PKCS12 = str(ca_files.signer_p12)
    settings.MOTCUA_SIGNING_PASSPHRASE = ca_files.passphrase
    settings.MOTCUA_TRUST_ROOTS = str(ca_files.trust_dir)
    return ca_files


@pytest.fixture
def department(db):
    report = loaders.LoadReport()
    loaders.load_org_units(report)
    loaders.load_staff(report, "motcua-demo")
    return Unit.objects.get(code="000.00.12.H27")


def test_every_seed_document_is_registered_signed_and_a_second_load_adds_nothing(
    demo_key, department
):
    assert "16 văn bản đã ký số" in demo_outgoing_load()
    sections = report_sections(date(2023, 1, 1), date(2023, 6, 30), unit_code="000.00.12.H27")
    assert sections == {"exchange": {"outgoing": 16, "outgoing_signed": 16}}
    registered = {
        (d.number, d.symbol): d for d in OutgoingDocument.objects.filter(unit=department, year=2023)
    }
    assert set(registered) == {(d.number, d.symbol) for d in SEED_DOCUMENTS}
    plan = registered[(164, "KH-STP")]
    assert plan.issued_on == date(2023, 6, 2) and plan.type_name == "Kế hoạch"
    assert plan.subject.startswith("Về tự kiểm tra cải cách hành chính năm 2023")
    assert "Dữ liệu mẫu" in plan.content and plan.deliveries.count() == 7
    pdf = exchange_file_bytes(plan.files.get())
    assert pdf.startswith(b"%PDF") and plan.files.get().signed

    assert "đã có 16" in demo_outgoing_load()
    assert OutgoingFile.objects.count() == 16
    # The register's counter stands at the highest seed number: a new 2023 document follows it.
    counter = RegisterCounter.objects.get(unit=department, kind=RegisterKind.OUTGOING, year=2023)
    assert counter.last_number == 589


def test_each_document_is_named_in_the_seed_with_its_number_and_date():
    """Not invented: the seed's footnotes name each document as the Sở's, with that date."""
    if not SEED_FILE.exists():
        pytest.skip("the seed report is not on this machine")
    seed = SEED_FILE.read_text(encoding="utf-8")
    for d in SEED_DOCUMENTS:
        day, month = d.issued_on.day, d.issued_on.month
        reference = rf"số {d.number:02d}/{d.symbol} ngày {day:02d}/0?{month}/2023 của Sở Tư pháp"
        assert re.search(reference, seed), reference
        assert FIRST <= d.issued_on <= LAST


def test_without_the_demo_key_nothing_is_registered(settings, tmp_path, department):
    settings.MOTCUA_SIGNING_PKCS12 = str(tmp_path / "none.p12")
    assert "chưa ký được" in demo_outgoing_load()
    assert not OutgoingDocument.objects.exists()


def test_a_key_the_trust_list_refuses_registers_nothing_unsigned(
    settings, demo_key, tmp_path, department
):
    settings.MOTCUA_TRUST_ROOTS = str(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    assert "chưa ký được" in demo_outgoing_load()
    assert not OutgoingDocument.objects.exists()


def test_a_register_already_past_a_seed_number_is_refused_and_nothing_is_kept(demo_key, department):
    RegisterCounter.objects.create(
        unit=department, kind=RegisterKind.OUTGOING, year=2023, last_number=100
    )
    with pytest.raises(ValidationError, match="đã cấp đến số 100"):
        demo_outgoing_load()
    assert not OutgoingDocument.objects.exists()
