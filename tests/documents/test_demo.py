"""The documents part of the demo: idempotent, creates the test CA, scans, and one signed result."""

from io import StringIO
from pathlib import Path

import pytest

from motcua.documents.demo import load_demo
from motcua.documents.models import ComponentFile, IssuedDocument
from motcua.documents.results import issued_document_bytes
from motcua.documents.signing import pdf_verdict
from tests.documents.factories import dossier_finished, receive_dossier

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent(desk, settings, tmp_path):
    settings.MOTCUA_SIGNING_PKCS12 = str(tmp_path / "signing" / "signer.p12")
    settings.MOTCUA_TRUST_ROOTS = str(tmp_path / "signing" / "trust")
    receive_dossier(desk, when="2024-04-22T09:00")
    receive_dossier(
        desk, when="2024-04-23T09:00"
    )  # the same person again: reuses the first's scans
    dossier_finished(desk, citizen_id="042190009999")
    out = StringIO()
    load_demo(stdout=out)
    assert Path(settings.MOTCUA_SIGNING_PKCS12).exists() and any(
        Path(settings.MOTCUA_TRUST_ROOTS).iterdir()
    )
    issued = IssuedDocument.objects.get()
    assert pdf_verdict(issued_document_bytes(issued))["valid"] is True
    assert ComponentFile.objects.filter(source="reuse").count() == 2
    files = ComponentFile.objects.count()
    assert "kết quả điện tử" in out.getvalue()
    load_demo()
    assert ComponentFile.objects.count() == files and IssuedDocument.objects.count() == 1
