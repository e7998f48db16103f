"""A liên thông walked between two installations (ADR 0034 "Liên thông").

Installation A is this test's database (SQLite or PostgreSQL, as the suite runs). Installation B is
another process with its own SQLite database (`DATABASE_URL=sqlite:///…/b.sqlite3`), driven by the
`motcua` command and two short scripts: it is migrated from nothing, gets its one unit (the agency
A consults, a code that is not one of A's units) and a clerk. The two share nothing but the
exchange directory (DirectoryTransport), as two systems on one machine would.

A: the specialist's "Chuyển liên thông" names B's organ code → the công văn and the dossier's paper
are registered in A's outgoing register and written to B's inbox once the move commits.
B: `motcua exchange receive` registers them in B's incoming register (and reports 01 back); B's
clerk reports 06 (completed) on that document.
A: its receive job reads 01 (shown on the delivery, nothing moves) and 06: the dossier returns to
"Đang xử lý" by a system move (actor None), with its history event and change-feed row.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from motcua.dossiers.models import DossierChangeRecord
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
from motcua.org.models import Unit, UnitKind
unit = Unit.objects.create(code="{OTHER}", name="{OTHER_NAME}", kind=UnitKind.DEPARTMENT)
User.objects.create_user(
    username="vanthu.b", password="x", role=Role.DESK_OFFICER, unit=unit, full_name="Lê Thị Nhận"
)
"""

ANSWER_B = """
import json
import django
django.setup()
from motcua.accounts.models import User
from motcua.exchange.models import IncomingDocument
from motcua.exchange.services import incoming_reply
from motcua.exchange.transports import configured_transport
clerk = User.objects.get(username="vanthu.b")
(incoming,) = IncomingDocument.objects.all()
incoming_reply(
    clerk, incoming.pk, "06", "Đã xác minh: không có án tích", configured_transport([clerk.unit.code])
)
incoming.refresh_from_db()
print(json.dumps({
    "subject": incoming.subject,
    "from": incoming.from_organ_id,
    "response_for": incoming.header.get("response_for"),
    "files": [f.name for f in incoming.files.order_by("pk")],
    "reply_code": incoming.reply_code,
}, ensure_ascii=False))
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
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(shared)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
        "MOTCUA_EXCHANGE_TRANSPORT": "directory",
        "MOTCUA_EXCHANGE_DIRECTORY": str(shared),
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

    # B: receives it into its incoming register, then reports 06 on it.
    received = _b(env, str(MOTCUA), "exchange", "receive")
    assert "Văn bản đến: 1; trạng thái: 0; trùng: 0; từ chối: 0." in received
    seen = json.loads(_b(env, sys.executable, "-c", ANSWER_B))
    assert seen["from"] == letter.unit.code and seen["reply_code"] == "06"
    assert dossier.code in seen["subject"]
    assert seen["response_for"][0]["code"] == dossier.code
    assert seen["files"][0] == "cong-van.pdf" and len(seen["files"]) == 2

    # A: the periodic receive job takes 01 and 06 from A's inbox.
    run = exchange_receive_run()
    assert run.counts["statuses"] == 2 and run.counts["refused"] == 0, run.summary
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "inter_agency_returned",
        None,
        "inter_agency",
        "in_progress",
    )
    assert "Đã xác minh: không có án tích" in event.note
    assert DossierChangeRecord.objects.filter(
        dossier_id=dossier.pk, kind="inter_agency_returned"
    ).exists()
    delivery = letter.deliveries.get()
    assert delivery.status_code == "06"
    assert sorted(delivery.statuses.values_list("code", flat=True)) == ["01", "06"]
