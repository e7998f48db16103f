"""`motcua archives …`: the work-file archive (hồ sơ công việc, lưu trữ điện tử; ADR 0039).

file --year 2023                        file the year's finished dossiers and registered documents
                                        into work files (run again: adds only what is new)
handover --year 2023 --output DIR       the yearly hand-over: DIR/muc-luc-ho-so-2023.xlsx and
                                        DIR/goi-nop-luu-2023.zip (files + manifest.json, SHA-256)
fixity                                  re-hash every filed file; exit 1 when one changed or is gone
retention --procedure CODE --years N|vinh-vien [--access public|restricted] [--basis TEXT]
                                        the retention of one procedure's work files
retention --list                        the rules set, and the default
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.archives.models import RetentionRule
from motcua.archives.services import (
    DEFAULT_RETENTION_YEARS,
    MSG_BAD_YEARS,
    archives_file_year,
    archives_fixity_check,
    archives_handover,
    retention_rule_set,
)


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
        retention = sub.add_parser("retention", help="Thời hạn bảo quản theo thủ tục.")
        retention.add_argument("--list", action="store_true")
        retention.add_argument("--procedure", default="", help="Mã TTHC.")
        retention.add_argument("--years", default="", help="Số năm, hoặc vinh-vien.")
        retention.add_argument("--access", default="restricted", choices=["public", "restricted"])
        retention.add_argument("--basis", default="", help="Căn cứ (văn bản quy định).")

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

    def _retention(self, options):
        if options["list"]:
            self.stdout.write(
                f"Mặc định (thủ tục chưa đặt): {DEFAULT_RETENTION_YEARS} năm, hạn chế"
            )
            for rule in RetentionRule.objects.select_related("procedure").order_by("procedure"):
                kept = rule.retention_years or "vĩnh viễn"
                self.stdout.write(
                    f"{rule.procedure.code}\t{kept}\t{rule.get_access_level_display()}"
                    f"\t{rule.basis}"
                )
            return
        if not options["procedure"] or not options["years"]:
            raise CommandError("Cần --procedure MÃ_TTHC và --years (số năm hoặc vinh-vien).")
        raw = options["years"].strip().lower()
        years: int | None
        if raw in {"vinh-vien", "vĩnh-viễn", "vĩnh viễn", "vinh vien"}:
            years = None
        elif raw.isdigit():
            years = int(raw)
        else:
            raise CommandError(MSG_BAD_YEARS)
        rule = retention_rule_set(
            None, options["procedure"], years, options["access"], options["basis"]
        )
        self.stdout.write(
            f"Thủ tục {rule.procedure.code}: bảo quản {rule.retention_years or 'vĩnh viễn'}"
            f"{' năm' if rule.retention_years else ''}, {rule.get_access_level_display().lower()}."
        )
