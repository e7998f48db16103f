"""Every write of the payments app: collecting accounts, charges, incoming credits, the matcher's
and people's decisions, receipts. Each service runs in one transaction; a credit that arrives twice
(a webhook retried or replayed, a statement imported again) is stored once and decided once.

The matcher (`_match`): the payment reference found in the transfer narrative → the dossier's
charge; the cumulative amount received equal to the charge → paid, less → partial, more →
overpaid; no reference, a damaged one, one of no dossier, several, or money into another account →
the manual-review queue. Every decision is a MatchDecision row; a full payment of a dossier that
waits in status 6 moves it on through the workflow (dossiers.services.dossier_system_act).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from motcua.accounts.permissions import has_role, require
from motcua.accounts.roles import Role
from motcua.catalog.models import FeeDue
from motcua.core.bulk import rows_insert
from motcua.core.clock import now
from motcua.core.text import format_money, format_number
from motcua.dossiers.changes import DossierChange, dossier_changed, dossiers_changed
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import access_dossier_for_officer, can_see_dossier
from motcua.dossiers.workflow import Status

from .banks import bank_by_bin
from .models import (
    CLOSING_OUTCOMES,
    Charge,
    ChargeStatus,
    CollectingAccount,
    Credit,
    CreditSource,
    MatchDecision,
    Outcome,
    PaymentChannel,
    ProviderReport,
    Receipt,
    ReceiptSequence,
    ReportKind,
)
from .references import references_before_code, references_for, references_in
from .vietqr import ACCOUNT_RE, BIN_RE

logger = logging.getLogger(__name__)
# Who settles credits in review and records payments at the desk (no separate accountant role yet).
SETTLING_ROLES = (Role.DESK_OFFICER, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
MSG_ALREADY_DECIDED = "Khoản tiền này đã được đối soát; tải lại trang để xem quyết định đã ghi."


# --- collecting accounts -------------------------------------------------------------------------


@dataclass
class AccountData:
    bank_bin: str
    account_number: str
    account_name: str
    unit_id: int | None = None
    is_default: bool = False
    is_active: bool = True


def account_save(actor, data: AccountData, *, account_id: int | None = None) -> CollectingAccount:
    """An administrator records (or changes) a collecting account. The BIN must be one the bank
    list knows; the account number is what a VietQR can carry (letters/digits, ≤ 19)."""
    require(
        has_role(actor, Role.ADMINISTRATOR), "Chỉ quản trị hệ thống được cấu hình tài khoản thu."
    )
    errors = {}
    bank = bank_by_bin(data.bank_bin)
    if not BIN_RE.match(data.bank_bin or "") or bank is None:
        errors["bank_bin"] = "Hãy chọn ngân hàng trong danh sách (mã BIN 6 chữ số)."
    number = "".join((data.account_number or "").split())
    if not ACCOUNT_RE.match(number):
        errors["account_number"] = "Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự."
    name = " ".join((data.account_name or "").split())
    if not name:
        errors["account_name"] = "Hãy nhập tên chủ tài khoản."
    if errors:
        raise ValidationError(errors)
    assert bank is not None  # an unknown BIN was refused above
    with transaction.atomic():
        account = (
            CollectingAccount.objects.select_for_update().filter(pk=account_id).first()
            if account_id
            else CollectingAccount()
        )
        if account is None:
            raise ValidationError("Không tìm thấy tài khoản thu.")
        duplicate = CollectingAccount.objects.filter(
            bank_bin=data.bank_bin, account_number=number
        ).exclude(pk=account.pk)
        if duplicate.exists():
            raise ValidationError({"account_number": "Tài khoản này đã được khai báo."})
        if data.is_default:
            CollectingAccount.objects.filter(is_default=True).exclude(pk=account.pk).update(
                is_default=False
            )
        account.bank_bin = data.bank_bin
        account.bank_name = bank.short_name
        account.account_number = number
        account.account_name = name
        account.unit_id = data.unit_id
        account.is_default = data.is_default
        account.is_active = data.is_active
        account.save()
        # The bank and account on the payment panel of the dossiers waiting to pay into it.
        dossiers_changed(
            Dossier.objects.filter(
                status=Status.AWAITING_PAYMENT, charge__account=account
            ).values_list("pk", "code", "status"),
            kind="collecting_account",
        )
    return account


def collecting_account_for(unit_id: int | None) -> CollectingAccount | None:
    """The account a new charge of this unit is paid into (selectors.account_for_unit), else the
    one configured in the environment, recorded on first use."""
    from .selectors import account_for_unit

    return account_for_unit(unit_id) or account_from_settings()


def account_from_settings() -> CollectingAccount | None:
    """The department's default account from the environment (PAYMENTS_DEFAULT_*), recorded once."""
    bin, number = settings.PAYMENTS_DEFAULT_BIN, settings.PAYMENTS_DEFAULT_ACCOUNT
    bank = bank_by_bin(bin)
    if not (bank and number and ACCOUNT_RE.match(number)):
        return None
    account, _ = CollectingAccount.objects.get_or_create(
        bank_bin=bin,
        account_number=number,
        defaults={
            "bank_name": bank.short_name,
            "account_name": settings.PAYMENTS_DEFAULT_ACCOUNT_NAME or "SO TU PHAP",
            "is_default": not CollectingAccount.objects.filter(is_default=True).exists(),
        },
    )
    return account


