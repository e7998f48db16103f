"""Every write of the citizen portal: drafts of online applications and their uploads, submission,
the answer to a supplement request, withdrawal, the choice of return by post, the rating.

Each takes the acting user (a citizen, or a desk officer submitting for a citizen who came in
person), runs in one transaction and raises ValidationError with Vietnamese messages (a dict keyed
by form field) — in which case nothing is stored. Dossier moves go through the workflow table
(motcua.dossiers.services.dossier_act), so the portal can do nothing the table forbids.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.core.clock import now
from motcua.core.pagecache import page_forget
from motcua.documents.models import ComponentSource
from motcua.documents.services import component_file_attach, stored_file_put
from motcua.documents.uploads import MAX_UPLOAD_BYTES, paper_uploads_store
from motcua.dossiers.changes import DossierChange, dossier_changed
from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.online import access_dossier_for_citizen, dossier_submit_online
from motcua.dossiers.services import ApplicantData, ComponentData, IntakeData, dossier_act
from motcua.dossiers.workflow import Status

from .models import Application, ApplicationFile, DossierRating

APPLICANT_FIELDS = ("full_name", "citizen_id", "date_of_birth", "phone", "email", "address_line")
MSG_NOT_YOURS = "Không tìm thấy hồ sơ đang soạn, hoặc hồ sơ này không phải của ông/bà."
MSG_ALREADY_SUBMITTED = "Hồ sơ này đã được nộp; không sửa được nữa."


@dataclass
class ApplicationInput:
    """What the form sends: the applicant's data and choices, and the files per component order."""

    full_name: str = ""
    citizen_id: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address_line: str = ""
    return_channel: str = ChannelKind.ONLINE
    notify_channel: str = "sms"
    uploads: dict[int, list] | None = None


def _may_apply(actor) -> bool:
    return bool(
        actor
        and actor.is_authenticated
        and actor.is_active
        and actor.role in (Role.CITIZEN, Role.DESK_OFFICER)
    )


def access_application(actor, application_id, *, for_update: bool = False) -> Application:
    """The one door to a draft: its citizen, or the desk officer who is filling it for someone."""
    if not _may_apply(actor):
        raise PermissionDenied(MSG_NOT_YOURS)
    queryset = Application.objects.select_related("procedure_version__procedure")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    owner = {"assisted_by": actor} if actor.role == Role.DESK_OFFICER else {"citizen": actor}
    application = (
        queryset.filter(pk=application_id, **owner).first()
        if str(application_id).isdigit()
        else None
    )
    if application is None:
        raise PermissionDenied(MSG_NOT_YOURS)
    return application


def application_start(actor, version: ProcedureVersion) -> Application:
    """Open a draft for a procedure that accepts online applications, prefilled from the account."""
    if not _may_apply(actor):
        raise PermissionDenied("Ông/bà cần đăng nhập để nộp hồ sơ trực tuyến.")
    if ChannelKind.ONLINE not in version.intake_channels or version.procedure.is_internal:
        raise ValidationError(
            "Thủ tục này không nhận hồ sơ trực tuyến; mời ông/bà nộp trực tiếp tại Bộ phận Một "
            "cửa hoặc qua dịch vụ bưu chính công ích."
        )
    data = {}
    if actor.role == Role.CITIZEN:
        data = {
            "full_name": actor.full_name,
            "citizen_id": actor.citizen_id,
            "phone": actor.phone,
            "email": actor.email,
            "notify_channel": "sms" if actor.phone else "email",
        }
    return_channels = version.return_channels
    data["return_channel"] = (
        ChannelKind.ONLINE if ChannelKind.ONLINE in return_channels else return_channels[0]
    )
    return Application.objects.create(
        citizen=actor if actor.role == Role.CITIZEN else None,
        assisted_by=actor if actor.role == Role.DESK_OFFICER else None,
        procedure_version=version,
        data=data,
    )


def application_save(actor, application_id, values: ApplicationInput) -> Application:
    """Save the draft: the declared data as typed (checked only at submission) and the new files.

    Every file is checked by its content (PDF, JPEG or PNG, at most MAX_UPLOAD_BYTES, a PDF that
    opens); one bad file refuses the whole save with a message beside its component, and nothing of
    that save is kept."""
    with transaction.atomic():
        application = access_application(actor, application_id, for_update=True)
        if application.submitted:
            raise ValidationError(MSG_ALREADY_SUBMITTED)
        orders = {c.order for c in application.procedure_version.components.all()}
        errors = {}
        data = {name: getattr(values, name) for name in APPLICANT_FIELDS}
        data["date_of_birth"] = values.date_of_birth.isoformat() if values.date_of_birth else ""
        data["return_channel"] = values.return_channel
        data["notify_channel"] = values.notify_channel
        application.data = data
        application.save()
        kept = paper_uploads_store(
            values.uploads or {},
            orders=orders,
            present=lambda order: application.files.filter(component_order=order).count(),
            errors=errors,
            unknown_key="files",
        )
        for order, stored, name in kept:
            ApplicationFile.objects.get_or_create(
                application=application,
                component_order=order,
                stored_file=stored,
                defaults={"name": name},
            )
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
    return application


