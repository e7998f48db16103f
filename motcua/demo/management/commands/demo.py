"""`motcua demo [--no-serve]`: migrate, load the demo data set (idempotently), serve the app with
a background worker beside it (`motcua worker`: the periodic jobs and the large tracking books)."""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.urls import reverse

from motcua.demo.loaders import DEMO_STAFF, demo_load, demo_password

ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Sở Tư pháp tỉnh Hà Tĩnh) và chạy ứng dụng tại http://127.0.0.1:8000/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Chỉ cập nhật CSDL và nạp dữ liệu mẫu."
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        password = demo_password()
        report = demo_load(password, stdout=self.stdout)
        out = self.stdout
        out.write(
            f"Đơn vị: thêm {report.units_created}, sửa {report.units_updated}. "
            f"Tài khoản: thêm {report.users_created}, sửa {report.users_updated}."
        )
        for note in report.notes:
            out.write(note)
        out.write(f"Cổng người dân: http://{ADDRESS}/")
        out.write(f"Cán bộ đăng nhập: http://{ADDRESS}{reverse('backoffice:login')}")
        out.write(f"Mật khẩu của mọi tài khoản mẫu: {password}")
        for username, full_name, role, unit_code in DEMO_STAFF:
            out.write(f"  {username:<16} {role.label} — {unit_code} ({full_name})")
        if options["no_serve"]:
            return
        portal = national_portal_start(out)
        sign_on = national_signon_start(out)
        worker = worker_start()
        out.write(f"Tiến trình chạy nền (motcua worker) chạy bên cạnh, mã tiến trình {worker.pid}.")
        # SIGTERM (a process manager stopping the demo) ends the server as Ctrl+C does, so that
        # the worker is stopped below instead of being left running on its own.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            # Static files come from whitenoise (WHITENOISE_USE_FINDERS), so --nostatic.
            call_command(
                "runserver", ADDRESS, use_reloader=False, use_threading=True, nostatic=True
            )
        finally:
            worker_stop(worker)
            if portal is not None:
                portal.close()
            if sign_on is not None:
                sign_on.close()


WORKER_STOP_SECONDS = 30
STANDIN_PORT = 8090


def national_portal_start(out):
    """The stand-in national portal (motcua.dvcqg.standin) on loopback, with the sync pointed at it
    — in this process for the server, in the environment for the worker — so the demo shows
    dossiers reaching the portal (/can-bo/lien-thong/dvcqg/, issue [I] 8). Changes from today on
    are sent, and today's dossiers are queued once; the 2023 history is not pushed. Off when
    DVCQG_ADAPTER_URL is already set (a real portal) or MOTCUA_DEMO_DVCQG=0."""
    from datetime import date

    from django.conf import settings

    from motcua.dvcqg.standin import DEFAULT_PATHS, StandInDvcqg, drift_load
    from motcua.dvcqg.sync import dvcqg_resync

    if settings.DVCQG_ADAPTER_URL or os.environ.get("MOTCUA_DEMO_DVCQG") == "0":
        return None
    identity = {"username": "motcua", "password": "motcua-standin", "madonvi": "000.00.12.H27"}

    def standin(port: int) -> StandInDvcqg:
        return StandInDvcqg(
            port=port,
            username=identity["username"],
            password=identity["password"],
            madonvi=identity["madonvi"],
            dstcode="DEMO",
            overrides=drift_load(),  # a few national records differ: /can-bo/lien-thong/dvcqg/danh-muc/
        ).start()

    try:
        portal = standin(STANDIN_PORT)
    except OSError:  # the port is taken: any free one
        portal = standin(0)
    values = {
        "DVCQG_ADAPTER_URL": portal.url,
        "DVCQG_AUTH_ENDPOINT": DEFAULT_PATHS["auth"],
        "DVCQG_INTEGRATION_ENDPOINT": DEFAULT_PATHS["integration"],
        "DVCQG_SHARE_ENDPOINT": DEFAULT_PATHS["share"],
        "DVCQG_USERNAME": identity["username"],
        "DVCQG_PASSWORD": identity["password"],
        "DVCQG_MADONVI": identity["madonvi"],
        "DVCQG_DSTCODE": "DEMO",
        "DVCQG_SYNC_SINCE": date.today().isoformat(),
    }
    for name, value in values.items():
        os.environ[name] = value
        setattr(settings, name, value)
    queued = dvcqg_resync(date.today(), date.today())
    out.write(
        f"Cổng DVCQG giả lập: {portal.url} — {queued} hồ sơ tiếp nhận hôm nay chờ đồng bộ; "
        f"theo dõi tại http://{ADDRESS}{reverse('backoffice:dvcqg_sync')} (tài khoản quantri)."
    )
    return portal


SSO_STANDIN_PORT = 8091


def national_signon_start(out):
    """The stand-in national sign-on IdP (motcua.accounts.national_signon_standin) on loopback,
    with the portal's "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia / VNeID" pointed at it,
    so a demo citizen signs in with a test identity (issue [I] 6). Off when DVCQG_SSO_AUTH_SERVER
    is already set (a real IdP) or MOTCUA_DEMO_DVCQG=0."""
    from django.conf import settings

    from motcua.accounts.national_signon_standin import StandInNationalSignOn

    if settings.DVCQG_SSO_AUTH_SERVER or os.environ.get("MOTCUA_DEMO_DVCQG") == "0":
        return None
    try:
        idp = StandInNationalSignOn(port=SSO_STANDIN_PORT).start()
    except OSError:  # the port is taken: any free one
        idp = StandInNationalSignOn(port=0).start()
    for name, value in idp.settings().items():
        os.environ[name] = ("1" if value else "0") if isinstance(value, bool) else value
        setattr(settings, name, value)
    out.write(
        f"Đăng nhập tài khoản Cổng DVCQG giả lập: {idp.url} — nút đăng nhập tại "
        f"http://{ADDRESS}{reverse('portal:signin')} ({len(idp.identities)} danh tính thử nghiệm)."
    )
    return idp


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def worker_start() -> subprocess.Popen:
    """`motcua worker` as a process of its own, as in production (its own database connection,
    SQLite's WAL lets it write beside the server), with the same settings and environment."""
    return subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker"], env=os.environ.copy())


def worker_stop(worker: subprocess.Popen) -> None:
    """SIGTERM (the worker finishes the job or book at hand), then SIGKILL if it takes too long.
    Ctrl+C in the terminal has usually reached it already: then it is on its way out."""
    if worker.poll() is None:
        worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
