"""Hồ sơ công việc (issue [J] 6): the unit's work files by year, and one work file's documents.
Staff of the unit only, through motcua.archives.selectors' visibility queryset."""

from django.core.paginator import Paginator
from django.shortcuts import render

from motcua.accounts.permissions import staff_required
from motcua.archives import selectors

PAGE_SIZE = 50


@staff_required
def archives_work_files(request):
    years = selectors.work_file_years(request.user)
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else None
    page = Paginator(selectors.work_file_list(request.user, year), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "backoffice/archives/work_files.html",
        {"page": page, "years": years, "year": year},
    )


@staff_required
def archives_work_file(request, work_file_id: int):
    work_file = selectors.work_file_for_officer(request.user, work_file_id)
    page = Paginator(selectors.work_file_items(work_file), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request, "backoffice/archives/work_file.html", {"work_file": work_file, "page": page}
    )
