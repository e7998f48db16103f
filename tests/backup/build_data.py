"""Run as `python -m tests.backup.build_data` against a real database and store (the environment's
DATABASE_URL, MOTCUA_VAR_DIR, MOTCUA_S3_*): a small department with a few dossiers and their files
(desk scans, an image, a PDF whose active content is stripped), a feedback item with a photo and
reform evidence — what a backup must carry. Prints the dossiers' codes as JSON."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from motcua.documents.services import component_file_attach, stored_file_put  # noqa: E402
from motcua.feedback.models import Channel  # noqa: E402
from motcua.feedback.services import FeedbackData, feedback_receive  # noqa: E402
from motcua.reform import services as reform  # noqa: E402
from motcua.reform.models import TaskStatus  # noqa: E402
from tests.documents.factories import image_bytes, pdf_bytes, receive_dossier  # noqa: E402
from tests.documents.test_risky_files import pdf_with_javascript  # noqa: E402
from tests.dossiers.fixtures import desk  # noqa: E402
from tests.reform.factories import TaskFactory  # noqa: E402


def main() -> None:
    staff = desk.__wrapped__(None)  # the fixture's body: units, catalogue, calendar, staff
    codes = []
    for number, person in enumerate(("Nguyễn Thị Hương", "Trần Văn An", "Lê Thị Bình")):
        dossier = receive_dossier(
            staff,
            citizen_id=f"04219000{number:04d}",
            name=person,
            when=f"2024-04-2{number + 2}T09:00",
        )
        first, second = dossier.components.all()[:2]
        component_file_attach(
            staff["desk"],
            first,
            stored_file_put(pdf_bytes(f"Tờ khai của {person}")),
            source="desk_scan",
        )
        component_file_attach(
            staff["desk"], second, stored_file_put(image_bytes(colour=(number * 40, 80, 120))),
            source="desk_scan", confirmed=True,
        )  # fmt: skip
        codes.append(dossier.code)
    stored_file_put(pdf_with_javascript())  # its original is kept under originals/
    feedback_receive(
        None,
        FeedbackData(
            channel=Channel.PORTAL,
            sender_name="Phạm Văn Cường",
            sender_contact="0912345678",
            title="Vỉa hè trước Bộ phận Một cửa",
            content="Xe máy để kín vỉa hè trước cổng, người già phải đi dưới lòng đường.",
            token="backup-test-1",
            attachments=[SimpleUploadedFile("via-he.png", image_bytes("PNG", size=(60, 40)))],
        ),
    )
    task = TaskFactory()
    reform.task_progress_add(
        staff["leader"], task.pk, status=TaskStatus.IN_PROGRESS, note="Đã dự thảo báo cáo",
        evidence=SimpleUploadedFile("bao-cao.pdf", pdf_bytes("Báo cáo"), "application/pdf"),
    )  # fmt: skip
    print(json.dumps({"codes": codes}))


if __name__ == "__main__":
    main()
