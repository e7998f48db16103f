"""The demo data set gives the report's own figures for H1/2023, and loading it twice changes nothing."""

from datetime import date

import pytest
import time_machine

from motcua.demo.loaders import LoadReport, load_org_units, load_staff
from motcua.reform.demo import load_demo
from motcua.reform.indicators import report_sections
from motcua.reform.models import LegalActivity, LegalDocument, Task
from motcua.reform.selectors import expired_legal_documents

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple:
    return (
        list(Task.objects.values_list("pk", "status", "started_on", "completed_on", "deadline")),
        list(LegalDocument.objects.values_list("pk", "status", "effective_to")),
        LegalActivity.objects.count(),
    )


@time_machine.travel("2024-01-15T09:00+07:00", tick=False)
def test_demo_gives_the_reports_figures_and_is_idempotent():
    # With the demo staff present, tasks get a person (a specialist of the unit, else its head).
    load_org_units(LoadReport())
    load_staff(LoadReport(), "Mat-khau-Thu-nghiem-2024")
    first = load_demo()
    assert first.created["nhiệm vụ"] == 120
    sections = report_sections(date(2023, 1, 1), date(2023, 6, 30))
    assert sections["tasks"]["plan"] == {
        "total": 70, "done": 11, "in_progress": 35, "not_started": 24, "overdue": 0,
    }  # fmt: skip
    assert sections["tasks"]["assigned_by_province"] == {
        "total": 50, "done": 47, "in_progress": 3, "overdue": 0,
    }  # fmt: skip
    legal = sections["legal_documents"]
    assert (legal["appraised"], legal["commented"], legal["self_checked"]) == (28, 68, 34)
    assert (legal["reviewed"], legal["expired_fully"], legal["expired_partly"]) == (130, 53, 17)
    assert legal["commented_central"] == 40
    assert sections["iso"]["internal_processes"] == 14
    # The 2023 tree from its data file (ADR 0040): 80 + 20 points; nothing self-scored by the demo.
    par = sections["par_index"]["2023"]
    assert (par["max_points"], par["self_score"], par["criteria"]) == (100.0, None, 14)

    task = Task.objects.get(title="Tự kiểm tra văn bản QPPL do UBND tỉnh ban hành")
    assert task.owner.username == "cv.xdkt"

    listed = expired_legal_documents(2022)
    assert (len(listed["fully"]), len(listed["partly"])) == (53, 17)

    before = _snapshot()
    second = load_demo()
    assert second.created == {}
    assert _snapshot() == before
    assert report_sections(date(2023, 1, 1), date(2023, 6, 30)) == sections
