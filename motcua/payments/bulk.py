"""Bulk record of fees already paid, for histories loaded at once (the demo's H1/2023, an import from
a unit's earlier system): each dossier's charge, the credit that paid it, its receipt and the
matcher's decision, written in a few statements and dated when the money came, not when the
history was loaded.

The rules are the services' (services.py): the charge is one fee item of the procedure version (the
first that is not free, or the one named), paid into the account of the receiving unit (or the
nearest above it, or the default), with the dossier's payment reference; the credit names the
reference in its narrative; the charge's state follows the amounts received; each payment gets a
receipt numbered in its year's sequence and a decision that says why it was applied. A dossier
that already has a charge is left as it is, which makes a second load change nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.core.bulk import objects_insert
from motcua.dossiers.models import Dossier

from .models import (
    Charge,
    Credit,
    CreditSource,
    MatchDecision,
    PaymentChannel,
    Receipt,
)
from .references import references_for
from .services import _add_to_charge, _receipt_numbers_reserve, _summary, collecting_account_for

BATCH_SIZE = 2000
REASON = "Thanh toán đã ghi nhận trong lịch sử hồ sơ."
MSG_NO_ACCOUNT = "Chưa có tài khoản thu phí: quản trị hệ thống cần khai báo tài khoản thu."


@dataclass(frozen=True)
class PastPayment:
    """A dossier's fee and, when it was paid, how: `channel` online (transfer, VietQR) or desk
    (cash, POS); `paid_at` None leaves the charge open (asked for, not yet paid)."""

    dossier_id: int
    opened_at: datetime
    paid_at: datetime | None = None
    channel: str = PaymentChannel.DESK
    fee_order: int | None = None
    recorded_by_id: int | None = None


def past_payments_record(payments: list[PastPayment]) -> int:
    """Open the charges of many dossiers and record their payments; returns how many charges were
    opened. Dossiers that already have a charge are skipped. Raises ValidationError, writing
    nothing, when a procedure has no such fee or no collecting account is configured."""
    with transaction.atomic():
        charged = set(
            Charge.objects.filter(dossier_id__in=[p.dossier_id for p in payments]).values_list(
                "dossier_id", flat=True
            )
        )
        fresh = [p for p in payments if p.dossier_id not in charged]
        if not fresh:
            return 0
        dossiers = _dossiers(fresh)
        accounts: dict = {}  # by receiving unit, looked up once each
        charges = [_charge_new(dossiers[p.dossier_id], p, accounts) for p in fresh]
        _references_assign(charges, dossiers)
        paid = [(p, c) for p, c in zip(fresh, charges, strict=True) if p.paid_at is not None]
        credits = [_credit_new(p, c) for p, c in paid]
        outcomes = [
            _add_to_charge(c, credit)[0] for (_, c), credit in zip(paid, credits, strict=True)
        ]
        objects_insert(Charge, charges, ids_needed=True)
        objects_insert(Credit, credits, ids_needed=True)
        _receipts_and_decisions(paid, credits, outcomes)
    return len(charges)


@dataclass(frozen=True)
class _Dossier:
    """What a charge needs of its dossier (read as values: thousands of model instances with their
    versions would cost more than the inserts)."""

    pk: int
    code: str
    receiving_unit_id: int
    fee_due: str
    fees: list  # the version's fee items that are not free, in order


def _dossiers(payments: list[PastPayment]) -> dict[int, _Dossier]:
    from motcua.catalog.models import ProcedureFee

    ids = sorted({p.dossier_id for p in payments})
    rows = []
    for start in range(0, len(ids), BATCH_SIZE):
        rows += Dossier.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).values_list(
            "pk", "code", "receiving_unit_id", "procedure_version_id", "procedure_version__fee_due"
        )
    fees = defaultdict(list)
    for fee in ProcedureFee.objects.filter(
        version_id__in={row[3] for row in rows}, amount__gt=0
    ).order_by("version_id", "order"):
        fees[fee.version_id].append(fee)
    return {
        pk: _Dossier(pk, code, unit_id, fee_due, fees[version_id])
        for pk, code, unit_id, version_id, fee_due in rows
    }


def _charge_new(dossier: _Dossier, payment: PastPayment, accounts: dict) -> Charge:
    fees = dossier.fees
    if payment.fee_order is not None:
        fees = [fee for fee in fees if fee.order == payment.fee_order]
    if not fees or not dossier.code:
        raise ValidationError(
            f"Hồ sơ {dossier.code or dossier.pk}: thủ tục không có khoản phí, lệ phí phải nộp."
        )
    if dossier.receiving_unit_id not in accounts:
        accounts[dossier.receiving_unit_id] = collecting_account_for(dossier.receiving_unit_id)
    account = accounts[dossier.receiving_unit_id]
    if account is None:
        raise ValidationError(MSG_NO_ACCOUNT)
    return Charge(
        dossier_id=dossier.pk,
        account=account,
        amount=fees[0].amount,
        fee_name=fees[0].name,
        due_moment=dossier.fee_due,
        opened_at=payment.opened_at,
    )


def _references_assign(charges: list[Charge], dossiers: dict[int, _Dossier]) -> None:
    """The short reference of each dossier's code, else the long one (as charge_open does)."""
    candidates = {c.dossier_id: references_for(dossiers[c.dossier_id].code) for c in charges}
    every = sorted({r for refs in candidates.values() for r in refs})
    taken: set[str] = set()
    for start in range(0, len(every), BATCH_SIZE):
        taken.update(
            Charge.objects.filter(reference__in=every[start : start + BATCH_SIZE]).values_list(
                "reference", flat=True
            )
        )
    for charge in charges:
        charge.reference = next(r for r in candidates[charge.dossier_id] if r not in taken)
        taken.add(charge.reference)


