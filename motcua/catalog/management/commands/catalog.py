"""`motcua catalog import FILE | export --format json|xlsx [...] | summary [...]`.

Errors are printed in Vietnamese on stderr and the command exits with status 1.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.content_report import report_lines
from motcua.catalog.importing import CatalogImportError
from motcua.catalog.models import Level
from motcua.catalog.selectors import UnknownAgency, catalog_content_report, catalog_summary
from motcua.catalog.services import catalog_export, catalog_import
from motcua.core.commandline import command_day


class Command(BaseCommand):
    help = "Danh mục TTHC: nhập (import), xuất (export) và thống kê (summary)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập danh mục từ tệp .json hoặc .xlsx.")
        imp.add_argument("file", help="Đường dẫn tệp danh mục.")
        exp = sub.add_parser("export", help="Xuất danh mục ra JSON hoặc XLSX.")
        exp.add_argument("--format", dest="fmt", choices=["json", "xlsx"], default="json")
        exp.add_argument("--at", help="Chỉ các phiên bản có hiệu lực ngày YYYY-MM-DD.")
        exp.add_argument("--agency", help="Mã định danh đơn vị (gồm các đơn vị trực thuộc).")
        exp.add_argument("--output", help="Ghi ra tệp thay vì ra màn hình.")
        summ = sub.add_parser("summary", help="Thống kê danh mục có hiệu lực.")
        summ.add_argument("--at", help="Ngày YYYY-MM-DD (mặc định: hôm nay).")
        summ.add_argument("--agency", help="Mã định danh đơn vị (gồm các đơn vị trực thuộc).")

    def execute(self, *args, **options):
        # Every failure ends as Vietnamese text on stderr and exit status 1, never a traceback.
        try:
            return super().execute(*args, **options)
        except CatalogImportError as exc:
            self.stderr.write(f"Tệp danh mục bị từ chối, chưa ghi gì ({len(exc.errors)} lỗi):")
            for error in exc.errors:
                self.stderr.write(f"  - {error}")
            sys.exit(1)
        except (UnknownAgency, CommandError) as exc:
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(1)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "import":
            summary = catalog_import(None, options["file"])
            self.stdout.write(str(summary))
        elif action == "export":
            self._export(options)
        else:
            self._summary(options)

    def _export(self, options):
        at = command_day(options["at"]) if options["at"] else None
        data = catalog_export(options["fmt"], at=at, agency=options["agency"])
        self._write(data, options)
        # Beside the file, never in it (stdout stays an importable catalogue): which procedures
        # carry complete official content and the share of the dossiers they account for.
        for line in report_lines(catalog_content_report(at=at, agency=options["agency"])):
            self.stderr.write(line)

    def _write(self, data: bytes, options):
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    f"Không ghi được tệp “{options['output']}”: {exc.strerror}."
                ) from None
            return
        stream = getattr(self.stdout, "_out", sys.stdout)
        if hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        elif options["fmt"] == "json":
            stream.write(data.decode("utf-8"))
        else:
            raise CommandError("Hãy dùng --output TỆP để xuất XLSX.")

    def _summary(self, options):
        at = command_day(options["at"]) if options["at"] else None
        s = catalog_summary(at, agency=options["agency"])
        out = self.stdout
        scope = (
            f" — đơn vị {options['agency']} và các đơn vị trực thuộc" if options["agency"] else ""
        )
        out.write(f"Danh mục TTHC có hiệu lực ngày {s.day:%d/%m/%Y}{scope}")
        out.write(f"Thủ tục công khai: {s.public}")
        out.write("Theo nơi tiếp nhận:")
        for code, name, count in s.by_receiving_unit:
            out.write(f"  {code}\t{name}\t{count}")
        out.write("Theo mức độ:")
        for level in Level:
            out.write(f"  {level.label}: {s.by_level[level.value]}")
        out.write(f"Nhận hồ sơ qua bưu chính: {s.postal_intake}")
        out.write(f"TTHC nội bộ: {s.internal}")
