"""`motcua documents verify FILE.pdf` and `motcua documents make-test-ca [--dir DIR]`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HELP = """Tài liệu điện tử: xác thực kết quả đã ký số, tạo chứng thư thử nghiệm.

  motcua documents verify FILE.pdf        in kết luận dạng JSON: valid, signer, signed_at, issued_by_us
                                          (mã băm có trong sổ đăng ký kết quả đã cấp), status, reason;
                                          mã thoát 1 khi tệp không hợp lệ, chữ ký không tin cậy hoặc tệp đã bị sửa
  motcua documents make-test-ca [--dir DIR]
                                          tạo CA gốc thử nghiệm (ca.pem) và chứng thư ký số của Sở (signer.p12),
                                          mặc định vào thư mục của MOTCUA_SIGNING_PKCS12; chỉ dùng cho demo và kiểm thử
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Xác thực một tệp PDF đã ký số.")
        verify.add_argument("file", help="Đường dẫn tệp PDF.")
        make = sub.add_parser("make-test-ca", help="Tạo CA và chứng thư ký số thử nghiệm.")
        make.add_argument("--dir", default=None, help="Thư mục ghi ca.pem và signer.p12.")
        make.add_argument("--force", action="store_true", help="Ghi đè chứng thư đã có.")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self._verify(Path(options["file"]))
        return self._make_test_ca(options["dir"], options["force"])

    def _verify(self, path: Path) -> None:
        from motcua.documents.signing import pdf_verdict

        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        verdict = pdf_verdict(path.read_bytes())
        self.stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2))
        if not verdict["valid"]:
            raise CommandError(f"Tệp không hợp lệ: {verdict['reason']}")

    def _make_test_ca(self, folder: str | None, force: bool) -> None:
        from motcua.documents.testca import create_test_ca

        target = Path(folder) if folder else Path(settings.MOTCUA_SIGNING_PKCS12).parent
        if (target / "signer.p12").exists() and not force:
            raise CommandError(
                f"Đã có chứng thư trong “{target}”. Thêm --force để tạo lại (các kết quả đã ký "
                "bằng chứng thư cũ sẽ không còn được tin cậy)."
            )
        files = create_test_ca(target, passphrase=settings.MOTCUA_SIGNING_PASSPHRASE)
        self.stdout.write(
            f"Đã tạo CA thử nghiệm: {files.ca_pem}\nChứng thư ký số: {files.signer_p12}\n"
            f"Đặt MOTCUA_TRUSTED_CA_BUNDLE={files.ca_pem} và MOTCUA_SIGNING_PKCS12={files.signer_p12} "
            "nếu không dùng thư mục mặc định."
        )
