"""Bulk writes of the documents app, for histories loaded at once (the demo's H1/2023, an import from
a unit's earlier system): many component files attached in a few statements, and many electronic
results rendered and signed in batches.

They keep the rules of the one-by-one services (services.py, results.py): a known source, a reuse
names an earlier file of the same person, only a desk scan is confirmed against the original, a
file is attached to a component once, a dossier gets one electronic result, issued only once
processing produced it, in the registry by the hash of its signed bytes. What they leave out is
what a single request needs and a batch does not: one transaction and one lock per file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from motcua.core.bulk import objects_insert
from motcua.dossiers.models import Dossier, DossierComponent

from .models import ComponentFile, ComponentSource, FileKind, IssuedDocument
from .services import MSG_CONFIRM_ONLY_SCANS, MSG_REUSE_OTHER_PERSON, MSG_SOURCE_UNKNOWN

BATCH_SIZE = 2000
# Results rendered per WeasyPrint call: its fixed cost (fonts, styles) is paid once per batch.
RENDER_BATCH = 40


@dataclass(frozen=True)
class Attachment:
    """One file to attach: `confirmed_by_id`/`confirmed_at` record the desk's check of a scan
    against the original; `reused_from_id` is the earlier ComponentFile a reuse comes from."""

    component_id: int
    stored_file_id: int
    source: str
    uploaded_by_id: int | None = None
    confirmed_by_id: int | None = None
    confirmed_at: datetime | None = None
    reused_from_id: int | None = None


def component_files_attach_bulk(
    attachments: list[Attachment], *, attached_at_reception: bool = False
) -> list[ComponentFile]:
    """Attach many files at once; returns the links created. Idempotent: a (component, file) pair
    already attached is left as it is. Raises ValidationError, writing nothing, when a source is
    unknown, a confirmation is given for anything but a desk scan, or a reuse does not come from
    an earlier file of the same person (as `component_file_attach` would).

    With `attached_at_reception`, each link's attachment time becomes its dossier's reception (for
    a history: the desk scanned the papers when it received them, not when the history was
    loaded)."""
    _attachments_check(attachments)
    with transaction.atomic():
        fresh = _not_yet_attached(attachments)
        created = objects_insert(
            ComponentFile,
            [
                ComponentFile(
                    component_id=a.component_id,
                    stored_file_id=a.stored_file_id,
                    source=a.source,
                    uploaded_by_id=a.uploaded_by_id,
                    digitised_confirmed_by_id=a.confirmed_by_id,
                    digitised_confirmed_at=a.confirmed_at,
                    reused_from_id=a.reused_from_id,
                )
                for a in fresh
            ],
            ids_needed=True,
        )
        if attached_at_reception and created:
            _attachment_times_set([link.pk for link in created])
    return created


def _attachments_check(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        if attachment.source not in ComponentSource.values:
            raise ValidationError(MSG_SOURCE_UNKNOWN, code="source_unknown")
        if attachment.confirmed_at and attachment.source != ComponentSource.DESK_SCAN:
            raise ValidationError(MSG_CONFIRM_ONLY_SCANS, code="confirm_not_scan")
    reuses = [a for a in attachments if a.source == ComponentSource.REUSE]
    if not reuses:
        return
    owner_of_component = _citizen_ids(
        DossierComponent.objects, {a.component_id for a in reuses}, "dossier"
    )
    owner_of_file = _citizen_ids(
        ComponentFile.objects, {a.reused_from_id for a in reuses if a.reused_from_id}, "component"
    )
    same_file = dict(
        ComponentFile.objects.filter(pk__in=list(owner_of_file)).values_list("pk", "stored_file_id")
    )
    for reuse in reuses:
        owner = owner_of_component.get(reuse.component_id)
        if (
            not owner
            or owner_of_file.get(reuse.reused_from_id) != owner
            or same_file.get(reuse.reused_from_id) != reuse.stored_file_id
        ):
            raise ValidationError(MSG_REUSE_OTHER_PERSON, code="reuse_other_person")


def _citizen_ids(manager, ids: set[int], path: str) -> dict[int, str]:
    """The applicant's citizen ID of each row (a component, or a component file), in chunks."""
    field = (
        "dossier__applicant__citizen_id"
        if path == "dossier"
        else "component__dossier__applicant__citizen_id"
    )
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH_SIZE):
        found.update(
            manager.filter(pk__in=ordered[start : start + BATCH_SIZE]).values_list("pk", field)
        )
    return found