def application_file_remove(actor, application_id, file_id) -> None:
    with transaction.atomic():
        application = access_application(actor, application_id, for_update=True)
        if application.submitted:
            raise ValidationError(MSG_ALREADY_SUBMITTED)
        application.files.filter(pk=file_id).delete()


def _intake_from(application: Application) -> IntakeData:
    data = application.data
    version = application.procedure_version
    with_files = set(application.files.values_list("component_order", flat=True))
    birth = data.get("date_of_birth") or None
    return IntakeData(
        procedure_code=version.procedure.code,
        applicant=ApplicantData(
            full_name=(data.get("full_name") or "").strip(),
            citizen_id=(data.get("citizen_id") or "").strip(),
            date_of_birth=date.fromisoformat(birth) if birth else None,
            phone=(data.get("phone") or "").strip(),
            email=(data.get("email") or "").strip(),
            address_line=(data.get("address_line") or "").strip(),
        ),
        components=[
            ComponentData(c.name, c.form, c.count)
            for c in version.components.all()
            if c.order in with_files
        ],
        return_channel=data.get("return_channel") or ChannelKind.ONLINE,
    )


def application_submit(actor, application_id, *, national_account: bool = False) -> Dossier:
    """Submit the draft: the dossier is created "Mới đăng ký" (waiting for the desk) and every
    uploaded file is attached to its component. Mandatory components need at least one file.
    A desk officer's submission for a citizen who came in person counts as online and is recorded
    as assisted (Dossier.assisted_by). `national_account`: the citizen signed in with the national
    account in this session (Dossier.national_account_verified, ADR 0035)."""
    with transaction.atomic():
        application = access_application(actor, application_id, for_update=True)
        if application.submitted:
            return application.dossier  # a double click submits once
        version = application.procedure_version
        with_files = set(application.files.values_list("component_order", flat=True))
        missing = [c for c in version.components.all() if c.mandatory and c.order not in with_files]
        if missing:
            raise ValidationError(
                {f"file_{c.order}": "Giấy tờ bắt buộc: hãy tải lên tệp." for c in missing}
            )
        intake = _intake_from(application)
        assisted = actor.role == Role.DESK_OFFICER
        dossier = dossier_submit_online(
            intake,
            submitted_by=application.citizen,
            assisted_by=actor if assisted else None,
            notify_channel=application.data.get("notify_channel", ""),
            national_account_verified=national_account and not assisted,
        )
        _files_attach(application, dossier, actor)
        application.dossier = dossier
        application.save(update_fields=["dossier", "updated_at"])
    return dossier


def _files_attach(application: Application, dossier: Dossier, actor) -> None:
    """Each draft file goes to the dossier component of the same name (the components of an online
    dossier are those of the version that have files, in the version's order)."""
    by_name = {c.name: c for c in dossier.components.all()}
    names = {c.order: c.name for c in application.procedure_version.components.all()}
    for upload in application.files.select_related("stored_file"):
        component = by_name.get(names.get(upload.component_order))
        if component is not None:
            component_file_attach(
                actor, component, upload.stored_file, source=ComponentSource.CITIZEN_UPLOAD
            )


