"""The real result document of a dossier: prepared, reviewed, signed (issue [J] 1; ADR 0032).

1. The specialist prepares it — from the procedure version's result template, filled from the
   dossier (names, numbers, dates) and the few fields the template asks for, or by uploading the
   draft (a PDF, or a DOCX converted to PDF/A by LibreOffice). The draft names its signer, so the
   document prints the signer's title and name (Decree 30/2020), and it carries the verification
   QR code. Each preparation is a new version; the numbers are reserved by the first.
2. The division head reviews it: accepts it for signature, or sends it back with a note.
3. The leader opens it at signing, sees that PDF, and signs exactly those bytes (the page carries
   their SHA-256; the signing refuses any other) with their own key (keys.py). Only when the
   signature is made does one transaction approve (or refuse) the dossier, store the signed file
   and register it; a wrong PIN, a token pulled out, a remote service refusing — nothing moves.
"""

import hashlib
import io
import re
import secrets
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string

from motcua.accounts.permissions import has_role
from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.symbols import qr_svg_data_uri
from motcua.core.text import format_date_long
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import access_dossier_for_officer
from motcua.dossiers.workflow import Status

from .keys import Activation
from .models import (
    OPEN_DRAFT_STATUSES,
    DraftSource,
    DraftStatus,
    FileKind,
    IssuedDocument,
    ResultDraft,
    ResultOutcome,
    ResultTemplate,
    Signer,
)

PREPARING_ROLES = (Role.SPECIALIST, Role.DIVISION_HEAD)
REVIEWING_ROLES = (Role.DIVISION_HEAD,)
PREPARABLE_STATUSES = {Status.IN_PROGRESS}
REVIEWABLE_STATUSES = {Status.IN_PROGRESS, Status.AWAITING_SIGNATURE}
CONVERT_TIMEOUT = 120
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MSG_PREPARE_ROLE = "Chỉ chuyên viên hoặc lãnh đạo phòng xử lý hồ sơ được soạn kết quả."
MSG_PREPARE_STATUS = "Chỉ soạn kết quả khi hồ sơ đang được xử lý."
MSG_TEMPLATE = "Mẫu kết quả không thuộc thủ tục của hồ sơ này."
MSG_SIGNER = "Vui lòng chọn người ký (lãnh đạo có cấu hình ký số đang dùng)."
MSG_FIELD = "Vui lòng nhập “{label}”."
MSG_REVIEW_ROLE = "Chỉ lãnh đạo phòng được xem xét dự thảo kết quả."
MSG_REVIEW_STATUS = "Dự thảo này không còn chờ xem xét."
MSG_NOTE = "Hãy ghi rõ nội dung cần soạn lại."
MSG_SIGN_ROLE = "Ông/bà không phải người ký của dự thảo này, hoặc chưa có cấu hình ký số đang dùng."
MSG_SIGN_STATUS = (
    "Dự thảo chưa được lãnh đạo phòng xem xét, hoặc đã được ký, hoặc đã thay bằng bản khác."
)
MSG_SIGN_DOSSIER = "Chỉ ký khi hồ sơ đang chờ ký duyệt."
MSG_CHANGED = (
    "Bản dự thảo hoặc hồ sơ đã thay đổi kể từ khi ông/bà mở trang. Chưa có gì được ký; vui lòng "
    "xem lại bản hiện tại rồi ký."
)
MSG_UPLOAD_KIND = "Bản dự thảo phải là tệp PDF hoặc DOCX."
MSG_ALREADY_SIGNED = "Tệp tải lên đã có chữ ký số; hãy tải bản dự thảo chưa ký."
MSG_NO_OFFICE = (
    "Máy chủ chưa cài LibreOffice nên chưa chuyển được DOCX sang PDF/A; vui lòng tải lên bản PDF."
)
MSG_CONVERT = "Không chuyển được tệp DOCX sang PDF/A (tệp hỏng hoặc quá phức tạp)."
MSG_TITLE = "Vui lòng nhập tên giấy tờ kết quả."
MSG_NUMBERS = "Không cấp được số cho kết quả, vui lòng thử lại."
MSG_TOO_LARGE = "Tệp dự thảo quá lớn (tối đa {limit} MB)."
MSG_SIGNED_CHANGED = "Tệp đã ký không lưu được nguyên vẹn; chưa có gì được ban hành."


# --- the catalogue's templates ----------------------------------------------------------------------