def _not_yet_attached(attachments: list[Attachment]) -> list[Attachment]:
    component_ids = sorted({a.component_id for a in attachments})
    existing: set[tuple[int, int]] = set()
    for start in range(0, len(component_ids), BATCH_SIZE):
        existing.update(
            ComponentFile.objects.filter(
                component_id__in=component_ids[start : start + BATCH_SIZE]
            ).values_list("component_id", "stored_file_id")
        )
    fresh, seen = [], set()
    for attachment in attachments:
        key = (attachment.component_id, attachment.stored_file_id)
        if key not in existing and key not in seen:
            seen.add(key)
            fresh.append(attachment)
    return fresh


def _attachment_times_set(ids: list[int]) -> None:
    """created_at is set on insert to the present (auto_now_add): one UPDATE per chunk moves it to
    the reception of the file's dossier."""
    received = DossierComponent.objects.filter(pk=OuterRef("component_id")).values(
        "dossier__received_at"
    )[:1]
    for start in range(0, len(ids), BATCH_SIZE):
        ComponentFile.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).update(
            created_at=Subquery(received)
        )


# --- electronic results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultToIssue:
    """A dossier whose result is to be issued, and when it was signed (its processing's end)."""

    dossier_id: int
    signed_at: datetime


def cached_key_signer(signer):
    """The department's signer, with its private key parsed once. pyHanko's SimpleSigner parses
    (and checks) the key at every raw signature, twice per PDF (the size estimate, then the
    signature): about 70 of the 85 ms a PDF's signing took. The key and certificate are the same."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner

    key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)

    class _Signer(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            if isinstance(key, RSAPrivateKey) and algorithm == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return _Signer(
        signing_cert=signer.signing_cert,
        signing_key=signer.signing_key,
        cert_registry=signer.cert_registry,
    )


def results_issue_bulk(actor, items: list[ResultToIssue]) -> list[IssuedDocument]:
    """Issue the electronic results of many finished dossiers, as `result_issue` would one by one:
    the same document (results.py's template and context, dated at `signed_at`), signed with the
    department's certificate, stored by its hash and registered. Numbers continue the year's
    sequence in the order of signing. Dossiers that already have a result, or whose processing
    has not produced one, are left out. Returns the documents created.

    `actor` must hold an issuing role (as for `result_issue`); unlike it, the dossiers are not
    checked one by one against what the actor may see: this path is for a command loading a
    history, not for a request. Numbers are taken by counting, as `result_issue` does: two bulk
    issues at once would collide on a number and the later batch would roll back whole."""
    from motcua.accounts.permissions import has_role

    from .keys import file_signer_load
    from .results import ISSUABLE_STATUSES, ISSUING_ROLES, MSG_ROLE

    if not has_role(actor, *ISSUING_ROLES):
        raise PermissionDenied(MSG_ROLE)

    wanted = {
        item.dossier_id: ResultToIssue(item.dossier_id, timezone.localtime(item.signed_at))
        for item in items
    }
    issued = set(
        IssuedDocument.objects.filter(dossier_id__in=list(wanted)).values_list(
            "dossier_id", flat=True
        )
    )
    dossiers = [
        d
        for d in Dossier.objects.filter(pk__in=[pk for pk in wanted if pk not in issued])
        .select_related("applicant", "procedure_version")
        .order_by("pk")
        if d.status in ISSUABLE_STATUSES
    ]
    dossiers.sort(key=lambda d: (wanted[d.pk].signed_at, d.pk))
    if not dossiers:
        return []
    signer = cached_key_signer(file_signer_load())
    numbers = _numbers_for([wanted[d.pk].signed_at for d in dossiers])
    created = []
    for start in range(0, len(dossiers), RENDER_BATCH):
        batch = dossiers[start : start + RENDER_BATCH]
        created += _issue_batch(
            batch, [wanted[d.pk].signed_at for d in batch], numbers[start:], signer, actor
        )
    return created


def _numbers_for(moments: list[datetime]) -> list[str]:
    """'<n>/<year>/KQĐT' for each moment (sorted), continuing each year's count."""
    from .drafts import registry_number_next

    next_of: dict[int, int] = {}
    numbers = []
    for at in moments:
        if at.year not in next_of:
            next_of[at.year] = int(registry_number_next(at.year).split("/")[0])
        numbers.append(f"{next_of[at.year]:05d}/{at.year}/KQĐT")
        next_of[at.year] += 1
    return numbers


def _issue_batch(dossiers, moments, numbers, signer, actor) -> list[IssuedDocument]:
    import secrets

    from django.conf import settings

    from .results import SIGNATURE_BOX, _is_judicial_record, _result_context, stamp_image
    from .services import stored_file_put
    from .signing import Appearance, pdf_sign_prepared, signer_name

    unit = settings.MOTCUA_SIGNING_UNIT_NAME
    tokens = [secrets.token_urlsafe(16) for _ in dossiers]
    contexts = [
        _result_context(d, numbers[i], tokens[i], moments[i]) for i, d in enumerate(dossiers)
    ]
    pages = _render_pages(contexts)
    created = []
    with transaction.atomic():
        for i, dossier in enumerate(dossiers):
            signed = pdf_sign_prepared(
                pages[i],
                signer,
                appearance=Appearance(stamp_image(unit, moments[i]), SIGNATURE_BOX),
            )
            stored = stored_file_put(signed, kinds=(FileKind.PDF,), max_bytes=len(signed))
            created.append(
                IssuedDocument.objects.create(
                    dossier=dossier,
                    number=numbers[i],
                    title="Phiếu lý lịch tư pháp số 1"
                    if _is_judicial_record(dossier)
                    else "Kết quả giải quyết TTHC",
                    token=tokens[i],
                    stored_file=stored,
                    sha256=stored.sha256,
                    issuing_unit=unit,
                    signer=signer_name(signer) or unit,
                    signed_at=moments[i],
                    holder_name=dossier.applicant_name,
                    citizen_id=dossier.applicant.citizen_id,
                    issued_by=actor,
                )
            )
    return created


# Each result in a box as tall as the page's text area, so that the template's absolute positions
# (the QR code, the signer) are measured from the same corner as on a page of its own. The bottom
# margin is smaller only for this document: the QR caption reaches below 257 mm, and inside a box
# it would otherwise spill onto a page of its own.
PAGE_STYLE = (
    "@page { margin-bottom: 10mm; }"
    " .kqdt-trang { position: relative; height: 266mm; }"
    " .kqdt-trang + .kqdt-trang { break-before: page; }"
)


def _render_pages(contexts: list[dict]) -> list[bytes]:
    """Each context rendered with results.py's template, all as pages of one WeasyPrint document
    (one page per result: the template positions its blocks on a single A4 sheet), then split into
    one PDF per result."""
    import pikepdf
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    htmls = [render_to_string("documents/result_pdf.html", context) for context in contexts]
    head = htmls[0].split("<body>", 1)[0].replace("</style>", PAGE_STYLE + "\n</style>", 1)
    bodies = [html.split("<body>", 1)[1].rsplit("</body>", 1)[0] for html in htmls]
    document = (
        head
        + "<body>"
        + "".join(f'<div class="kqdt-trang">{body}</div>' for body in bodies)
        + "</body></html>"
    )
    combined = HTML(string=document, base_url=str(settings.BASE_DIR)).write_pdf()
    pages = []
    with pikepdf.open(io.BytesIO(combined)) as source:
        if len(source.pages) != len(contexts):
            raise ValueError(f"{len(contexts)} kết quả nhưng {len(source.pages)} trang.")
        for i, page in enumerate(source.pages):
            single = pikepdf.new()
            single.pages.append(page)
            with single.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:title"] = f"{contexts[i]['title']} số {contexts[i]['number']}"
            out = io.BytesIO()
            single.save(out, deterministic_id=True)
            pages.append(out.getvalue())
    return pages
