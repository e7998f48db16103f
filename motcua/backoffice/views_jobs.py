"""The page of periodic job runs: what each run did, and a warning when a job has stopped running."""

from django.shortcuts import render
from django.utils import timezone

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.models import JobRun, jobs_health

RECENT_RUNS = 50


@role_required(Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER)
def job_runs(request):
    at = now()
    health = jobs_health(at)
    warnings = [_warning(h, at) for h in health if h.stale]
    return render(
        request,
        "backoffice/jobs/runs.html",
        {"health": health, "warnings": warnings, "runs": JobRun.objects.all()[:RECENT_RUNS]},
    )


def _warning(health, at) -> str:
    label = health.schedule.label
    interval = health.schedule.interval_minutes
    if health.last_ok is None:
        return (
            f"Tác vụ “{label}” chưa từng chạy thành công. Hãy kiểm tra cron hoặc systemd timer "
            f"gọi lệnh “motcua jobs run {health.name}” (lịch chạy: mỗi {interval} phút)."
        )
    since = timezone.localtime(health.last_ok.started_at)
    minutes = int((at - since).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return (
        f"Tác vụ “{label}” không chạy thành công từ {since:%H:%M} ngày {since:%d/%m/%Y} "
        f"({hours} giờ {rest:02d} phút trước; lịch chạy: mỗi {interval} phút). "
        f"Hãy kiểm tra cron hoặc systemd timer gọi lệnh “motcua jobs run {health.name}”."
    )
