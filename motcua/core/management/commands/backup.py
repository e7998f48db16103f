"""`motcua backup --output DIR` — the database and every stored file, with a manifest (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.backup import BackupError, backup_write

HELP = """Sao lưu cơ sở dữ liệu và toàn bộ tệp lưu trữ vào một thư mục mới.

  motcua backup --output /var/backups/motcua/2024-05-06

PostgreSQL: pg_dump --format=custom của một ảnh chụp nhất quán; SQLite: bản sao bằng API sao lưu
trực tuyến. Mọi tệp của kho tài liệu (thư mục hoặc S3) được chép vào files/, kèm manifest.json ghi
dung lượng và mã băm SHA-256 của từng tệp. Lịch chạy và diễn tập khôi phục: docs/backup.md.
"""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="Thư mục mới (hoặc rỗng) để ghi bản sao lưu."
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            manifest = backup_write(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        database = manifest["database"]
        size = sum(f["size"] for f in manifest["files"].values())
        self.stdout.write(
            f"Đã sao lưu vào {output}: cơ sở dữ liệu {database['engine']} "
            f"({len(manifest['tables'])} bảng, {sum(manifest['tables'].values())} dòng), "
            f"{len(manifest['files'])} tệp ({size} byte)."
        )