# --- charges -------------------------------------------------------------------------------------


def charge_open(dossier: Dossier, *, fee_order: int | None = None) -> Charge:
    """The charge of a dossier, opened the first time it is due (a payment request, a desk payment,
    a manual settlement, or when the fees fall due: charge_open_when_due) and returned as it is
    afterwards. The amount is one fee item of the procedure version (the first that is not free,
    or the one the officer chose): alternative rates (reduced fees) are separate items of the
    catalogue, never added up."""
    existing = Charge.objects.filter(dossier=dossier).select_related("account").first()
    if existing:
        return existing
    if not dossier.code and dossier.status != Status.SUBMITTED_ONLINE:
        raise ValidationError("Hồ sơ chưa được tiếp nhận nên chưa có mã để thu phí.")
    fees = [fee for fee in dossier.procedure_version.fees.all() if fee.amount > 0]
    if fee_order is not None:
        fees = [fee for fee in fees if fee.order == fee_order]
    if not fees:
        raise ValidationError({"fee_order": "Thủ tục này không có khoản phí, lệ phí phải nộp."})
    account = collecting_account_for(dossier.receiving_unit_id)
    if account is None:
        raise ValidationError(
            "Chưa có tài khoản thu phí: quản trị hệ thống cần khai báo tài khoản thu."
        )
    # An online dossier owing its fee at submission has no code yet: its reference is built from
    # its id (references_before_code) and stays after the desk gives it a code.
    candidates = (
        references_for(dossier.code) if dossier.code else references_before_code(dossier.pk)
    )
    taken = set(Charge.objects.filter(reference__in=candidates).values_list("reference", flat=True))
    reference = next((r for r in candidates if r not in taken), None)
    if reference is None:
        raise ValidationError("Mã thanh toán của hồ sơ này đã được dùng cho hồ sơ khác.")
    try:
        with transaction.atomic():
            return Charge.objects.create(
                dossier=dossier,
                reference=reference,
                account=account,
                amount=fees[0].amount,
                fee_name=fees[0].name,
                due_moment=dossier.procedure_version.fee_due,
                opened_at=now(),
            )
    except IntegrityError:  # another request opened it at the same moment
        return Charge.objects.select_related("account").get(dossier=dossier)


