"""`motcua jobs run NAME` and `motcua jobs status` — the periodic jobs and their recorded runs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.clock import now
from motcua.core.models import JOBS, JobRun, JobRunStatus, WorkerBeat, jobs_health
from motcua.core.worker import (
    DEFAULT_POLL_SECONDS,
    STALE_SECONDS,
    JobBusy,
    Worker,
    WorkerSetupError,
    heartbeat_age,
)

HELP = """Chạy một tác vụ định kỳ một lần bằng tay và xem các lần chạy.

  motcua jobs run dossiers-monitor   chạy ngay một lần tác vụ nhắc hồ sơ sắp đến hạn, quá hạn
  motcua jobs status [--limit N]     in các lần chạy gần nhất và cảnh báo tác vụ đã ngừng chạy

Không cần cron hay systemd timer nữa: tiến trình chạy nền `motcua worker` chạy mọi tác vụ khi đến
hạn (xem `motcua worker --help`; trang “Tác vụ định kỳ” cảnh báo khi quá lịch chạy + 15 phút không có
lần chạy thành công). `jobs run` dùng khi cần chạy ngay một lần: nó giữ cùng khóa với các tiến trình
chạy nền, nên không bao giờ chạy trùng lúc với chúng. Mỗi lần chạy được ghi lại; mã thoát khác 0
khi lần chạy bị lỗi hoặc tác vụ đang chạy ở tiến trình khác.
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
        try:
            run = Worker(poll=DEFAULT_POLL_SECONDS, report=lambda line: None).run_by_hand(name)
        except WorkerSetupError as exc:
            raise CommandError(str(exc)) from None
        except JobBusy:
            raise CommandError(
                f"Tác vụ “{name}” đang chạy ở một tiến trình khác (motcua worker); "
                "hãy chờ lần chạy đó xong (xem “motcua jobs status”)."
            ) from None
        self.stdout.write(f"{schedule.label}: {run.get_status_display()}. {run.summary}")
        if run.status != JobRunStatus.OK:
            raise CommandError(f"Tác vụ “{name}” chạy lỗi; xem chi tiết ở trên.")

    def _status(self, limit: int) -> None:
        if limit < 1:
            raise CommandError("--limit phải là số nguyên dương.")
        self._workers()
        for health in jobs_health(now()):
            line = f"{health.name} ({health.schedule.label}): lần thành công gần nhất {_when(health.last_ok and health.last_ok.started_at)}"
            if health.stale:
                line += (
                    f" — CẢNH BÁO: chưa chạy thành công trong {health.schedule.interval_minutes} phút"
                    " qua; kiểm tra tiến trình chạy nền “motcua worker”."
                )
            self.stdout.write(line)
        for run in JobRun.objects.all()[:limit]:
            self.stdout.write(
                f"{_when(run.started_at)}  {run.job}  {run.get_status_display()}  {run.summary}"
            )

    def _workers(self) -> None:
        at = now()
        alive = 0
        for beat in WorkerBeat.objects.filter(stopped_at__isnull=True):
            silent = (at - beat.last_seen).total_seconds()
            alive += silent <= STALE_SECONDS
            state = "" if silent <= STALE_SECONDS else " — MẤT TÍN HIỆU, có thể đã dừng đột ngột"
            doing = f", đang làm: {beat.current}" if beat.current else ""
            self.stdout.write(
                f"Tiến trình chạy nền {beat.name}: tín hiệu {heartbeat_age(silent)}{doing}{state}"
            )
        if not alive:
            self.stdout.write(
                "CẢNH BÁO: không có tiến trình chạy nền nào đang hoạt động; hãy chạy “motcua worker”."
            )
