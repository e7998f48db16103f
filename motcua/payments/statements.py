"""Bank statements (sao kê) imported from CSV or XLSX into the same pipeline as the webhooks.

A profile names, for one bank's export, the columns of the date, the reference, the credit (and
debit) amount and the narrative. Only credits are taken. Every line gets a stable id (the bank's
reference, or a digest of the line), so importing a statement twice, or a statement that overlaps a
webhook, stores each credit once. A file with an unreadable line is refused whole, with the line and
the column named, and nothing stored.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.accounts.permissions import has_role, require
from motcua.core.bulk import rows_insert
from motcua.core.clock import now

from .identity import Nearby, candidates_for, facts_of, same_transfer, search_range
from .models import (
    Charge,
    CollectingAccount,
    Credit,
    CreditSource,
    MatchDecision,
    Outcome,
    ProviderReport,
    ReportKind,
)
from .references import references_in
from .services import (
    DECISION_COLUMNS,
    SETTLING_ROLES,
    CreditData,
    amount_is_valid,
    apply_many,
    db_datetime,
    dossiers_advance,
    provider_report_new,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_LINES = 50_000
CHUNK = 500


@dataclass(frozen=True)
class Profile:
    label: str
    date: tuple[str, ...]
    credit: tuple[str, ...]
    narrative: tuple[str, ...]
    reference: tuple[str, ...] = ()
    debit: tuple[str, ...] = ()
    thousands: str = ","  # the thousands separator the bank writes (the other mark is decimal)


# Column headers as the banks' internet-banking exports write them (several spellings accepted,
# compared without case). A bank changing its layout needs one line here.
PROFILES: dict[str, Profile] = {
    "generic": Profile(
        "Mẫu chung của Một Cửa",
        date=("ngày giao dịch",),
        credit=("ghi có", "số tiền ghi có"),
        narrative=("nội dung", "diễn giải"),
        reference=("số tham chiếu",),
        debit=("ghi nợ", "số tiền ghi nợ"),
    ),
    "vcb": Profile(
        "Vietcombank",
        date=("ngày giao dịch", "ngày"),
        credit=("số tiền ghi có", "ghi có"),
        narrative=("mô tả", "nội dung"),
        reference=("số tham chiếu", "số bút toán"),
        debit=("số tiền ghi nợ", "ghi nợ"),
    ),
    "vietinbank": Profile(
        "VietinBank",
        date=("ngày giao dịch", "thời gian giao dịch"),
        credit=("có", "ghi có"),
        narrative=("diễn giải", "nội dung giao dịch"),
        reference=("số giao dịch", "số tham chiếu"),
        debit=("nợ", "ghi nợ"),
        thousands=".",
    ),
}


@dataclass(frozen=True)
class StatementResult:
    lines: int
    credits: int
    duplicates: int
    matched: int
    review: int
    moved: int = 0


def _rows_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Tệp CSV phải mã hóa UTF-8.") from None
    dialect = csv.excel
    with contextlib.suppress(csv.Error):  # no clear delimiter: plain commas
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _rows_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ValidationError("Không đọc được tệp XLSX (tệp hỏng hoặc không phải Excel).") from exc
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def _find_header(rows: list[list], profile: Profile) -> tuple[int, dict[str, int]]:
    """Bank exports put a title block above the table: the header is the first row that has the
    date, credit and narrative columns."""
    for index, row in enumerate(rows[:30]):
        names = {str(v).strip().lower(): i for i, v in enumerate(row) if v not in (None, "")}
        found = {}
        for key in ("date", "credit", "narrative", "reference", "debit"):
            found[key] = next((names[h] for h in getattr(profile, key) if h in names), None)
        if None not in (found["date"], found["credit"], found["narrative"]):
            return index, found
    raise ValidationError(
        f"Không tìm thấy dòng tiêu đề của sao kê {profile.label}: cần các cột "
        f"“{profile.date[0]}”, “{profile.credit[0]}”, “{profile.narrative[0]}”."
    )


def _amount(value, profile: Profile) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, (int, float)):
        if int(value) != value:
            raise ValueError
        return int(value)
    text = str(value).strip().replace(" ", "").replace(profile.thousands, "")
    text = re.sub(r"(VND|đ)$", "", text, flags=re.IGNORECASE)
    decimal_mark = "." if profile.thousands == "," else ","
    if decimal_mark in text:
        whole, fraction = text.split(decimal_mark, 1)
        if fraction.strip("0"):
            raise ValueError
        text = whole
    return int(text or "0")


DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def _date(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=HCM)
    text = " ".join(str(value or "").split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=HCM)
        except ValueError:
            continue
    raise ValueError


def statement_parse(
    content: bytes, filename: str, profile_key: str, account: CollectingAccount
) -> list[CreditData]:
    """The credits of a statement, or ValidationError listing every unreadable line."""
    profile = PROFILES.get(profile_key)
    if profile is None:
        raise ValidationError({"profile": "Hãy chọn mẫu sao kê của ngân hàng."})
    name = (filename or "").lower()
    if name.endswith(".csv"):
        rows = _rows_csv(content)
    elif name.endswith(".xlsx"):
        rows = _rows_xlsx(content)
    else:
        raise ValidationError({"file": "Chỉ nhận tệp .csv hoặc .xlsx."})
    header, columns = _find_header(rows, profile)
    provider = f"statement:{profile_key}"
    errors, credits, seen = [], [], Counter()
    body = rows[header + 1 :]
    if len(body) > MAX_LINES:
        raise ValidationError(
            f"Sao kê quá dài: tối đa {MAX_LINES:,} dòng mỗi tệp.".replace(",", ".")
        )

    def cell(row, key):
        index = columns[key]
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(body, start=header + 2):
        if not any(v not in (None, "") for v in row):
            continue
        try:
            credit_amount = _amount(cell(row, "credit"), profile)
        except ValueError:
            errors.append(f"Dòng {number}, cột “{profile.credit[0]}”: số tiền không hợp lệ.")
            continue
        if credit_amount <= 0:
            continue  # a debit line, or an empty credit cell
        if not amount_is_valid(credit_amount):  # beyond any transfer (and the column)
            errors.append(f"Dòng {number}, cột “{profile.credit[0]}”: số tiền không hợp lệ.")
            continue
        try:
            booked = _date(cell(row, "date"))
        except ValueError:
            errors.append(
                f"Dòng {number}, cột “{profile.date[0]}”: ngày không hợp lệ (dd/mm/yyyy)."
            )
            continue
        narrative = " ".join(str(cell(row, "narrative") or "").split())
        reference = str(cell(row, "reference") or "").strip()
        key = (
            reference
            or hashlib.sha256(
                f"{booked.isoformat()}|{credit_amount}|{narrative}".encode()
            ).hexdigest()[:40]
        )
        seen[key] += 1
        txn_id = key if seen[key] == 1 else f"{key}#{seen[key]}"
        credits.append(
            CreditData(
                provider=provider,
                provider_txn_id=txn_id,
                amount=credit_amount,
                booked_at=booked,
                narrative=narrative,
                account_number=account.account_number,
                bank_reference=reference,
                source=CreditSource.STATEMENT,
            )
        )
    if errors:
        raise ValidationError(
            errors[:50] + ([f"… và {len(errors) - 50} lỗi khác."] if len(errors) > 50 else [])
        )
    return credits


@dataclass(frozen=True)
class NewCredit:
    """What the matcher needs of a credit just inserted (no model instance: 10.000 of them)."""

    pk: int
    amount: int
    booked_at: datetime
    channel: str


CREDIT_COLUMNS = [
    "provider", "provider_txn_id", "source", "channel", "account_number", "amount", "booked_at",
    "narrative", "bank_reference", "counterparty_name", "counterparty_account", "fingerprint",
    "raw_payload", "received_at", "recorded_by",
]  # fmt: skip


def _credits_insert(datas: list[CreditData], actor) -> None:
    received = db_datetime(now())
    rows = [
        [
            d.provider,
            d.provider_txn_id,
            d.source,
            d.channel,
            d.account_number[:40],
            d.amount,
            db_datetime(d.booked_at),
            d.narrative,
            d.bank_reference[:100],
            d.counterparty_name[:255],
            d.counterparty_account[:40],
            d.fingerprint,
            d.raw_payload,
            received,
            actor.pk if actor else None,
        ]  # fmt: skip
        for d in datas
    ]
    rows_insert(Credit, CREDIT_COLUMNS, rows)


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def statement_import(
    actor, content: bytes, filename: str, *, profile: str, account_id: int, advance: bool = True
) -> StatementResult:
    """Import a statement of one collecting account: new credits stored and decided, credits
    already known (this file imported before, or the same transfer notified by webhook) skipped.
    Looked up in bulk so that 10.000 lines take seconds."""
    require(has_role(actor, *SETTLING_ROLES), "Ông/bà không có quyền nhập sao kê.")
    account = CollectingAccount.objects.filter(pk=account_id).first()
    if account is None:
        raise ValidationError({"account": "Hãy chọn tài khoản thu."})
    datas = statement_parse(content, filename, profile, account)
    with transaction.atomic():
        known_ids, known_prints = set(), set()
        for chunk in _chunks(datas):
            known_ids |= set(
                Credit.objects.filter(
                    provider=chunk[0].provider,
                    provider_txn_id__in=[d.provider_txn_id for d in chunk],
                ).values_list("provider_txn_id", flat=True)
            )
            known_ids |= set(  # lines recorded as another provider's transfer (ADR 0022)
                ProviderReport.objects.filter(
                    provider=chunk[0].provider,
                    provider_txn_id__in=[d.provider_txn_id for d in chunk],
                ).values_list("provider_txn_id", flat=True)
            )
            prints = [d.fingerprint for d in chunk if d.fingerprint]
            known_prints |= set(
                Credit.objects.filter(fingerprint__in=prints).values_list("fingerprint", flat=True)
            )
        fresh, in_file = [], set()
        for data in datas:
            if data.provider_txn_id in known_ids or data.fingerprint in known_prints:
                continue
            if data.fingerprint and data.fingerprint in in_file:
                continue
            in_file.add(data.fingerprint)
            fresh.append(data)
        fresh, doubts = _same_transfers(fresh, account)
        found = {id(d): references_in(d.narrative) for d in fresh}
        wanted = sorted({r for refs, _ in found.values() for r in refs})
        charges = {}
        for chunk in _chunks(wanted):
            charges.update(
                (c.reference, c)
                for c in Charge.objects.filter(reference__in=chunk).select_related("account")
            )
        _credits_insert(fresh, actor)
        pks = {}
        for chunk in _chunks([d.provider_txn_id for d in fresh]):
            pks.update(
                Credit.objects.filter(
                    provider=fresh[0].provider, provider_txn_id__in=chunk
                ).values_list("provider_txn_id", "pk")
            )
        pairs, reviews, at = [], [], db_datetime(now())
        for data in fresh:
            credit = NewCredit(pks[data.provider_txn_id], data.amount, data.booked_at, data.channel)
            refs, damaged = found[id(data)]
            hits = [charges[r] for r in refs if r in charges]
            if id(data) in doubts:  # may be a transfer already credited: a person decides
                reason = _doubt_reason(doubts[id(data)])
                reviews.append([credit.pk, None, Outcome.REVIEW.value, "", reason, at, None])
                continue
            if len(hits) == 1 and hits[0].account_id == account.pk:
                pairs.append((credit, hits[0]))
                continue
            reference = hits[0].reference if len(hits) == 1 else ""
            reason = _review_reason(refs, damaged, hits)
            reviews.append([credit.pk, None, Outcome.REVIEW.value, reference, reason, at, None])
        rows_insert(MatchDecision, DECISION_COLUMNS, reviews)
        paid = apply_many(pairs, reason="Khớp mã thanh toán trong sao kê.")
        matched, review = len(pairs), len(reviews)
    # After the statement's transaction: each dossier moves on in its own (the workflow service).
    moved = dossiers_advance(paid) if advance else 0
    return StatementResult(
        lines=len(datas),
        credits=len(fresh),
        duplicates=len(datas) - len(fresh),
        matched=matched,
        review=review,
        moved=moved,
    )


def _same_transfers(datas: list[CreditData], account) -> tuple[list[CreditData], dict]:
    """The statement's lines that are transfers already credited through a webhook (ADR 0022):
    each recorded as a duplicate report of that credit and dropped; the lines that only may be
    one, by id, with the credit they may repeat (they go to the review queue, never counted)."""
    if not datas:
        return datas, {}
    # A webhook of the same transfer waits for this import (services._account_lock), or we for it.
    list(CollectingAccount.objects.select_for_update().filter(pk=account.pk))
    provider = datas[0].provider
    candidates, claimed = candidates_for(
        provider,
        {d.amount for d in datas},
        *search_range(d.booked_at for d in datas),
        accounts=[account.account_number],
    )
    if not candidates:
        return datas, {}
    nearby, reports, received = Nearby(candidates), [], now()
    left = []
    for data in datas:  # first every line that is surely a transfer already held
        twin, _ = same_transfer(facts_of(data), nearby.near(facts_of(data)), claimed)
        if twin is None:
            left.append(data)
            continue
        claimed.add(twin.pk)  # two equal lines of the statement are two transfers
        reason = f"Cùng giao dịch với khoản tiền đã ghi nhận qua nguồn {twin.provider}."
        reports.append(provider_report_new(data, twin.pk, ReportKind.DUPLICATE, reason, received))
    doubts = {}
    for data in left:  # then, among the credits no line claimed, those a line may repeat
        _, doubt = same_transfer(facts_of(data), nearby.near(facts_of(data)), claimed)
        if doubt is not None:
            doubts[id(data)] = doubt
    # Lines reported before were skipped as known (statement_import): these are all new.
    ProviderReport.objects.bulk_create(reports, batch_size=CHUNK)
    return left, doubts


def _doubt_reason(doubt) -> str:
    return (
        f"Có thể là cùng giao dịch với khoản tiền #{doubt.pk} đã ghi nhận qua nguồn "
        f"{doubt.provider} (cùng số tiền, cùng ngày) nhưng không đủ căn cứ để khẳng định: "
        "chưa cộng vào hồ sơ nào, cần đối soát thủ công."
    )


def _review_reason(refs, damaged, hits) -> str:
    if len(hits) > 1:
        return (
            "Nội dung có nhiều mã thanh toán: " + ", ".join(sorted(h.reference for h in hits)) + "."
        )
    if len(hits) == 1:
        return "Mã thanh toán thuộc hồ sơ thu vào tài khoản khác."
    if refs:
        return f"Mã thanh toán {', '.join(sorted(refs))} không thuộc hồ sơ nào."
    if damaged:
        return "Nội dung có mã thanh toán nhưng sai chữ số kiểm tra (gõ nhầm hoặc bị cắt)."
    return "Nội dung chuyển khoản không có mã thanh toán."
