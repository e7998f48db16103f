"""Reads of the work-file archive. One visibility rule for work files, used by every list and door."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from motcua.accounts.permissions import is_staff_member, require

from .models import WorkFile, WorkFileItem

MSG_STAFF_ONLY = "Hồ sơ công việc chỉ dành cho cán bộ, công chức của đơn vị."


def work_files_visible_to(user) -> QuerySet[WorkFile]:
    """THE rule of which work files a person sees (ADR 0039): staff see their own unit's work
    files; nobody else sees any."""
    if not is_staff_member(user) or not user.unit_id:
        return WorkFile.objects.none()
    return WorkFile.objects.filter(unit_id=user.unit_id)


def work_file_list(user, year: int | None = None) -> QuerySet[WorkFile]:
    files = work_files_visible_to(user).select_related("unit")
    return files.filter(year=year) if year else files


def work_file_years(user) -> list[int]:
    return list(
        work_files_visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
    )


def work_file_for_officer(user, work_file_id: int) -> WorkFile:
    """The one door to a work file: staff only (403 before any look-up), then 404."""
    require(is_staff_member(user), MSG_STAFF_ONLY)
    return get_object_or_404(work_files_visible_to(user).select_related("unit"), pk=work_file_id)


def work_file_items(work_file: WorkFile) -> QuerySet[WorkFileItem]:
    return work_file.items.order_by("order")
