"""`motcua documents sign|verify|make-test-ca|templates-import`."""

import getpass
import json
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

HELP = """Tài liệu điện tử: ký số, xác thực, chứng thư thử nghiệm, mẫu kết quả.

  motcua documents sign IN.pdf OUT.pdf --pkcs11-module PATH --token-label LABEL --key-label LABEL
                                          ký bằng USB token / HSM (PKCS#11); mã PIN lấy từ biến môi
                                          trường MOTCUA_SIGNING_PIN hoặc hỏi trên terminal
  motcua documents sign IN.pdf OUT.pdf --signer TÊN
                                          ký bằng người ký đã cấu hình ở trang quản trị (token, ký số
                                          từ xa CSC — mã xác nhận OTP từ MOTCUA_SIGNING_OTP hoặc hỏi —,
                                          hay tệp PKCS#12 chỉ dùng cho demo)
  motcua documents verify FILE.pdf        in kết luận dạng JSON: valid, signer, organisation, signed_at,
                                          timestamp, trusted (chứng thư thuộc danh sách tin cậy
                                          MOTCUA_TRUST_ROOTS), issued_by_us (đúng bản Sở đã phát hành),
                                          status, reason; mã thoát 1 khi không hợp lệ, không tin cậy
                                          hoặc tệp đã bị sửa
  motcua documents make-test-ca [--dir DIR]
                                          tạo CA gốc thử nghiệm và chứng thư ký số (signer.p12) của Sở,
                                          đưa CA vào danh sách tin cậy; chỉ dùng cho demo và kiểm thử
  motcua documents templates-import FILE.json
                                          nạp mẫu kết quả cho các phiên bản thủ tục (toàn bộ hoặc không)
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sign = sub.add_parser("sign", help="Ký số một tệp PDF (PAdES-B-LT).")
        sign.add_argument("input", help="Tệp PDF cần ký.")
        sign.add_argument("output", help="Tệp PDF đã ký (chỉ ghi khi ký xong).")
        sign.add_argument("--signer", help="Tên cấu hình người ký ở trang quản trị.")
        sign.add_argument("--pkcs11-module", help="Thư viện PKCS#11 của thiết bị ký số.")
        sign.add_argument("--token-label", help="Nhãn thiết bị (token).")
        sign.add_argument("--key-label", help="Nhãn khoá ký trên thiết bị.")
        sign.add_argument("--cert-label", default="", help="Nhãn chứng thư, nếu khác nhãn khoá.")
        sign.add_argument("--reason", default="", help="Lý do ký ghi trong chữ ký.")
        verify = sub.add_parser("verify", help="Xác thực một tệp PDF đã ký số.")
        verify.add_argument("file", help="Đường dẫn tệp PDF.")
        make = sub.add_parser("make-test-ca", help="Tạo CA và chứng thư ký số thử nghiệm.")
        make.add_argument("--dir", default=None, help="Thư mục ghi ca.pem và signer.p12.")
        make.add_argument("--force", action="store_true", help="Ghi đè chứng thư đã có.")
        templates = sub.add_parser("templates-import", help="Nạp mẫu kết quả từ tệp JSON.")
        templates.add_argument("file", help="Tệp JSON (định dạng trong docs/documents.md).")

    def handle(self, *args, action, **options):
        if action == "sign":
            return self._sign(options)
        if action == "verify":
            return self._verify(Path(options["file"]))
        if action == "templates-import":
            return self._templates_import(Path(options["file"]))
        return self._make_test_ca(options["dir"], options["force"])

    # --- sign ---------------------------------------------------------------------------------

    def _secret(self, variable: str, prompt: str) -> str:
        """A secret from the environment, or typed on the terminal (never echoed, never stored)."""
        value = os.environ.get(variable, "")
        if value:
            return value
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(prompt)
        raise CommandError(
            f"Cần {prompt.rstrip(': ')}: đặt biến môi trường {variable} hoặc chạy trong terminal."
        )

    def _key(self, options):
        from motcua.documents.keys import PKCS11, Activation, KeySpec

        if options["signer"]:
            from motcua.documents.models import Signer, SignerBackend

            signer = Signer.objects.filter(name=options["signer"], is_active=True).first()
            if signer is None:
                raise CommandError(f"Không có người ký đang dùng tên “{options['signer']}”.")
            spec = signer.key_spec()
            if signer.backend == SignerBackend.PKCS12:
                return spec, Activation()
            pin = self._secret("MOTCUA_SIGNING_PIN", "Mã PIN: ")
            otp = ""
            if signer.backend == SignerBackend.CSC:
                otp = self._secret("MOTCUA_SIGNING_OTP", "Mã xác nhận (OTP): ")
            return spec, Activation(pin=pin, otp=otp)
        needed = ("pkcs11_module", "token_label", "key_label")
        if not all(options[n] for n in needed):
            raise CommandError(
                "Chọn người ký: --signer TÊN, hoặc --pkcs11-module, --token-label và --key-label."
            )
        spec = KeySpec(
            kind=PKCS11,
            pkcs11_module=options["pkcs11_module"],
            token_label=options["token_label"],
            key_label=options["key_label"],
            cert_label=options["cert_label"],
        )
        return spec, Activation(pin=self._secret("MOTCUA_SIGNING_PIN", "Mã PIN: "))

    def _sign(self, options) -> None:
        from motcua.documents.signing import DEFAULT_REASON, pdf_sign, signatures_check

        source, target = Path(options["input"]), Path(options["output"])
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp “{source}”.")
        data = source.read_bytes()
        if b"%PDF-" not in data[:1024]:
            raise CommandError(f"Tệp “{source}” không phải PDF.")
        spec, activation = self._key(options)
        try:
            signed = pdf_sign(data, spec, activation, reason=options["reason"] or DEFAULT_REASON)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        partial = target.with_name(target.name + ".dang-ghi")
        partial.write_bytes(signed)
        partial.replace(target)  # the output appears whole or not at all
        checks = signatures_check(signed) or []
        last = checks[-1] if checks else None
        self.stdout.write(
            f"Đã ký: {target} — người ký: {last.signer if last else '?'}"
            + (f", dấu thời gian: {last.timestamp}" if last and last.timestamp else "")
        )

    # --- verify ---------------------------------------------------------------------------------

    def _verify(self, path: Path) -> None:
        from motcua.documents.signing import pdf_verdict

        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        verdict = pdf_verdict(path.read_bytes())
        self.stdout.write(json.dumps(verdict, ensure_ascii=False, indent=2))
        if not verdict["valid"]:
            raise CommandError(f"Tệp không hợp lệ: {verdict['reason']}")

    # --- test CA, templates ---------------------------------------------------------------------

    def _make_test_ca(self, folder: str | None, force: bool) -> None:
        from motcua.documents.testca import create_test_ca

        target = Path(folder) if folder else Path(settings.MOTCUA_SIGNING_PKCS12).parent
        if (target / "signer.p12").exists() and not force:
            raise CommandError(
                f"Đã có chứng thư trong “{target}”. Thêm --force để tạo lại (các kết quả đã ký "
                "bằng chứng thư cũ sẽ không còn được tin cậy)."
            )
        files = create_test_ca(target, passphrase=settings.MOTCUA_SIGNING_PASSPHRASE)
        # With --dir the set stays in DIR (its trust list in DIR/trust); else the CA joins the
        # configured trust list.
        trust = target / "trust" if folder else Path(settings.MOTCUA_TRUST_ROOTS)
        trust.mkdir(parents=True, exist_ok=True)
        (trust / "motcua-test-ca.pem").write_bytes(files.ca_pem.read_bytes())
        self.stdout.write(
            f"Đã tạo CA thử nghiệm: {files.ca_pem} (trong danh sách tin cậy {trust})\n"
            f"Chứng thư ký số: {files.signer_p12}\n"
            f"Đặt MOTCUA_SIGNING_PKCS12={files.signer_p12} và MOTCUA_TRUST_ROOTS={trust} "
            "nếu không dùng thư mục mặc định."
        )

    def _templates_import(self, path: Path) -> None:
        from motcua.documents.templates_import import result_templates_import

        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        try:
            created = result_templates_import(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("Không nạp được mẫu kết quả: " + " ".join(messages)) from error
        self.stdout.write(f"Đã nạp {created} mẫu kết quả.")
