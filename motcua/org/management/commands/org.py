"""`motcua org units`: the unit tree, one line per unit, `CODE<TAB>name`, parents before children."""

from django.core.management.base import BaseCommand

from motcua.org.selectors import units_in_tree_order


class Command(BaseCommand):
    help = "Tổ chức: `units` in danh sách đơn vị (mã định danh<TAB>tên) theo thứ tự cây."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("units", help="In danh sách đơn vị theo thứ tự cây.")

    def handle(self, *args, **options):
        if options["action"] == "units":
            for unit in units_in_tree_order():
                self.stdout.write(f"{unit.code}\t{unit.name}")
