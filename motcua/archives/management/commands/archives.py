"""`motcua archives …`: the work-file archive (hồ sơ công việc, lưu trữ điện tử; ADR 0039).

file --year 2023                        file the year's finished dossiers and registered documents
                                        into work files (run again: adds only what is new)
handover --year 2023 --output DIR       the yearly hand-over: DIR/muc-luc-ho-so-2023.xlsx and
                                        DIR/goi-nop-luu-2023.zip (files + manifest.json, SHA-256)
fixity                                  re-hash every filed file; exit 1 when one changed or is gone
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.archives.services import archives_file_year, archives_fixity_check, archives_handover


class Command(BaseCommand):
    help = "Hồ sơ công việc, lưu trữ điện tử (Thông tư 02/2019/TT-BNV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        filing = sub.add_parser("file", help="Lập hồ sơ công việc của một năm.")
        filing.add_argument("--year", type=int, required=True, help="Năm, ví dụ 2023.")
        handover = sub.add_parser("handover", help="Lập mục lục và gói giao nộp lưu trữ một năm.")
        handover.add_argument("--year", type=int, required=True)
        handover.add_argument("--output", required=True, help="Thư mục mới hoặc trống.")
        sub.add_parser("fixity", help="Kiểm tra toàn vẹn các tệp đã lập hồ sơ.")

    def handle(self, *args, **options):
        try:
            getattr(self, "_" + options["action"])(options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _file(self, options):
        result = archives_file_year(None, options["year"])
        self.stdout.write(
            f"Năm {result.year}: {result.items_added} văn bản mới được lập vào "
            f"{len(result.work_files)} hồ sơ công việc ({result.work_files_created} hồ sơ mới); "
            f"{result.items_already_filed} văn bản đã có trong hồ sơ từ trước."
        )

    def _handover(self, options):
        handover = archives_handover(None, options["year"], Path(options["output"]))
        self.stdout.write(
            f"Đã lập gói giao nộp năm {handover.year} tại {handover.output}: "
            f"{handover.work_files} hồ sơ công việc, {handover.files} tệp, {handover.bytes} byte. "
            f"SHA-256 gói: {handover.package_sha256}. Các tệp PDF giữ nguyên như khi lưu "
            "(không chuyển đổi PDF/A)."
        )

    def _fixity(self, options):
        check = archives_fixity_check(None)
        for problem in check.problems:
            state = "BỊ THAY ĐỔI" if problem["found"] else "KHÔNG ĐỌC ĐƯỢC"
            self.stdout.write(
                f"{state}: {problem['work_file']} — “{problem['title']}” ({problem['file']}); "
                f"SHA-256 khi lập hồ sơ {problem['expected']}, nay {problem['found'] or '—'}"
            )
        summary = (
            f"Đã kiểm tra {check.checked} tệp: {check.changed} tệp bị thay đổi, "
            f"{check.missing} tệp không đọc được."
        )
        if check.problems:
            raise CommandError(summary)
        self.stdout.write(summary)