# The workflow actions after which a fee due at that moment is owed (catalogue FeeDue): the desk or
# post reception, an online submission and its acceptance (Mẫu 01), a supplement request (Mẫu 02),
# and a payment request (status 6) made without charge_request.
FEE_DUE_AFTER = {
    "received": FeeDue.INTAKE,
    "submitted_online": FeeDue.INTAKE,  # paid by VietQR right after submitting (issue 15 item 8)
    "accept": FeeDue.INTAKE,
    "request_supplement": FeeDue.SUPPLEMENT,
    "request_payment": None,  # status 6: due whatever the procedure's moment
}


def charge_open_when_due(actor, dossier_id: int, *, moment: str | None) -> Charge | None:
    """Open the dossier's charge when its fees fall due at `moment` (None: the dossier waits in
    status 6 for them), so that Mẫu 01, Mẫu 02 and the tracking page can show its VietQR. Returns
    the charge (the one already open, if any), or None when the procedure says the fees fall due
    at another moment, it has no fee, the dossier has no code yet or no collecting account is
    configured — nothing is owed then, which is no error. `actor` is None for the system."""
    with transaction.atomic():
        dossier = Dossier.objects.select_related("procedure_version").filter(pk=dossier_id).first()
        if dossier is None:
            return None
        due_now = dossier.procedure_version.fee_due == moment or (
            moment is None and dossier.status == Status.AWAITING_PAYMENT
        )
        if not due_now:
            return None
        try:
            return charge_open(dossier)
        except ValidationError as error:
            logger.info("payments: no charge opened for dossier %s: %s", dossier_id, error)
            return None


def charges_open_when_due(changes: Sequence[DossierChange]) -> None:
    """Subscriber of motcua.dossiers.changes (registered in PaymentsConfig.ready): after a reception,
    an acceptance, a supplement or payment request has committed, the charge of a fee due then is
    opened. A dossier in status 6 is announced again: its tracking page then shows the QR."""
    for change in changes:
        if change.kind not in FEE_DUE_AFTER or change.dossier_id is None:
            continue
        charge = charge_open_when_due(None, change.dossier_id, moment=FEE_DUE_AFTER[change.kind])
        if charge is not None and change.kind == "request_payment":
            dossier_changed(charge.dossier, "charge_opened")


def charge_request(actor, dossier_id: int, *, expected_revision: int, fee_order=None) -> Charge:
    """An officer asks the applicant to pay (status 6, Decree 61/2018 art. 19): the dossier's clock
    stops through the workflow's `request_payment`, and the charge with its VietQR is opened."""
    from motcua.dossiers.services import dossier_act

    with transaction.atomic():
        dossier = access_dossier_for_officer(actor, dossier_id)
        charge = charge_open(dossier, fee_order=fee_order)
        if charge.is_settled:
            raise ValidationError("Hồ sơ đã nộp đủ phí, lệ phí.")
        reason = (
            f"Nộp {format_money(charge.outstanding)} ({charge.fee_name[:120]}); "
            f"nội dung chuyển khoản: {charge.reference}"
        )
        dossier_act(
            actor, dossier_id, "request_payment", expected_revision=expected_revision, reason=reason
        )
    return charge


# --- credits -------------------------------------------------------------------------------------

# No transfer is this large (NAPAS 247 stops at 500 million; an inter-bank transfer well below
# this); beyond it a number is an error or an attack, and beyond 2^63 it no longer fits the column.
MAX_CREDIT_AMOUNT = 10**12


@dataclass
class CreditData:
    """One incoming credit, normalised from any provider's notification or a statement line."""

    provider: str
    provider_txn_id: str
    amount: int
    booked_at: datetime
    narrative: str = ""
    account_number: str = ""
    bank_reference: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    raw_payload: str = ""
    source: str = CreditSource.WEBHOOK
    channel: str = PaymentChannel.ONLINE
    fingerprint: str = field(default="", init=False)

    def __post_init__(self):
        if self.bank_reference and self.account_number:
            key = "|".join(
                (
                    self.account_number,
                    self.bank_reference,
                    str(self.amount),
                    str(self.booked_at.date()),
                )
            )
            self.fingerprint = hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NonCreditData:
    """A signed report that brings no money (a payment the provider says failed)."""

    provider: str
    provider_txn_id: str
    amount: int
    reason: str
    narrative: str = ""
    account_number: str = ""
    bank_reference: str = ""
    raw_payload: str = ""


