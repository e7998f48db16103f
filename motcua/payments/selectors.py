"""Reads of the payments app: the account a unit collects into, a dossier's payment block (QR and
reference) for the portal, the forms and the officer's panel, the review queue, the daily
reconciliation figures and the counts the indicators need."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from motcua.accounts.permissions import has_role
from motcua.core.text import format_money
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.workflow import Status
from motcua.org.selectors import unit_ancestor_ids

from .models import (
    MATCHED_OUTCOMES,
    Charge,
    ChargeStatus,
    CollectingAccount,
    Credit,
    MatchDecision,
    Outcome,
    PaymentChannel,
)
from .vietqr import build, qr_png, qr_png_size, qr_svg


def account_for_unit(unit_id: int | None) -> CollectingAccount | None:
    """The active account of the unit or of the nearest unit above it, else the department's
    default; None when none is recorded (the one configured in the environment is recorded by the
    service that opens a charge: services.collecting_account_for)."""
    accounts = CollectingAccount.objects.filter(is_active=True)
    if unit_id:
        chain = unit_ancestor_ids(unit_id)  # nearest first
        by_unit = {a.unit_id: a for a in accounts.filter(unit_id__in=chain)}
        for candidate in chain:
            if candidate in by_unit:
                return by_unit[candidate]
    return accounts.filter(is_default=True).first()


@dataclass(frozen=True)
class PaymentBlock:
    """What a payer needs: how much, to which account, the reference, and the VietQR."""

    charge: Charge
    amount: int
    amount_text: str
    reference: str
    payload: str
    svg: str
    png_data_uri: str
    png_size: int
    bank_name: str
    account_number: str
    account_name: str
    status_label: str
    settled: bool

    @property
    def svg_data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def charge_payload(charge: Charge) -> str:
    """A dynamic VietQR for what is still owed (the full fee while nothing has come in)."""
    amount = charge.outstanding or charge.amount
    return build(
        charge.account.bank_bin,
        charge.account.account_number,
        amount=amount,
        purpose=charge.reference,
    )


def payment_block(charge: Charge) -> PaymentBlock:
    payload = charge_payload(charge)
    amount = charge.outstanding or charge.amount
    return PaymentBlock(
        charge=charge,
        amount=amount,
        amount_text=format_money(amount),
        reference=charge.reference,
        payload=payload,
        svg=qr_svg(payload),
        png_data_uri="data:image/png;base64," + base64.b64encode(qr_png(payload)).decode(),
        png_size=qr_png_size(payload),
        bank_name=charge.account.bank_name,
        account_number=charge.account.account_number,
        account_name=charge.account.account_name,
        status_label=ChargeStatus(charge.status).label,
        settled=charge.is_settled,
    )


def payment_block_for_dossier(
    dossier: Dossier, *, moments: tuple[str, ...] = ()
) -> PaymentBlock | None:
    """The payment block of a dossier whose fees are due now (its procedure says when: `moments`,
    or status 6 whatever the moment) and whose charge is open; None when nothing is owed, the
    procedure is free, or no charge was opened. A read: the charge is opened when the fee becomes
    due (services.charge_open_when_due, charge_request), never by a page that shows it."""
    waiting = dossier.status == Status.AWAITING_PAYMENT
    if not waiting and dossier.procedure_version.fee_due not in moments:
        return None
    charge = Charge.objects.select_related("account").filter(dossier=dossier).first()
    if charge is None or charge.is_settled:
        return None
    return payment_block(charge)


def applicant_payment(dossier: Dossier) -> dict:
    """What the applicant's own pages show about the fee (the confirmation after an online
    submission, the citizen's dossier page): `payment`, the QR block while the charge is open and
    not fully paid — a charge is only opened once its fee falls due, so an open one is owed now —
    and `paid`, the charge once settled. A read: both None when no charge was opened."""
    charge = Charge.objects.select_related("account").filter(dossier=dossier).first()
    if charge is None:
        return {"payment": None, "paid": None}
    if charge.is_settled:
        return {"payment": None, "paid": charge}
    return {"payment": payment_block(charge), "paid": None}


def applicant_qr_png(dossier: Dossier) -> bytes | None:
    """The VietQR of what the dossier still owes as a PNG (saved to pay from another phone), or
    None when nothing is owed."""
    charge = Charge.objects.select_related("account").filter(dossier=dossier).first()
    if charge is None or charge.is_settled:
        return None
    return qr_png(charge_payload(charge))


def payment_block_for_form(dossier: Dossier, moment: str) -> PaymentBlock | None:
    """The QR block printed on Mẫu 01 (fees due at intake) or Mẫu 02 (due with the supplement)."""
    return payment_block_for_dossier(dossier, moments=(moment,))


# --- review queue ---------------------------------------------------------------------------------


def _latest_outcome():
    return Subquery(
        MatchDecision.objects.filter(credit=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("outcome")[:1]
    )


def _settles(user) -> bool:
    from .services import SETTLING_ROLES  # the services own who settles; imported late (cycle)

    return has_role(user, *SETTLING_ROLES) and user.unit_id is not None


def accounts_visible_to(user) -> QuerySet[CollectingAccount]:
    """The collecting accounts a settling officer works with: those of their unit or a unit above
    it (what their unit collects into, see account_for_unit), and the installation's accounts
    that belong to no unit (the default)."""
    if not _settles(user):
        return CollectingAccount.objects.none()
    return CollectingAccount.objects.filter(
        Q(unit_id__in=unit_ancestor_ids(user.unit_id)) | Q(unit__isnull=True)
    )


def credits_visible_to(user) -> QuerySet[Credit]:
    """THE rule of which credits a settling officer may see (ADR 0017), used by the review queue,
    a credit's page and the reconciliation report and its PDF/XLSX: a credit tied by a decision
    to the charge of a dossier they may see (dossiers_visible_to); or one tied to no dossier yet,
    paid into an account their unit collects into — someone there must settle it. A credit tied
    to another unit's dossier stays with that unit, whatever account it came into."""
    if not _settles(user):
        return Credit.objects.none()
    tied = MatchDecision.objects.filter(charge__isnull=False).values("credit_id")
    own_dossier = MatchDecision.objects.filter(
        charge__dossier__in=dossiers_visible_to(user)
    ).values("credit_id")
    own_account = accounts_visible_to(user).values("account_number")
    return Credit.objects.filter(
        Q(pk__in=own_dossier) | (Q(account_number__in=own_account) & ~Q(pk__in=tied))
    )


