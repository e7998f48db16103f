"""The officer's payment panel on the dossier page (listed in motcua.backoffice.panels): what the
dossier owes, its VietQR, what came in with the receipts, and the actions the officer's role allows —
ask for payment (status 6) or take it at the desk. Read-only: no charge is opened here."""

import uuid

from motcua.accounts.roles import Role
from motcua.core.panels import Panel
from motcua.dossiers.workflow import Status

from .models import Charge
from .selectors import payment_block


def dossier_panel(request, dossier):
    fees = [fee for fee in dossier.procedure_version.fees.all() if fee.amount > 0]
    charge = (
        Charge.objects.select_related("account")
        .prefetch_related("receipts", "decisions__credit")
        .filter(dossier=dossier)
        .first()
    )
    if not fees and charge is None:
        return None
    role = request.user.role
    settled = charge is not None and charge.is_settled
    context = {
        "dossier": dossier,
        "fees": [(fee.order, fee.name, fee.amount) for fee in fees],
        "fee_due": dossier.procedure_version.get_fee_due_display(),
        "charge": charge,
        "block": payment_block(charge) if charge and not settled else None,
        "receipts": list(charge.receipts.all()) if charge else [],
        "decisions": list(charge.decisions.all()) if charge else [],
        "received": charge.received_total if charge else 0,
        "amount": charge.amount if charge else None,
        "can_request": role in (Role.SPECIALIST, Role.DIVISION_HEAD)
        and dossier.status == Status.IN_PROGRESS
        and not settled
        and bool(fees),
        "can_take_at_desk": role == Role.DESK_OFFICER and not settled and bool(fees),
        "desk_amount": charge.outstanding if charge else (fees[0].amount if fees else 0),
        "token": uuid.uuid4(),
    }
    return Panel(title="Phí, lệ phí", template="payments/panel.html", context=context)
