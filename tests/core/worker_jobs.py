"""Jobs and task kinds the worker tests install in JOBS / TASK_KINDS (monkeypatched, inherited by
forked processes): they do little, but through the real bookkeeping."""

import time
from pathlib import Path

from motcua.core.background import TaskOutput, TaskRefused
from motcua.core.jobs import job_run
from motcua.core.models import JobSchedule, TaskKind

SLEEP_SECONDS = 0.3


def sleepy_run():
    """A job long enough for two workers to meet on it; its JobRun rows give the intervals."""
    with job_run("test-sleepy", lambda c: "Đã ngủ.") as book:
        time.sleep(SLEEP_SECONDS)  # read at call time: a test may lengthen it
    return book.run


def quick_run():
    with job_run("test-quick", lambda c: "Xong.") as book:
        pass
    return book.run


def signalling_run():
    """Sends the worker's own process SIGTERM in the middle of the job, then goes on: the job
    must finish and the worker stop after it."""
    import os
    import signal

    with job_run("test-signal", lambda c: "Xong dù bị yêu cầu dừng.") as book:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(SLEEP_SECONDS)
    return book.run


def note_task(user, arguments: dict, folder: Path) -> TaskOutput:
    """A background task writing a small text file (the worker's id in it)."""
    if arguments.get("refuse"):
        raise TaskRefused("Không có gì để lập.")
    if arguments.get("crash"):
        raise RuntimeError("hỏng")
    time.sleep(arguments.get("sleep", 0))
    path = folder / "ghi-chu.txt"
    path.write_text(f"{arguments.get('text', '')} cho {user.username}", encoding="utf-8")
    return TaskOutput(path, "ghi-chu.txt", "text/plain", "1 dòng")


def schedule(name: str, minutes: int) -> JobSchedule:
    function = {
        "test-sleepy": "tests.core.worker_jobs.sleepy_run",
        "test-quick": "tests.core.worker_jobs.quick_run",
        "test-signal": "tests.core.worker_jobs.signalling_run",
        "test-killed": "tests.core.worker_jobs.killed_run",
    }[name]
    return JobSchedule(label=f"Tác vụ thử {name}", function=function, interval_minutes=minutes)


NOTE_KIND = TaskKind(label="Ghi chú thử", function="tests.core.worker_jobs.note_task")


KILL_IN_PID = 0  # the process (a forked child) in which killed_run dies


def killed_run():
    """Dies with SIGKILL half-way through, in the process named by KILL_IN_PID (a crash: no
    handler runs, the run stays "running", the heartbeat stops); elsewhere it just finishes."""
    import os
    import signal

    with job_run("test-killed", lambda c: "Xong.") as book:
        if os.getpid() == KILL_IN_PID:
            os.kill(os.getpid(), signal.SIGKILL)
    return book.run
