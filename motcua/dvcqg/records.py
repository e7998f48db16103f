"""The records the national portal takes, built from our dossiers: the dossier (HoSo of
DongBoHoSoMC) and its progress (TienDo of CapNhatTienDoHoSoMC).

Field names and formats are those of ../shared/reference/national-integrations.md §2.2 (the OpenCPS
field set), §2.4 (newer fields of another implementation, "spec version unknown") and §3, and of
vn-regulations.md §1.5 and §10. Every value is a string, dates `yyyyMMddHHmmss` in Vietnam time.
These functions read the database and write nothing; the sync job sends what they return.
`hoso_record` and `tien_do_records` build one dossier's; `records_build` builds a whole batch's in a
fixed number of statements (ADR 0030, "Batching"), through the same code, so both give the same
bytes.

How each value is derived, and what the sources leave unsure, is in docs/dvcqg.md ("Dossier
record"); the short version is in the comments below. A dossier that cannot be sent as it stands
(no code yet, no national status, no national procedure code, a required value missing) raises
NotSendable, whose `reason` is a stable key the sync job can store.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from motcua.accounts.national_signon import national_tech_id_for, national_tech_ids_for
from motcua.accounts.roles import Role
from motcua.core.text import fold
from motcua.documents.models import ComponentFile, ComponentSource, IssuedDocument
from motcua.documents.selectors import files_for_dossier, results_for_dossier
from motcua.documents.services import EXTENSIONS
from motcua.dossiers.models import (
    ApplicantKind,
    ChannelKind,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.workflow import EVENT_LABELS, national_status
from motcua.payments.models import Charge, PaymentChannel

from .links import FileRef, file_link
from .models import NATIONAL_CODE_PATTERN, FileKind, ProcedureMapping

T = TypeVar("T")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL_TIME = "%Y%m%d%H%M%S"
SUMMARY_MAX = 1000  # TrichYeuHoSo ≤ 1000 characters (vn-regulations §10)
NOTE_MAX = 1000  # OpenCPS stopped sending notes: over 2,000 characters broke the sync (§2.2)
# Required by the portal (§2.2, "yes" in the required column).
REQUIRED = (
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "LoaiDoiTuong",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
    "DonViXuLy",
)
# KenhThucHien (reference §2.4): no code for a dossier another agency sent over (liên thông), and
# none is made up here — such a dossier is not sent at all (`_not_lienthong`, ADR 0044).
CHANNEL_CODES: dict[str, str] = {
    ChannelKind.DESK: "1",
    ChannelKind.ONLINE: "2",
    ChannelKind.POST: "3",
}
APPLICANT_KINDS: dict[str, str] = {ApplicantKind.PERSON: "1", ApplicantKind.ORGANISATION: "2"}
# The moves that end processing without a result (766: the end is the time of 3/7/8 when there is
# no 9): refusal at intake or after examination, stop, withdrawal.
ENDING_ACTIONS = frozenset({"refuse_intake", "refuse", "stop", "withdraw"})
REFUSING_ACTIONS = frozenset({"refuse_intake", "refuse"})
# The move that answers a supplement request: the citizen resubmits an online dossier at intake,
# the desk or the citizen delivers the papers while it is processed.
ANSWERS = {"request_intake_supplement": "resubmit", "request_supplement": "supplement_received"}


class NotSendable(Exception):
    """The dossier cannot go to the portal as it stands. `reason`: "no_code", "no_national_status",
    "no_national_code", "missing_fields" or "lienthong" (received from another agency, which
    syncs it itself); `message` says it in Vietnamese."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def national_time(value: datetime | None) -> str:
    """An instant as the portal writes it: yyyyMMddHHmmss in Vietnam time ("" for none)."""
    return value.astimezone(VIETNAM).strftime(NATIONAL_TIME) if value else ""


# --- the national procedure ----------------------------------------------------------------------


