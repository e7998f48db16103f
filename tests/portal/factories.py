"""Citizens, files and online dossiers for the portal's tests.

citizen("0912345678")                 a citizen account identified by a verified phone
pdf_upload(), png_upload()            real files (pikepdf, Pillow) as a browser uploads them
online_dossier(citizen)               a dossier the citizen applied for through the portal
"""

import io

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.accounts.one_time_codes import citizen_for_destination, destination_parse
from motcua.catalog.selectors import version_in_force
from motcua.portal import services

CODE = "2.001417"


def citizen(destination="0912345678", full_name="Nguyễn Thị Hương", citizen_id="042190001234"):
    user = citizen_for_destination(destination_parse(destination))
    user.full_name = full_name
    user.citizen_id = citizen_id
    user.save()
    return user


def pdf_bytes(pages=1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def png_bytes(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name="to-khai.pdf", pages=1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def png_upload(name="cccd.png", colour=(200, 30, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def applicant_input(user, **overrides) -> services.ApplicationInput:
    values = services.ApplicationInput(
        full_name=user.full_name,
        citizen_id=user.citizen_id,
        phone=user.phone,
        email=user.email,
        address_line="Thôn 3, xã Cẩm Xuyên, Hà Tĩnh",
        return_channel="desk",
        notify_channel="sms" if user.phone else "email",
    )
    for key, value in overrides.items():
        setattr(values, key, value)
    return values


def online_dossier(user, **overrides):
    """Apply for the judicial record online: a draft with the form as a PDF, then submit."""
    application = services.application_start(user, version_in_force(CODE))
    overrides.setdefault("uploads", {1: [pdf_upload()]})
    values = applicant_input(user, **overrides)
    services.application_save(user, application.pk, values)
    return services.application_submit(user, application.pk)