def supplement_answer(citizen, dossier_id, *, uploads: dict[int, list], note: str = "") -> Dossier:
    """The citizen answers a supplement request online: the new files are attached to the dossier's
    components and the dossier moves on by the table — back to the desk ("resubmit") when the
    request came at intake, back to processing with the clock resumed ("supplement_received") when
    it came during processing. At least one file is needed; a bad file refuses everything."""
    with transaction.atomic():
        dossier = access_dossier_for_citizen(citizen, dossier_id, for_update=True)
        status = Status(dossier.status)
        if status not in (Status.INTAKE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED):
            raise ValidationError("Hồ sơ không ở trạng thái chờ bổ sung.")
        components = {c.pk: c for c in dossier.components.all()}
        errors = {}
        attached = 0
        for component_id, files in uploads.items():
            component = components.get(component_id)
            if component is None:
                errors["files"] = "Thành phần hồ sơ không tồn tại."
                continue
            for upload in files:
                try:
                    stored = stored_file_put(upload, max_bytes=MAX_UPLOAD_BYTES)
                except ValidationError as exc:
                    errors[f"file_{component_id}"] = (
                        f"{getattr(upload, 'name', 'tệp')}: {exc.messages[0]}"
                    )
                    break
                component_file_attach(
                    citizen, component, stored, source=ComponentSource.CITIZEN_UPLOAD
                )
                attached += 1
        if not errors and not attached:
            errors["files"] = "Hãy tải lên ít nhất một tệp giấy tờ bổ sung."
        if errors:
            transaction.set_rollback(True)
            raise ValidationError(errors)
        action = "resubmit" if status == Status.INTAKE_SUPPLEMENT else "supplement_received"
        text = (note or "").strip()[:1000]
        return dossier_act(
            citizen,
            dossier.pk,
            action,
            expected_revision=dossier.revision,
            note=text or "Công dân nộp bổ sung trực tuyến",
        )


def dossier_withdraw_by_citizen(citizen, dossier_id, *, reason: str, expected_revision: int):
    """The citizen withdraws their dossier (with a reason) while the table allows it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi rõ lý do rút hồ sơ."})
    return dossier_act(
        citizen, dossier_id, "withdraw", expected_revision=expected_revision, reason=reason[:1000]
    )


def dossier_return_by_post_choose(citizen, dossier_id) -> Dossier:
    """The citizen asks for the result by post, while it has not been returned yet and when the
    procedure returns results by post (the postal channel itself: motcua.postal)."""
    with transaction.atomic():
        dossier = access_dossier_for_citizen(citizen, dossier_id, for_update=True)
        if Status(dossier.status) in (
            Status.RETURNED,
            Status.WITHDRAWN,
            Status.STOPPED,
            Status.INTAKE_REFUSED,
        ):
            raise ValidationError("Hồ sơ đã kết thúc; không đổi được hình thức nhận kết quả.")
        if ChannelKind.POST not in dossier.procedure_version.return_channels:
            raise ValidationError("Thủ tục này không trả kết quả qua dịch vụ bưu chính công ích.")
        if not dossier.applicant_address.strip():
            raise ValidationError("Hồ sơ chưa có địa chỉ nhận kết quả.")
        dossier.return_channel = ChannelKind.POST
        dossier.revision += 1
        dossier.save(update_fields=["return_channel", "revision"])
        dossier_changed(dossier, "return_channel")  # a finished dossier's page says how it comes
    return dossier


RATING_FIELDS = ("time_score", "contacts_score", "bodies_score", "attitude_score", "online_score")


def dossier_rate(
    citizen, dossier_id, *, scores: dict[str, int], comment: str = ""
) -> DossierRating:
    """One rating per dossier, after the result was returned (or the dossier ended with a decision)."""
    with transaction.atomic():
        dossier = access_dossier_for_citizen(citizen, dossier_id, for_update=True)
        if Status(dossier.status) not in (Status.RETURNED, Status.FINISHED, Status.REFUSED):
            raise ValidationError("Ông/bà đánh giá được sau khi hồ sơ có kết quả.")
        if DossierRating.objects.filter(dossier=dossier).exists():
            raise ValidationError("Ông/bà đã đánh giá hồ sơ này. Cảm ơn ông/bà.")
        errors = {
            name: "Hãy chọn một mức đánh giá."
            for name in RATING_FIELDS
            if scores.get(name) not in (0, 1, 2)
        }
        if errors:
            raise ValidationError(errors)
        return DossierRating.objects.create(
            dossier=dossier,
            citizen=citizen,
            comment=(comment or "").strip()[:2000],
            created_at=now(),
            **{name: scores[name] for name in RATING_FIELDS},
        )


# --- the cached public tracking page -------------------------------------------------------------

TRACKING_PAGE = "tracking"  # motcua.core.pagecache name of portal:tracking_detail's page


def tracking_pages_forget(changes: Sequence[DossierChange]) -> None:
    """The public tracking pages of the changed dossiers are built anew: a subscriber of
    motcua.dossiers.changes (registered in PortalConfig.ready), so it runs once the change has
    committed, and never for a change rolled back (the page keeps the committed status).

    Every write that changes what portal/tracking.html shows announces it there: each workflow move
    (motcua.dossiers.services._event), the return channel, the fee's payment panel."""
    for code in dict.fromkeys(change.code for change in changes if change.code):
        page_forget(TRACKING_PAGE, code)