def templates_for(version) -> list[ResultTemplate]:
    """The result templates in force for a procedure version: its own, else those of the latest
    earlier version of the same procedure that has any (a template lasts until the catalogue
    changes it)."""
    own = list(ResultTemplate.objects.filter(procedure_version=version))
    if own:
        return own
    earlier = (
        ResultTemplate.objects.filter(
            procedure_version__procedure_id=version.procedure_id,
            procedure_version__effective_from__lt=version.effective_from,
        )
        .order_by("-procedure_version__effective_from")
        .values_list("procedure_version_id", flat=True)
        .first()
    )
    if earlier is None:
        return []
    return list(ResultTemplate.objects.filter(procedure_version_id=earlier))


def signers_active():
    return Signer.objects.filter(is_active=True).select_related("user")


# --- numbers ----------------------------------------------------------------------------------------


def registry_number_next(year: int) -> str:
    """'<n>/<year>/KQĐT', numbers from 1 each year (Decree 30/2020 art. 15), after every number
    issued or reserved by a draft."""
    suffix = f"/{year}/KQĐT"
    issued = IssuedDocument.objects.filter(number__endswith=suffix).aggregate(n=Max("number"))["n"]
    reserved = ResultDraft.objects.filter(version=1, registry_number__endswith=suffix).aggregate(
        n=Max("registry_number")
    )["n"]
    last = max(int(n.split("/")[0]) for n in (issued or "0/", reserved or "0/"))
    return f"{last + 1:05d}{suffix}"


def _official_number_next(year: int, symbol: str) -> str:
    """'<n>/<symbol>', per year and symbol (QĐ-STP, TB-STP…)."""
    taken = ResultDraft.objects.filter(
        version=1, number_year=year, official_number__endswith=f"/{symbol}"
    ).values_list("official_number", flat=True)
    last = max((int(n.split("/")[0]) for n in taken), default=0)
    return f"{last + 1:02d}/{symbol}"


@dataclass(frozen=True)
class _Numbers:
    year: int
    registry: str
    official: str
    token: str


def _numbers(dossier: Dossier, symbol: str, at: datetime) -> _Numbers:
    """The first draft's numbers and token, kept by every later version (a second template with
    another symbol gets its own official number)."""
    first = dossier.result_drafts.filter(version=1).first()
    if first is not None:
        official = first.official_number
        if symbol and not official.endswith(f"/{symbol}"):
            official = _official_number_next(first.number_year, symbol)
        return _Numbers(first.number_year, first.registry_number, official, first.token)
    official = _official_number_next(at.year, symbol) if symbol else ""
    return _Numbers(at.year, registry_number_next(at.year), official, secrets.token_urlsafe(16))


# --- rendering ----------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(text: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "……")), text)


def dossier_values(dossier: Dossier, at: datetime) -> dict:
    """What a template may say about the dossier (placeholders, documented in docs/documents.md)."""
    applicant = dossier.applicant
    version = dossier.procedure_version
    return {
        "ho_ten": dossier.applicant_name,
        "ngay_sinh": f"{applicant.date_of_birth:%d/%m/%Y}" if applicant.date_of_birth else "……",
        "so_dinh_danh": applicant.citizen_id or "……",
        "noi_cu_tru": dossier.applicant_address or "……",
        "ma_ho_so": dossier.code or str(dossier.pk),
        "thu_tuc": version.name,
        "ma_thu_tuc": version.procedure.code,
        "co_quan": version.competent_agency.name,
        "ngay_tiep_nhan": f"{dossier.received_at:%d/%m/%Y}" if dossier.received_at else "……",
        "ngay_hen_tra": f"{dossier.due_at:%d/%m/%Y}" if dossier.due_at else "……",
        "ngay_ky": format_date_long(at.date()),
        "can_cu_phap_ly": version.legal_basis or "……",
    }


def _paragraphs(body: str, values: dict) -> list[tuple[str, str]]:
    """Body lines: '# ' a centred heading, '* ' a legal basis (italic), others paragraphs."""
    out = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        kind = {"#": "heading", "*": "basis"}.get(line[0], "")
        text = line[1:].strip() if kind else line
        out.append((kind, _fill(text, values)))
    return out


def verify_url(token: str) -> str:
    from .results import verify_url as url

    return url(token)


def _signer_context(signer: Signer) -> dict:
    return {
        "full_name": signer.full_name,
        "title": signer.title,
        "authority": signer.authority,
        "title_full": f"{signer.title} {signer.organisation}".strip(),
    }


