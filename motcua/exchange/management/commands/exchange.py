"""`motcua exchange …`: document exchange between agencies (edXML, QCVN 102:2016).

pack --document ID --output FILE.edxml   the package an outgoing document is sent as
unpack FILE.edxml [--files DIR]          read a package: JSON on standard output (files into DIR);
                                         exit 1 with a message when the package is malformed
receive [FILE.edxml …]                   register the given packages, or (no FILE) take what waits on
                                         the configured transport (MOTCUA_EXCHANGE_TRANSPORT)
send --document ID --user USERNAME       send a registered document through the configured transport
stand-in [--port 8095] --system ID=SECRET …   run the stand-in exchange gateway until Ctrl+C
"""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.exchange import edxml
from motcua.exchange.models import OutgoingDocument
from motcua.exchange.services import (
    exchange_receive_configured,
    outgoing_pack,
    outgoing_send,
    package_receive,
)
from motcua.exchange.transports import TransportError, configured_transport


def _read(path: str) -> bytes:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES:
            raise CommandError(
                f"Tệp {path} ({size} byte) vượt giới hạn gói tin "
                f"{settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES} byte."
            )
        return file.read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None


class Command(BaseCommand):
    help = "Trao đổi văn bản điện tử giữa các cơ quan (edXML, QCVN 102:2016)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pack = sub.add_parser("pack", help="Đóng gói edXML một văn bản đi.")
        pack.add_argument("--document", type=int, required=True, help="Mã (id) văn bản đi.")
        pack.add_argument("--output", required=True, help="Tệp .edxml ghi ra.")
        unpack = sub.add_parser("unpack", help="Đọc một gói edXML, in JSON.")
        unpack.add_argument("file")
        unpack.add_argument("--files", default="", help="Thư mục ghi các tệp đính kèm.")
        receive = sub.add_parser("receive", help="Nhận gói tin vào sổ văn bản đến.")
        receive.add_argument("files", nargs="*")
        send = sub.add_parser("send", help="Gửi văn bản đi qua đường truyền đã cấu hình.")
        send.add_argument("--document", type=int, required=True)
        send.add_argument("--user", required=True, help="Tài khoản cán bộ gửi.")
        stand_in = sub.add_parser("stand-in", help="Chạy trục trao đổi văn bản giả lập.")
        stand_in.add_argument("--host", default="127.0.0.1")
        stand_in.add_argument("--port", type=int, default=8095)
        stand_in.add_argument(
            "--system", action="append", default=[], help="MA_DINH_DANH=KHOA_BI_MAT (lặp lại được)."
        )

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _pack(self, options):
        document = (
            OutgoingDocument.objects.select_related("unit").filter(pk=options["document"]).first()
        )
        if document is None:
            raise CommandError(f"Không có văn bản đi mã {options['document']}.")
        try:
            package = outgoing_pack(document)
        except edxml.PackageError as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_bytes(package)
        self.stdout.write(f"Đã ghi {options['output']} ({len(package)} byte).")

    def _unpack(self, options):
        data = _read(options["file"])
        try:
            package = edxml.parse(
                data,
                max_package_bytes=settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES,
                max_attachment_bytes=settings.MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES,
            )
        except edxml.PackageError as exc:
            raise CommandError(f"Gói tin không hợp lệ: {exc}") from None
        if options["files"] and isinstance(package, edxml.DocumentPackage):
            folder = Path(options["files"])
            folder.mkdir(parents=True, exist_ok=True)
            for index, att in enumerate(package.attachments, 1):
                safe = Path(att.name).name or f"tep-{index}"
                (folder / f"{index:02d}-{safe}").write_bytes(att.data)
        json.dump(edxml.package_as_json(package), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")

    def _receive(self, options):
        if options["files"]:
            failed = 0
            for path in options["files"]:
                try:
                    result = package_receive(_read(path), transport_name="file", message_id=path)
                except edxml.PackageError as exc:
                    failed += 1
                    self.stderr.write(f"{path}: {exc}")
                    continue
                numbers = ", ".join(f"số đến {i.arrival_number}" for i in result.incoming)
                self.stdout.write(f"{path}: {result.kind} {numbers}".rstrip())
            if failed:
                raise CommandError(f"{failed} gói tin không nhận được.")
            return
        try:
            report = exchange_receive_configured()
        except TransportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(report))
        for message in report.messages or []:
            self.stderr.write(message)

    def _send(self, options):
        from motcua.accounts.models import User

        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{options['user']}”.")
        try:
            transport = configured_transport([])
            document = outgoing_send(user, options["document"], transport)
        except (TransportError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except Exception as exc:  # Http404 from the door
            if type(exc).__name__ == "Http404":
                raise CommandError(f"Không có văn bản đi mã {options['document']}.") from None
            raise
        self.stdout.write(f"Đã gửi văn bản {document.number_symbol}.")

    def _stand_in(self, options):
        from motcua.exchange.standin import StandInGateway

        systems = {}
        for item in options["system"]:
            system_id, sep, secret = item.partition("=")
            if not sep or not system_id or not secret:
                raise CommandError(f"--system “{item}”: hãy viết MA_DINH_DANH=KHOA_BI_MAT.")
            systems[system_id] = secret
        if not systems:
            raise CommandError("Hãy khai ít nhất một --system MA_DINH_DANH=KHOA_BI_MAT.")
        gateway = StandInGateway(systems, host=options["host"], port=options["port"]).start()
        self.stdout.write(f"Trục trao đổi văn bản giả lập tại {gateway.url} (Ctrl+C để dừng).")
        self.stdout.write(
            f"MOTCUA_EXCHANGE_TRANSPORT=http MOTCUA_EXCHANGE_GATEWAY_URL={gateway.url}"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            gateway.close()