@dataclass(frozen=True)
class CreditResult:
    credit: Credit | None
    created: bool
    decision: MatchDecision | None
    report: ProviderReport | None = None  # the duplicate (or failed-payment) report recorded


def amount_is_valid(amount) -> bool:
    return (
        not isinstance(amount, bool) and isinstance(amount, int) and 0 < amount <= MAX_CREDIT_AMOUNT
    )


def credit_validate(data: CreditData) -> None:
    errors = {}
    if not data.provider_txn_id or len(data.provider_txn_id) > 100:
        errors["provider_txn_id"] = "Thiếu mã giao dịch của nguồn (hoặc dài quá 100 ký tự)."
    if not amount_is_valid(data.amount):
        errors["amount"] = (
            f"Số tiền phải là số nguyên đồng từ 1 đến {format_money(MAX_CREDIT_AMOUNT)}."
        )
    if data.booked_at is None or data.booked_at.tzinfo is None:
        errors["booked_at"] = "Thiếu thời điểm giao dịch (có múi giờ)."
    if errors:
        raise ValidationError(errors)


def credit_receive(actor, data: CreditData) -> CreditResult:
    """Store one incoming credit and decide it. Idempotent: the same provider transaction returns
    the stored credit and decides nothing. The same bank transfer reported by another provider
    (identity.py, ADR 0022) is recorded as a duplicate report of the credit already held, never a
    second credit; one that only may be the same is stored and sent to the review queue."""
    from .identity import candidates_for, facts_of, same_transfer, search_range

    credit_validate(data)
    with transaction.atomic():
        existing = _existing_credit(data)
        if existing is not None:
            return _repeat_of(existing, data)
        _account_lock(data.account_number)  # two providers' copies of one transfer, one at a time
        new = facts_of(data)
        candidates, claimed = candidates_for(
            data.provider, [data.amount], *search_range([data.booked_at])
        )
        twin, doubt = same_transfer(new, candidates, claimed)
        if twin is not None:
            credit = Credit.objects.get(pk=twin.pk)  # type: ignore[misc]  # a stored credit: has pk
            reason = f"Cùng giao dịch với khoản tiền đã ghi nhận qua nguồn {credit.provider}."
            return CreditResult(credit, False, None, _report_add(data, credit, reason))
        try:
            with transaction.atomic():
                credit = _credit_create(data, actor)
        except IntegrityError:  # the same notification, delivered twice at once
            existing = _existing_credit(data)
            if existing is None:  # the conflict was something else
                raise
            return CreditResult(existing, False, None)
        decision = _doubt_decide(credit, doubt) if doubt else _match(credit)
    return CreditResult(credit, True, decision)


def _repeat_of(existing: Credit, data: CreditData) -> CreditResult:
    """The provider's retry, or (same bank reference) another provider's copy: the latter is
    recorded as a duplicate report of the credit held."""
    report = None
    if existing.provider != data.provider:
        report = _report_add(data, existing, "Cùng số tham chiếu ngân hàng với khoản tiền đã ghi.")
    return CreditResult(existing, False, None, report)


def _account_lock(account_number: str) -> None:
    number = "".join((account_number or "").split())
    if number:
        list(CollectingAccount.objects.select_for_update().filter(account_number=number))


def _doubt_decide(credit: Credit, doubt) -> MatchDecision:
    return _decide(
        credit,
        None,
        Outcome.REVIEW,
        f"Có thể là cùng giao dịch với khoản tiền #{doubt.pk} đã ghi nhận qua nguồn "
        f"{doubt.provider} (cùng số tiền, cùng thời điểm) nhưng không đủ căn cứ để khẳng định: "
        "chưa cộng vào hồ sơ nào, cần đối soát thủ công.",
    )


