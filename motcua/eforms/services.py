"""Every write of the online forms: open a draft (pre-filled from the citizen's account), save it
(answers as typed, the other papers' files), submit it.

Submission checks every answer by the schema's rules, then goes through the one online-submission
service (motcua.dossiers.online.dossier_submit_online: the procedure in force and online, the
mandatory papers, a valid applicant, the rate limits — none of it repeated here); the filled
official form is rendered as PDF, put in the documents store and attached to the procedure's
declaration component (the component whose `template` names the schema's form code). Any failure
raises ValidationError (a dict keyed by the form's field keys, "__all__" for the rest) and nothing
is written: no dossier, no file link, no submission, the draft unchanged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from motcua.accounts.roles import Role
from motcua.catalog.blank_forms import template_codes
from motcua.catalog.models import ProcedureVersion
from motcua.core.clock import now
from motcua.documents.models import ComponentSource, FileKind
from motcua.documents.services import component_file_attach, stored_file_put
from motcua.documents.uploads import paper_uploads_store
from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.online import dossier_submit_online
from motcua.dossiers.services import ApplicantData, ComponentData, IntakeData

from .models import EformDraft, EformDraftFile, EformSubmission
from .rendering import filled_form_pdf
from .schema import MAX_ROWS, MAX_TEXTAREA, Schema, parse_date
from .selectors import schema_for_version, schema_layout

MSG_NOT_YOURS = "Không tìm thấy tờ khai đang soạn, hoặc tờ khai này không phải của ông/bà."
MSG_SUBMITTED = "Tờ khai này đã được nộp; không sửa được nữa."
MSG_NO_FORM = "Thủ tục này chưa có tờ khai trực tuyến; mời ông/bà nộp hồ sơ kèm ảnh tờ khai."
MSG_NOT_ONLINE = (
    "Thủ tục này không nhận hồ sơ trực tuyến; mời ông/bà nộp trực tiếp tại Bộ phận Một cửa "
    "hoặc qua dịch vụ bưu chính công ích."
)
MSG_SIGN_IN = "Ông/bà cần đăng nhập bằng tài khoản công dân để khai tờ khai trực tuyến."


def _is_citizen(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.role == Role.CITIZEN)


def access_draft(actor, draft_id, *, for_update: bool = False) -> EformDraft:
    """The one door to a draft: the citizen who opened it (another's answers 403, same message
    whether it exists or not)."""
    if not _is_citizen(actor) or not str(draft_id).isdigit():
        raise PermissionDenied(MSG_NOT_YOURS)
    queryset = EformDraft.objects.select_related(
        "procedure_version__procedure", "procedure_version__decision"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    draft = queryset.filter(pk=int(draft_id), citizen=actor).first()
    if draft is None:
        raise PermissionDenied(MSG_NOT_YOURS)
    return draft


def draft_schema(draft: EformDraft) -> Schema:
    schema = schema_for_version(draft.procedure_version)
    if schema is None:
        raise ValidationError(MSG_NO_FORM)
    return schema


def declaration_component(schema: Schema, version: ProcedureVersion):
    """The version's component the filled form stands for: the one whose template names it."""
    for component in version.components.all():
        if schema.form_code in template_codes(component.template or ""):
            return component
    return None


def eform_start(actor, version: ProcedureVersion) -> EformDraft:
    """Open the citizen's draft of this version's online form, or give back the one already open
    (a citizen who lost the connection or changed phone finds their answers). A new draft takes
    the fields marked `prefill` from the account (name, ID number, phone, e-mail)."""
    if not _is_citizen(actor):
        raise PermissionDenied(MSG_SIGN_IN)
    if ChannelKind.ONLINE not in version.intake_channels or version.procedure.is_internal:
        raise ValidationError(MSG_NOT_ONLINE)
    schema = schema_for_version(version)
    if schema is None or declaration_component(schema, version) is None:
        raise ValidationError(MSG_NO_FORM)
    with transaction.atomic():
        existing = (
            EformDraft.objects.select_for_update()
            .filter(citizen=actor, procedure_version=version, dossier__isnull=True)
            .order_by("-updated_at")
            .first()
        )
        if existing is not None:
            return existing
        answers = {
            f.key: getattr(actor, f.prefill.split(".", 1)[1], "") or ""
            for f in schema.fields
            if f.prefill
        }
        returns = version.return_channels
        return EformDraft.objects.create(
            citizen=actor,
            procedure_version=version,
            schema_key=schema.key,
            answers=answers,
            return_channel=ChannelKind.ONLINE if ChannelKind.ONLINE in returns else returns[0],
        )


def _answers_kept(schema: Schema, answers: dict) -> dict:
    """What a draft keeps: the schema's keys only, as strings of bounded length; periods as rows
    of their columns (at most MAX_ROWS)."""
    kept: dict = {}
    for item in schema.fields:
        raw = answers.get(item.key)
        if item.is_periods:
            rows = raw if isinstance(raw, list) else []
            kept[item.key] = [
                {c.key: str(row.get(c.key, ""))[:MAX_TEXTAREA] for c in item.columns}
                for row in rows[:MAX_ROWS]
                if isinstance(row, dict)
            ]
        elif raw not in (None, ""):
            kept[item.key] = str(raw)[:MAX_TEXTAREA]
    return kept


