"""The five steps a citizen reads (issue [K] item 10): every status has a place, in words."""

import pytest

from motcua.dossiers.progress import STAGES, dossier_progress
from motcua.dossiers.workflow import Status


@pytest.mark.parametrize("status", list(Status))
def test_every_status_has_a_progress_in_words(status):
    progress = dossier_progress(status)
    assert [s.label for s in progress.stages] == list(STAGES)
    assert progress.summary and "quốc gia" not in progress.summary
    assert sum(s.state == "current" for s in progress.stages) <= 1


@pytest.mark.parametrize(
    "status, states, summary",
    [
        (Status.SUBMITTED_ONLINE, ["done", "current", "todo", "todo", "todo"], "Bước 2/5: tiếp nhận."),
        (Status.SUPPLEMENT_REQUESTED, ["done", "done", "current", "todo", "todo"],
         "Bước 3/5: xử lý — đang chờ ông/bà."),
        (Status.FINISHED, ["done", "done", "done", "done", "current"], "Bước 5/5: đã trả kết quả."),
        (Status.RETURNED, ["done"] * 5, "Hồ sơ đã hoàn thành và đã trả kết quả."),
        (Status.WITHDRAWN, ["done", "done", "skipped", "skipped", "skipped"],
         "Hồ sơ đã kết thúc: công dân rút hồ sơ."),
    ],
)  # fmt: skip
def test_progress_of(status, states, summary):
    progress = dossier_progress(status)
    assert [s.state for s in progress.stages] == states
    assert progress.summary == summary
