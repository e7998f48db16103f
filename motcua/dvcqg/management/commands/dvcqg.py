"""`motcua dvcqg …`: the national public-service portal (Cổng DVCQG) from the command line.

stand-in [--port 8090]      run the stand-in portal (motcua/dvcqg/standin.py) until Ctrl+C
sso-stand-in [--port 8091]  run the stand-in national sign-on IdP (accounts/national_signon_standin.py)
check                       log in to the configured portal
procedures [--search TEXT]  the portal's procedures (LayDanhSachTTHC): MATTHC<TAB>TENTTHC
procedure MATTHC            one procedure (LayThuTuc) as JSON
map CODE MATTHC [--offline] map our procedure to a national one (LayThuTuc unless --offline)
record MA_HO_SO [--progress] the record a dossier would be sent as (JSON; personal data!)
calls [--limit 20]          the last calls to the portal and their outcome
status                      the sync's counts (waiting, sent, failed, dead, skipped) and lag, as JSON
sync                        send what is waiting now (what the job dvcqg-sync does every minute)
resync --from D --to D      queue every dossier received between two days (YYYY-MM-DD) for the portal
catalog pull                read the national catalogue, record and print what differs from ours
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dvcqg.catalog_pull import catalog_pull, pull_counts, pull_items
from motcua.dvcqg.client import DvcqgConfigError, DvcqgError, dvcqg_client, dvcqg_enabled
from motcua.dvcqg.models import DvcqgCall
from motcua.dvcqg.models_exchange import MatchKind
from motcua.dvcqg.records import NotSendable, hoso_record, tien_do_records
from motcua.dvcqg.selectors import dvcqg_status
from motcua.dvcqg.services import procedure_mapping_fetch, procedure_mapping_set
from motcua.dvcqg.standin import DEFAULT_PATHS, StandInDvcqg, drift_load
from motcua.dvcqg.sync import dvcqg_resync, dvcqg_sync_run


def _day(text: str):
    from argparse import ArgumentTypeError
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ArgumentTypeError(f"ngày “{text}” không hợp lệ; hãy viết YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Cổng Dịch vụ công quốc gia: máy chủ giả lập, kiểm tra kết nối, ánh xạ thủ tục, bản ghi hồ sơ."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        stand_in = sub.add_parser("stand-in", help="Chạy máy chủ giả lập Cổng DVCQG.")
        stand_in.add_argument(
            "--host", default="127.0.0.1", help="Địa chỉ nghe (mặc định %(default)s)."
        )
        stand_in.add_argument("--port", type=int, default=8090, help="Cổng (mặc định %(default)s).")
        stand_in.add_argument(
            "--store", default="", help="Tệp JSON lưu những gì máy chủ nhận được."
        )
        stand_in.add_argument(
            "--username",
            default=settings.DVCQG_USERNAME or "motcua",
            help="Tài khoản đăng nhập (mặc định DVCQG_USERNAME, hoặc %(default)s).",
        )
        stand_in.add_argument(
            "--password",
            default=settings.DVCQG_PASSWORD or "motcua-standin",
            help="Mật khẩu (mặc định DVCQG_PASSWORD, hoặc motcua-standin).",
        )
        stand_in.add_argument(
            "--madonvi",
            default=settings.DVCQG_MADONVI,
            help="Mã đơn vị phải gửi (trống: không kiểm tra).",
        )
        stand_in.add_argument(
            "--dstcode",
            default=settings.DVCQG_DSTCODE,
            help="dstcode phải gửi (trống: không kiểm tra).",
        )
        stand_in.add_argument(
            "--token-seconds",
            type=float,
            default=600.0,
            help="Số giây một phiên làm việc còn hiệu lực (mặc định %(default)s).",
        )
        stand_in.add_argument(
            "--no-drift",
            action="store_true",
            help="Trả danh mục đúng như procedures.csv, không kèm các thay đổi giả lập "
            "(data/catalogue_drift.json).",
        )
        sso = sub.add_parser(
            "sso-stand-in", help="Chạy máy chủ giả lập đăng nhập tài khoản Cổng DVCQG (SSO)."
        )
        sso.add_argument("--host", default="127.0.0.1", help="Địa chỉ nghe (mặc định %(default)s).")
        sso.add_argument("--port", type=int, default=8091, help="Cổng (mặc định %(default)s).")
        sso.add_argument(
            "--client-id",
            default=settings.DVCQG_SSO_CLIENT_ID or "motcua",
            help="client_id (mặc định DVCQG_SSO_CLIENT_ID, hoặc %(default)s).",
        )
        sso.add_argument(
            "--client-secret",
            default=settings.DVCQG_SSO_CLIENT_SECRET or "motcua-sso-standin-khoa-thu-nghiem-32",
            help="client_secret (mặc định DVCQG_SSO_CLIENT_SECRET, hoặc motcua-sso-standin-khoa-thu-nghiem-32).",
        )
        sub.add_parser("check", help="Đăng nhập thử Cổng DVCQG đã cấu hình.")
        procedures = sub.add_parser("procedures", help="Danh sách TTHC của Cổng DVCQG.")
        procedures.add_argument("--search", default="", help="Chỉ in các thủ tục có chữ này.")
        procedure = sub.add_parser("procedure", help="Một TTHC của Cổng DVCQG (LayThuTuc).")
        procedure.add_argument("national_code", metavar="MATTHC")
        mapping = sub.add_parser("map", help="Ánh xạ thủ tục trong danh mục với mã TTHC quốc gia.")
        mapping.add_argument("procedure_code", metavar="CODE")
        mapping.add_argument("national_code", metavar="MATTHC")
        mapping.add_argument("--offline", action="store_true", help="Không hỏi Cổng DVCQG.")
        record = sub.add_parser("record", help="Bản ghi hồ sơ sẽ gửi lên Cổng DVCQG (JSON).")
        record.add_argument("dossier_code", metavar="MA_HO_SO")
        record.add_argument("--progress", action="store_true", help="In bản ghi tiến độ.")
        calls = sub.add_parser("calls", help="Các lần gọi Cổng DVCQG gần nhất.")
        calls.add_argument("--limit", type=int, default=20, help="Số dòng (mặc định %(default)s).")
        sub.add_parser("status", help="Số thay đổi chờ gửi, đã gửi, lỗi, ngừng gửi (JSON).")
        sub.add_parser("sync", help="Gửi ngay các thay đổi đang chờ lên Cổng DVCQG.")
        resync = sub.add_parser("resync", help="Gửi lại các hồ sơ tiếp nhận trong một khoảng ngày.")
        resync.add_argument("--from", dest="first", required=True, type=_day, help="YYYY-MM-DD")
        resync.add_argument("--to", dest="last", required=True, type=_day, help="YYYY-MM-DD")
        catalog = sub.add_parser("catalog", help="Đối chiếu danh mục TTHC với Cổng DVCQG.")
        catalog_sub = catalog.add_subparsers(dest="catalog_action", required=True)
        catalog_sub.add_parser(
            "pull", help="Đọc danh mục của Cổng (LayDanhSachTTHC, LayThuTuc), ghi và in khác biệt."
        )

    def handle(self, *args, **options):
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"_{action}")(options)
        except (DvcqgError, NotSendable) as exc:
            raise CommandError(exc.message) from None
        except DvcqgConfigError as exc:
            raise CommandError(str(exc)) from None
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None

    def _stand_in(self, options):
        server = StandInDvcqg(
            host=options["host"],
            port=options["port"],
            username=options["username"],
            password=options["password"],
            madonvi=options["madonvi"],
            dstcode=options["dstcode"],
            token_seconds=options["token_seconds"],
            store_path=options["store"] or None,
            overrides=None if options["no_drift"] else drift_load(),
        )
        self.stdout.write(f"Máy chủ giả lập Cổng DVCQG đang chạy tại {server.url}")
        self.stdout.write("Cấu hình phía Một Cửa:")
        self.stdout.write(f"  DVCQG_ADAPTER_URL={server.url}")
        for name, path in DEFAULT_PATHS.items():
            self.stdout.write(f"  DVCQG_{name.upper()}_ENDPOINT={path}")
        self.stdout.write(f"  DVCQG_USERNAME={options['username']}  (mật khẩu: --password)")
        self.stdout.write(f"Đã nạp {len(server.catalogue)} thủ tục. Nhấn Ctrl+C để dừng.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng máy chủ giả lập.")
        finally:
            server.httpd.server_close()

    def _sso_stand_in(self, options):
        from motcua.accounts.national_signon_standin import StandInNationalSignOn

        try:
            server = StandInNationalSignOn(
                host=options["host"],
                port=options["port"],
                client_id=options["client_id"],
                client_secret=options["client_secret"],
            )
        except OSError as exc:
            raise CommandError(f"Không mở được cổng {options['port']}: {exc.strerror}") from None
        self.stdout.write(f"Máy chủ giả lập đăng nhập Cổng DVCQG đang chạy tại {server.url}")
        self.stdout.write("Cấu hình phía Một Cửa:")
        for name, value in server.settings().items():
            if name == "DVCQG_SSO_CLIENT_SECRET":
                value = "(--client-secret)"
            elif isinstance(value, bool):
                value = "1" if value else "0"
            self.stdout.write(f"  {name}={value}")
        self.stdout.write(f"{len(server.identities)} danh tính thử nghiệm. Nhấn Ctrl+C để dừng.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng máy chủ giả lập.")
        finally:
            server.httpd.server_close()

    def _check(self, options):
        dvcqg_client().login()
        self.stdout.write("Đăng nhập Cổng DVCQG thành công.")

    def _procedures(self, options):
        needle = options["search"].casefold()
        for row in dvcqg_client().lay_danh_sach_tthc():
            line = f"{row.get('MATTHC', '')}\t{row.get('TENTTHC', '')}"
            if needle in line.casefold():
                self.stdout.write(line)

    def _procedure(self, options):
        record = dvcqg_client().lay_thu_tuc(options["national_code"])
        self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))

    def _map(self, options):
        code, national = options["procedure_code"], options["national_code"]
        if options["offline"] or not dvcqg_enabled():
            mapping = procedure_mapping_set(None, code, national)
        else:
            mapping = procedure_mapping_fetch(None, code, national, dvcqg_client())
        name = f" ({mapping.national_name})" if mapping.national_name else ""
        self.stdout.write(f"Đã ánh xạ thủ tục {code} với mã TTHC quốc gia {national}{name}.")

    def _record(self, options):
        dossier = Dossier.objects.filter(code=options["dossier_code"]).first()
        if dossier is None:
            raise CommandError(f"Không có hồ sơ mã {options['dossier_code']}.")
        record = tien_do_records(dossier) if options["progress"] else hoso_record(dossier)
        self.stdout.write(json.dumps(record, ensure_ascii=False, indent=2))

    def _status(self, options):
        self.stdout.write(json.dumps(dvcqg_status(), ensure_ascii=False, indent=2))

    def _sync(self, options):
        if not dvcqg_enabled():
            raise CommandError("Chưa bật đồng bộ với Cổng DVCQG: hãy đặt DVCQG_ADAPTER_URL.")
        run = dvcqg_sync_run()
        self.stdout.write(run.summary)
        if run.status != "ok":
            raise CommandError("Còn thay đổi chưa gửi được; xem `motcua dvcqg status`.")

    def _resync(self, options):
        first, last = options["first"], options["last"]
        if first > last:
            raise CommandError(
                f"Ngày bắt đầu ({first:%d/%m/%Y}) sau ngày kết thúc ({last:%d/%m/%Y})."
            )
        queued = dvcqg_resync(first, last)
        self.stdout.write(
            f"Đã xếp {queued} hồ sơ tiếp nhận từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} "
            "vào hàng chờ gửi lên Cổng DVCQG."
        )

    def _catalog(self, options):
        if not dvcqg_enabled():
            raise CommandError("Chưa bật kết nối Cổng DVCQG: hãy đặt DVCQG_ADAPTER_URL.")
        pull = catalog_pull(None, dvcqg_client())
        if not pull.ok:
            raise CommandError(f"Không đọc được danh mục của Cổng DVCQG: {pull.message}")
        counts = pull_counts(pull)
        at = timezone.localtime(pull.started_at).strftime("%H:%M %d/%m/%Y")
        self.stdout.write(
            f"Đối chiếu danh mục với Cổng DVCQG lúc {at}: Cổng có {len(pull.national_list)} thủ "
            f"tục; của ta {counts['same']} giống, {counts['differs']} khác, {counts['unmatched']} "
            f"chưa ánh xạ, {counts['absent']} không có trên Cổng, {counts['error']} lỗi."
        )
        sections = (
            (MatchKind.DIFFERS, "Khác biệt (chờ quản trị xem xét):"),
            (MatchKind.UNMATCHED, "Thủ tục chưa ánh xạ mã TTHC quốc gia (motcua dvcqg map):"),
            (MatchKind.ABSENT, "Mã TTHC không có trong danh sách của Cổng:"),
            (MatchKind.ERROR, "Không đọc được từ Cổng:"),
        )
        for kind, title in sections:
            items = list(pull_items(pull, kind))
            if items:
                self.stdout.write(title)
            for item in items:
                code = item.procedure.code
                mapped = f" → {item.national_code}" if item.national_code not in ("", code) else ""
                self.stdout.write(f"  {code}{mapped}\t{item.version.name}")
                for _, diff in item.ordered_differences:
                    ours = diff["ours"].replace("\n", "; ")
                    national = diff["national"].replace("\n", "; ")
                    self.stdout.write(f"    {diff['label']}: ta “{ours}” — Cổng “{national}”")
                if item.message:
                    self.stdout.write(f"    {item.message}")
        for problem in pull.problems:
            self.stdout.write(f"Danh sách của Cổng: {problem}")
        self.stdout.write("Xem xét, chấp nhận hoặc không: /can-bo/lien-thong/dvcqg/danh-muc/")

    def _calls(self, options):
        for call in DvcqgCall.objects.all()[: max(options["limit"], 1)]:
            at = timezone.localtime(call.started_at).strftime("%d/%m/%Y %H:%M:%S")
            detail = " ".join(part for part in (call.error_code, call.message) if part)
            self.stdout.write(
                f"{at}\t{call.service}\t{call.get_outcome_display()}\t{call.duration_ms} ms"
                f"\t{call.dossier_codes}\t{detail}"
            )