def _template_html(dossier, template: ResultTemplate, signer: Signer, numbers, values, at) -> str:
    filled = {**dossier_values(dossier, at), "so_van_ban": numbers.official, **values}
    url = verify_url(numbers.token)
    extra = [(f["label"], values.get(f["name"], "")) for f in template.fields if f.get("show")]
    return render_to_string(
        "documents/result_document.html",
        {
            "layout": template.layout,
            "title": _fill(template.title, filled),
            "excerpt": _fill(template.excerpt, filled),
            "official_number": numbers.official,
            "registry_number": numbers.registry,
            "parent_organisation": signer.parent_organisation,
            "organisation": signer.organisation,
            "province": settings.MOTCUA_PROVINCE_NAME,
            "date_long": format_date_long(at.date()),
            "addressee": filled["ho_ten"],
            "paragraphs": _paragraphs(template.body, filled),
            "fields": extra,
            "recipients": [_fill(r, filled) for r in template.recipients.splitlines() if r.strip()]
            or [filled["ho_ten"]],
            "dossier_code": filled["ma_ho_so"],
            "signer": _signer_context(signer),
            "qr": qr_svg_data_uri(url, scale=3),
            "verify_url": url,
        },
    )


# --- preparing ---------------------------------------------------------------------------------------


def _dossier_for_preparing(actor, dossier_id: int) -> Dossier:
    if not has_role(actor, *PREPARING_ROLES):
        raise PermissionDenied(MSG_PREPARE_ROLE)
    dossier = access_dossier_for_officer(actor, dossier_id)
    if dossier.status not in PREPARABLE_STATUSES:
        raise ValidationError(MSG_PREPARE_STATUS, code="draft_not_now")
    return dossier


def _signer_chosen(signer_id) -> Signer:
    signer = signers_active().filter(pk=signer_id).first() if str(signer_id).isdigit() else None
    if signer is None:
        raise ValidationError({"signer": MSG_SIGNER})
    return signer


def result_prepare_from_template(
    actor, dossier_id: int, *, template_id: int, signer_id: int, values: dict[str, str]
) -> ResultDraft:
    """Prepare the result from the procedure's template: filled from the dossier and `values` (the
    template's own fields, each required), rendered in Decree 30 layout, stored, awaiting review."""
    dossier = _dossier_for_preparing(actor, dossier_id)
    template = next(
        (t for t in templates_for(dossier.procedure_version) if str(t.pk) == str(template_id)),
        None,
    )
    if template is None:
        raise ValidationError({"template": MSG_TEMPLATE})
    signer = _signer_chosen(signer_id)
    typed = {f["name"]: (values.get(f["name"]) or "").strip() for f in template.fields}
    missing = {
        f["name"]: MSG_FIELD.format(label=f["label"])
        for f in template.fields
        if not typed[f["name"]]
    }
    if missing:
        raise ValidationError(missing)

    def render(numbers: _Numbers, at: datetime):
        from .appearance import render_with_signature_block

        html = _template_html(dossier, template, signer, numbers, typed, at)
        return render_with_signature_block(html)

    return _draft_create(
        actor,
        dossier,
        render,
        symbol=template.symbol,
        fields={
            "source": DraftSource.TEMPLATE,
            "template": template,
            "values": typed,
            "outcome": template.outcome,
            "title": _fill(template.title, {**dossier_values(dossier, now()), **typed}),
            "signer": signer,
        },
    )