def credits_in_review(credits: QuerySet[Credit] | None = None) -> QuerySet[Credit]:
    """Credits whose latest decision sends them to a person, oldest first: of `credits` (a
    page passes credits_visible_to(user)), or of all (the matcher's checks)."""
    credits = Credit.objects.all() if credits is None else credits
    return (
        credits.annotate(latest_outcome=_latest_outcome())
        .filter(latest_outcome=Outcome.REVIEW)
        .order_by("booked_at", "pk")
    )


def credit_with_trail(user, credit_id: int) -> Credit | None:
    """A credit's page: None unless the user may see it (credits_visible_to)."""
    return (
        credits_visible_to(user)
        .annotate(latest_outcome=_latest_outcome())
        .prefetch_related("decisions__actor", "decisions__charge__dossier")
        .filter(pk=credit_id)
        .first()
    )


# --- reconciliation --------------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


@dataclass(frozen=True)
class Reconciliation:
    account: CollectingAccount
    day: date
    expected_count: int
    expected_amount: int
    received_count: int
    received_amount: int
    matched_count: int
    matched_amount: int
    unmatched_count: int
    unmatched_amount: int
    credits: list  # (credit, latest decision) of the day


def reconciliation_for(user, account: CollectingAccount, day: date) -> Reconciliation:
    """One account, one day, as the user may see it: what became due (charges of the dossiers
    they see, opened that day), what came in (credits they see, booked that day), how much of it
    the matcher or a person matched, and what is still open."""
    start, end = _day_bounds(day)
    expected = Charge.objects.filter(
        account=account,
        opened_at__gte=start,
        opened_at__lt=end,
        dossier__in=dossiers_visible_to(user),
    )
    expected_totals = expected.aggregate(n=Count("pk"), total=Sum("amount"))
    credits = list(
        credits_visible_to(user)
        .filter(
            Q(account_number=account.account_number) | Q(decisions__charge__account=account),
            booked_at__gte=start,
            booked_at__lt=end,
        )
        .distinct()
        .prefetch_related("decisions__charge__dossier")
        .order_by("booked_at", "pk")
    )
    rows, matched, unmatched = [], [], []
    for credit in credits:
        decisions = sorted(credit.decisions.all(), key=lambda d: (d.at, d.pk))
        latest = decisions[-1] if decisions else None
        rows.append((credit, latest))
        if latest and latest.outcome in MATCHED_OUTCOMES:
            matched.append(credit)
        else:
            unmatched.append(credit)
    return Reconciliation(
        account=account,
        day=day,
        expected_count=expected_totals["n"] or 0,
        expected_amount=expected_totals["total"] or 0,
        received_count=len(credits),
        received_amount=sum(c.amount for c in credits),
        matched_count=len(matched),
        matched_amount=sum(c.amount for c in matched),
        unmatched_count=len(unmatched),
        unmatched_amount=sum(c.amount for c in unmatched),
        credits=rows,
    )


# --- indicators -------------------------------------------------------------------------------------


def _received_between(date_from: date, date_to: date, unit_code: str | None) -> Q:
    start, _ = _day_bounds(date_from)
    _, end = _day_bounds(date_to)
    rule = Q(dossier__received_at__gte=start, dossier__received_at__lt=end)
    if unit_code:
        rule &= Q(dossier__receiving_unit__code=unit_code)
    return rule


def payment_channel_counts(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """Dossiers received in [date_from, date_to] (both included) whose fees were paid in full
    online (bank transfer, VietQR) or at the desk (cash, POS) — by the channel of the payment that
    completed them. One query."""
    rows = (
        Charge.objects.filter(_received_between(date_from, date_to, unit_code))
        .filter(status__in=(ChargeStatus.PAID, ChargeStatus.OVERPAID))
        .values("settled_channel")
        .annotate(n=Count("dossier", distinct=True))
    )
    counts = {row["settled_channel"]: row["n"] for row in rows}
    return {
        "paid_online": counts.get(PaymentChannel.ONLINE, 0),
        "paid_desk": counts.get(PaymentChannel.DESK, 0),
    }


def charge_totals(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """Charges of dossiers received in the period: how many, how much due, how much received."""
    rows = Charge.objects.filter(_received_between(date_from, date_to, unit_code)).aggregate(
        charges=Count("pk"),
        due=Sum("amount"),
        received=Sum("received_total"),
        unpaid=Count("pk", filter=Q(status__in=(ChargeStatus.OPEN, ChargeStatus.PARTIAL))),
    )
    return {key: value or 0 for key, value in rows.items()}
