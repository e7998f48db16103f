"""A liên thông walked between two installations (ADR 0034 "Liên thông", ADR 0042).

Installation A is this test's database (SQLite or PostgreSQL, as the suite runs). Installation B is
another process with its own SQLite database (`DATABASE_URL=sqlite:///…/b.sqlite3`), driven by the
`motcua` command and short scripts: it is migrated from nothing, gets its one unit (the agency A
consults, a code that is not one of A's units) receiving the same procedure (its national code),
staff in each role, and its own signing key. The two share nothing but the exchange directory
(DirectoryTransport), as two systems on one machine would.

A: the specialist's "Chuyển liên thông" names B's organ code → the công văn, the dossier's paper
and its description are registered in A's outgoing register and written to B's inbox.
B: `motcua exchange receive` registers the letter, opens a dossier of B's unit from it (reports 01
and 03 back); the same package delivered again opens nothing. B's head assigns, the specialist
submits, the leader approves and issues the signed result; B's receive job sends the result as a
document answering A's letter, then 06.
A: its receive job reads 01, 03, the result and 06: the dossier returns to "Đang xử lý" by a system
move (actor None), with its history event and change-feed row; B's result is in A's register.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from motcua.documents.testca import create_test_ca
from motcua.dossiers.models import DossierChangeRecord
from motcua.exchange.models import IncomingDocument
from motcua.exchange.services import exchange_receive_run

from .lienthong_helpers import OTHER, OTHER_NAME, dossier_in_progress, send_to_other

ROOT = Path(__file__).resolve().parents[2]
MOTCUA = Path(sys.executable).with_name("motcua")

SETUP_B = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.calendars.services import calendar_seed_official_notices
from motcua.catalog.services import catalog_import
from motcua.org.models import Unit, UnitKind
from tests.catalog.factories import document, version
unit = Unit.objects.create(code="{OTHER}", name="{OTHER_NAME}", kind=UnitKind.DEPARTMENT)
steps = [
    {{"name": "Tiếp nhận", "unit": unit.code, "role": "desk_officer", "budget_hours": "4"}},
    {{"name": "Xác minh", "unit": unit.code, "role": "specialist", "budget_hours": "64"}},
    {{"name": "Lãnh đạo Sở ký", "unit": unit.code, "role": "department_leader", "budget_hours": "12"}},
]
# The same procedure (its national code) received by B's department.
catalog_import(None, document(procedures=[{{"code": "2.001417", "is_internal": False, "versions": [
    version(competent_agency=unit.code, receiving_unit=unit.code, steps=steps)
]}}]))
calendar_seed_official_notices()
for username, role in (("vanthu.b", Role.DESK_OFFICER), ("truongphong.b", Role.DIVISION_HEAD),
                       ("chuyenvien.b", Role.SPECIALIST), ("giamdoc.b", Role.DEPARTMENT_LEADER)):
    User.objects.create_user(
        username=username, password="x", role=role, unit=unit, full_name="Lê Thị Nhận"
    )
"""

SEEN_B = """
import json
import django
django.setup()
from motcua.exchange.models import IncomingDocument, LienthongIntake
from motcua.dossiers.models import Dossier
(incoming,) = IncomingDocument.objects.all()
intake = LienthongIntake.objects.select_related("dossier").get()
dossier = intake.dossier
print(json.dumps({
    "subject": incoming.subject,
    "from": incoming.from_organ_id,
    "response_for": incoming.header.get("response_for"),
    "files": [f.name for f in incoming.files.order_by("pk")],
    "outcome": intake.outcome,
    "reason": intake.reason,
    "from_dossier_code": intake.from_dossier_code,
    "dossiers": Dossier.objects.count(),
    "code": dossier.code if dossier else "",
    "status": dossier.status if dossier else "",
    "unit": dossier.receiving_unit.code if dossier else "",
    "due_hours": (dossier.due_at - dossier.received_at).total_seconds() / 3600 if dossier else 0,
    "papers": [
        c.name for c in dossier.components.filter(files__isnull=False)
    ] if dossier else [],
    "note": dossier.events.get().note if dossier else "",
    "channel": dossier.channel if dossier else "",
    "return_channel": dossier.return_channel if dossier else "",
    "sources": sorted({
        f.source for c in dossier.components.all() for f in c.files.all()
    }) if dossier else [],
}, ensure_ascii=False))
"""

RESOLVE_B = """
import django
django.setup()
from motcua.accounts.models import User
from motcua.documents.results import result_issue
from motcua.dossiers.services import dossier_act
from motcua.exchange.models import LienthongIntake
from motcua.exchange.services import exchange_receive_configured

dossier = LienthongIntake.objects.get().dossier
def act(username, action, **params):
    global dossier
    dossier.refresh_from_db()
    user = User.objects.get(username=username)
    dossier = dossier_act(user, dossier.pk, action, expected_revision=dossier.revision, **params)
act("truongphong.b", "assign", assignee_id=User.objects.get(username="chuyenvien.b").pk)
act("chuyenvien.b", "submit_for_signature")
act("giamdoc.b", "approve")
issued = result_issue(User.objects.get(username="giamdoc.b"), dossier)
# The job exchange-receive: nothing to receive, then the answer goes back by itself.
report = exchange_receive_configured()
intake = LienthongIntake.objects.get()
print(intake.answer_code, intake.answer_document.number_symbol, issued.number, report.answers_failed)
"""


