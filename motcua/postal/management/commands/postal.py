"""`motcua postal import-events FILE.csv [--operator vnpost]`: tracking events from the postal
operator, all-or-nothing (format in motcua/postal/importing.py and docs/postal.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.postal.importing import HEADER, EventImportError, tracking_events_import


class Command(BaseCommand):
    help = "Bưu chính công ích: nhập sự kiện bưu gửi từ tệp CSV (import-events)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-events",
            help=f"Nhập sự kiện bưu gửi từ tệp CSV (UTF-8) có dòng tiêu đề: {','.join(HEADER)}.",
        )
        imp.add_argument("file", help="Đường dẫn tệp CSV.")
        imp.add_argument(
            "--operator",
            default=settings.POSTAL_DEFAULT_OPERATOR,
            help="Mã doanh nghiệp bưu chính (mặc định: %(default)s).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            result = tracking_events_import(None, path.read_bytes(), operator=options["operator"])
        except EventImportError as exc:
            lines = "\n".join(f"  - {error}" for error in exc.errors)
            raise CommandError(
                f"Tệp sự kiện bị từ chối, chưa ghi gì ({exc.total} lỗi):\n{lines}"
            ) from None
        self.stdout.write(str(result))
        self.stdout.write(f"recorded={result.recorded} skipped={result.skipped}")
