"""Files and dossiers for the documents tests: real PDFs and images, real dossiers received at the desk."""

import io
from datetime import datetime

import time_machine
from PIL import Image

from motcua.dossiers.services import ApplicantData, ComponentData, IntakeData, dossier_receive

FORM = "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"
ID_CARD = "Bản chụp Căn cước công dân"


def pdf_bytes(text: str = "Giấy tờ thử nghiệm", pages: int = 1) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<p style='page-break-after: always'>{text} — trang {i + 1}</p>" for i in range(pages)
    )
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def image_bytes(
    kind: str = "JPEG", size=(120, 80), colour=(200, 30, 30), exif_orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010F] = "Máy quét thử"  # Make: must not survive normalisation
        image.save(out, format=kind, exif=exif)
    else:
        image.save(out, format=kind)
    return out.getvalue()


def receive_dossier(
    desk,
    *,
    citizen_id="042190001234",
    name="Nguyễn Thị Hương",
    when="2024-04-26T16:00",
    components=None,
):
    data = IntakeData(
        procedure_code="2.001417",
        applicant=ApplicantData(full_name=name, citizen_id=citizen_id, phone="0912345678"),
        components=components
        or [ComponentData(FORM, "original", 1), ComponentData(ID_CARD, "copy", 1)],
    )
    with time_machine.travel(datetime.fromisoformat(when + "+07:00"), tick=False):
        return dossier_receive(desk["desk"], data)


def dossier_awaiting_signature(desk, **kwargs):
    """A dossier processed up to the leader's signature (the result can then be issued)."""
    from motcua.dossiers.services import dossier_act

    dossier = receive_dossier(desk, **kwargs)
    for user, action, params in (
        (desk["head"], "assign", {"assignee_id": desk["specialist"].pk}),
        (desk["specialist"], "submit_for_signature", {}),
    ):
        dossier.refresh_from_db()
        with time_machine.travel(datetime.fromisoformat("2024-05-02T09:00+07:00"), tick=False):
            dossier_act(user, dossier.pk, action, expected_revision=dossier.revision, **params)
    dossier.refresh_from_db()
    return dossier


def dossier_finished(desk, **kwargs):
    from motcua.dossiers.services import dossier_act

    dossier = dossier_awaiting_signature(desk, **kwargs)
    with time_machine.travel(datetime.fromisoformat("2024-05-03T09:00+07:00"), tick=False):
        dossier_act(desk["leader"], dossier.pk, "approve", expected_revision=dossier.revision)
    dossier.refresh_from_db()
    return dossier
