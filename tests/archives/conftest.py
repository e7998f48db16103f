"""A finished dossier of 2024 with a signed result and a scanned paper in the file store, and an
outgoing document of the same year with its file."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from motcua.documents.models import ComponentFile, ComponentSource, IssuedDocument
from motcua.documents.services import stored_file_put
from motcua.exchange.files import exchange_file_put
from tests.documents.factories import dossier_finished, pdf_bytes


def attach_files(desk, dossier, label: str):
    result = stored_file_put(pdf_bytes(f"Kết quả {label}", pages=2))
    IssuedDocument.objects.create(
        dossier=dossier,
        number=f"{label}/LLTP",
        title="Phiếu lý lịch tư pháp số 1",
        token=f"tok{label}",
        stored_file=result,
        sha256=result.sha256,
        issuing_unit="Sở Tư pháp",
        signer="Nguyễn Văn A",
        signed_at=timezone.make_aware(datetime(2024, 5, 3, 9, 0)),
        holder_name=dossier.applicant_name,
        issued_by=desk["leader"],
    )
    paper = stored_file_put(pdf_bytes(f"Tờ khai {label}"))
    ComponentFile.objects.create(
        component=dossier.components.first(),
        stored_file=paper,
        source=ComponentSource.DESK_SCAN,
        uploaded_by=desk["desk"],
    )
    return result, paper


@pytest.fixture(autouse=True)
def own_file_store(settings, tmp_path):
    """A file store of this test's own (the test settings' in-memory store outlives a test, and
    these tests change stored bytes on purpose)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "kho")},
        },
    }


@pytest.fixture
def filed_year(desk):
    """A 2024 dossier (finished 03/05/2024) with its result and one paper."""
    dossier = dossier_finished(desk)
    result, paper = attach_files(desk, dossier, "1")
    return {"dossier": dossier, "result": result, "paper": paper, "desk": desk}


@pytest.fixture
def outgoing(desk):
    from motcua.exchange.models import OutgoingDocument, OutgoingFile

    document = OutgoingDocument.objects.create(
        unit=desk["units"]["so"],
        year=2024,
        number=5,
        symbol="STP-VP",
        document_type="1",
        type_name="Công văn",
        subject="V/v cung cấp thông tin",
        place="Hà Tĩnh",
        issued_on=date(2024, 6, 1),
        signer_name="Nguyễn Văn A",
        registered_at=timezone.make_aware(datetime(2024, 6, 1, 8, 0)),
        registered_by=desk["leader"],
    )
    import hashlib

    data = pdf_bytes("Công văn số 05/STP-VP")
    OutgoingFile.objects.create(
        document=document,
        name="cong-van.pdf",
        content_type="application/pdf",
        content_id="cv1",
        storage_name=exchange_file_put(data)[0],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return document
