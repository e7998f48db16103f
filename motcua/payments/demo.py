"""The payments part of the demo (`load_demo`, called by `motcua demo`), idempotent.

The department's collecting account (a demo account at Vietcombank, BIN 970436); fees of some
returned demo dossiers paid — most by VietQR transfer, the rest at the desk — so that the report's
"paid online versus at the desk" has figures; and a few dossiers in progress asked for their fee
(status 6), so the public tracking page shows a QR to scan.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureFee
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status

from .models import Charge, CollectingAccount, Credit, CreditSource, PaymentChannel
from .services import CreditData, charge_open, charge_request, credit_receive

DEMO_BIN, DEMO_ACCOUNT, DEMO_NAME = "970436", "0201000686868", "SO TU PHAP TINH HA TINH"
PAID_DOSSIERS = 120  # every third one at the desk
AWAITING = 3


def load_demo(stdout=None) -> None:
    account = _account()
    paid = _paid_fees()
    waiting = _awaiting_payment()
    if stdout is not None:
        stdout.write(
            f"Thanh toán: tài khoản thu {account.account_number} ({account.bank_name}); "
            f"{paid} khoản phí đã nộp mới; {waiting} hồ sơ mới chờ nộp phí (trạng thái 6).\n"
        )


def _account() -> CollectingAccount:
    account, _ = CollectingAccount.objects.get_or_create(
        bank_bin=DEMO_BIN,
        account_number=DEMO_ACCOUNT,
        defaults={
            "bank_name": "Vietcombank",
            "account_name": DEMO_NAME,
            "is_default": not CollectingAccount.objects.filter(is_default=True).exists(),
        },
    )
    return account


def _with_fee(queryset):
    fees = ProcedureFee.objects.filter(version=OuterRef("procedure_version"), amount__gt=0)
    return queryset.filter(Exists(fees), code__isnull=False)


def _paid_fees() -> int:
    dossiers = _with_fee(Dossier.objects.filter(status=Status.RETURNED)).select_related(
        "procedure_version", "receiving_unit"
    )
    created = 0
    for n, dossier in enumerate(dossiers.order_by("received_at", "pk")[:PAID_DOSSIERS]):
        at_desk = n % 3 == 2
        provider = "desk" if at_desk else "demo"
        if Credit.objects.filter(provider=provider, provider_txn_id=f"demo-{dossier.pk}").exists():
            continue
        if Charge.objects.filter(dossier=dossier).exists():
            continue  # paid by another loader (demo.digital's history of 2023): never twice
        charge = charge_open(dossier)
        Charge.objects.filter(pk=charge.pk).update(opened_at=dossier.received_at)
        result = credit_receive(
            None,
            CreditData(
                provider=provider,
                provider_txn_id=f"demo-{dossier.pk}",
                amount=charge.amount,
                booked_at=dossier.received_at + timedelta(minutes=20),
                narrative=f"{'Thu tai quay' if at_desk else 'Chuyen khoan'} {charge.reference}",
                account_number=charge.account.account_number,
                source=CreditSource.DESK if at_desk else CreditSource.WEBHOOK,
                channel=PaymentChannel.DESK if at_desk else PaymentChannel.ONLINE,
            ),
        )
        created += int(result.created)
    return created


def _awaiting_payment() -> int:
    """A few dossiers in progress asked for their fee by a processor who may see them (the
    demo's historical dossiers have no assignee: any specialist or head of the competent agency)."""
    from motcua.accounts.models import User
    from motcua.dossiers.permissions import can_see_dossier

    already = Dossier.objects.filter(status=Status.AWAITING_PAYMENT).count()
    if already >= AWAITING:
        return 0
    processors = list(
        User.objects.filter(is_active=True, role__in=(Role.SPECIALIST, Role.DIVISION_HEAD))
    )
    candidates = _with_fee(Dossier.objects.filter(status=Status.IN_PROGRESS)).select_related(
        "procedure_version", "assignee"
    )
    moved = 0
    for dossier in candidates.order_by("-received_at")[:50]:
        actor = next((p for p in processors if can_see_dossier(p, dossier)), None)
        if actor is None:
            continue
        try:
            charge_request(actor, dossier.pk, expected_revision=dossier.revision)
        except (ValidationError, PermissionDenied):
            continue
        moved += 1
        if already + moved >= AWAITING:
            break
    return moved