def provider_report_new(data, credit_id: int | None, kind: str, reason: str, at) -> ProviderReport:
    """A provider's report that brings no new credit (unsaved: the statement import writes many
    at once), with the facts it gave."""
    return ProviderReport(
        provider=data.provider,
        provider_txn_id=data.provider_txn_id,
        kind=kind,
        credit_id=credit_id,
        account_number=data.account_number[:40],
        amount=data.amount,
        booked_at=getattr(data, "booked_at", None),
        narrative=data.narrative,
        bank_reference=data.bank_reference[:100],
        raw_payload=data.raw_payload,
        reason=reason,
        received_at=at,
    )


def _report_add(data, credit: Credit | None, reason: str, kind=ReportKind.DUPLICATE):
    """Record a report that brings no new credit, once per provider transaction."""
    existing = ProviderReport.objects.filter(
        provider=data.provider, provider_txn_id=data.provider_txn_id
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = provider_report_new(data, credit.pk if credit else None, kind, reason, now())
            report.save()
            return report
    except IntegrityError:  # the same report delivered twice at once
        return ProviderReport.objects.get(
            provider=data.provider, provider_txn_id=data.provider_txn_id
        )


def non_credit_record(data: NonCreditData) -> CreditResult:
    """A signed report of a payment that failed: kept for the record, no money counted."""
    if not data.provider_txn_id or not 0 <= data.amount <= MAX_CREDIT_AMOUNT:
        raise ValidationError("Thông báo không hợp lệ.")
    with transaction.atomic():
        report = _report_add(data, None, data.reason, kind=ReportKind.FAILED)
    return CreditResult(None, False, None, report)


def _existing_credit(data: CreditData) -> Credit | None:
    credit = Credit.objects.filter(
        provider=data.provider, provider_txn_id=data.provider_txn_id
    ).first()
    if credit is None:  # this provider's earlier copy, recorded as a duplicate report
        report = (
            ProviderReport.objects.filter(
                provider=data.provider,
                provider_txn_id=data.provider_txn_id,
                kind=ReportKind.DUPLICATE,
            )
            .select_related("credit")
            .first()
        )
        credit = report.credit if report else None
    if credit is None and data.fingerprint:
        credit = Credit.objects.filter(fingerprint=data.fingerprint).first()
    return credit


def _credit_create(data: CreditData, actor) -> Credit:
    credit = _credit_new(data, actor)
    credit.save()
    return credit


def _credit_new(data: CreditData, actor) -> Credit:
    return Credit(
        provider=data.provider,
        provider_txn_id=data.provider_txn_id,
        source=data.source,
        channel=data.channel,
        account_number=data.account_number[:40],
        amount=data.amount,
        booked_at=data.booked_at,
        narrative=data.narrative,
        bank_reference=data.bank_reference[:100],
        counterparty_name=data.counterparty_name[:255],
        counterparty_account=data.counterparty_account[:40],
        fingerprint=data.fingerprint,
        raw_payload=data.raw_payload,
        received_at=now(),
        recorded_by=actor,
    )


def _match(credit: Credit, charges: dict[str, Charge] | None = None) -> MatchDecision:
    """Decide one new credit (see the module docstring). `charges` by reference may be given by a
    bulk import that looked them up at once."""
    references, damaged = references_in(credit.narrative)
    if charges is None:
        found = list(
            Charge.objects.filter(reference__in=references).select_related("account")
            if references
            else []
        )
    else:
        found = [charges[r] for r in references if r in charges]
    if not found:
        if references:
            reason = f"Mã thanh toán {', '.join(sorted(references))} không thuộc hồ sơ nào."
        elif damaged:
            reason = "Nội dung có mã thanh toán nhưng sai chữ số kiểm tra (gõ nhầm hoặc bị cắt)."
        else:
            reason = "Nội dung chuyển khoản không có mã thanh toán."
        return _decide(credit, None, Outcome.REVIEW, reason)
    if len(found) > 1:
        codes = ", ".join(sorted(c.reference for c in found))
        return _decide(credit, None, Outcome.REVIEW, f"Nội dung có nhiều mã thanh toán: {codes}.")
    charge = found[0]
    if credit.account_number and credit.account_number != charge.account.account_number:
        return _decide(
            credit,
            None,
            Outcome.REVIEW,
            f"Tiền về tài khoản {credit.account_number}, không phải tài khoản thu "
            f"{charge.account.account_number} của hồ sơ.",
            reference=charge.reference,
        )
    return _apply(credit, charge, actor=None, reason="Khớp mã thanh toán trong nội dung.")


def _add_to_charge(charge: Charge, credit: Credit) -> tuple[str, bool]:
    """Count the credit into the (locked) charge: the outcome by the cumulative amount, and whether
    this credit completed the payment."""
    was_settled = charge.is_settled
    charge.received_total += credit.amount
    if charge.received_total == charge.amount:
        charge.status, outcome = ChargeStatus.PAID, Outcome.PAID
    elif charge.received_total < charge.amount:
        charge.status, outcome = ChargeStatus.PARTIAL, Outcome.PARTIAL
    else:
        charge.status, outcome = ChargeStatus.OVERPAID, Outcome.OVERPAID
    completed = charge.is_settled and not was_settled
    if completed:
        charge.settled_at = credit.booked_at
        charge.settled_channel = credit.channel
    return outcome, completed


def _summary(reason: str, credit: Credit, charge: Charge, receipt_number: str) -> str:
    return (
        f"{reason} Nhận {format_money(credit.amount)}, cộng dồn "
        f"{format_number(charge.received_total)}/{format_money(charge.amount)} "
        f"({ChargeStatus(charge.status).label.lower()}); biên lai {receipt_number}."
    )


CHARGE_STATE_FIELDS = ["received_total", "status", "settled_at", "settled_channel"]


def _apply(credit: Credit, charge: Charge, *, actor, reason: str, manual: bool = False):
    """Add the credit to the charge: status by the cumulative amount, a receipt, the decision; a
    dossier waiting in status 6 for this money moves on."""
    charge = Charge.objects.select_for_update().select_related("dossier").get(pk=charge.pk)
    outcome, completed = _add_to_charge(charge, credit)
    charge.save(update_fields=CHARGE_STATE_FIELDS)
    dossier_changed(charge.dossier, "payment")  # the amount still owed, or no QR once paid
    receipt = _receipt_issue(charge, credit)
    decision = _decide(
        credit,
        charge,
        Outcome.LINKED if manual else outcome,
        _summary(reason, credit, charge, receipt.number),
        reference=charge.reference,
        actor=actor,
    )
    if completed:
        _dossier_moves_on(charge, receipt)
    return decision


def db_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


DECISION_COLUMNS = ["credit", "charge", "outcome", "reference_found", "reason", "at", "actor"]


def apply_many(pairs: list[tuple], *, reason: str) -> list[int]:
    """`_apply` for many new credits at once (a statement): the charges locked, then updated with
    one statement, one block of receipt numbers, receipts and decisions inserted in bulk. Each
    pair is (a new credit — anything with pk, amount, booked_at, channel —, its charge). Returns
    the ids of the charges now paid in full: their dossiers move on afterwards
    (`dossiers_advance`)."""
    if not pairs:
        return []
    ids = sorted({charge.pk for _, charge in pairs})
    locked: dict[int, Charge] = {}
    for start in range(0, len(ids), 500):
        locked.update(
            (c.pk, c)
            for c in Charge.objects.select_for_update().filter(pk__in=ids[start : start + 500])
        )
    at = now()
    stamp = db_datetime(at)
    first = _receipt_numbers_reserve(at, len(pairs))
    receipts, decisions, completed = [], [], []
    for offset, (credit, stub) in enumerate(pairs):
        charge = locked[stub.pk]
        outcome, done = _add_to_charge(charge, credit)
        number = f"BL{at.year}-{first + offset:06d}"
        receipts.append([number, charge.pk, credit.pk, credit.amount, stamp])
        summary = _summary(reason, credit, charge, number)
        decisions.append([credit.pk, charge.pk, outcome, charge.reference, summary, stamp, None])
        if done:
            completed.append(charge.pk)
    _charges_save(locked.values())
    for start in range(0, len(ids), 500):  # the amount still owed, or no QR once paid
        dossiers = Dossier.objects.filter(charge__pk__in=ids[start : start + 500])
        dossiers_changed(dossiers.values_list("pk", "code", "status"), kind="payment")
    rows_insert(Receipt, ["number", "charge", "credit", "amount", "issued_at"], receipts)
    rows_insert(MatchDecision, DECISION_COLUMNS, decisions)
    return completed


def _charges_save(charges) -> None:
    """UPDATE the running state of many charges: on PostgreSQL one UPDATE … FROM (VALUES …) per 500
    charges, on SQLite (in-process) one prepared statement run for each. Django's bulk_update
    builds a CASE expression per row, far slower for thousands."""
    rows = [
        [c.pk, c.received_total, c.status, db_datetime(c.settled_at), c.settled_channel]
        for c in charges
    ]
    table = connection.ops.quote_name(Charge._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET received_total = %s, status = %s, settled_at = %s, "
                "settled_channel = %s WHERE id = %s",
                [row[1:] + row[:1] for row in rows],
            )
            return
        one = "(%s::bigint, %s::bigint, %s::varchar, %s::timestamptz, %s::varchar)"
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                f"UPDATE {table} AS c SET received_total = v.total, status = v.status, "
                "settled_at = v.settled_at, settled_channel = v.channel "
                f"FROM (VALUES {', '.join([one] * len(chunk))}) "
                "AS v(id, total, status, settled_at, channel) WHERE c.id = v.id",
                [value for row in chunk for value in row],
            )


