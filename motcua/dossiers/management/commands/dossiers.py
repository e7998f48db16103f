"""`motcua dossiers import FILE.csv`: historical dossiers from the system used before.

The format is described in motcua/dossiers/importing.py. Errors are printed in Vietnamese on stderr
and the command exits with status 1; nothing is written unless the whole file is correct.
"""

import sys

from django.core.management.base import BaseCommand

from motcua.dossiers.importing import HEADER, DossierImportError, dossiers_import


class Command(BaseCommand):
    help = "Hồ sơ: nhập hồ sơ lịch sử từ hệ thống cũ (import)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help=f"Nhập hồ sơ từ tệp CSV (UTF-8) có dòng tiêu đề: {','.join(HEADER)}.",
        )
        imp.add_argument("file", help="Đường dẫn tệp CSV.")

    def execute(self, *args, **options):
        # Every failure ends as Vietnamese text on stderr and exit status 1, never a traceback.
        try:
            return super().execute(*args, **options)
        except DossierImportError as exc:
            self.stderr.write(f"Tệp hồ sơ bị từ chối, chưa ghi gì ({exc.total} lỗi):")
            for error in exc.errors:
                self.stderr.write(f"  - {error}")
            sys.exit(1)

    def handle(self, *args, **options):
        result = dossiers_import(None, options["file"])
        self.stdout.write(str(result))
        self.stdout.write(f"created={result.created} skipped={result.skipped}")
