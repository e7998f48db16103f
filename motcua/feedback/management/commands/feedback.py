"""`motcua feedback summary --from 2023-01-01 --to 2023-06-30 [--unit CODE]`: survey and PAKN
figures of a period as JSON (the same `report_sections` the periodic reports use)."""

import json

from django.core.management.base import BaseCommand, CommandError

from motcua.core.commandline import command_day
from motcua.feedback.indicators import report_sections


class Command(BaseCommand):
    help = "Khảo sát, phản ánh: `summary --from YYYY-MM-DD --to YYYY-MM-DD [--unit MÃ]`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser("summary", help="Số liệu khảo sát và phản ánh, kiến nghị của kỳ.")
        summary.add_argument("--from", dest="date_from", required=True)
        summary.add_argument("--to", dest="date_to", required=True)
        summary.add_argument("--unit", default=None)

    def handle(self, *args, **options):
        date_from, date_to = command_day(options["date_from"]), command_day(options["date_to"])
        if date_to < date_from:
            raise CommandError("Ngày cuối kỳ phải sau ngày đầu kỳ.")
        sections = report_sections(date_from, date_to, options["unit"])
        self.stdout.write(json.dumps(sections, ensure_ascii=False, indent=2, sort_keys=True))