def dossiers_advance(charge_ids=None) -> int:
    """Move on every dossier still waiting in status 6 whose charge is now paid in full, each in its
    own transaction (the workflow service). Called after a statement import, and by the job
    `payments-advance` as a safety net. Returns how many dossiers moved."""
    charges = Charge.objects.filter(
        status__in=(ChargeStatus.PAID, ChargeStatus.OVERPAID),
        dossier__status=Status.AWAITING_PAYMENT,
    ).select_related("dossier")
    if charge_ids is not None:
        charges = charges.filter(pk__in=list(charge_ids))
    moved = 0
    for charge in charges:
        receipt = charge.receipts.order_by("-issued_at", "-pk").first()
        moved += _dossier_moves_on(charge, receipt)
    return moved


def _dossier_moves_on(charge: Charge, receipt: Receipt | None) -> bool:
    """The dossier waiting in status 6 for this fee moves on (a system move, no user). If it
    changed status meanwhile, the money is still recorded: the move is simply not made (the job
    `payments-advance` retries what is still due)."""
    from motcua.dossiers.services import dossier_system_act

    if charge.dossier.status != Status.AWAITING_PAYMENT:
        return False
    try:
        dossier_system_act(
            charge.dossier_id,
            "payment_settled",
            reason=f"Đã nhận đủ {format_money(charge.amount)}"
            + (f", biên lai {receipt.number}." if receipt else "."),
        )
    except ValidationError:
        logger.warning("payments: dossier %s not moved on (status changed)", charge.dossier_id)
        return False
    return True


