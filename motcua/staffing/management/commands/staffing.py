"""`motcua staffing summary --at 2023-06-30 [--unit CODE]`: the organisation's figures as JSON
(the same `report_sections` the periodic reports use)."""

import json
from datetime import date

from django.core.management.base import BaseCommand

from motcua.core.commandline import command_day
from motcua.staffing.indicators import report_sections


class Command(BaseCommand):
    help = "Nhân sự: `summary --at YYYY-MM-DD [--from YYYY-MM-DD] [--unit MÃ]` in số liệu tổ chức."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser("summary", help="Số liệu tổ chức, biên chế tại một ngày.")
        summary.add_argument("--at", required=True, help="ngày (YYYY-MM-DD)")
        summary.add_argument("--from", dest="date_from", help="đầu kỳ (mặc định 01/01 cùng năm)")
        summary.add_argument(
            "--unit", default=None, help="mã định danh đơn vị (kèm đơn vị cấp dưới)"
        )

    def handle(self, *args, **options):
        at = command_day(options["at"])
        date_from = (
            command_day(options["date_from"]) if options["date_from"] else date(at.year, 1, 1)
        )
        sections = report_sections(date_from, at, options["unit"])
        self.stdout.write(json.dumps(sections, ensure_ascii=False, indent=2, sort_keys=True))
