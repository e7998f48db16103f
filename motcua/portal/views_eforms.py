"""The online form (tờ khai trực tuyến) under /cong-dan/tai-khoan/to-khai/: a citizen fills the
procedure's official form field by field on the phone, saves the draft on the server, adds
residence rows, attaches the other papers and submits. The form is drawn from the schema
(motcua/eforms/schemas/*.json); every rule is in motcua.eforms. Works without JavaScript: “Thêm
dòng” is a submit button that saves the draft and offers one more row.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from motcua.catalog.selectors import version_in_force
from motcua.core.clock import now
from motcua.eforms import services
from motcua.eforms.schema import Schema

from .views_account import citizen_required

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


@citizen_required
@require_http_methods(["GET", "POST"])
def eform_start(request, code):
    """GET: what the form asks and a button; POST: open (or find again) the draft and go to it."""
    version = version_in_force(code)
    if version is None or version.procedure.is_internal:
        raise Http404("Không tìm thấy thủ tục.")
    from motcua.eforms.selectors import schema_for_version

    schema = schema_for_version(version)
    error = ""
    if request.method == "POST":
        try:
            draft = services.eform_start(request.user, version)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect("portal:eform_edit", draft_id=draft.pk)
    elif schema is None:
        error = services.MSG_NO_FORM
    return render(
        request,
        "portal/eforms/start.html",
        {"version": version, "schema": schema, "error": error},
        status=400 if error else 200,
    )


def _posted_answers(post, schema: Schema) -> dict:
    answers: dict = {}
    for item in schema.fields:
        if item.is_periods:
            count = _row_count(post.get(f"rows_{item.key}"))
            answers[item.key] = [
                {c.key: post.get(f"f_{item.key}__{n}__{c.key}", "") for c in item.columns}
                for n in range(1, count + 1)
            ]
        else:
            answers[item.key] = post.get(f"f_{item.key}", "")
    return answers


def _row_count(raw) -> int:
    return min(int(raw), services.MAX_ROWS) if str(raw or "").isdigit() else 0


def _uploads(request, orders) -> dict[int, list]:
    return {
        order: request.FILES.getlist(f"file_{order}")
        for order in orders
        if request.FILES.getlist(f"file_{order}")
    }


def _rows_of(item, answers: dict, extra: int) -> list[dict]:
    rows = [r for r in answers.get(item.key) or [] if isinstance(r, dict)]
    rows = [r for r in rows if any(str(v).strip() for v in r.values())]
    blank = max(item.rows - len(rows), 0) + extra
    return rows + [{} for _ in range(blank)]


def _page_fields(schema: Schema, answers: dict, errors: dict, add_row: str) -> list[dict]:
    """The schema's sections as the template draws them: each field with its value and error."""
    sections = []
    for part in schema.sections:
        fields = []
        for item in part.fields:
            entry = {
                "f": item,
                "name": f"f_{item.key}",
                "value": answers.get(item.key, ""),
                "error": errors.get(item.key, ""),
            }
            if item.is_periods:
                rows = _rows_of(item, answers, 1 if add_row == item.key else 0)
                entry["rows"] = [
                    {
                        "number": n,
                        "cells": [
                            {
                                "c": c,
                                "name": f"f_{item.key}__{n}__{c.key}",
                                "value": row.get(c.key, ""),
                                "error": errors.get(f"{item.key}.{n}.{c.key}", ""),
                            }
                            for c in item.columns
                        ],
                    }
                    for n, row in enumerate(rows, start=1)
                ]
                entry["row_count"] = len(rows)
            fields.append(entry)
        sections.append({"title": part.title, "fields": fields})
    return sections


@citizen_required
@require_http_methods(["GET", "POST"])
def eform_edit(request, draft_id):
    """The draft: “Lưu nháp” keeps what was typed, “Thêm dòng” also offers a new residence row,
    “Nộp hồ sơ” checks everything and submits (nothing is submitted while a field is wrong)."""
    draft = services.access_draft(request.user, draft_id)
    if draft.submitted:
        return redirect("portal:dossier_submitted", dossier_id=draft.dossier_id)
    schema = services.draft_schema(draft)
    version = draft.procedure_version
    declaration = services.declaration_component(schema, version)
    others = [c for c in version.components.all() if c.order != getattr(declaration, "order", 0)]
    answers, errors, status, add_row = draft.answers, {}, 200, ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        add_row = action.removeprefix("add_row:") if action.startswith("add_row:") else ""
        answers = _posted_answers(request.POST, schema)
        try:
            # The draft is saved first, whatever comes next: a submission with errors keeps
            # what was typed on the server.
            services.eform_draft_save(
                request.user,
                draft.pk,
                answers,
                return_channel=request.POST.get("return_channel", ""),
                uploads=_uploads(request, [c.order for c in others]),
            )
            if action == "submit":
                dossier = services.eform_submit(request.user, draft.pk)
                return redirect("portal:dossier_submitted", dossier_id=dossier.pk)
        except ValidationError as exc:
            errors = (
                {k: v[0] for k, v in exc.message_dict.items()}
                if hasattr(exc, "error_dict")
                else {"__all__": exc.messages[0]}
            )
            status = 400
        else:
            if not add_row:
                messages.success(request, "Đã lưu tờ khai nháp trên hệ thống.")
                return redirect("portal:eform_edit", draft_id=draft.pk)
        draft.refresh_from_db()
    submitting = status == 400
    if not errors:
        # Field by field on every view of the draft: what was typed must be well formed; empty
        # fields wait for the submission.
        _, errors = schema.validate(draft.answers, today=now().date(), partial=True)
    files: dict[int, list] = {}
    for upload in draft.files.select_related("stored_file"):
        files.setdefault(upload.component_order, []).append(upload)
    return render(
        request,
        "portal/eforms/edit.html",
        {
            "draft": draft,
            "schema": schema,
            "version": version,
            "sections": _page_fields(schema, answers, errors, add_row),
            "errors": errors,
            "error_count": len(errors),
            "submitting": submitting,
            "error_links": [
                (_input_id(key), message) for key, message in errors.items() if key != "__all__"
            ],
            "general_error": errors.get("__all__", ""),
            "declaration": declaration,
            "components": [
                {
                    "c": c,
                    "files": files.get(c.order, []),
                    "error": errors.get(f"file_{c.order}", ""),
                }
                for c in others
            ],
            "accept": ACCEPT,
            "return_channels": [
                (value, label)
                for value, label in (
                    ("online", "Nhận kết quả điện tử trên Cổng dịch vụ công"),
                    ("desk", "Nhận trực tiếp tại Bộ phận Một cửa"),
                    ("post", "Nhận qua dịch vụ bưu chính công ích"),
                )
                if value in version.return_channels
            ],
        },
        status=status,
    )


def _input_id(error_key: str) -> str:
    """The id of the input an error belongs to: "residence.2.from" → "f_residence__2__from"."""
    if error_key.startswith("file_"):
        return error_key
    return "f_" + "__".join(error_key.split("."))


@citizen_required
@require_POST
def eform_file_delete(request, draft_id, file_id):
    try:
        services.eform_file_remove(request.user, draft_id, file_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("portal:eform_edit", draft_id=draft_id)