def _decide(credit, charge, outcome, reason, *, reference="", actor=None) -> MatchDecision:
    return MatchDecision.objects.create(
        credit=credit,
        charge=charge,
        outcome=outcome,
        reference_found=reference,
        reason=reason,
        at=now(),
        actor=actor,
    )


def _receipt_numbers_reserve(at: datetime, count: int) -> int:
    """Take `count` consecutive receipt numbers of the year (locked): the first of them."""
    sequence, _ = ReceiptSequence.objects.get_or_create(year=at.year)
    sequence = ReceiptSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def _receipt_issue(charge: Charge, credit: Credit) -> Receipt:
    at = now()
    number = _receipt_numbers_reserve(at, 1)
    return Receipt.objects.create(
        number=f"BL{at.year}-{number:06d}",
        charge=charge,
        credit=credit,
        amount=credit.amount,
        issued_at=at,
    )


# --- people's decisions ---------------------------------------------------------------------------


def credit_settle(
    actor, credit_id: int, *, action: str, reason: str, dossier_code: str = ""
) -> MatchDecision:
    """An officer settles a credit in review: links it to a dossier (by code or payment reference)
    or records that it is to be refunded. A reason is required; a credit already settled (a double
    click, two officers at once) is refused with nothing changed."""
    require(has_role(actor, *SETTLING_ROLES), "Ông/bà không có quyền đối soát khoản tiền này.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Hãy ghi rõ lý do."})
    if action not in ("link", "refund"):
        raise ValidationError({"action": "Hãy chọn gắn với hồ sơ hoặc hoàn trả."})
    with transaction.atomic():
        credit = Credit.objects.select_for_update().filter(pk=credit_id).first()
        if credit is None:
            raise PermissionDenied("Không tìm thấy khoản tiền.")
        latest = credit.decisions.order_by("-at", "-pk").first()
        if latest is None or latest.outcome in CLOSING_OUTCOMES:
            raise ValidationError(MSG_ALREADY_DECIDED, code="decided")
        if action == "refund":
            return _decide(
                credit, None, Outcome.REFUND, f"Hoàn trả người nộp: {reason}", actor=actor
            )
        charge = _charge_for_settlement(actor, dossier_code)
        return _apply(
            credit, charge, actor=actor, reason=f"Đối soát thủ công: {reason}.", manual=True
        )


