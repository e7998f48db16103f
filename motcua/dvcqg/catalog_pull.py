"""The catalogue pull (issue [I] 5, ADR 0037): read the national catalogue (LayDanhSachTTHC, then
LayThuTuc of each procedure we hold), compare it with our version in force, keep what differs, and
let an administrator accept a procedure's changes as a new catalogue version — through the
catalogue's own import service, with the decision that announced it — or reject them. Nothing in
the catalogue changes without that decision.

What is compared (the fields of reference §1.5):

| aspect | ours | national |
|---|---|---|
| name | the version's name | TENTTHC |
| time | processing time and unit | THOIGIANGIAIQUYET / DONVITINH of the first way of CACHTHUCTHUCHIEN (KENH 1 first) |
| fees | the amounts (đồng) | SOTIEN of that way's PHILEPHI; 0 = free (no fee) |
| channels | intake channels | the KENH values (1 desk, 2 online, 3 post) |
| components | the papers' names | TENGIAYTO of THANHPHANHOSO[].GIAYTO[] |

Texts are compared with spaces collapsed and case folded. What the portal does not say (a time in
calendar days, a fee without an amount, no papers listed) is not compared, and the pull says so
(`notes`). The portal is called outside any transaction (its calls are recorded, ADR 0030); the
pull is written in one transaction once everything was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from motcua.accounts.roles import Role
from motcua.catalog.exporting import version_dict
from motcua.catalog.importing import CatalogImportError
from motcua.catalog.importing.format import FORMAT, channels_in_order, decimal_text
from motcua.catalog.models import Channel, Decision, ProcedureVersion, TimeUnit
from motcua.catalog.selectors import version_in_force, versions_in_force
from motcua.catalog.services import catalog_import
from motcua.core.clock import now
from motcua.core.text import format_money

from .client import DvcqgClient, DvcqgError
from .models import NATIONAL_CODE_PATTERN, ProcedureMapping
from .models_exchange import CatalogDifference, CatalogPull, MatchKind, Review

MSG_NOT_ADMIN = "Chỉ quản trị hệ thống được đối chiếu và cập nhật danh mục theo Cổng DVCQG."
KENH = {1: Channel.DESK.value, 2: Channel.ONLINE.value, 3: Channel.POST.value}
ASPECTS = {
    "name": "Tên thủ tục",
    "time": "Thời hạn giải quyết",
    "fees": "Phí, lệ phí",
    "channels": "Kênh nộp hồ sơ",
    "components": "Thành phần hồ sơ",
}


class NationalRecordError(ValueError):
    """A LayThuTuc record whose structure is not the reference's (§1.5)."""


def _check_admin(actor) -> None:
    """The command line acts as None (the server's operator); on the web only an administrator."""
    if actor is not None and getattr(actor, "role", None) != Role.ADMINISTRATOR:
        raise PermissionDenied(MSG_NOT_ADMIN)


