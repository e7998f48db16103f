"""`motcua jobs run NAME` and `motcua jobs status` — the periodic jobs and their recorded runs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.core.clock import now
from motcua.core.models import JOBS, JobRun, JobRunStatus, jobs_health

HELP = """Chạy các tác vụ định kỳ và xem các lần chạy.

  motcua jobs run dossiers-monitor   chạy một lần tác vụ nhắc hồ sơ sắp đến hạn, quá hạn
  motcua jobs status [--limit N]     in các lần chạy gần nhất và cảnh báo tác vụ đã ngừng chạy

Lệnh `run` chạy một lần rồi thoát; hãy để cron hoặc một systemd timer gọi nó theo lịch, ví dụ mỗi giờ, cả ngày
(trang tác vụ cảnh báo khi quá 60 + 15 phút không có lần chạy thành công):
  cron:    0 * * * *  cd /srv/motcua && .venv/bin/motcua jobs run dossiers-monitor
  systemd: motcua-dossiers-monitor.timer với OnCalendar=hourly, gọi motcua-dossiers-monitor.service
           (ExecStart=/srv/motcua/.venv/bin/motcua jobs run dossiers-monitor).
Mỗi lần chạy được ghi lại (trang “Tác vụ định kỳ”); mã thoát khác 0 khi lần chạy bị lỗi, để
systemd/cron báo cho người vận hành.
"""


def _when(value) -> str:
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}" if value else "—"


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Chạy một tác vụ một lần.")
        run.add_argument("name", help="Tên tác vụ: " + ", ".join(JOBS))
        status = sub.add_parser("status", help="In các lần chạy gần nhất.")
        status.add_argument(
            "--limit", type=int, default=10, help="Số lần chạy in ra (mặc định 10)."
        )

    def handle(self, *args, action, **options):
        if action == "run":
            return self._run(options["name"])
        return self._status(options["limit"])

    def _run(self, name: str) -> None:
        schedule = JOBS.get(name)
        if schedule is None:
            raise CommandError(f"Không có tác vụ “{name}”. Các tác vụ: {', '.join(JOBS)}.")
        run = import_string(schedule.function)()
        self.stdout.write(f"{schedule.label}: {run.get_status_display()}. {run.summary}")
        if run.status != JobRunStatus.OK:
            raise CommandError(f"Tác vụ “{name}” chạy lỗi; xem chi tiết ở trên.")

    def _status(self, limit: int) -> None:
        if limit < 1:
            raise CommandError("--limit phải là số nguyên dương.")
        for health in jobs_health(now()):
            line = f"{health.name} ({health.schedule.label}): lần thành công gần nhất {_when(health.last_ok and health.last_ok.started_at)}"
            if health.stale:
                line += (
                    f" — CẢNH BÁO: chưa chạy thành công trong {health.schedule.interval_minutes} phút"
                    " qua; kiểm tra cron/systemd timer."
                )
            self.stdout.write(line)
        for run in JobRun.objects.all()[:limit]:
            self.stdout.write(
                f"{_when(run.started_at)}  {run.job}  {run.get_status_display()}  {run.summary}"
            )
