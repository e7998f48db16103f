"""The paper and money side of the demo's H1/2023 dossiers: their components, the files digitised at
reception, the papers reused from an applicant's earlier dossier, the electronic results, the fees.

- Components: each dossier's papers, as the desk ticks them against the catalogue (the mandatory
  ones; an optional one in one dossier out of ten).
- Digitised (seed: "số hóa trên 90% hồ sơ TTHC đầu vào"): DIGITISED_SHARE of the dossiers have every
  component digitised — uploaded by the citizen (online), or scanned at the desk and confirmed
  against the original by the officer who received it. The others are desk or postal dossiers with
  one paper left unscanned, or a scan not yet confirmed. The scans are SCAN_VARIANTS generated
  one-page PDFs per kind of paper, stored once (content-addressed) and shared.
- Reuse: the second dossier of the REPEAT_APPLICANTS people of dossiers.py reuses the identity
  papers digitised for their first (source "reuse", linked to the earlier file).
- Electronic results: ELECTRONIC_RESULTS finished online dossiers whose result went back online get
  a signed result PDF (documents.bulk: the same document, signature and registry as one issued by
  hand), dated when processing finished.
- Fees: every dossier whose procedure has a fee has its charge. Desk and postal dossiers pay at
  reception, at the desk; ONLINE_PAYMENT_SHARE of the online ones pay online (transfer, VietQR),
  the rest at the desk when they collect the result (those still in progress: not yet paid).

Everything is written through the owning apps' bulk paths (documents.bulk, payments.bulk) and is
deterministic (a seeded generator over the dossiers in code order). Each part is skipped when its
data are there, so a second load changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from motcua.dossiers.models import ChannelKind, Dossier, DossierComponent
from motcua.dossiers.workflow import Status

from .dossiers import CENTRE, FIRST_DAY, LAST_DAY, LEGAL_AID, SEED, demo_dossiers_present

DIGITISED_SHARE = 0.94
SCAN_VARIANTS = 3
OPTIONAL_COMPONENT_SHARE = 0.10
ELECTRONIC_RESULTS = 50
ONLINE_PAYMENT_SHARE = 0.45
REDUCED_FEE_SHARE = 0.08  # students and people with merit pay the reduced judicial-record fee
# Papers a person brings again with a second dossier, which the desk reuses instead of rescanning.
REUSABLE = ("Bản chụp giấy tờ tùy thân", "Giấy tờ chứng minh nơi cư trú")
FONT = "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf"


@dataclass
class _Row:
    pk: int
    code: str
    version_id: int
    unit: str
    channel: str
    status: str
    received: datetime
    finished: datetime | None
    returned: datetime | None
    return_channel: str
    citizen_id: str


def demo_digital_load() -> list[str]:
    """Load each part that is not there yet; returns a line per part for the command's output."""
    if not demo_dossiers_present():
        return []
    rows = _rows()
    lines = []
    for part in (_components_load, _files_load, _results_load, _payments_load):
        started = time.perf_counter()
        line = part(rows)
        lines.append(f"{line} ({time.perf_counter() - started:.0f} giây)")
    return lines


