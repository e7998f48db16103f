"""The PAR-index pages (/can-bo/cai-cach/chi-so-cchc/): the year's criteria tree with the figures our
data gives for the sub-criteria it answers, self-scoring with evidence, and the workbook the
province collects. Roles are checked first; writes go through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.core.clock import now
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors, form_saved

from . import forms, permissions, selectors, services
from .models import ParAssessment, ParCriterion
from .par_auto import vn_points


def par_list(request):
    permissions.require_read(request.user)
    can_edit = permissions.can_edit_reform(request.user)
    form = forms.ParAssessmentForm(request.POST or None, initial={"year": now().year})
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form.is_valid():
            try:
                assessment = services.par_assessment_create(request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Đã tạo bộ chỉ số.")
                return redirect("reform:par_detail", assessment_id=assessment.pk)
    assessments = ParAssessment.objects.select_related("unit")
    rows = [(a, selectors.par_totals(a)) for a in assessments]
    return render(
        request, "reform/par_list.html", {"rows": rows, "form": form, "can_edit": can_edit}
    )


def par_detail(request, assessment_id: int):
    assessment = permissions.access_object(request.user, ParAssessment, assessment_id)
    tree = selectors.par_tree(assessment)
    rows = selectors.par_rows(tree)
    # A criterion may take children while it has no score of its own.
    parents = [n.criterion for n in rows if n.self_score is None and n.final_score is None]
    form = forms.ParCriterionForm(request.POST or None, criteria=parents)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.par_criterion_add(request.user, assessment.pk, **d),
            success="Đã thêm tiêu chí.",
        ):
            return redirect("reform:par_detail", assessment_id=assessment.pk)
    auto = selectors.par_auto_rows(assessment, tree)
    period = selectors.par_period(assessment)
    return render(
        request,
        "reform/par_detail.html",
        {
            "assessment": assessment,
            "rows": [(node, auto.get(node.criterion.pk)) for node in rows],
            "auto_rows": list(auto.values()),
            "period": period,
            "totals": selectors.par_totals(assessment, tree),
            "form": form,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def par_score(request, criterion_id: int):
    permissions.require_edit(request.user)
    criterion = permissions.access_object(request.user, ParCriterion, criterion_id)
    form = forms.ScoreForm(
        request.POST or None,
        initial={
            "self_score": criterion.self_score,
            "evidence": criterion.evidence,
            "final_score": criterion.final_score,
        },
    )
    if request.method == "POST" and form_saved(
        request,
        form,
        lambda d: services.par_scores_set(request.user, criterion.pk, **d),
        success="Đã lưu điểm.",
    ):
        return redirect("reform:par_detail", assessment_id=criterion.assessment_id)
    maximum = "chưa có" if criterion.max_points is None else vn_points(criterion.max_points)
    return render(
        request,
        "reform/form.html",
        {
            "form": form,
            "title": f"Chấm điểm tiêu chí {criterion.code}: {criterion.title} (tối đa {maximum})",
            "back": reverse("reform:par_detail", args=[criterion.assessment_id]),
        },
    )


def par_accept(request, criterion_id: int):
    """POST: take the score the figure proposes (the figure and its query become the evidence)."""
    permissions.require_edit(request.user)
    criterion = permissions.access_object(request.user, ParCriterion, criterion_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.par_auto_accept(request.user, criterion.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Đã nhận điểm đề xuất cho tiêu chí {criterion.code}.")
    return redirect("reform:par_detail", assessment_id=criterion.assessment_id)


def par_export(request, assessment_id: int):
    from .par_export import XLSX_TYPE, par_xlsx  # openpyxl on first use (core/lazy.py)

    assessment = permissions.access_object(request.user, ParAssessment, assessment_id)
    return attachment_response(
        par_xlsx(assessment),
        f"chi-so-cchc-{assessment.year}-{assessment.unit.code}.xlsx",
        XLSX_TYPE,
    )