def _norm(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


# --- the facts compared ----------------------------------------------------------------------------


@dataclass
class Facts:
    name: str
    time: tuple[Decimal, str] | None  # (value, TimeUnit) or None when not known
    fees: list[tuple[str, int]] | None  # [(name, amount)] without free items; None: not known
    channels: list[str] | None
    components: list[dict] | None  # [{"name", "template"}]; None: not listed


def our_facts(version: ProcedureVersion) -> Facts:
    return Facts(
        name=version.name,
        time=(version.processing_time_value, version.processing_time_unit),
        fees=[(f.name, f.amount) for f in version.fees.all()],
        channels=channels_in_order(version.intake_channels),
        components=[{"name": c.name, "template": c.template} for c in version.components.all()],
    )


def _list(record: dict, key: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise NationalRecordError(f"{key} phải là một danh sách đối tượng")
    return value


def _time_unit(unit: str) -> str | None:
    unit = _norm(unit)
    if unit in ("ngày làm việc", "ngày làm việc."):
        return TimeUnit.WORKING_DAYS.value
    if unit in ("giờ làm việc", "giờ"):
        return TimeUnit.WORKING_HOURS.value
    return None


def national_facts(record: dict) -> tuple[Facts, list[str]]:
    """The facts of a LayThuTuc record, and what could not be read from it (notes)."""
    notes: list[str] = []
    name = record.get("TENTTHC")
    if not isinstance(name, str) or not name.strip():
        raise NationalRecordError("thiếu TENTTHC")
    ways = _list(record, "CACHTHUCTHUCHIEN")
    channels: set[str] = set()
    for way in ways:
        try:
            channels.add(KENH[int(way.get("KENH"))])
        except (TypeError, ValueError, KeyError):
            raise NationalRecordError(f"KENH “{way.get('KENH')}” không hợp lệ") from None
    ways.sort(key=lambda w: int(w["KENH"]))
    time: tuple[Decimal, str] | None = None
    fees: list[tuple[str, int]] | None = None
    if not ways:
        notes.append("Cổng không nêu cách thức thực hiện: không so sánh thời hạn, phí, kênh.")
    else:
        times = _list(ways[0], "THOIGIAN")
        first = times[0] if times else {}
        try:
            value = Decimal(str(first.get("THOIGIANGIAIQUYET") or 0))
        except InvalidOperation:
            raise NationalRecordError("THOIGIANGIAIQUYET không phải là số") from None
        unit = _time_unit(str(first.get("DONVITINH") or ""))
        if value > 0 and unit:
            time = (value, unit)
        else:
            shown = f"{first.get('THOIGIANGIAIQUYET') or ''} {first.get('DONVITINH') or ''}"
            notes.append(
                f"Thời hạn trên Cổng “{' '.join(shown.split()) or 'không có'}” không tính bằng "
                "ngày hoặc giờ làm việc: không so sánh."
            )
        fees = []
        for fee in _list(first, "PHILEPHI"):
            amount = fee.get("SOTIEN")
            if amount is None or amount == "":
                notes.append(f"Khoản phí “{fee.get('MOTA') or ''}” trên Cổng không ghi số tiền.")
                fees = None
                break
            try:
                amount = int(Decimal(str(amount)))
            except InvalidOperation:
                raise NationalRecordError(f"SOTIEN “{amount}” không phải là số") from None
            if amount < 0:
                raise NationalRecordError(f"SOTIEN “{amount}” âm")
            if amount:
                fees.append((str(fee.get("MOTA") or "Phí, lệ phí"), amount))
    papers: list[dict] = []
    for group in _list(record, "THANHPHANHOSO"):
        for paper in _list(group, "GIAYTO"):
            title = str(paper.get("TENGIAYTO") or "").strip()
            if not title:
                raise NationalRecordError("một giấy tờ trong THANHPHANHOSO không có TENGIAYTO")
            papers.append({"name": title, "template": str(paper.get("TENMAUDON") or "")})
    components = papers or None
    if not papers:
        notes.append("Cổng không liệt kê thành phần hồ sơ: không so sánh.")
    return (
        Facts(
            name=name.strip(),
            time=time,
            fees=fees,
            channels=channels_in_order(channels) if ways else None,
            components=components,
        ),
        notes,
    )


def _shown(aspect: str, facts: Facts) -> str:
    if aspect == "name":
        return facts.name
    if aspect == "time":
        value, unit = facts.time  # type: ignore[misc]
        return f"{decimal_text(value)} {TimeUnit(unit).label}"
    if aspect == "fees":
        return "; ".join(f"{format_money(a)} ({n})" for n, a in facts.fees or []) or "Không thu phí"
    if aspect == "channels":
        return ", ".join(Channel(c).label for c in facts.channels or [])
    return "\n".join(c["name"] for c in facts.components or [])


def _key(aspect: str, facts: Facts):
    if aspect == "name":
        return _norm(facts.name)
    if aspect == "time":
        return facts.time and (facts.time[0].normalize(), facts.time[1])
    if aspect == "fees":
        return facts.fees is not None and sorted(a for _, a in facts.fees)
    if aspect == "channels":
        return facts.channels
    return facts.components is not None and [_norm(c["name"]) for c in facts.components]


def differences(ours: Facts, national: Facts) -> dict:
    """aspect → {label, ours, national}, for each aspect the portal states and that differs."""
    found = {}
    for aspect, label in ASPECTS.items():
        if getattr(national, aspect) is None:
            continue
        if _key(aspect, ours) != _key(aspect, national):
            found[aspect] = {
                "label": label,
                "ours": _shown(aspect, ours),
                "national": _shown(aspect, national),
            }
    return found


# --- the pull ----------------------------------------------------------------------------------------


def _national_list(rows: list[dict]) -> tuple[dict[str, str], list[str]]:
    """LayDanhSachTTHC rows → {MATTHC: TENTTHC}, and the rows that cannot be used."""
    found: dict[str, str] = {}
    problems = []
    for number, row in enumerate(rows, start=1):
        code = str(row.get("MATTHC") or "").strip()
        title = str(row.get("TENTTHC") or "").strip()
        if not code:
            problems.append(f"Dòng {number} của danh sách không có MATTHC (tên: “{title[:120]}”).")
        elif not re.fullmatch(NATIONAL_CODE_PATTERN, code):
            problems.append(f"Dòng {number}: mã “{code[:40]}” không đúng dạng d.dddddd.")
        elif code in found:
            problems.append(f"Dòng {number}: mã {code} có hai lần trong danh sách.")
        else:
            found[code] = title
    return found, problems


def catalog_pull(actor, client: DvcqgClient, *, at: date | None = None) -> CatalogPull:
    """Read the national catalogue and record, per procedure in force in ours, how it compares.
    A list that cannot be read is recorded as a failed pull with the reason, and nothing else."""
    _check_admin(actor)
    started = now()
    try:
        rows = client.lay_danh_sach_tthc()
    except DvcqgError as exc:
        return CatalogPull.objects.create(
            started_at=started, finished_at=now(), by=actor, ok=False, message=exc.message
        )
    national, problems = _national_list(rows)
    mappings = dict(ProcedureMapping.objects.values_list("procedure_id", "national_code"))
    versions = list(versions_in_force(at).prefetch_related("fees", "components"))
    items = []
    for version in versions:
        items.append(_compare(version, mappings.get(version.procedure_id), national, client))
    with transaction.atomic():
        pull = CatalogPull.objects.create(
            started_at=started,
            finished_at=now(),
            by=actor,
            ok=True,
            national_list=[{"MATTHC": c, "TENTTHC": n} for c, n in national.items()],
            problems=problems,
        )
        for item in items:
            item.pull = pull
        CatalogDifference.objects.bulk_create(items)
    return pull


def _compare(version, mapped: str | None, national: dict, client) -> CatalogDifference:
    code = version.procedure.code
    item = CatalogDifference(procedure=version.procedure, version=version)
    if mapped is None and re.fullmatch(NATIONAL_CODE_PATTERN, code):
        mapped = code
    if mapped is None:
        item.kind = MatchKind.UNMATCHED
        return item
    item.national_code = mapped
    if mapped not in national:
        item.kind = MatchKind.ABSENT
        return item
    try:
        record = client.lay_thu_tuc(mapped)
        facts, item.notes = national_facts(record)
    except DvcqgError as exc:
        item.kind, item.message = MatchKind.ERROR, exc.message
        return item
    except NationalRecordError as exc:
        item.kind, item.message = MatchKind.ERROR, f"Bản ghi LayThuTuc không đúng cấu trúc: {exc}."
        return item
    item.national = record
    item.differences = differences(our_facts(version), facts)
    item.kind = MatchKind.DIFFERS if item.differences else MatchKind.SAME
    item.review = Review.PENDING if item.differences else Review.NONE
    return item


# --- the administrator's decision ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionData:
    number: str
    signed_on: date
    effective_from: date
    issuer: str
    title: str


def _locked(item_id: int) -> CatalogDifference:
    item = (
        CatalogDifference.objects.select_for_update(of=("self",))
        .select_related("procedure", "version", "pull")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ValidationError("Không có khác biệt này.")
    if item.review != Review.PENDING:
        raise ValidationError(
            f"Khác biệt của thủ tục {item.procedure.code} đã được xem xét "
            f"({item.get_review_display().lower()}); tải lại trang."
        )
    latest = CatalogPull.objects.filter(ok=True).order_by("-started_at", "-pk").first()
    if latest is None or latest.pk != item.pull_id:
        raise ValidationError("Đã có lần đối chiếu mới hơn: hãy xem xét theo lần đối chiếu đó.")
    return item


def new_version_document(item: CatalogDifference, aspects: list[str], data: DecisionData) -> dict:
    """The catalogue file (motcua.catalogue/1) of one new version: the compared version with the
    chosen aspects taken from the national record, under the administrator's decision."""
    facts, _ = national_facts(item.national)
    version = ProcedureVersion.objects.prefetch_related("fees", "components", "steps__unit").get(
        pk=item.version_id
    )
    new = version_dict(version)
    stamp = f"Cổng DVCQG (LayThuTuc {item.national_code}, đọc ngày {item.pull.started_at:%d/%m/%Y})"
    new.update(
        decision=data.number,
        change="amended",
        effective_from=data.effective_from.isoformat(),
        replaced_by=None,
    )
    if "name" in aspects:
        new["name"] = facts.name
    if "time" in aspects and facts.time:
        new["processing_time"] = {"value": decimal_text(facts.time[0]), "unit": facts.time[1]}
    if "fees" in aspects and facts.fees is not None:
        new["fees"] = [{"name": n, "amount": a, "legal_basis": stamp} for n, a in facts.fees]
    if "channels" in aspects and facts.channels:
        new["intake_channels"] = facts.channels
    if "components" in aspects and facts.components is not None:
        kept = {_norm(c["name"]): c for c in new["components"]}
        new["components"] = [
            kept.get(_norm(c["name"]))
            or {
                # The portal gives the name and the form's name only: the rest is our default
                # (an original, one copy, required), marked by its source (docs/dvcqg.md).
                "name": c["name"],
                "form": "original",
                "count": 1,
                "mandatory": True,
                "condition": "",
                "template": c["template"],
                "legal_basis": "",
                "source": stamp,
            }
            for c in facts.components
        ]
    new["content_source"] = "; ".join(p for p in (new["content_source"], stamp) if p)
    existing = Decision.objects.filter(number=data.number).first()
    decision = {
        "number": data.number,
        "signed_on": (existing.signed_on if existing else data.signed_on).isoformat(),
        "effective_from": (
            existing.effective_from if existing else data.effective_from
        ).isoformat(),
        "issuer": existing.issuer if existing else data.issuer,
        "title": existing.title if existing else data.title,
    }
    if existing:
        new["effective_from"] = existing.effective_from.isoformat()
    return {
        "format": FORMAT,
        "fields": [],
        "decisions": [decision],
        "procedures": [
            {
                "code": item.procedure.code,
                "is_internal": item.procedure.is_internal,
                "versions": [new],
            }
        ],
    }


def _decision_checked(data: DecisionData) -> DecisionData:
    number, issuer, title = (" ".join(v.split()) for v in (data.number, data.issuer, data.title))
    errors = {}
    if not number:
        errors["number"] = "Hãy nhập số quyết định công bố."
    elif len(number) > 64:
        errors["number"] = "Số quyết định không quá 64 ký tự."
    existing = Decision.objects.filter(number=number).first() if number else None
    if existing is None:
        if not issuer:
            errors["issuer"] = "Hãy nhập cơ quan, người ban hành quyết định."
        if data.effective_from < data.signed_on:
            errors["effective_from"] = "Ngày có hiệu lực không được trước ngày ký."
    elif existing.signed_on != data.signed_on:
        errors["signed_on"] = (
            f"Quyết định {number} đã có trong danh mục với ngày ký "
            f"{existing.signed_on:%d/%m/%Y}, khác ngày đã nhập."
        )
    if errors:
        raise ValidationError(errors)
    return DecisionData(
        number, data.signed_on, data.effective_from, issuer, title or f"Quyết định {number}"
    )


def difference_accept(
    actor, item_id: int, *, aspects: list[str], decision: DecisionData
) -> CatalogDifference:
    """Accept the chosen aspects of one procedure's differences: one new version of it, announced
    by `decision` (amended), through the catalogue import; the difference records the decision.
    Anything wrong (a stale pull, a catalogue changed since, the import refusing) changes nothing."""
    _check_admin(actor)
    data = _decision_checked(decision)
    with transaction.atomic():
        item = _locked(item_id)
        chosen = [a for a in ASPECTS if a in aspects and a in item.differences]
        if not chosen:
            raise ValidationError(
                {"aspects": "Hãy chọn ít nhất một nội dung khác biệt để cập nhật."}
            )
        current = version_in_force(item.procedure.code)
        if current is None or current.pk != item.version_id:
            raise ValidationError(
                f"Phiên bản đang hiệu lực của thủ tục {item.procedure.code} đã thay đổi từ lần "
                "đối chiếu: hãy lấy lại danh mục từ Cổng DVCQG."
            )
        document = new_version_document(item, chosen, data)
        effective = date.fromisoformat(document["procedures"][0]["versions"][0]["effective_from"])
        if effective <= item.version.effective_from:
            raise ValidationError(
                {
                    "effective_from": "Ngày có hiệu lực của phiên bản mới phải sau ngày có hiệu lực "
                    f"của phiên bản đang áp dụng ({item.version.effective_from:%d/%m/%Y})."
                }
            )
        try:
            catalog_import(actor, document)
        except CatalogImportError as exc:
            raise ValidationError(
                ["Danh mục không nhận phiên bản mới; chưa ghi gì.", *exc.errors]
            ) from None
        item.new_version = ProcedureVersion.objects.get(
            procedure=item.procedure, decision__number=data.number
        )
        item.review, item.reviewed_by, item.reviewed_at = Review.ACCEPTED, actor, now()
        item.decision_number, item.decision_signed_on = data.number, data.signed_on
        item.accepted_aspects = chosen
        item.save()
    return item


def difference_reject(
    actor, item_id: int, *, reason: str, number: str = "", signed_on: date | None = None
) -> CatalogDifference:
    """Keep our catalogue as it is for this procedure, with the reason (and the decision, when one
    says so). Nothing in the catalogue changes."""
    _check_admin(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do không cập nhật theo Cổng DVCQG."})
    number = " ".join((number or "").split())[:64]
    with transaction.atomic():
        item = _locked(item_id)
        item.review, item.reviewed_by, item.reviewed_at = Review.REJECTED, actor, now()
        item.review_note, item.decision_number, item.decision_signed_on = reason, number, signed_on
        item.save()
    return item


# --- reads ---------------------------------------------------------------------------------------------


def latest_pull() -> CatalogPull | None:
    return CatalogPull.objects.order_by("-started_at", "-pk").first()


def pull_items(pull: CatalogPull, kind: str | None = None) -> QuerySet[CatalogDifference]:
    items = pull.items.select_related("procedure", "version", "new_version", "reviewed_by")
    return items.filter(kind=kind) if kind else items


def pull_counts(pull: CatalogPull) -> dict[str, int]:
    counts = {k: 0 for k in MatchKind.values}
    for kind in pull.items.values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def difference_get(item_id: int) -> CatalogDifference | None:
    return (
        CatalogDifference.objects.select_related(
            "procedure", "version", "pull", "new_version", "reviewed_by"
        )
        .filter(pk=item_id)
        .first()
    )