def _charge_for_settlement(actor, dossier_code: str) -> Charge:
    text = (dossier_code or "").strip()
    dossier = None
    if text:
        dossier = Dossier.objects.filter(code=text).first()
        if dossier is None:
            charge = Charge.objects.filter(reference=text.upper()).select_related("dossier").first()
            dossier = charge.dossier if charge else None
    if dossier is None or not can_see_dossier(actor, dossier):
        raise ValidationError(
            {"dossier_code": "Không tìm thấy hồ sơ có mã này trong các hồ sơ ông/bà được xem."}
        )
    return charge_open(dossier)


def desk_payment_record(
    actor, dossier_id: int, *, amount: int, method: str, token: str, note: str = ""
) -> CreditResult:
    """A desk officer takes the fee in cash or by card (POS) at the desk. `token` comes from the
    form, so a form sent twice records one payment."""
    require(has_role(actor, Role.DESK_OFFICER), "Chỉ công chức Bộ phận Một cửa thu phí tại quầy.")
    dossier = access_dossier_for_officer(actor, dossier_id)
    if method not in ("cash", "pos"):
        raise ValidationError({"method": "Hãy chọn tiền mặt hoặc thẻ (POS)."})
    try:
        token = str(uuid.UUID(str(token)))
    except ValueError:
        raise ValidationError("Biểu mẫu không hợp lệ; tải lại trang rồi thử lại.") from None
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError({"amount": "Số tiền phải là số nguyên đồng lớn hơn 0."})
    with transaction.atomic():
        charge = charge_open(dossier)
        data = CreditData(
            provider="desk",
            provider_txn_id=token,
            amount=amount,
            booked_at=now(),
            narrative=f"{'Tiền mặt' if method == 'cash' else 'Thẻ (POS)'} tại quầy. {note}".strip(),
            account_number=charge.account.account_number,
            source=CreditSource.DESK,
            channel=PaymentChannel.DESK,
        )
        credit_validate(data)
        existing = _existing_credit(data)
        if existing is not None:
            return CreditResult(existing, False, None)
        credit = _credit_create(data, actor)
        decision = _apply(credit, charge, actor=actor, reason="Thu tại Bộ phận Một cửa.")
    return CreditResult(credit, True, decision)
