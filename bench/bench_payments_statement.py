"""A bank statement of 10.000 lines imported and matched (`motcua.payments.statements`).

The target (issue [D]): under 5 seconds for 10.000 lines. The statement is generated against a
fresh database with the demo organisation and catalogue and 4.000 received dossiers owing a fee
(500 of them waiting in status 6): 3.000 lines pay a dossier in full (the reference somewhere in a
bank-style narrative, sometimes lower case or spaced), 500 pay part of one, 6.500 carry no or a
damaged reference and go to the review queue. The same file imported again must store nothing.
Everything runs in a fresh test database (a temporary SQLite file, or `test_motcua_bench` on
PostgreSQL), destroyed at the end.
"""

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection

LINES = 10_000
DOSSIERS = 4_000
AWAITING = 500
FULL, PARTIAL = 3_000, 500
TARGET_SECONDS = 5.0
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        old_name = _fresh_database(Path(folder))
        try:
            _run()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _fresh_database(folder: Path) -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        settings.setdefault("TEST", {})["NAME"] = str(folder / "bench.sqlite3")
    else:
        settings.setdefault("TEST", {})["NAME"] = "test_motcua_bench"
    old_name = settings["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return old_name


def _setup():
    from motcua.accounts.models import User
    from motcua.accounts.roles import Role
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.services import catalog_import
    from motcua.demo.loaders import CATALOGUE_FILE, LoadReport, load_org_units
    from motcua.dossiers.models import Applicant, Dossier, DossierPause, PauseKind
    from motcua.org.models import Unit
    from motcua.payments.models import Charge, CollectingAccount
    from motcua.payments.references import references_for

    load_org_units(LoadReport())
    catalog_import(None, CATALOGUE_FILE)
    centre = Unit.objects.get(code="000.00.40.H27")
    version = (
        ProcedureVersion.objects.filter(fees__amount__gt=0, receiving_unit=centre)
        .order_by("-effective_from")
        .first()
    )
    account = CollectingAccount.objects.create(
        bank_bin="970436", bank_name="Vietcombank", account_number="0201000686868",
        account_name="SO TU PHAP", is_default=True,
    )  # fmt: skip
    officer = User.objects.create(username="ketoan", role=Role.DESK_OFFICER, unit=centre)
    applicant = Applicant.objects.create(full_name="Nguyễn Thị Hương", citizen_id="042190001234")
    start = datetime(2026, 3, 2, 8, 0, tzinfo=HCM)
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            code=f"000.00.40.H27-{(start + timedelta(days=n // 400)):%y%m%d}-{n % 400 + 1:04d}",
            procedure_version=version,
            receiving_unit=centre,
            applicant=applicant,
            applicant_name=applicant.full_name,
            channel="online",
            status="awaiting_payment" if n < AWAITING else "in_progress",
            submitted_at=start,
            received_at=start + timedelta(days=n // 400),
        )
        for n in range(DOSSIERS)
    )
    DossierPause.objects.bulk_create(
        DossierPause(dossier=d, kind=PauseKind.PAYMENT, reason="Nộp phí", started_at=start)
        for d in dossiers[:AWAITING]
    )
    charges = Charge.objects.bulk_create(
        Charge(
            dossier=d,
            reference=references_for(d.code)[0],
            account=account,
            amount=200_000,
            fee_name="Phí",
            due_moment="result",
            opened_at=d.received_at,
        )
        for d in dossiers
    )
    return officer, account, charges


def _statement(charges) -> bytes:
    rng = random.Random(2026)
    lines = ["Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Mô tả"]
    payers = charges[: FULL + PARTIAL]
    for n in range(LINES):
        when = datetime(2026, 3, 10, 8, 0) + timedelta(seconds=n * 7)
        if n < FULL + PARTIAL:
            charge = payers[n]
            amount = 200_000 if n < FULL else 150_000
            reference = charge.reference if n % 3 else " ".join(charge.reference.lower())
            text = f"MBVCB.{rng.randrange(10**9)}.{reference}.NGUYEN VAN A chuyen tien"
        else:
            amount = rng.choice((50_000, 100_000, 200_000, 300_000))
            text = rng.choice(
                ("chuyen tien le phi", f"HS{rng.randrange(10**12):012d} nop phi", "IBFT ung ho")
            )
        lines.append(f"{when:%d/%m/%Y %H:%M:%S};FT{n:08d};;{amount:,};{text}")
    return "\n".join(lines).encode("utf-8")


def _baseline_insert_rate() -> float:
    """Lines/s of a raw loop doing the least the import must do: parse nothing, just bulk-insert
    10.000 credit rows in one transaction (rolled back)."""
    from django.db import transaction

    from motcua.core.clock import now
    from motcua.payments.models import Credit

    rows = [
        Credit(provider="baseline", provider_txn_id=str(n), source="statement", amount=1,
               booked_at=now(), received_at=now())
        for n in range(LINES)
    ]  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic():
        Credit.objects.bulk_create(rows, batch_size=500)
        transaction.set_rollback(True)
    return LINES / (time.perf_counter() - started)


def _run() -> None:
    from bench.harness import record
    from motcua.dossiers.models import Dossier
    from motcua.payments.models import Credit, MatchDecision
    from motcua.payments.services import dossiers_advance
    from motcua.payments.statements import statement_import

    officer, account, charges = _setup()
    content = _statement(charges)
    baseline = _baseline_insert_rate()
    started, cpu = time.perf_counter(), time.process_time()
    result = statement_import(
        officer, content, "saoke.csv", profile="vcb", account_id=account.pk, advance=False
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    moved = dossiers_advance()
    advance_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = statement_import(officer, content, "saoke.csv", profile="vcb", account_id=account.pk)
    again_seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(
        f"statement of {LINES} lines matched in {seconds:.2f} s (CPU of this process "
        f"{cpu:.2f} s): {result.matched} matched ({FULL} in full, {PARTIAL} in part), "
        f"{result.review} to review"
    )
    print(f"then {moved} dossiers moved on from status 6 in {advance_seconds:.2f} s (workflow)")
    print(f"the same statement again: {again_seconds:.2f} s, {again.credits} new credits")
    assert result.credits == LINES and result.matched == FULL + PARTIAL
    assert again.credits == 0 and Credit.objects.count() == LINES
    assert MatchDecision.objects.count() == LINES and moved == AWAITING
    assert Dossier.objects.filter(status="awaiting_payment").count() == 0
    record(
        "payments statement 10.000 lines",
        seconds,
        "s",
        LINES / baseline,
        "bulk insert of the credits alone",
        max_value=TARGET_SECONDS,
    )