@dataclass(frozen=True)
class NationalProcedure:
    code: str
    name: str
    field_code: str
    field_name: str
    results: tuple[tuple[str, str], ...] = ()  # (MAKETQUA, TENKETQUA)


def national_procedure(version) -> NationalProcedure:
    """MaTTHC, TenTTHC, MaLinhVuc, TenLinhVuc of a procedure version: from its mapping when an
    administrator set one, else our own values when our code is a national code (d.dddddd).

    What the mapping copied from the portal (LayThuTuc) wins over our catalogue; our field code
    (e.g. "LLTP") is not necessarily the portal's MALINHVUC — the sources do not give the national
    field codes, so it is sent only when no mapping says otherwise."""
    mapping = ProcedureMapping.objects.filter(procedure_id=version.procedure_id).first()
    return _national_procedure(version, mapping)


def _national_procedure(version, mapping: ProcedureMapping | None) -> NationalProcedure:
    procedure = version.procedure
    if mapping is not None:
        return NationalProcedure(
            code=mapping.national_code,
            name=mapping.national_name or version.name,
            field_code=mapping.national_field_code or version.field.code,
            field_name=mapping.national_field_name or version.field.name,
            results=tuple((r["MAKETQUA"], r["TENKETQUA"]) for r in mapping.national_results),
        )
    if not re.fullmatch(NATIONAL_CODE_PATTERN, procedure.code):
        raise NotSendable(
            "no_national_code",
            f"Thủ tục {procedure.code} là thủ tục riêng của địa phương, chưa được ánh xạ với mã "
            f"TTHC quốc gia (motcua dvcqg map {procedure.code} MÃ_TTHC).",
        )
    return NationalProcedure(procedure.code, version.name, version.field.code, version.field.name)


# --- the dossier record (DongBoHoSoMC) ------------------------------------------------------------


def hoso_record(dossier: Dossier, *, base_url: str | None = None) -> dict:
    """The HoSo object of DongBoHoSoMC for this dossier (reference §2.2 + §2.4), or NotSendable.
    File links are signed and expire (links.py); `base_url` defaults to MOTCUA_PUBLIC_BASE_URL."""
    if not dossier.code:
        raise _no_code()
    _not_lienthong(dossier)
    status = _national_status_of(dossier)
    procedure = national_procedure(dossier.procedure_version)
    reads = _Reads(
        events=list(dossier.events.select_related("actor").order_by("at", "pk")),
        files=list(files_for_dossier(dossier)),
        results=list(results_for_dossier(dossier)),
        charge=Charge.objects.filter(dossier=dossier).first(),
        paid_online=Charge.objects.filter(
            dossier=dossier, settled_at__isnull=False, settled_channel=PaymentChannel.ONLINE
        ).exists(),
        components=list(dossier.components.all()),
        supplements=list(dossier.supplement_lists.select_related("requested_by", "event")),
        tech_id=_tech_id_of(dossier.applicant),
    )
    return _hoso(dossier, status, procedure, reads, base_url)


def _not_lienthong(dossier: Dossier) -> None:
    """A dossier sent over by another agency (liên thông) is on the portal already, under the code
    of the agency the citizen submitted it to, which reports it: sent from here too, one citizen's
    dossier would count twice (VietOpenCPS/opencps-v2 issue #1434; ADR 0044). Its progress here
    goes back to that agency by the exchange (ADR 0042)."""
    if dossier.returns_to_sending_agency:
        raise NotSendable(
            "lienthong",
            f"Hồ sơ {dossier.code} nhận liên thông từ cơ quan khác: cơ quan nơi người dân nộp hồ "
            "sơ đồng bộ hồ sơ này lên Cổng DVCQG, không gửi lại từ đây.",
        )


def _tech_id_of(applicant) -> str:
    person = applicant.kind == ApplicantKind.PERSON
    return national_tech_id_for(
        citizen_id=applicant.citizen_id if person else "",
        tax_code="" if person else applicant.tax_code,
    )


