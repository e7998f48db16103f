"""Issue [I] must-show: `motcua dvcqg resync` over the demo's June 2023 dossiers sends records whose
TrangThaiHoSo, NgayTiepNhan, NgayHenTra, NgayKetThucXuLy, NgayTra and KenhThucHien agree with each
dossier's data — over real HTTP to the stand-in portal.

The demo's organisation, calendar, catalogue and staff are loaded as `motcua demo` loads them, and
a slice of its plan (every sixth June dossier, ≈ 650: desk, online and post, finished in June and
after it — every demo dossier has been returned since) is written through the same import and history as the demo. The expected values are read
from the plan (the demo's source data), not from the record builder. The judicial-record
procedures are local codes in 2023 (motcua/demo/build_catalogue.py, LLTP_2023): the test maps them,
as an administrator would, to the national codes the catalogue says replaced them; the demo's
other local procedures stay unmapped and their dossiers are skipped with the reason, never sent."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from motcua.demo.build_catalogue import LLTP_2023
from motcua.demo.dossiers import _history_add, demo_csv, demo_dossier_plan
from motcua.demo.loaders import (
    LoadReport,
    load_calendar,
    load_catalogue,
    load_org_units,
    load_staff,
)
from motcua.dossiers.importing import dossiers_import
from motcua.dossiers.models import DeliveryState, Dossier, DossierChangeDelivery
from motcua.dvcqg.records import VIETNAM
from motcua.dvcqg.services import procedure_mapping_set
from motcua.dvcqg.sync import dvcqg_sync_run

pytestmark = pytest.mark.django_db

CHANNELS = {"desk": "1", "online": "2", "post": "3"}
SLICE = 6


def national(instant) -> str:
    return instant.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S") if instant else ""


@pytest.fixture
def june_2023(settings):
    """The demo's base and every sixth dossier it receives in June 2023, imported before the sync
    was switched on (DVCQG_SYNC_SINCE tomorrow: the import queues nothing)."""
    settings.DVCQG_SYNC_SINCE = (date.today() + timedelta(days=1)).isoformat()
    report = LoadReport()
    load_org_units(report)
    load_calendar(report)
    load_catalogue(report)
    load_staff(report, "Mat-khau-Thu-nghiem-2024")
    plan = demo_dossier_plan()
    june = [d for d in plan if d.received.astimezone(VIETNAM).date() >= date(2023, 6, 1)]
    part = june[::SLICE]
    dossiers_import(None, io.StringIO(demo_csv(part)))
    _history_add(part)
    return part


def test_resync_of_june_2023_sends_records_that_agree_with_each_dossier(portal, june_2023):
    part = june_2023
    assert DossierChangeDelivery.objects.count() == 0  # historical: not pushed by the import
    for local, _name, national_code in LLTP_2023:
        procedure_mapping_set(None, local, national_code)
    out = io.StringIO()
    call_command("dvcqg", "resync", "--from", "2023-06-01", "--to", "2023-06-30", stdout=out)
    assert str(len(part)) in out.getvalue()
    run = dvcqg_sync_run()
    assert run.counts["failed"] == run.counts["dead"] == 0, run.summary

    mapped = {local for local, _, _ in LLTP_2023}
    sent = [d for d in part if not d.procedure.startswith("LOCAL-") or d.procedure in mapped]
    skipped = [d for d in part if d not in sent]
    assert (run.counts["sent"], run.counts["skipped"]) == (len(sent), len(skipped))
    # The slice has what the fields are about: every channel, ended in June and after it.
    assert {d.channel for d in sent} == set(CHANNELS)
    ended = {d.finished.astimezone(VIETNAM).month for d in sent if d.finished}
    assert {6, 7} <= ended
    assert len(sent) > 400
    print(f"June 2023 slice: {len(part)} queued, {len(sent)} sent, {len(skipped)} skipped")

    statuses = dict(Dossier.objects.values_list("code", "status"))
    disagreements = []
    for d in sent:
        record = portal.dossiers[d.code]
        expected = {
            "TrangThaiHoSo": "10" if d.returned else "4",
            "NgayTiepNhan": national(d.received),
            "NgayHenTra": national(d.due),
            "NgayKetThucXuLy": national(d.finished),
            "NgayTra": national(d.returned),
            "KenhThucHien": CHANNELS[d.channel],
        }
        got = {key: record[key] for key in expected}
        if got != expected:
            disagreements.append((d.code, statuses[d.code], got, expected))
    assert disagreements == []

    # Each sent dossier's log reached the portal too; the unmapped ones are skipped, with why.
    assert all(portal.progress.get(d.code) for d in sent)
    assert not {d.code for d in skipped} & set(portal.dossiers)
    reasons = DossierChangeDelivery.objects.filter(state=DeliveryState.SKIPPED).values_list(
        "last_error", flat=True
    )
    assert len(reasons) == len(skipped) and all("motcua dvcqg map" in r for r in reasons)
