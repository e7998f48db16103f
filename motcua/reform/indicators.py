"""The reform figures of a period, for the periodic reports (another app calls this; keep the names).

Every key is defined in docs/reform.md. Tasks are those live during the period (assigned by its end,
not finished before its start), with their status at the end of the period; legal-document figures
count the activities done within the period.
"""

from datetime import date

from . import selectors
from .models import TaskSource


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    if date_to < date_from:
        raise ValueError("date_to must not precede date_from")
    plan = selectors.task_counts(TaskSource.PLAN, date_from, date_to, unit_code)
    province = selectors.task_counts(TaskSource.PROVINCE, date_from, date_to, unit_code)
    legal = selectors.legal_activity_counts(date_from, date_to, unit_code)
    return {
        "tasks": {
            "plan": plan,
            "assigned_by_province": {
                key: province[key] for key in ("total", "done", "in_progress", "overdue")
            },
        },
        "legal_documents": {
            key: legal[key]
            for key in (
                "appraised",
                "commented",
                "commented_central",
                "self_checked",
                "checked",
                "reviewed",
                "expired_fully",
                "expired_partly",
            )
        },
        "inspections": selectors.inspection_summary(date_from, date_to, unit_code),
        "iso": selectors.iso_counts(date_from, date_to, unit_code),
        "par_index": selectors.par_summary(date_from, date_to, unit_code),
    }