@dataclass
class _Reads:
    """What a dossier's record reads besides the dossier, its version and its national procedure:
    read per dossier by hoso_record, for a whole batch at once by records_build."""

    events: list[DossierEvent]  # oldest first
    files: list[ComponentFile]  # component order, then attachment order
    results: list[IssuedDocument]  # newest first
    charge: Charge | None
    paid_online: bool
    components: list[DossierComponent]
    supplements: list[SupplementRequest]
    tech_id: str  # MaDoiTuong: the owner's national account (ADR 0035), "" when none


def _hoso(
    dossier: Dossier,
    status: int,
    procedure: NationalProcedure,
    reads: _Reads,
    base_url: str | None,
) -> dict:
    version = dossier.procedure_version
    events, files, results = reads.events, reads.files, reads.results
    record = {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field_code,
        "TenLinhVuc": procedure.field_name,
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, ""),
        **_applicant_fields(dossier, reads.tech_id),
        "TrichYeuHoSo": _summary(procedure.name, dossier.applicant_name),
        **_dates(dossier, events),
        "TrangThaiHoSo": str(status),
        # OpenCPS: 1 when the result goes back by post, else 0 (reference §2.2, "uncertain").
        "HinhThuc": "1" if dossier.return_channel == ChannelKind.POST else "0",
        "DonViXuLy": version.competent_agency.name,
        "NoiNopHoSo": dossier.receiving_unit.name,
        "TaiLieuNop": [_submitted_file(dossier, f, base_url) for f in files],
        "DanhSachGiayToKetQua": [_result_document(r, procedure, base_url) for r in results],
        "DanhSachLePhi": _fees(reads.charge),
        "DanhSachTepDinhKemKhac": _papers_without_files(reads.components, files),
        "DanhSachHoSoBoSung": _supplement_rounds(reads.supplements, events),
        **_indicator_flags(dossier, files, reads.paid_online),
    }
    _check_required(record)
    return record


def _national_status_of(dossier: Dossier) -> int:
    try:
        return national_status(dossier.status)
    except (KeyError, ValueError):
        raise NotSendable(
            "no_national_status",
            f"Trạng thái “{dossier.status}” của hồ sơ {dossier.code} không có mã trạng thái quốc gia.",
        ) from None


def _check_required(record: dict) -> None:
    missing = [name for name in REQUIRED if not record.get(name)]
    if missing:
        raise NotSendable(
            "missing_fields",
            f"Hồ sơ {record['MaHoSo']} thiếu thông tin bắt buộc: {', '.join(missing)}.",
        )


def _summary(procedure_name: str, applicant_name: str) -> str:
    text = f"{procedure_name} – {applicant_name}".strip(" –")
    return text[:SUMMARY_MAX]


def _applicant_fields(dossier: Dossier, tech_id: str) -> dict:
    """The dossier's owner as received (not today's person record). MaDoiTuong is the owner's
    DVCQG account id (TechID), known once a citizen signed in with it (ADR 0035). The identity number
    goes in SoGiayToChuHoSo and, for a 12-digit personal number, DinhDanhCHS (LoaiDinhDanh 1 =
    CCCD/ĐDCN, vn-regulations §10)."""
    applicant = dossier.applicant
    person = applicant.kind == ApplicantKind.PERSON
    number = applicant.citizen_id if person else applicant.tax_code
    identities = (
        [{"LoaiDinhDanh": "1", "SoDinhDanh": number}] if person and len(number) == 12 else []
    )
    return {
        "ChuHoSo": dossier.applicant_name,
        # 1 citizen, 2 business; an organisation of ours may also be an agency (3) or another
        # organisation (4, vn-regulations §10): our model does not tell them apart.
        "LoaiDoiTuong": APPLICANT_KINDS.get(applicant.kind, ""),
        "MaDoiTuong": tech_id,
        "SoGiayToChuHoSo": number,
        "DinhDanhCHS": identities,
        "ThongTinKhac": "",
        "Email": dossier.contact_email,
        "Fax": "",
        "SoDienThoai": dossier.contact_phone,
    }


