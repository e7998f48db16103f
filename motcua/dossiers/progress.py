"""Where a dossier stands, in the five steps a citizen understands (nộp → tiếp nhận → xử lý → có kết
quả → đã trả), derived from the workflow's status: the citizen's pages show this, never the national
status number."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.workflow import STATUS_LABELS, Status

STAGES = ("Nộp hồ sơ", "Tiếp nhận", "Xử lý", "Có kết quả", "Đã trả kết quả")

# Index of the stage the dossier is at now (the ones before it are done); len(STAGES): all done.
CURRENT_STAGE: dict[Status, int] = {
    Status.SUBMITTED_ONLINE: 1,
    Status.INTAKE_SUPPLEMENT: 1,
    Status.RECEIVED: 2,
    Status.IN_PROGRESS: 2,
    Status.CONSULTING: 2,
    Status.INTER_AGENCY: 2,
    Status.SUPPLEMENT_REQUESTED: 2,
    Status.AWAITING_PAYMENT: 2,
    Status.AWAITING_SIGNATURE: 2,
    Status.FINISHED: 4,
    Status.RETURNED: 5,
    # Ended before a result: the steps reached stay done, the rest are not shown as pending.
    Status.INTAKE_REFUSED: 1,
    Status.WITHDRAWN: 2,
    Status.STOPPED: 2,
    Status.REFUSED: 4,
}
ENDED_WITHOUT_RESULT = frozenset(
    {Status.INTAKE_REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.REFUSED}
)
WAITING_ON_APPLICANT = frozenset(
    {Status.INTAKE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT}
)


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current", "todo" or "skipped"
    state_label: str


@dataclass(frozen=True)
class Progress:
    stages: list[Stage]
    summary: str


def dossier_progress(status: str) -> Progress:
    status = Status(status)
    current = CURRENT_STAGE[status]
    ended = status in ENDED_WITHOUT_RESULT
    stages = []
    for index, label in enumerate(STAGES):
        if index < current:
            state, said = "done", "đã xong"
        elif index == current and not ended:
            state, said = "current", "đang thực hiện"
        elif ended:
            state, said = "skipped", "không thực hiện"
        else:
            state, said = "todo", "chưa đến"
        stages.append(Stage(label, state, said))
    return Progress(stages, _summary(status, current))


def _summary(status: Status, current: int) -> str:
    if status in ENDED_WITHOUT_RESULT:
        return f"Hồ sơ đã kết thúc: {STATUS_LABELS[status].lower()}."
    if status == Status.RETURNED:
        return "Hồ sơ đã hoàn thành và đã trả kết quả."
    waiting = " — đang chờ ông/bà" if status in WAITING_ON_APPLICANT else ""
    return f"Bước {current + 1}/{len(STAGES)}: {STAGES[current].lower()}{waiting}."