def _credit_new(payment: PastPayment, charge: Charge) -> Credit:
    online = payment.channel == PaymentChannel.ONLINE
    return Credit(
        provider="lich-su",
        provider_txn_id=f"{charge.reference}-{payment.paid_at:%Y%m%d%H%M%S}",
        source=CreditSource.WEBHOOK if online else CreditSource.DESK,
        channel=payment.channel,
        account_number=charge.account.account_number,
        amount=charge.amount,
        booked_at=payment.paid_at,
        narrative=f"{'Chuyen khoan' if online else 'Thu tai quay'} {charge.reference}",
        received_at=payment.paid_at,
        recorded_by_id=None if online else payment.recorded_by_id,
    )


def _receipts_and_decisions(paid, credits: list[Credit], outcomes: list[str]) -> None:
    """A receipt per payment, numbered in the year of the payment (one block of numbers per year,
    reserved under the sequence's lock), and the decision that applied it."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for index, credit in enumerate(credits):
        by_year[timezone.localtime(credit.booked_at).year].append(index)
    receipts, decisions = [], []
    for year, indexes in sorted(by_year.items()):
        indexes.sort(key=lambda i: (credits[i].booked_at, i))
        first = _receipt_numbers_reserve(datetime(year, 1, 1), len(indexes))
        for offset, index in enumerate(indexes):
            (_, charge), credit = paid[index], credits[index]
            number = f"BL{year}-{first + offset:06d}"
            receipts.append(
                Receipt(
                    number=number,
                    charge=charge,
                    credit=credit,
                    amount=credit.amount,
                    issued_at=credit.booked_at,
                )
            )
            decisions.append(
                MatchDecision(
                    credit=credit,
                    charge=charge,
                    outcome=outcomes[index],
                    reference_found=charge.reference,
                    reason=_summary(REASON, credit, charge, number),
                    at=credit.booked_at,
                    actor_id=credit.recorded_by_id,
                )
            )
    objects_insert(Receipt, receipts)
    objects_insert(MatchDecision, decisions)
