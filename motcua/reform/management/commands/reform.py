"""`motcua reform report|expired-list|demo` — the reform figures from the command line.

motcua reform report --from 2023-01-01 --to 2023-06-30 [--unit CODE]   (JSON, keys in docs/reform.md)
motcua reform expired-list --year 2022 --output danh-muc-2022.xlsx
motcua reform demo                                                     (idempotent)
motcua reform iso-sync [--at YYYY-MM-DD] [--agency CODE]   (the ISO register ← the catalogue)
motcua reform par-load --year 2023 --unit CODE [--file FILE] [--from D --to D] [--check]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.commandline import command_day
from motcua.org.models import Unit
from motcua.reform.demo import load_demo
from motcua.reform.exports import expired_list_xlsx
from motcua.reform.indicators import report_sections
from motcua.reform.selectors import expired_legal_documents


class Command(BaseCommand):
    help = "Cải cách hành chính: số liệu một kỳ, danh mục văn bản hết hiệu lực, dữ liệu mẫu."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="Số liệu CCHC của một kỳ (JSON)")
        report.add_argument(
            "--from", dest="date_from", required=True, help="ngày đầu kỳ YYYY-MM-DD"
        )
        report.add_argument("--to", dest="date_to", required=True, help="ngày cuối kỳ YYYY-MM-DD")
        report.add_argument("--unit", help="mã định danh đơn vị (cả các đơn vị trực thuộc)")
        expired = sub.add_parser(
            "expired-list", help="Danh mục văn bản hết hiệu lực của một năm (XLSX)"
        )
        expired.add_argument("--year", type=int, required=True, help="năm hết hiệu lực")
        expired.add_argument("--output", required=True, help="tệp .xlsx sẽ ghi")
        sync = sub.add_parser(
            "iso-sync",
            help="Đồng bộ danh mục quy trình ISO với danh mục TTHC có hiệu lực (thêm, ngừng áp dụng)",
        )
        sync.add_argument("--at", help="ngày xét hiệu lực YYYY-MM-DD (mặc định hôm nay)")
        sync.add_argument("--agency", help="mã định danh cơ quan (mặc định cơ quan của Văn phòng)")
        par = sub.add_parser(
            "par-load",
            help="Nạp bộ tiêu chí Chỉ số CCHC của một năm từ tệp dữ liệu (motcua/reform/data/par/)",
        )
        par.add_argument("--year", type=int, required=True, help="năm đánh giá")
        par.add_argument("--unit", required=True, help="mã định danh đơn vị được đánh giá")
        par.add_argument("--file", help="tệp JSON (mặc định so-ban-nganh-NĂM.json)")
        par.add_argument("--from", dest="date_from", help="kỳ số liệu từ ngày YYYY-MM-DD")
        par.add_argument("--to", dest="date_to", help="kỳ số liệu đến ngày YYYY-MM-DD")
        par.add_argument("--check", action="store_true", help="chỉ kiểm tra tệp, không ghi gì")
        sub.add_parser(
            "demo", help="Nạp dữ liệu CCHC mẫu 6 tháng đầu năm 2023 (chạy lại không đổi gì)"
        )

    def handle(self, *args, action, **options):
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _report(self, *, date_from, date_to, unit=None, **_):
        start, end = (command_day(d, "không đúng dạng YYYY-MM-DD") for d in (date_from, date_to))
        if end < start:
            raise CommandError("Ngày cuối kỳ không được trước ngày đầu kỳ.")
        if unit and not Unit.objects.filter(code=unit).exists():
            raise CommandError(f"Không có đơn vị mã {unit}.")
        sections = report_sections(start, end, unit)
        self.stdout.write(json.dumps(sections, ensure_ascii=False, indent=2))

    def _par_load(self, *, year, unit, file=None, check=False, date_from=None, date_to=None, **_):
        from django.core.exceptions import ValidationError

        from motcua.reform.services import par_tree_load
        from motcua.reform.services.par_load import par_data_file, par_file_parse

        path = Path(file) if file else par_data_file(year)
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        content = path.read_bytes()
        period = None
        if date_from or date_to:
            if not (date_from and date_to):
                raise CommandError("Cần cả --from và --to.")
            period = (
                command_day(date_from, "không đúng dạng YYYY-MM-DD"),
                command_day(date_to, "không đúng dạng YYYY-MM-DD"),
            )
        try:
            if check:
                tree = par_file_parse(content)
                if tree.year != year:
                    raise ValidationError(
                        f"Tệp là bộ tiêu chí năm {tree.year}, không phải năm {year}."
                    )
                self.stdout.write(f"Tệp {path.name} hợp lệ: bộ tiêu chí năm {tree.year}.")
                return
            assessment = par_tree_load(None, content, unit=unit, year=year, period=period)
        except ValidationError as exc:
            raise CommandError(
                f"Không nạp tệp {path.name} (không có gì thay đổi):\n" + "\n".join(exc.messages)
            ) from None
        count = assessment.criteria.count()
        self.stdout.write(
            f"Đã nạp bộ chỉ số năm {assessment.year} của {assessment.unit.name}: {count} mục, "
            f"mã {assessment.pk}."
        )

    def _expired_list(self, *, year, output, **_):
        if not 2000 <= year <= 2060:
            raise CommandError("Năm phải trong khoảng 2000–2060.")
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tệp ghi ra phải có đuôi .xlsx.")
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục {path.parent}.")
        listed = expired_legal_documents(year)
        path.write_bytes(expired_list_xlsx(year, listed))
        self.stdout.write(
            f"Đã ghi {path}: {len(listed['fully'])} văn bản hết hiệu lực toàn bộ, "
            f"{len(listed['partly'])} hết hiệu lực một phần."
        )

    def _iso_sync(self, *, at=None, agency=None, **_):
        from django.core.exceptions import ValidationError

        from motcua.core.clock import now
        from motcua.reform.services import iso_register_sync

        day = command_day(at, "không đúng dạng YYYY-MM-DD") if at else now().date()
        if agency and not Unit.objects.filter(code=agency).exists():
            raise CommandError(f"Không có đơn vị mã {agency}.")
        try:
            result = iso_register_sync(None, at=day, agency=agency)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(str(result))
        for label, codes in (("Thêm", result.added), ("Ngừng áp dụng", result.removed),
                             ("Liên kết", result.linked)):  # fmt: skip
            if codes:
                self.stdout.write(f"{label}: {', '.join(codes)}")

    def _demo(self, **_):
        load_demo(stdout=self.stdout)