def _period_dossiers():
    """The imported dossiers received in H1/2023 (the ones dossiers.py generated)."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    start = datetime.combine(FIRST_DAY, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(LAST_DAY + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return Dossier.objects.filter(imported=True, received_at__gte=start, received_at__lt=end)


def _rows() -> list[_Row]:
    fields = (
        "pk code procedure_version_id receiving_unit__code channel status received_at finished_at "
        "returned_at return_channel applicant__citizen_id"
    ).split()
    return [_Row(*values) for values in _period_dossiers().order_by("code").values_list(*fields)]


# --- components -----------------------------------------------------------------------------------


def _components_load(rows: list[_Row]) -> str:
    if DossierComponent.objects.filter(dossier__in=_period_dossiers()).exists():
        return "Thành phần hồ sơ 2023: đã có."
    from motcua.catalog.models import ProcedureComponent

    by_version = defaultdict(list)
    for component in ProcedureComponent.objects.filter(
        version_id__in={r.version_id for r in rows}
    ).order_by("version_id", "order"):
        by_version[component.version_id].append(component)
    rng = random.Random(SEED + 2)
    components = []
    for row in rows:
        papers = [
            c
            for c in by_version[row.version_id]
            if c.mandatory or rng.random() < OPTIONAL_COMPONENT_SHARE
        ]
        components += [
            DossierComponent(dossier_id=row.pk, order=i, name=c.name, form=c.form, count=c.count)
            for i, c in enumerate(papers, start=1)
        ]
    DossierComponent.objects.bulk_create(components, batch_size=2000)
    return f"Thành phần hồ sơ 2023: {len(components)} giấy tờ."


# --- files --------------------------------------------------------------------------------------


def _files_load(rows: list[_Row]) -> str:
    from motcua.documents.bulk import Attachment, component_files_attach_bulk
    from motcua.documents.models import ComponentFile, ComponentSource

    if ComponentFile.objects.filter(component__dossier__in=_period_dossiers()).exists():
        return "Tệp số hóa 2023: đã có."
    components = defaultdict(list)
    for component in (
        DossierComponent.objects.filter(dossier__in=_period_dossiers())
        .order_by("dossier_id", "order")
        .only("pk", "dossier_id", "name")
    ):
        components[component.dossier_id].append(component)
    scans = _scans({c.name for cs in components.values() for c in cs})
    desk = _desk_officers()
    undigitised = _undigitised(rows, with_papers=set(components))
    first_files: dict[tuple[str, str], tuple[int, int]] = {}  # (citizen, paper) → component, file
    attachments, reuses = [], []
    for row in rows:
        for component in components[row.pk]:
            stored = scans[component.name][_variant(row.code, component.name)]
            # A demo loaded before applicants had numbers has none: nobody to reuse from.
            earlier = first_files.get((row.citizen_id, component.name)) if row.citizen_id else None
            if earlier and component.name.startswith(REUSABLE):
                reuses.append((component.pk, earlier[0], earlier[1]))
                continue
            last = component is components[row.pk][-1]
            attachment = _attachment(row, component, stored, desk, undigitised.get(row.pk), last)
            if attachment is not None:
                attachments.append(attachment)
                first_files.setdefault((row.citizen_id, component.name), (component.pk, stored))
    with transaction.atomic():
        component_files_attach_bulk(attachments, attached_at_reception=True)
        links = dict(
            ComponentFile.objects.filter(
                component_id__in=[earlier for _, earlier, _ in reuses]
            ).values_list("component_id", "pk")
        )
        component_files_attach_bulk(
            [
                Attachment(component, stored, ComponentSource.REUSE, reused_from_id=links[earlier])
                for component, earlier, stored in reuses
            ],
            attached_at_reception=True,
        )
    return (
        f"Tệp số hóa 2023: {len(attachments)} tệp đính kèm ({len(scans) * SCAN_VARIANTS} bản quét "
        f"mẫu), {len(reuses)} giấy tờ tái sử dụng, {len(undigitised)} hồ sơ chưa số hóa đủ."
    )


def _attachment(row: _Row, component, stored_id: int, desk: dict, gap: str | None, last: bool):
    """The file of one paper, or None for the paper left unscanned. `gap` marks a dossier that is
    not fully digitised: its last paper is "missing" (no file) or "unconfirmed" (scan unchecked)."""
    from motcua.documents.bulk import Attachment
    from motcua.documents.models import ComponentSource

    if row.channel == ChannelKind.ONLINE:
        return Attachment(component.pk, stored_id, ComponentSource.CITIZEN_UPLOAD)
    if gap == "missing" and last:
        return None
    officer = desk.get(row.unit)
    confirmed = not (gap == "unconfirmed" and last)
    return Attachment(
        component.pk,
        stored_id,
        ComponentSource.DESK_SCAN,
        uploaded_by_id=officer,
        confirmed_by_id=officer if confirmed else None,
        confirmed_at=row.received + timedelta(minutes=3) if confirmed else None,
    )


def _undigitised(rows: list[_Row], with_papers: set[int]) -> dict[int, str]:
    """Which dossiers are not fully digitised, and how: among the desk and postal dossiers of
    people who came once (a repeat applicant's papers are digitised, the second time reused).
    Dossiers of procedures without official papers in the catalogue (ADR 0033) have nothing to
    digitise and already count as not digitised, so fewer are chosen among the others."""
    paperless = sum(1 for r in rows if r.pk not in with_papers)
    count = max(0, len(rows) - round(len(rows) * DIGITISED_SHARE) - paperless)
    seen = defaultdict(int)
    for row in rows:
        seen[row.citizen_id] += 1
    pool = [
        r
        for r in rows
        if r.pk in with_papers
        and r.channel != ChannelKind.ONLINE
        and (not r.citizen_id or seen[r.citizen_id] == 1)
    ]
    rng = random.Random(SEED + 3)
    chosen = rng.sample(pool, count)
    return {row.pk: ("missing" if i % 3 else "unconfirmed") for i, row in enumerate(chosen)}


def _variant(code: str, paper: str) -> int:
    """The same dossier always gets the same sample scan of a paper."""
    return hashlib.sha256(f"{code}|{paper}".encode()).digest()[0] % SCAN_VARIANTS


def _desk_officers() -> dict[str, int | None]:
    from motcua.accounts.models import User

    users = dict(
        User.objects.filter(username__in=("motcua.ttpvhcc", "motcua.tgpl")).values_list(
            "username", "pk"
        )
    )
    return {CENTRE: users.get("motcua.ttpvhcc"), LEGAL_AID: users.get("motcua.tgpl")}


def _scans(papers: set[str]) -> dict[str, list[int]]:
    """SCAN_VARIANTS sample scans of each paper, stored once through the documents service."""
    from motcua.documents.services import stored_file_put

    return {
        paper: [stored_file_put(_scan_pdf(paper, variant)).pk for variant in range(SCAN_VARIANTS)]
        for paper in sorted(papers)
    }


def _scan_pdf(paper: str, variant: int) -> bytes:
    """A stand-in for a scanned paper: a greyish A4 page at 100 dpi naming it, slightly tilted
    differently in each variant, as one-page PDF. Fixed dates: the same bytes at every load."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (827, 1169), 244 - 4 * variant)
    draw = ImageDraw.Draw(page)
    font, small = ImageFont.truetype(FONT, 24), ImageFont.truetype(FONT, 18)
    draw.text((90, 80), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font, fill=25)
    draw.text((180, 115), "Độc lập - Tự do - Hạnh phúc", font=font, fill=25)
    words, line, y = paper.split(), "", 220
    for word in words:
        if len(line) + len(word) > 52:
            draw.text((90, y), line, font=font, fill=25)
            line, y = "", y + 34
        line = f"{line} {word}".strip()
    draw.text((90, y), line, font=font, fill=25)
    for n in range(14):
        draw.line((90, y + 80 + 36 * n, 740, y + 80 + 36 * n), fill=150, width=1)
    draw.text((90, 1080), f"Bản quét mẫu số {variant + 1} (dữ liệu mẫu)", font=small, fill=90)
    page = page.rotate(0.4 * (variant - 1), fillcolor=244, resample=Image.BICUBIC)
    out = io.BytesIO()
    fixed = time.strptime("2023-01-01", "%Y-%m-%d")
    page.save(
        out, format="PDF", resolution=100.0, title=paper[:60], creationDate=fixed, modDate=fixed
    )
    return out.getvalue()


# --- electronic results ---------------------------------------------------------------------------


def _results_load(rows: list[_Row]) -> str:
    from motcua.accounts.models import User
    from motcua.documents.bulk import ResultToIssue, results_issue_bulk
    from motcua.documents.models import IssuedDocument

    issued = IssuedDocument.objects.filter(dossier__in=_period_dossiers()).count()
    if issued >= ELECTRONIC_RESULTS:
        return f"Kết quả điện tử 2023: đã có {issued}."
    pool = [
        r
        for r in rows
        if r.channel == ChannelKind.ONLINE
        and r.return_channel == ChannelKind.ONLINE
        and r.status in (Status.FINISHED, Status.RETURNED)
    ]
    chosen = random.Random(SEED + 4).sample(pool, min(ELECTRONIC_RESULTS, len(pool)))
    leader = User.objects.filter(username="lanhdao.so").first()
    try:
        created = results_issue_bulk(leader, [ResultToIssue(r.pk, r.finished) for r in chosen])
    except (ImproperlyConfigured, ValidationError) as error:  # no signing key: the rest loads
        return f"Kết quả điện tử 2023: chưa ký được ({error})."
    return f"Kết quả điện tử 2023: {len(created)} kết quả đã ký số."


# --- fees -----------------------------------------------------------------------------------------


def _payments_load(rows: list[_Row]) -> str:
    from django.core.exceptions import ValidationError

    from motcua.catalog.models import ProcedureFee
    from motcua.payments.bulk import PastPayment, past_payments_record
    from motcua.payments.models import PaymentChannel

    fees = defaultdict(list)
    for version_id, order in (
        ProcedureFee.objects.filter(version_id__in={r.version_id for r in rows}, amount__gt=0)
        .order_by("version_id", "order")
        .values_list("version_id", "order")
    ):
        fees[version_id].append(order)
    desk = _desk_officers()
    rng = random.Random(SEED + 5)
    payments = []
    for row in rows:
        if not fees[row.version_id]:
            continue
        reduced = len(fees[row.version_id]) > 1 and rng.random() < REDUCED_FEE_SHARE
        order = fees[row.version_id][1 if reduced else 0]
        online = row.channel == ChannelKind.ONLINE
        if online and rng.random() < ONLINE_PAYMENT_SHARE:
            paid_at, channel = row.received + timedelta(minutes=rng.randrange(5, 90)), "online"
        elif online:  # paid at the desk with the result; not yet when still in progress
            paid_at, channel = row.returned - timedelta(minutes=5) if row.returned else None, "desk"
        else:
            paid_at, channel = row.received + timedelta(minutes=5), "desk"
        payments.append(
            PastPayment(
                dossier_id=row.pk,
                opened_at=row.received,
                paid_at=paid_at,
                channel=PaymentChannel(channel),
                fee_order=order,
                recorded_by_id=desk.get(row.unit),
            )
        )
    try:
        opened = past_payments_record(payments)
    except ValidationError as error:
        return f"Phí, lệ phí 2023: chưa ghi được ({'; '.join(error.messages)})."
    if not opened:
        return "Phí, lệ phí 2023: đã có."
    return f"Phí, lệ phí 2023: {opened} khoản phải nộp."
