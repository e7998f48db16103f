"""The sync on the change feed (issue [I] 3–4), over real HTTP to the stand-in portal: a dossier
walked from intake to return reaches the portal as its record and every progress record, in order,
once; errors, timeouts and a refused session lead to retries and dead letters shown on the page;
requeue works; a restart in the middle loses and duplicates nothing."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.dossiers.models import DeliveryState, DossierChangeDelivery
from motcua.dvcqg.client import sessions_forget_all
from motcua.dvcqg.models import DossierSync
from motcua.dvcqg.records import tien_do_records
from motcua.dvcqg.selectors import dvcqg_status
from motcua.dvcqg.sync import dvcqg_resync, dvcqg_sync_run
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import act, at, receive
from tests.dvcqg.test_sync_over_http import processed_dossier

pytestmark = pytest.mark.django_db


def sync():
    return dvcqg_sync_run()


def deliveries(state=None):
    found = DossierChangeDelivery.objects.filter(subscriber="dvcqg")
    return found.filter(state=state) if state else found


def later(minutes):
    return time_machine.travel(now() + timedelta(minutes=minutes))


def returned_dossier(desk):
    dossier = processed_dossier(desk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-07T09:00")
    act(desk["leader"], dossier, "approve", "2024-05-08T09:00")
    act(desk["desk"], dossier, "return_result", "2024-05-09T09:00")
    dossier.refresh_from_db()
    return dossier


def test_a_dossier_walked_to_its_return_reaches_the_portal_in_order_once(desk, portal):
    dossier = returned_dossier(desk)
    changes = deliveries().count()
    assert changes == dossier.events.count() >= 6
    for _ in range(changes):  # the job runs every minute; one change per dossier a batch
        sync()
    assert deliveries(DeliveryState.SENT).count() == changes
    record = portal.dossiers[dossier.code]
    assert record["TrangThaiHoSo"] == "10" and record["NgayTra"].startswith("20240509")
    # Each event once, in the order it happened: exactly the log built from the history.
    assert portal.progress[dossier.code] == json.loads(json.dumps(tien_do_records(dossier)))
    assert len(portal.progress[dossier.code]) == dossier.events.count()
    assert DossierSync.objects.get(dossier=dossier).last_event_id == dossier.events.last().pk
    assert sync().summary.startswith("Đã gửi 0")


def test_the_portal_down_then_up_retries_with_back_off(desk, portal):
    receive(desk)
    portal.faults.http_status = 503
    run = sync()
    assert run.status == "failed" and "chưa gửi được" in run.summary
    failed = deliveries(DeliveryState.FAILED).get()
    assert "HTTP 503" in failed.last_error and failed.attempts == 1
    portal.faults.http_status = None
    assert sync().counts["sent"] == 0  # not due yet
    with later(1):
        assert sync().counts["sent"] == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"delay_seconds": 3},  # a timeout (the client waits 1 s here)
        {"malformed": True},
        {"drop": True},
        {"refuse_login": True},
    ],
)
def test_errors_lead_to_dead_letters_visible_then_requeued(desk, portal, settings, client, fault):
    settings.DVCQG_SYNC_MAX_ATTEMPTS = 2
    settings.DVCQG_TIMEOUT_SECONDS = 1
    dossier = receive(desk)
    for name, value in fault.items():
        setattr(portal.faults, name, value)
    sync()
    with later(5):
        sync()
    dead = deliveries(DeliveryState.DEAD).get()
    assert dead.attempts == 2 and dead.last_error
    admin = UserFactory(role=Role.ADMINISTRATOR, unit=None)
    client.force_login(admin)
    page = client.get("/can-bo/lien-thong/dvcqg/").content.decode()
    assert dossier.code in page and 'id="dvcqg-dead">1<' in page
    for name in fault:
        setattr(portal.faults, name, type(getattr(portal.faults, name))())
    sessions_forget_all()
    response = client.post("/can-bo/lien-thong/dvcqg/gui-lai/", {"delivery": dead.pk})
    assert response.status_code == 302
    assert sync().counts["sent"] == 1
    assert portal.dossiers[dossier.code]["MaHoSo"] == dossier.code


def test_one_refused_dossier_does_not_hold_the_others(desk, portal):
    good, bad = receive(desk), receive(desk)
    portal.faults.refuse_codes[bad.code] = (7, "MaTTHC không thuộc đơn vị")
    sync()
    assert good.code in portal.dossiers and bad.code not in portal.dossiers
    refused = deliveries(DeliveryState.FAILED).get()
    assert refused.change.dossier_id == bad.pk and "MaTTHC không thuộc đơn vị" in refused.last_error


def test_a_session_expired_mid_batch_is_renewed(desk, portal):
    for _ in range(3):
        receive(desk)
    portal.faults.expire_after_calls = 1
    assert sync().counts["sent"] == 3


def test_a_restart_in_the_middle_loses_nothing_and_duplicates_nothing(desk, portal):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    portal.faults.drop = True  # the process "dies" with the first batch in flight
    sync()
    portal.faults.drop = False
    sessions_forget_all()  # a new process
    with later(1):
        sync()
    with later(2):
        sync()
    assert deliveries(DeliveryState.SENT).count() == 2
    assert [p["TrangThai"] for p in portal.progress[dossier.code]] == ["2", "4"]


def test_a_dossier_the_portal_cannot_take_is_skipped_with_the_reason(desk, portal):
    from tests.dossiers.test_applicant_identity import online
    from tests.dossiers.test_services import intake

    online(intake().applicant)  # no code yet: nothing to send
    assert sync().counts["skipped"] == 1
    assert "chưa có mã" in deliveries(DeliveryState.SKIPPED).get().last_error


def test_without_the_portal_configured_nothing_is_queued(desk, settings):
    settings.DVCQG_ADAPTER_URL = ""
    receive(desk)
    assert deliveries().count() == 0
    assert "Chưa bật" in sync().summary


def test_changes_before_the_sync_start_are_not_sent_but_resync_sends_them(desk, portal, settings):
    settings.DVCQG_SYNC_SINCE = "2030-01-01"
    with time_machine.travel(at("2024-04-26T09:00"), tick=False):
        old = receive(desk, when="2024-04-26T09:00")
    assert deliveries().count() == 0
    assert dvcqg_resync(at("2024-04-26T00:00").date(), at("2024-04-26T00:00").date()) == 1
    assert sync().counts["sent"] == 1
    assert portal.dossiers[old.code]["NgayTiepNhan"] == "20240426090000"


def test_status_prints_the_counts_as_json(desk, portal, capsys):
    receive(desk)
    call_command("dvcqg", "status")
    printed = json.loads(capsys.readouterr().out)
    assert printed["counts"]["waiting"] == 1 and printed["lag_seconds"] >= 0
    expected = json.loads(json.dumps(dvcqg_status()))
    assert {**printed, "lag_seconds": 0} == {**expected, "lag_seconds": 0}


def test_resync_refuses_a_reversed_range(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="sau ngày kết thúc"):
        call_command("dvcqg", "resync", "--from", "2023-06-30", "--to", "2023-06-01")


def test_the_administrators_home_shows_the_sync_health_and_an_alarm_for_dead_changes(
    desk, portal, client
):
    from motcua.dossiers.models import DossierChangeRecord

    receive(desk)
    DossierChangeRecord.objects.update(at=now())  # received a moment ago, not in 2024
    admin = UserFactory(role=Role.ADMINISTRATOR, unit=None)
    client.force_login(admin)
    page = client.get("/can-bo/").content.decode()
    assert "Chờ gửi 1" in page and "Cần xử lý" not in page
    deliveries().update(state=DeliveryState.DEAD)
    page = client.get("/can-bo/").content.decode()
    assert "Cần xử lý" in page and "1 thay đổi đã ngừng gửi" in page


def test_the_home_says_the_sync_is_off_without_a_portal(db, client, settings):
    settings.DVCQG_ADAPTER_URL = ""
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, unit=None))
    assert "Chưa bật đồng bộ" in client.get("/can-bo/").content.decode()