def _dates(dossier: Dossier, events: list[DossierEvent]) -> dict:
    refusals = [e.at for e in events if e.action in REFUSING_ACTIONS]
    return {
        "NgayNopHoSo": national_time(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": national_time(dossier.received_at),
        "NgayHenTra": national_time(_due(dossier, events)),
        "NgayKetThucXuLy": national_time(_processing_end(dossier, events)),
        "NgayTra": national_time(dossier.returned_at),
        "NgayTuChoi": national_time(refusals[-1] if refusals else None),
    }


def _due(dossier: Dossier, events: list[DossierEvent]) -> datetime | None:
    """The appointment: while the clock stands still (supplement, payment) ours is unknown until
    it resumes, so the last one the applicant was given is sent."""
    if dossier.due_at:
        return dossier.due_at
    for event in reversed(events):
        if event.due_after or event.due_before:
            return event.due_after or event.due_before
    return dossier.due_at_original


def _processing_end(dossier: Dossier, events: list[DossierEvent]) -> datetime | None:
    """End of processing (766: the time of 9, else of 3/7/8): when the result was approved, else
    when the dossier was refused, stopped or withdrawn."""
    if dossier.finished_at:
        return dossier.finished_at
    endings = [e.at for e in events if e.action in ENDING_ACTIONS]
    return endings[-1] if endings else None


def _submitted_file(dossier: Dossier, attached: ComponentFile, base_url: str | None) -> dict:
    """One file of a component. DuocSoHoa 1: digitised (an electronic upload or reuse, or a scan
    an officer confirmed against the original); DuocTaiSuDung 1: reused from the person's earlier
    dossier or result (the sources also allow 2, meaning unknown). MaThanhPhanHoSo and
    MaKetQuaThayThe need national component and result codes our catalogue does not hold; the
    store flag DuocLayTuKhoDMQG is left out (see docs/dvcqg.md)."""
    extension = EXTENSIONS.get(attached.stored_file.kind, "bin")
    ref = FileRef(dossier.pk, FileKind.COMPONENT, attached.pk)
    return {
        "TepDinhKemId": str(attached.pk),
        "TenTepDinhKem": f"{attached.component.name}.{extension}",
        "IsDeleted": "False",
        "MaThanhPhanHoSo": "",
        "DuongDanTaiTepTin": file_link(ref, base_url=base_url),
        "DuocSoHoa": "1" if attached.is_digitised else "0",
        "DuocTaiSuDung": "1" if attached.source == ComponentSource.REUSE else "0",
        "MaKetQuaThayThe": "",
    }


def _result_document(
    issued: IssuedDocument, procedure: NationalProcedure, base_url: str | None
) -> dict:
    ref = FileRef(issued.dossier_id, FileKind.RESULT, issued.pk)
    return {
        "GiayToId": str(issued.pk),
        "TenGiayTo": issued.title,
        "MaThanhPhanHoSo": "",
        "MaGiayToKetQua": _result_code(issued.title, procedure),
        "DuongDanTepTinKetQua": file_link(ref, base_url=base_url),
    }


def _result_code(title: str, procedure: NationalProcedure) -> str:
    """The national result code (MAKETQUA of LayThuTuc, kept with the mapping): the procedure's
    only one, or the one of the same name; "" when unknown."""
    if len(procedure.results) == 1:
        return procedure.results[0][0]
    same = [code for code, name in procedure.results if fold(name) == fold(title)]
    return same[0] if same else ""


def _fees(charge: Charge | None) -> list[dict]:
    """What the dossier owes: its charge once opened (payments), else nothing. MaPhiLePhi,
    HinhThucThu and LoaiPhiLePhi are codes the sources name without their values: sent empty."""
    if charge is None:
        return []
    return [
        {
            "TenPhiLePhi": charge.fee_name,
            "MaPhiLePhi": "",
            "HinhThucThu": "",
            "Gia": str(charge.amount),
            "LoaiPhiLePhi": "",
        }
    ]


def _papers_without_files(
    components: list[DossierComponent], files: list[ComponentFile]
) -> list[dict]:
    """Components received on paper only (no file attached): DanhSachTepDinhKemKhac {TenGiayTo,
    SoLuong, LoaiGiayTo}. LoaiGiayTo's codes are unknown: the form's words (Bản chính / Bản sao)."""
    with_files = {f.component_id for f in files}
    return [
        {"TenGiayTo": c.name, "SoLuong": str(c.count), "LoaiGiayTo": c.get_form_display()}
        for c in components
        if c.pk not in with_files
    ]


def _supplement_rounds(
    supplements: list[SupplementRequest], events: list[DossierEvent]
) -> list[dict]:
    """One item per supplement request (Mẫu 02): what was asked, by whom and when, and when and by
    whom the papers were received. TrangThaiBoSung: "1" answered, "0" waiting — our reading; the
    sources give the name only."""
    rounds: list[dict] = []
    for request in supplements:
        asked = request.event.action if request.event else "request_supplement"
        answer = next(
            (e for e in events if e.at >= request.requested_at and e.action == ANSWERS.get(asked)),
            None,
        )
        rounds.append(
            {
                "HoSoBoSungId": str(request.pk),
                "NguoiYeuCauBoSung": str(request.requested_by or ""),
                "NoiDungBoSung": "; ".join(request.lines())[:NOTE_MAX],
                "NgayBoSung": national_time(request.requested_at),
                "NguoiTiepNhanBoSung": _actor_name(answer) if answer else "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": national_time(answer.at if answer else None),
                "TrangThaiBoSung": "1" if answer else "0",
                "DanhSachGiayToBoSung": [],
                "DanhSachLePhiBoSung": [],
                "NgayHenTraTruoc": national_time(
                    request.event.due_before if request.event else None
                ),
                "NgayHenTraMoi": national_time(answer.due_after if answer else None),
            }
        )
    return rounds


def _indicator_flags(dossier: Dossier, files: list[ComponentFile], paid_online: bool) -> dict:
    """The Decision 766 flags (vn-regulations §2.4, §3.2):
    - HoSoCoThanhPhanSoHoa 1: at least one component has a digitised file;
    - DuocThanhToanTrucTuyen 2: the fee was paid in full online through the province's own
      channel (bank transfer / VietQR; 1 would be the portal's payment platform, which we do not
      use); 0 otherwise (the value for "not online" is not in the sources);
    - TaiKhoanDuocXacThucVoiVNeID 1: submitted online by a citizen signed in with the national
      account (Dossier.national_account_verified, ADR 0035), else 0."""
    return {
        "HoSoCoThanhPhanSoHoa": "1" if any(f.is_digitised for f in files) else "0",
        "DuocThanhToanTrucTuyen": "2" if paid_online else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if dossier.national_account_verified else "0",
    }


# --- progress records (CapNhatTienDoHoSoMC) -------------------------------------------------------


def tien_do_records(dossier: Dossier, *, after_event_id: int = 0) -> list[dict]:
    """Every step of the dossier's history (after the event `after_event_id`, the last one the
    portal was sent) as progress records, oldest first (reference §3). OpenCPS sends the latest one
    after each action; the whole list rebuilds the portal's log."""
    if not dossier.code:
        raise NotSendable("no_code", "Hồ sơ chưa có mã nên chưa gửi được tiến độ lên Cổng DVCQG.")
    _not_lienthong(dossier)
    steps = _steps_by_name(list(dossier.steps.all()))
    events = (
        dossier.events.filter(pk__gt=after_event_id)
        .select_related("actor", "unit")
        .order_by("at", "pk")
    )
    return [_progress(dossier, event, steps) for event in events if _has_code(event)]


def _steps_by_name(steps: list[DossierStep]) -> dict[str, DossierStep]:
    """Each step name → its first step in the process order."""
    return {step.name: step for step in reversed(steps)}


def tien_do_record(event: DossierEvent) -> dict:
    """The progress record of one history event (the latest, after an action)."""
    dossier = event.dossier
    if not dossier.code:
        raise NotSendable("no_code", "Hồ sơ chưa có mã nên chưa gửi được tiến độ lên Cổng DVCQG.")
    _not_lienthong(dossier)
    if not _has_code(event):
        raise NotSendable(
            "no_national_status",
            f"Bước “{event.action}” của hồ sơ {dossier.code} không có mã trạng thái quốc gia.",
        )
    return _progress(dossier, event, _steps_by_name(list(dossier.steps.all())))


def _has_code(event: DossierEvent) -> bool:
    try:
        national_status(event.to_status)
    except (KeyError, ValueError):
        return False
    return True


def _progress(dossier: Dossier, event: DossierEvent, steps: dict) -> dict:
    """NgayBatDau and NgayKetThucTheoQuyDinh are those of the process step the dossier was in after
    the move (its start and its due instant); ChucDanh is the actor's role."""
    step = steps.get(event.step_name)
    note = (event.note or "").strip()
    label = EVENT_LABELS.get(event.action, event.action)
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": _actor_name(event),
        "ChucDanh": _role_label(event.actor_role),
        "ThoiDiemXuLy": national_time(event.at),
        "PhongBanXuLy": event.unit.name if event.unit else "",
        "NoiDungXuLy": (f"{label}-{note}" if note else label)[:NOTE_MAX],
        "TrangThai": str(national_status(event.to_status)),
        "NgayBatDau": national_time(step.started_at if step else None),
        "NgayKetThucTheoQuyDinh": national_time(step.due_at if step else None),
    }