def result_upload_draft(
    actor, dossier_id: int, upload, *, signer_id: int, title: str, outcome: str
) -> ResultDraft:
    """Prepare the result by uploading the draft: a PDF as it is, a DOCX converted to PDF/A. The
    verification QR code is added at the bottom of its last page; the signature goes at the bottom
    right of the last page."""
    dossier = _dossier_for_preparing(actor, dossier_id)
    signer = _signer_chosen(signer_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": MSG_TITLE})
    if outcome not in ResultOutcome.values:
        outcome = ResultOutcome.APPROVE
    pdf = _draft_pdf(_upload_read(upload))

    def render(numbers: _Numbers, at: datetime):
        from .appearance import last_page_box, verification_overlay

        url = verify_url(numbers.token)
        caption = f"Mã kết quả {numbers.registry}. Xác thực bản điện tử: {url}"
        stamped = verification_overlay(
            pdf, qr_data_uri=qr_svg_data_uri(url, scale=3), caption=caption
        )
        box, page = last_page_box(stamped)
        return stamped, box, page

    return _draft_create(
        actor,
        dossier,
        render,
        symbol="",
        fields={
            "source": DraftSource.UPLOAD,
            "template": None,
            "values": {},
            "outcome": outcome,
            "title": title[:255],
            "signer": signer,
        },
    )


def _upload_read(upload) -> bytes:
    """The upload's bytes, refused before reading it all when it is too large."""
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if getattr(upload, "size", 0) and upload.size > limit:
            raise ValidationError({"file": MSG_TOO_LARGE.format(limit=limit // (1024 * 1024))})
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": MSG_TOO_LARGE.format(limit=limit // (1024 * 1024))})
    if not data:
        raise ValidationError({"file": MSG_UPLOAD_KIND})
    return data


def signed_pdf_store(data: bytes):
    """Store a PDF we signed through the documents storage: it must be kept byte for byte
    (sanitising would break the signature), so a PDF the checks would change is refused."""
    from .services import stored_file_put

    stored = stored_file_put(data, kinds=(FileKind.PDF,), max_bytes=len(data))
    if stored.sha256 != hashlib.sha256(data).hexdigest():
        raise ValidationError(MSG_SIGNED_CHANGED, code="signed_changed")
    return stored


def _draft_pdf(data: bytes) -> bytes:
    """The uploaded draft as a checked, unsigned PDF (a DOCX converted to PDF/A first)."""
    from .content import pdf_checked_bytes
    from .signing import signatures_check

    if data[:4] == b"PK\x03\x04" and _is_docx(data):
        data = docx_to_pdfa(data)
    elif b"%PDF-" not in data[:1024]:
        raise ValidationError({"file": MSG_UPLOAD_KIND})
    checked = pdf_checked_bytes(data)
    if signatures_check(checked):
        raise ValidationError({"file": MSG_ALREADY_SIGNED})
    return checked


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def docx_to_pdfa(data: bytes) -> bytes:
    """DOCX to PDF/A-2b with LibreOffice (headless, a private profile per conversion)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise ValidationError({"file": MSG_NO_OFFICE})
    export = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
    with tempfile.TemporaryDirectory(prefix="motcua-draft-") as folder:
        source = Path(folder) / "du-thao.docx"
        source.write_bytes(data)
        try:
            subprocess.run(
                [office, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                 "--convert-to", export, "--outdir", folder, str(source)],
                check=True, capture_output=True, timeout=CONVERT_TIMEOUT,
            )  # fmt: skip
            return (Path(folder) / "du-thao.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as error:
            raise ValidationError({"file": MSG_CONVERT}) from error


def _draft_create(actor, dossier: Dossier, render, *, symbol: str, fields: dict) -> ResultDraft:
    """Render with the dossier's numbers, store the PDF, and record the new version (the open
    ones before it superseded), retrying when another preparation took the numbers meanwhile."""
    from .services import stored_file_put

    for _attempt in range(3):
        at = now()
        numbers = _numbers(dossier, symbol, at)
        pdf, box, page = render(numbers, at)
        stored = stored_file_put(pdf, kinds=(FileKind.PDF,), max_bytes=len(pdf))
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
                last = dossier.result_drafts.aggregate(v=Max("version"))["v"] or 0
                dossier.result_drafts.filter(status__in=OPEN_DRAFT_STATUSES).update(
                    status=DraftStatus.SUPERSEDED
                )
                return ResultDraft.objects.create(
                    dossier=dossier,
                    version=last + 1,
                    official_number=numbers.official,
                    number_year=numbers.year,
                    registry_number=numbers.registry,
                    token=numbers.token,
                    stored_file=stored,
                    sha256=stored.sha256,
                    signature_box=list(box),
                    signature_page=page,
                    status=DraftStatus.PREPARED,
                    prepared_by=actor,
                    prepared_at=at,
                    **fields,
                )
        except IntegrityError:
            continue
    raise ValidationError(MSG_NUMBERS, code="number_conflict")


# --- reviewing -------------------------------------------------------------------------------------


def _draft_for(actor, draft_id: int, *, for_update: bool = False) -> ResultDraft:
    """The one door to a draft: through the dossier the officer may see."""
    queryset = ResultDraft.objects.select_related("dossier", "signer", "stored_file")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    draft = queryset.filter(pk=draft_id).first()
    if draft is None:
        from motcua.dossiers.permissions import MSG_NOT_FOUND

        raise PermissionDenied(MSG_NOT_FOUND)
    access_dossier_for_officer(actor, draft.dossier_id)
    return draft


def result_review(actor, draft_id: int, *, accept: bool, note: str = "") -> ResultDraft:
    """The head accepts the draft for signature, or sends it back with a note."""
    if not has_role(actor, *REVIEWING_ROLES):
        raise PermissionDenied(MSG_REVIEW_ROLE)
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError({"note": MSG_NOTE})
    with transaction.atomic():
        draft = _draft_for(actor, draft_id, for_update=True)
        if draft.status != DraftStatus.PREPARED or draft.dossier.status not in REVIEWABLE_STATUSES:
            raise ValidationError(MSG_REVIEW_STATUS, code="draft_not_reviewable")
        draft.status = DraftStatus.REVIEWED if accept else DraftStatus.SENT_BACK
        draft.reviewed_by, draft.reviewed_at, draft.review_note = actor, now(), note
        draft.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return draft


# --- signing -------------------------------------------------------------------------------------


def _may_sign(actor, draft: ResultDraft) -> None:
    signer = draft.signer
    if not (signer.is_active and signer.user_id and signer.user_id == actor.pk):
        raise PermissionDenied(MSG_SIGN_ROLE)
    if draft.status != DraftStatus.REVIEWED:
        raise ValidationError(MSG_SIGN_STATUS, code="draft_not_signable")
    if draft.dossier.status != Status.AWAITING_SIGNATURE:
        raise ValidationError(MSG_SIGN_DOSSIER, code="dossier_not_awaiting_signature")


def result_sign(
    actor,
    draft_id: int,
    *,
    expected_sha256: str,
    expected_revision: int,
    activation: Activation,
) -> IssuedDocument:
    """The leader signs the reviewed draft they were shown (its SHA-256 and the dossier's revision
    as the page had them) with their own key; then, in one transaction, the dossier is approved
    (or refused, for a refusal letter), the signed PDF stored and registered. Any failure before
    that — a wrong PIN, a token gone, a remote refusal — raises with nothing changed."""
    from .appearance import signature_image
    from .services import stored_file_bytes
    from .signing import Appearance, pdf_sign

    draft = _draft_for(actor, draft_id)
    _may_sign(actor, draft)
    dossier = draft.dossier
    if draft.sha256 != expected_sha256 or dossier.revision != expected_revision:
        raise ValidationError(MSG_CHANGED, code="stale")
    data = stored_file_bytes(draft.stored_file)
    if hashlib.sha256(data).hexdigest() != draft.sha256:
        raise ValidationError(MSG_CHANGED, code="stale")
    signer = draft.signer
    at = now()
    seal = _seal_bytes(signer)
    image = signature_image(
        signer=signer.full_name,
        title=signer.title,
        organisation=signer.organisation,
        at=at,
        seal_png=seal,
    )
    signed = pdf_sign(
        data,
        signer.key_spec(),
        activation,
        appearance=Appearance(image, tuple(draft.signature_box), draft.signature_page),
        reason=f"Ký ban hành {draft.title}",
    )
    return _signed_record(actor, draft.pk, signed, at, expected_revision)


def _seal_bytes(signer: Signer) -> bytes | None:
    from .services import stored_file_bytes

    return stored_file_bytes(signer.seal) if signer.seal is not None else None


def _signed_record(actor, draft_id: int, signed: bytes, at, revision: int) -> IssuedDocument:
    from motcua.dossiers.services import dossier_act

    with transaction.atomic():
        draft = _draft_for(actor, draft_id, for_update=True)
        if draft.status != DraftStatus.REVIEWED:
            raise ValidationError(MSG_CHANGED, code="stale")
        action = "refuse" if draft.outcome == ResultOutcome.REFUSE else "approve"
        reason = (
            draft.values.get("ly_do")
            or f"{draft.title} số {draft.official_number or draft.registry_number}"
        )
        dossier_act(actor, draft.dossier_id, action, expected_revision=revision, reason=reason)
        stored = signed_pdf_store(signed)
        dossier = draft.dossier
        issued = IssuedDocument.objects.create(
            dossier=dossier,
            number=draft.registry_number,
            title=draft.title,
            token=draft.token,
            stored_file=stored,
            sha256=stored.sha256,
            issuing_unit=draft.signer.organisation,
            signer=f"{draft.signer.full_name} — {draft.signer.title}",
            signed_at=at,
            holder_name=dossier.applicant_name,
            citizen_id=dossier.applicant.citizen_id,
            issued_by=actor,
        )
        draft.status, draft.issued = DraftStatus.SIGNED, issued
        draft.save(update_fields=["status", "issued"])
    return issued
