"""`motcua restore DIR [--force]` — a backup made by `motcua backup`, checked whole before anything
is written, into an empty database and store (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.backup import BackupError, restore

HELP = """Khôi phục một bản sao lưu của `motcua backup`.

  motcua restore /var/backups/motcua/2024-05-06

Trước khi ghi bất cứ gì, mọi tệp được kiểm tra với manifest.json (thiếu hoặc bị sửa một tệp: dừng,
nêu tên tệp, không khôi phục gì). Chỉ khôi phục vào cơ sở dữ liệu và kho tệp rỗng; --force XOÁ dữ
liệu hiện có (SQLite: giữ tệp cũ bên cạnh) và ghi đè tệp trùng tên. Hãy dừng ứng dụng trước khi khôi
phục. Sau đó số dòng của từng bảng được so với manifest.json.
"""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Thư mục bản sao lưu (có manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Xoá dữ liệu hiện có của cơ sở dữ liệu đích và ghi đè tệp trùng tên.",
        )

    def handle(self, *args, **options):
        try:
            done = restore(Path(options["folder"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Đã khôi phục {done.tables} bảng ({done.rows} dòng, số dòng khớp manifest.json) "
            f"và {done.files} tệp."
        )
        if done.migrations_pending:
            self.stdout.write(
                f"Phiên bản phần mềm này có {len(done.migrations_pending)} migration mới hơn bản "
                "sao lưu: hãy chạy `motcua migrate` trước khi mở ứng dụng."
            )