def eform_draft_save(
    actor,
    draft_id,
    answers: dict,
    *,
    return_channel: str = "",
    uploads: dict[int, list] | None = None,
) -> EformDraft:
    """Keep the answers as typed (they are checked at submission: a draft may be half-filled)
    and the new files of the other papers. Each file is checked by its content (PDF, JPEG, PNG, at
    most 10 MB); a bad one refuses the whole save, with its message, and nothing of it is kept."""
    with transaction.atomic():
        draft = access_draft(actor, draft_id, for_update=True)
        if draft.submitted:
            raise ValidationError(MSG_SUBMITTED)
        schema = draft_schema(draft)
        version = draft.procedure_version
        draft.answers = _answers_kept(schema, answers)
        if return_channel in version.return_channels:
            draft.return_channel = return_channel
        draft.save()
        declaration = declaration_component(schema, version)
        orders = {c.order for c in version.components.all()} - {getattr(declaration, "order", 0)}
        errors: dict[str, str] = {}
        kept = paper_uploads_store(
            uploads or {},
            orders=orders,
            present=lambda order: draft.files.filter(component_order=order).count(),
            errors=errors,
            unknown_key="__all__",
        )
        for order, stored, name in kept:
            EformDraftFile.objects.get_or_create(
                draft=draft, component_order=order, stored_file=stored, defaults={"name": name}
            )
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
    return draft


def eform_file_remove(actor, draft_id, file_id) -> None:
    with transaction.atomic():
        draft = access_draft(actor, draft_id, for_update=True)
        if draft.submitted:
            raise ValidationError(MSG_SUBMITTED)
        draft.files.filter(pk=file_id).delete()


def _applicant(schema: Schema, cleaned: dict) -> ApplicantData:
    def value(name: str) -> str:
        return cleaned.get(schema.applicant.get(name, ""), "") or ""

    birth = parse_date(value("date_of_birth"))
    return ApplicantData(
        full_name=value("full_name"),
        citizen_id=value("citizen_id"),
        date_of_birth=birth,
        phone=value("phone"),
        email=value("email"),
        address_line=value("address_line"),
    )


def _service_errors(schema: Schema, exc: ValidationError) -> dict[str, str]:
    """The submission service's messages, beside the form's own fields where they belong."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": exc.messages[0]}
    by_applicant_key = {f"applicant.{k}": v for k, v in schema.applicant.items()}
    errors: dict[str, str] = {}
    for name, messages in exc.message_dict.items():
        errors[by_applicant_key.get(name, "__all__")] = messages[0]
    return errors


def eform_submit(actor, draft_id) -> Dossier:
    """Submit the draft: every answer checked by the schema, the other mandatory papers present,
    then the dossier through the online-submission service, the filled form as PDF attached to
    the declaration component, the answers kept for the desk (EformSubmission). A double click
    submits once. On any error nothing is written."""
    with transaction.atomic():
        draft = access_draft(actor, draft_id, for_update=True)
        if draft.submitted:
            return draft.dossier  # type: ignore[return-value]
        schema = draft_schema(draft)
        version = draft.procedure_version
        declaration = declaration_component(schema, version)
        if declaration is None:
            raise ValidationError(MSG_NO_FORM)
        at = now()
        cleaned, errors = schema.validate(draft.answers, today=at.date())
        with_files = set(draft.files.values_list("component_order", flat=True))
        others = [c for c in version.components.all() if c.order != declaration.order]
        for component in others:
            if component.mandatory and component.order not in with_files:
                errors[f"file_{component.order}"] = "Giấy tờ bắt buộc: hãy tải lên tệp."
        if errors:
            raise ValidationError(errors)
        applicant = _applicant(schema, cleaned)
        intake = IntakeData(
            procedure_code=version.procedure.code,
            applicant=applicant,
            components=[ComponentData(declaration.name, declaration.form, declaration.count)]
            + [ComponentData(c.name, c.form, c.count) for c in others if c.order in with_files],
            channel=ChannelKind.ONLINE,
            return_channel=draft.return_channel or ChannelKind.ONLINE,
        )
        try:
            dossier = dossier_submit_online(
                intake,
                submitted_at=at,
                submitted_by=actor,
                notify_channel="sms" if applicant.phone else "email",
            )
        except ValidationError as exc:
            raise ValidationError(_service_errors(schema, exc)) from None
        pdf = filled_form_pdf(schema, cleaned, at)
        stored = stored_file_put(pdf, kinds=(FileKind.PDF,))
        components = {c.name: c for c in dossier.components.all()}
        attached = component_file_attach(
            actor, components[declaration.name], stored, source=ComponentSource.CITIZEN_UPLOAD
        )
        names = {c.order: c.name for c in others}
        for upload in draft.files.select_related("stored_file"):
            target = components.get(names.get(upload.component_order, ""))
            if target is not None:
                component_file_attach(
                    actor, target, upload.stored_file, source=ComponentSource.CITIZEN_UPLOAD
                )
        EformSubmission.objects.create(
            dossier=dossier,
            schema_key=schema.key,
            form_code=schema.form_code,
            answers=cleaned,
            layout=schema_layout(schema),
            declaration=attached,
            submitted_at=at,
        )
        draft.dossier = dossier
        draft.save(update_fields=["dossier", "updated_at"])
    return dossier
