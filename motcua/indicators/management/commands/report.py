"""`motcua report --from 2023-01-01 --to 2023-06-30 [--unit CODE] --format json|docx|pdf|xlsx
[--output FILE]`: the periodic report computed from data; JSON to standard output by default."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

FORMATS = ("json", "docx", "pdf", "xlsx")


class Command(BaseCommand):
    help = (
        "Báo cáo định kỳ tính từ dữ liệu: số liệu hồ sơ, tỷ lệ, danh mục, nhiệm vụ, văn bản, "
        "tổ chức, mức độ hài lòng, phản ánh kiến nghị (JSON, DOCX, PDF hoặc XLSX)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="date_from", required=True, help="Ngày đầu kỳ, YYYY-MM-DD."
        )
        parser.add_argument("--to", dest="date_to", required=True, help="Ngày cuối kỳ, YYYY-MM-DD.")
        parser.add_argument("--unit", default=None, help="Mã đơn vị (xem `motcua org units`).")
        parser.add_argument("--procedure", default=None, help="Mã TTHC (chỉ cho JSON).")
        parser.add_argument("--field", default=None, help="Mã lĩnh vực (chỉ cho JSON).")
        parser.add_argument("--channel", default=None, help="Kênh nộp: desk, online, post.")
        parser.add_argument("--format", default="json", help="json (mặc định), docx, pdf, xlsx.")
        parser.add_argument(
            "--output", default=None, help="Tệp kết quả; JSON ra màn hình nếu bỏ trống."
        )

    def handle(self, *args, **options):
        from motcua.indicators.exports import report_file
        from motcua.indicators.report import report_build
        from motcua.indicators.scope import scope_build
        from motcua.indicators.services import default_agency_code

        fmt = (options["format"] or "").lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"Định dạng «{options['format']}» không được hỗ trợ; chọn một trong: "
                f"{', '.join(FORMATS)}."
            )
        output = options["output"]
        if fmt != "json" and not output:
            raise CommandError(f"Định dạng {fmt} là tệp nhị phân: cần --output TÊN_TỆP.")
        if output and not Path(output).resolve().parent.is_dir():
            raise CommandError(f"Không có thư mục để ghi tệp «{output}».")
        try:
            scope = scope_build(
                options["date_from"],
                options["date_to"],
                unit_code=options["unit"],
                procedure_code=options["procedure"],
                field_code=options["field"],
                channel=options["channel"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        data = report_build(scope, default_agency=default_agency_code())
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
                self.stderr.write(f"Đã ghi {output}.")
            else:
                self.stdout.write(text)
            return
        content = report_file(scope, data, fmt)
        Path(output).write_bytes(content)
        self.stderr.write(f"Đã ghi {output} ({len(content):,} byte).".replace(",", "."))
