"""`motcua worker [--once] [--name NAME]` — the long-lived process that runs the periodic jobs and
the background tasks (motcua.core.worker, ADR 0026)."""

from django.core.management.base import BaseCommand, CommandError

from motcua.core.models import JOBS
from motcua.core.worker import (
    DEFAULT_POLL_SECONDS,
    POLL_ENV,
    STALE_SECONDS,
    Worker,
    WorkerSetupError,
    signals_handled,
)

HELP = f"""Chạy nền: mọi tác vụ định kỳ (trang “Tác vụ định kỳ”) đến hạn và các việc chạy nền cán bộ
yêu cầu (sổ theo dõi hồ sơ của một tháng đông…). Thay cho cron: không cần lịch cron nào nữa.

  motcua worker                 chạy mãi, kiểm tra lịch mỗi {DEFAULT_POLL_SECONDS:g} giây ({POLL_ENV})
  motcua worker --once          chạy một lượt (các tác vụ đến hạn, rồi các việc đang chờ) rồi thoát
  motcua worker --name may-1    đặt tên tiến trình (mặc định: tên máy:mã tiến trình)

Có thể chạy nhiều tiến trình trên nhiều máy dùng chung một CSDL PostgreSQL: mỗi tác vụ chỉ một
tiến trình chạy tại một thời điểm (khóa advisory của PostgreSQL). Tiến trình ghi tín hiệu (heartbeat)
mỗi vài giây; tiến trình mất tín hiệu quá {STALE_SECONDS} giây được coi là đã dừng đột ngột: lần chạy
nó bỏ dở được chạy lại ngay. SIGTERM/SIGINT: xong việc đang làm rồi dừng.

systemd: motcua-worker.service với ExecStart=/srv/motcua/.venv/bin/motcua worker, Restart=always.
Chạy một tác vụ một lần bằng tay: motcua jobs run TÊN ({", ".join(JOBS)}).
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Chạy một lượt kiểm tra lịch rồi thoát."
        )
        parser.add_argument(
            "--name", default=None, help="Tên tiến trình (mặc định: tên máy:mã tiến trình)."
        )

    def handle(self, *args, once: bool, name: str | None, **options):
        try:
            worker = Worker(name=name, report=self._say)
        except WorkerSetupError as exc:
            raise CommandError(str(exc)) from None
        self._say(
            f"Tiến trình chạy nền {worker.name}: "
            + ("một lượt." if once else f"kiểm tra lịch mỗi {worker.poll:g} giây.")
        )
        try:
            with signals_handled(worker):
                if once:
                    worker.run_once()
                else:
                    worker.run_forever()
        except WorkerSetupError as exc:
            raise CommandError(str(exc)) from None
        self._say(f"Tiến trình chạy nền {worker.name} đã dừng.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