def _b(env, *args):
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_lien_thong_between_two_installations_moves_the_dossier(
    desk, settings, tmp_path, django_capture_on_commit_callbacks
):
    shared = tmp_path / "truc"
    keys = create_test_ca(tmp_path / "ca-b", passphrase="motcua-b")
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(shared)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
        "MOTCUA_EXCHANGE_TRANSPORT": "directory",
        "MOTCUA_EXCHANGE_DIRECTORY": str(shared),
        # B signs its result with its own (test) key.
        "MOTCUA_SIGNING_PKCS12": str(keys.signer_p12),
        "MOTCUA_SIGNING_PASSPHRASE": keys.passphrase,
        "MOTCUA_TRUST_ROOTS": str(keys.trust_dir),
    }
    _b(env, sys.executable, "-c", SETUP_B)

    # A: the specialist sends the dossier to B's agency.
    dossier = dossier_in_progress(desk)
    with django_capture_on_commit_callbacks(execute=True):
        send_to_other(desk, dossier)
    dossier.refresh_from_db()
    assert dossier.status == "inter_agency"
    letter = dossier.consultations.get().outgoing_document
    assert letter.state == "sent"

    # B: receives it into its incoming register and opens a dossier of its own from it.
    received = _b(env, str(MOTCUA), "exchange", "receive")
    assert "Văn bản đến: 1; trạng thái: 0; trùng: 0; từ chối: 0." in received
    seen = json.loads(_b(env, sys.executable, "-c", SEEN_B))
    assert seen["from"] == letter.unit.code and dossier.code in seen["subject"]
    assert seen["response_for"][0]["code"] == dossier.code
    assert seen["files"] == ["cong-van.pdf", seen["files"][1], "ho-so-lien-thong.json"]
    assert (seen["outcome"], seen["reason"], seen["from_dossier_code"]) == (
        "opened",
        "",
        dossier.code,
    )
    assert seen["unit"] == OTHER and seen["status"] == "received" and seen["dossiers"] == 1
    assert seen["code"].startswith(OTHER + "-") and seen["due_hours"] > 0
    assert seen["papers"] == ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"]
    # Received from another agency, not submitted online here; its papers came with the package.
    assert (seen["channel"], seen["return_channel"]) == ("lienthong", "")
    assert seen["sources"] == ["lienthong"]
    assert f"Tiếp nhận liên thông từ {letter.unit.name} (mã {letter.unit.code})" in seen["note"]

    # The same package delivered again (a replay): registered once, no second dossier.
    done = next((shared / OTHER / "done").glob("*.edxml"))
    shutil.copy(done, shared / OTHER / "inbox" / ("replay-" + done.name))
    again = _b(env, str(MOTCUA), "exchange", "receive")
    assert "Văn bản đến: 0; trạng thái: 0; trùng: 1; từ chối: 0." in again
    assert json.loads(_b(env, sys.executable, "-c", SEEN_B))["dossiers"] == 1

    # B: its dossier is resolved and its result issued; the answer leaves by itself.
    code, number_symbol, result_number, failed = _b(env, sys.executable, "-c", RESOLVE_B).split()
    assert code == "06" and failed == "0"

    # A: the periodic receive job takes 01, 03 (with B's dossier code), B's result letter and 06.
    run = exchange_receive_run()
    assert run.counts["statuses"] == 3 and run.counts["documents"] == 1, run.summary
    assert run.counts["refused"] == 0, run.summary
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "inter_agency_returned",
        None,
        "inter_agency",
        "in_progress",
    )
    assert number_symbol in event.note
    assert DossierChangeRecord.objects.filter(
        dossier_id=dossier.pk, kind="inter_agency_returned"
    ).exists()
    delivery = letter.deliveries.get()
    assert delivery.status_code == "06"
    assert sorted(delivery.statuses.values_list("code", flat=True)) == ["01", "03", "06"]
    accepted = delivery.statuses.get(code="03")
    assert accepted.description == f"Đã tiếp nhận hồ sơ liên thông, mã hồ sơ {seen['code']}"
    assert "đã giải quyết xong" in delivery.status_description
    # B's result, signed, is in A's incoming register, answering A's letter.
    result = IncomingDocument.objects.get(from_organ_id=OTHER)
    (pdf,) = result.files.all()
    assert pdf.name == f"{result_number}.pdf".replace("/", "-") and pdf.size > 1000
