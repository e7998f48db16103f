"""`motcua serve`: the application as in production — granian's WSGI server, its workers, threads
and timeouts from the environment (docs/deploy.md, deploy/motcua-serve.service).

`motcua serve` loads config.settings.production unless DJANGO_SETTINGS_MODULE names other settings
(motcua/cli.py), refuses to start with DEBUG on, runs Django's checks, then replaces itself with
granian (exec: systemd sees granian as the service's process and signals it directly).
`motcua serve --print` prints granian's command line instead.

MOTCUA_SERVE_HOST, MOTCUA_SERVE_PORT           where to listen (127.0.0.1:8000: behind nginx)
MOTCUA_SERVE_WORKERS                           worker processes (the machine's cores)
MOTCUA_SERVE_THREADS                           threads per worker, each with its own database
                                               connection (4; workers × threads stays well under
                                               PostgreSQL's max_connections)
MOTCUA_SERVE_TIMEOUT                           seconds a worker has to finish its requests when
                                               stopped or restarted (30); a request's own limit is
                                               nginx's proxy_read_timeout (deploy/nginx)
MOTCUA_SERVE_HEADER_TIMEOUT                    seconds a client has to send its headers (10)
MOTCUA_SERVE_MAX_RSS                           restart a worker past this many MiB (0: never)
MOTCUA_SERVE_LIFETIME                          restart each worker after this many seconds (0: never)
MOTCUA_SERVE_LOG_LEVEL                         granian's own log (warning); nginx keeps the access log
"""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True)
class Setting:
    name: str
    default: int
    low: int
    high: int


# The bounds are granian's own (or what a sane installation needs): refused here with a message
# rather than by granian with a usage error.
PORT = Setting("MOTCUA_SERVE_PORT", 8000, 1, 65535)
WORKERS = Setting("MOTCUA_SERVE_WORKERS", os.cpu_count() or 1, 1, 256)
THREADS = Setting("MOTCUA_SERVE_THREADS", 4, 1, 256)
TIMEOUT = Setting("MOTCUA_SERVE_TIMEOUT", 30, 1, 1800)
HEADER_TIMEOUT = Setting("MOTCUA_SERVE_HEADER_TIMEOUT", 10, 1, 60)
MAX_RSS = Setting("MOTCUA_SERVE_MAX_RSS", 0, 0, 1_000_000)
LIFETIME = Setting("MOTCUA_SERVE_LIFETIME", 0, 0, 10_000_000)
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def _integer(setting: Setting, environ) -> int:
    text = environ.get(setting.name, "").strip()
    if not text:
        return setting.default
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{setting.name}={text!r}: cần một số nguyên.") from None
    if not setting.low <= value <= setting.high:
        raise CommandError(
            f"{setting.name}={value}: cần một số từ {setting.low} đến {setting.high}."
        )
    if setting is LIFETIME and 0 < value < 60:
        raise CommandError(
            f"{setting.name}={value}: ít nhất 60 giây (hoặc 0: không khởi động lại)."
        )
    return value


def granian_argv(environ=os.environ) -> list[str]:
    """granian's command line for this environment (CommandError for a value that cannot be)."""
    threads = _integer(THREADS, environ)
    level = environ.get("MOTCUA_SERVE_LOG_LEVEL", "warning").strip().lower()
    if level not in LOG_LEVELS:
        raise CommandError(f"MOTCUA_SERVE_LOG_LEVEL={level!r}: một trong {', '.join(LOG_LEVELS)}.")
    argv = [
        _granian(),
        "--interface",
        "wsgi",
        "--host",
        environ.get("MOTCUA_SERVE_HOST", "127.0.0.1").strip() or "127.0.0.1",
        "--port",
        str(_integer(PORT, environ)),
        "--workers",
        str(_integer(WORKERS, environ)),
        "--blocking-threads",
        str(threads),
        # No more requests in a worker than it has threads: the rest wait in the listen backlog
        # (or nginx's queue) instead of in a worker that cannot serve them yet.
        "--backpressure",
        str(threads),
        "--workers-kill-timeout",
        str(_integer(TIMEOUT, environ)),
        "--http1-header-read-timeout",
        str(_integer(HEADER_TIMEOUT, environ) * 1000),
        "--respawn-failed-workers",
        "--no-ws",
        "--log-level",
        level,
        "--working-dir",
        str(settings.BASE_DIR),
    ]
    if max_rss := _integer(MAX_RSS, environ):
        argv += ["--workers-max-rss", str(max_rss)]
    if lifetime := _integer(LIFETIME, environ):
        argv += ["--workers-lifetime", str(lifetime)]
    return [*argv, "config.wsgi:application"]


def _granian() -> str:
    """The granian installed beside this Python (the same virtualenv), else the one on PATH."""
    beside = Path(sys.executable).with_name("granian")
    if beside.exists():
        return str(beside)
    found = shutil.which("granian")
    if found is None:
        raise CommandError("Không tìm thấy granian: cài lại gói (pip install -e .).")
    return found


class Command(BaseCommand):
    help = "Chạy ứng dụng như khi vận hành thật (granian, các biến MOTCUA_SERVE_*)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_only",
            help="In dòng lệnh granian thay vì chạy.",
        )

    def handle(self, *args, print_only=False, **options):
        if settings.DEBUG:
            raise CommandError(
                "DJANGO_DEBUG đang bật: không chạy máy chủ vận hành ở chế độ gỡ lỗi "
                "(trang lỗi sẽ lộ cấu hình và dữ liệu). Bỏ DJANGO_DEBUG rồi chạy lại."
            )
        argv = granian_argv()
        module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if print_only:
            self.stdout.write(f"DJANGO_SETTINGS_MODULE={module} {' '.join(argv)}")
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # the environment (settings module included) goes with it
