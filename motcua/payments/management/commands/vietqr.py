"""`motcua vietqr build --bin 970436 --account 0011001234567 [--amount 200000] [--purpose TEXT]
[--static] [--png FILE] [--svg FILE]` prints a VietQR payload (dynamic unless --static), in the
canonical field order of the published VietQR examples; `motcua vietqr parse PAYLOAD` prints its
fields as JSON, or an error and exit status 1 for a bad CRC, length or tag."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.payments.vietqr import VietQRError, build, parse, qr_png, qr_svg


def _amount(text: str) -> int:
    digits = text.replace(".", "").replace(",", "").strip()
    if not digits.isdigit():
        raise CommandError(f"Số tiền “{text}” không hợp lệ: chỉ gồm chữ số (đồng).")
    return int(digits)


class Command(BaseCommand):
    help = "VietQR: tạo (build) và kiểm tra, đọc (parse) mã QR chuyển khoản NAPAS247."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        make = sub.add_parser("build", help="In chuỗi VietQR của một lệnh chuyển khoản.")
        make.add_argument("--bin", required=True, help="Mã BIN 6 chữ số của ngân hàng nhận.")
        make.add_argument("--account", required=True, help="Số tài khoản nhận.")
        make.add_argument("--amount", help="Số tiền (đồng); bỏ trống để người chuyển tự nhập.")
        make.add_argument("--purpose", default="", help="Nội dung chuyển khoản (≤ 25 ký tự).")
        make.add_argument("--bill", default="", help="Số hóa đơn (trường 62/01), nếu có.")
        make.add_argument("--static", action="store_true", help="QR tĩnh (dùng nhiều lần).")
        make.add_argument("--png", help="Ghi thêm ảnh PNG của mã vào tệp này.")
        make.add_argument("--svg", help="Ghi thêm ảnh SVG của mã vào tệp này.")
        read = sub.add_parser("parse", help="Kiểm tra và in các trường của một chuỗi VietQR.")
        read.add_argument("payload", help="Chuỗi VietQR.")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (VietQRError, CommandError) as exc:
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(1)

    def handle(self, *args, **options):
        if options["action"] == "parse":
            fields = parse(options["payload"]).as_dict()
            self.stdout.write(json.dumps(fields, ensure_ascii=False, indent=2))
            return
        payload = build(
            options["bin"],
            options["account"],
            amount=_amount(options["amount"]) if options["amount"] else None,
            purpose=options["purpose"],
            bill_number=options["bill"],
            dynamic=not options["static"],
        )
        if options["png"]:
            Path(options["png"]).write_bytes(qr_png(payload))
        if options["svg"]:
            Path(options["svg"]).write_text(qr_svg(payload), encoding="utf-8")
        self.stdout.write(payload)
