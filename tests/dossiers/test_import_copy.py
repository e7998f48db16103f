"""The import writes its rows with COPY on PostgreSQL and bulk_create on SQLite (docs/BENCHMARKS.md
C5): both must store exactly the same rows. The expected rows below are written out by hand, so the
same test pins both paths, whichever database runs it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.roles import Role
from motcua.catalog.selectors import version_in_force
from motcua.dossiers import importing
from motcua.dossiers.importing import DossierImportError, dossiers_import
from motcua.dossiers.models import Applicant, Dossier, DossierEvent, DossierPause
from tests.accounts.factories import UserFactory
from tests.dossiers.test_importing import CENTRE, good, open_row, snapshot, write_csv
from tests.dossiers.test_services import receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
IMPORTED_AT = datetime(2024, 6, 3, 9, 0, tzinfo=HCM)


def at(text):
    return datetime.fromisoformat(text + "+07:00") if text else None


ROWS = [
    good(),
    open_row(3),
    open_row(4, status="5", supplement_requests="2", applicant_id="", applicant_name="Lê Văn Nam"),
    open_row(
        5,
        status="1",
        due_at="",
        channel="online",
        applicant_id="",
        applicant_name="Trần Thị Online",
    ),
    open_row(6, status="6", applicant_id="042190001234", applicant_name="Nguyễn Thị Hương"),
]

# code: (status, submitted_at, received_at, due_at_original, due_at, finished_at, returned_at,
#        return_channel, channel, supplement_requests, applicant_name, applicant (kind, id, name))
EXPECTED = {
    f"{CENTRE}-240426-0007": (
        "returned",
        "2024-04-26T09:00",
        "2024-04-26T09:00",
        "2024-05-14T09:00",
        "2024-05-14T09:00",
        "2024-05-10T10:00",
        "2024-05-13T08:30",
        "desk",
        "desk",
        0,
        "Nguyễn Thị Hương",
        ("person", "042190001234", "Nguyễn Thị Hương"),
    ),
    f"{CENTRE}-240502-0003": (
        "in_progress",
        "2024-05-02T08:30",
        "2024-05-02T08:30",
        "2024-05-16T08:30",
        "2024-05-16T08:30",
        "",
        "",
        "",
        "desk",
        0,
        "Công ty TNHH Hồng Lĩnh",
        ("organisation", "3001234567", "Công ty TNHH Hồng Lĩnh"),
    ),
    f"{CENTRE}-240502-0004": (
        "supplement_requested",
        "2024-05-02T08:30",
        "2024-05-02T08:30",
        "2024-05-16T08:30",
        "",  # the clock stands still: no due instant while paused
        "",
        "",
        "",
        "desk",
        2,
        "Lê Văn Nam",
        ("person", "", "Lê Văn Nam"),
    ),
    f"{CENTRE}-240502-0005": (
        "submitted_online",
        "2024-05-02T08:30",
        "",
        "",
        "",
        "",
        "",
        "",
        "online",
        0,
        "Trần Thị Online",
        ("person", "", "Trần Thị Online"),
    ),
    f"{CENTRE}-240502-0006": (
        "awaiting_payment",
        "2024-05-02T08:30",
        "2024-05-02T08:30",
        "2024-05-16T08:30",
        "",
        "",
        "",
        "",
        "desk",
        0,
        "Nguyễn Thị Hương",
        ("person", "042190001234", "Nguyễn Thị Hương"),
    ),
}


def _import(desk, tmp_path, rows=ROWS, actor=None):
    with time_machine.travel(IMPORTED_AT, tick=False):
        return dossiers_import(actor, write_csv(tmp_path / "ho_so.csv", rows))


def test_the_imported_rows_are_exactly_the_expected_ones(desk, tmp_path):
    admin = UserFactory(role=Role.ADMINISTRATOR, unit=desk["units"]["centre"])
    assert _import(desk, tmp_path, actor=admin).created == 5

    version = version_in_force("2.001417", at("2024-04-26T09:00"))
    stored = {}
    for dossier in Dossier.objects.select_related("applicant"):
        applicant = dossier.applicant
        stored[dossier.code] = (
            dossier.status,
            *(
                timezone_text(getattr(dossier, name))
                for name in (
                    "submitted_at",
                    "received_at",
                    "due_at_original",
                    "due_at",
                    "finished_at",
                    "returned_at",
                )
            ),
            dossier.return_channel,
            dossier.channel,
            dossier.supplement_requests,
            dossier.applicant_name,
            (applicant.kind, applicant.citizen_id or applicant.tax_code, applicant.full_name),
        )
        assert dossier.imported and dossier.revision == 0
        assert dossier.procedure_version == version
        assert dossier.receiving_unit == desk["units"]["centre"]
        assert dossier.dossier_sets == 1 and dossier.applicant_address == ""
        assert dossier.current_step is None and dossier.assignee is None
    assert stored == EXPECTED
    # Two rows of one citizen ID share one applicant; the two without an identifier get their own.
    assert Applicant.objects.count() == 4
    assert Applicant.objects.filter(created_at=IMPORTED_AT).count() == 4

    events = DossierEvent.objects.select_related("dossier")
    assert sorted(
        (
            e.dossier.code,
            e.at,
            e.actor,
            e.actor_role,
            e.action,
            e.from_status,
            e.to_status,
            e.step_name,
            e.unit,
            e.note,
            e.due_before,
            e.due_after,
        )
        for e in events
    ) == sorted(
        (
            code,
            IMPORTED_AT,
            admin,
            "administrator",
            "imported",
            "",
            values[0],
            "",
            admin.unit,
            "Nhập từ hệ thống cũ.",
            None,
            at(values[3]),
        )
        for code, values in EXPECTED.items()
    )
    pauses = DossierPause.objects.select_related("dossier").order_by("dossier__code")
    assert [(p.dossier.code, p.kind, p.started_at, p.ended_at) for p in pauses] == [
        (f"{CENTRE}-240502-0004", "supplement", IMPORTED_AT, None),
        (f"{CENTRE}-240502-0006", "payment", IMPORTED_AT, None),
    ]
    assert all(p.reason.startswith("Đang tạm dừng khi nhập") for p in pauses)


def timezone_text(value) -> str:
    return value.astimezone(HCM).strftime("%Y-%m-%dT%H:%M") if value else ""


def test_ids_taken_for_the_import_leave_the_tables_usable(desk, tmp_path):
    """COPY writes ids it reserved from the tables' own sequences: later inserts never collide."""
    _import(desk, tmp_path)
    dossier = receive(desk, "2024-04-26T16:00")
    assert dossier.code == f"{CENTRE}-240426-0008"  # after the imported 0007
    assert dossier.pk > max(Dossier.objects.exclude(pk=dossier.pk).values_list("pk", flat=True))
    assert Dossier.objects.filter(imported=True).count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_writes_the_big_tables_with_copy(desk, tmp_path):
    with CaptureQueriesContext(connection) as captured:
        _import(desk, tmp_path)
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_applicant"):
        assert not [sql for sql in inserts if f'"{table}"' in sql.split("(")[0]], table
    assert Dossier.objects.count() == 5


def test_a_code_stored_meanwhile_imports_nothing(desk, tmp_path, monkeypatch):
    """A code written by someone else between the check and the write (here: the check is made to
    miss it) stops the write with the usual message, and nothing of the file stays."""
    _import(desk, tmp_path, rows=[good()])
    before = snapshot()
    monkeypatch.setattr(importing, "_existing_values", lambda codes: {})
    with pytest.raises(DossierImportError) as caught:
        _import(desk, tmp_path, rows=[open_row(7), good()])
    assert "vừa được ghi bởi thao tác khác" in caught.value.errors[0]
    assert snapshot() == before
