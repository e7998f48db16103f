"""The page of periodic jobs: the workers that run them (their heartbeats), what each run did, the
background tasks, and a warning when a job has stopped running or no worker is alive (ADR 0026)."""

from django.shortcuts import render
from django.utils import timezone

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.background import task_label
from motcua.core.clock import now
from motcua.core.models import BackgroundTask, JobRun, WorkerBeat, jobs_health
from motcua.core.worker import STALE_SECONDS, heartbeat_age

RECENT_RUNS = 50
RECENT_TASKS = 20


@role_required(Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER)
def job_runs(request):
    at = now()
    health = jobs_health(at)
    workers = [_worker_row(beat, at) for beat in WorkerBeat.objects.all()]
    warnings = [_warning(h, at) for h in health if h.stale]
    if not any(w["alive"] for w in workers):
        warnings.insert(
            0,
            "Không có tiến trình chạy nền nào đang hoạt động: các tác vụ định kỳ và các sổ theo dõi "
            "hồ sơ cán bộ yêu cầu sẽ không được chạy. Hãy khởi động “motcua worker” (ví dụ dịch vụ "
            "systemd motcua-worker.service).",
        )
    tasks = BackgroundTask.objects.select_related("requested_by")[:RECENT_TASKS]
    return render(
        request,
        "backoffice/jobs/runs.html",
        {
            "health": health,
            "warnings": warnings,
            "workers": workers,
            "tasks": [(task, task_label(task)) for task in tasks],
            "runs": JobRun.objects.all()[:RECENT_RUNS],
        },
    )


def _worker_row(beat: WorkerBeat, at) -> dict:
    silent = (at - beat.last_seen).total_seconds()
    if beat.stopped_at:
        state = f"Đã dừng lúc {timezone.localtime(beat.stopped_at):%H:%M:%S %d/%m/%Y}"
    elif silent > STALE_SECONDS:
        state = "Mất tín hiệu — có thể đã dừng đột ngột; việc nó đang làm được chuyển cho tiến trình khác"
    else:
        state = "Đang hoạt động"
    return {
        "beat": beat,
        "ago": heartbeat_age(silent),
        "alive": not beat.stopped_at and silent <= STALE_SECONDS,
        "stale": not beat.stopped_at and silent > STALE_SECONDS,
        "state": state,
    }


def _warning(health, at) -> str:
    label = health.schedule.label
    interval = health.schedule.interval_minutes
    check = (
        "Hãy kiểm tra tiến trình chạy nền “motcua worker”; chạy ngay một lần bằng lệnh "
        f"“motcua jobs run {health.name}”."
    )
    if health.last_ok is None:
        return (
            f"Tác vụ “{label}” chưa từng chạy thành công (lịch chạy: mỗi {interval} phút). {check}"
        )
    since = timezone.localtime(health.last_ok.started_at)
    minutes = int((at - since).total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return (
        f"Tác vụ “{label}” không chạy thành công từ {since:%H:%M} ngày {since:%d/%m/%Y} "
        f"({hours} giờ {rest:02d} phút trước; lịch chạy: mỗi {interval} phút). {check}"
    )