def _actor_name(event: DossierEvent) -> str:
    """The officer's name; the applicant acting on their own dossier, or the system, by role
    only (their name is already the dossier's ChuHoSo)."""
    if event.actor is None:
        return "Hệ thống"
    if event.actor_role == Role.CITIZEN:
        return "Người nộp hồ sơ"
    return str(event.actor)


# A staff role's label (an officer's title in ChucDanh); the citizen has none. Read once: looking a
# TextChoices member up is slow enough to show in a batch of thousands of progress records.
_ROLE_LABELS = {role.value: str(role.label) for role in Role if role != Role.CITIZEN}


def _role_label(role: str) -> str:
    return _ROLE_LABELS.get(role, "")


# --- a batch of dossiers at once (the sync) ---------------------------------------------------------


@dataclass
class DossierRecords:
    """What the portal is sent for one dossier of a batch: its record, the progress records of
    the events after the one it was last sent, and the newest event's id (sent up to there)."""

    dossier: Dossier
    record: dict
    progress: list[dict]
    last_event_id: int


def records_build(
    dossier_ids: Iterable[int],
    *,
    after: Mapping[int, int] | None = None,
    base_url: str | None = None,
) -> dict[int, DossierRecords | NotSendable]:
    """The records of many dossiers — for each id: what hoso_record and tien_do_records (after
    the event `after[id]`) return for it, byte for byte, or the NotSendable either raises — read
    in ten statements however many dossiers and however much history (ADR 0030, "Batching").
    An id with no dossier is left out."""
    after = after or {}
    dossiers = list(
        Dossier.objects.filter(pk__in=set(dossier_ids))
        .select_related(
            "procedure_version__procedure",
            "procedure_version__field",
            "procedure_version__competent_agency",
            "receiving_unit",
            "applicant",
        )
        .order_by("pk")
    )
    coded = [d.pk for d in dossiers if d.code]
    if not coded:
        return {d.pk: _no_code() for d in dossiers}
    procedures = {d.procedure_version.procedure_id for d in dossiers}
    mappings = {
        m.procedure_id: m for m in ProcedureMapping.objects.filter(procedure_id__in=procedures)
    }
    events = _grouped(
        DossierEvent.objects.filter(dossier_id__in=coded)
        .select_related("actor", "unit")
        .order_by("dossier_id", "at", "pk"),
        lambda e: e.dossier_id,
    )
    files = _grouped(
        ComponentFile.objects.filter(component__dossier_id__in=coded)
        .select_related("component", "stored_file")
        .order_by("component__dossier_id", "component__order", "created_at", "pk"),
        lambda f: f.component.dossier_id,
    )
    # The model's orders (results newest first, supplements by request), kept within a dossier.
    results = _grouped(IssuedDocument.objects.filter(dossier_id__in=coded), lambda r: r.dossier_id)
    charges = {c.dossier_id: c for c in Charge.objects.filter(dossier_id__in=coded)}
    components = _grouped(
        DossierComponent.objects.filter(dossier_id__in=coded).order_by("dossier_id", "order"),
        lambda c: c.dossier_id,
    )
    supplements = _grouped(
        SupplementRequest.objects.filter(dossier_id__in=coded).select_related(
            "requested_by", "event"
        ),
        lambda s: s.dossier_id,
    )
    steps = _grouped(
        DossierStep.objects.filter(dossier_id__in=coded).order_by("dossier_id", "order"),
        lambda s: s.dossier_id,
    )
    owners = [d.applicant for d in dossiers]
    tech_by_citizen, tech_by_tax = national_tech_ids_for(
        citizen_ids=[a.citizen_id for a in owners if a.kind == ApplicantKind.PERSON],
        tax_codes=[a.tax_code for a in owners if a.kind != ApplicantKind.PERSON],
    )
    built: dict[int, DossierRecords | NotSendable] = {}
    for dossier in dossiers:
        pk = dossier.pk
        charge = charges.get(pk)
        try:
            if not dossier.code:
                raise _no_code()
            _not_lienthong(dossier)
            status = _national_status_of(dossier)
            version = dossier.procedure_version
            procedure = _national_procedure(version, mappings.get(version.procedure_id))
            reads = _Reads(
                events=events[pk],
                files=files[pk],
                results=results[pk],
                charge=charge,
                paid_online=charge is not None
                and charge.settled_at is not None
                and charge.settled_channel == PaymentChannel.ONLINE,
                components=components[pk],
                supplements=supplements[pk],
                tech_id=_tech_id_in(dossier.applicant, tech_by_citizen, tech_by_tax),
            )
            record = _hoso(dossier, status, procedure, reads, base_url)
        except NotSendable as exc:
            built[pk] = exc
            continue
        by_name = _steps_by_name(steps[pk])
        last = after.get(pk, 0)
        progress = [
            _progress(dossier, event, by_name)
            for event in events[pk]
            if event.pk > last and _has_code(event)
        ]
        newest = max((event.pk for event in events[pk]), default=0)
        built[pk] = DossierRecords(dossier, record, progress, newest)
    return built


def _tech_id_in(applicant, by_citizen: dict[str, str], by_tax: dict[str, str]) -> str:
    if applicant.kind == ApplicantKind.PERSON:
        return by_citizen.get(applicant.citizen_id, "") if applicant.citizen_id else ""
    return by_tax.get(applicant.tax_code, "") if applicant.tax_code else ""


def _no_code() -> NotSendable:
    return NotSendable(
        "no_code", "Hồ sơ chưa có mã (chưa được tiếp nhận) nên chưa gửi được lên Cổng DVCQG."
    )


def _grouped(rows: Iterable[T], key: Callable[[T], int]) -> defaultdict[int, list[T]]:
    """The rows by dossier, each dossier's in the order read."""
    groups: defaultdict[int, list[T]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups
