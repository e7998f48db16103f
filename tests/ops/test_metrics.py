"""/metrics: Prometheus's text format read back with prometheus_client's own parser; request
counters by view (never by path), errors, the figures read from the database, and who may scrape.
tests/ops/test_served.py checks the sums across several worker processes of a real server."""

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from motcua.core.models import JOBS, JobRun, JobRunStatus
from motcua.dossiers.changes import durable_subscribers
from motcua.dossiers.models import Dossier
from motcua.notifications.models import Channel, DeliveryStatus, Notification
from motcua.ops import gauges, metrics
from tests.dossiers.test_services import receive

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.9"  # a documentation address: never on the allow-list
TOKEN = "mat-ma-giam-sat-rat-dai-0123456789"


def scrape(client: Client | None = None, **extra) -> dict:
    """{(metric sample name, frozenset of labels): value} of one scrape."""
    response = (client or Client()).get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[sample.name, frozenset(sample.labels.items())] = sample.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests_of(samples: dict, view: str, status: str, method: str = "GET") -> float:
    return value(samples, "motcua_http_requests_total", view=view, method=method, status=status)


def test_the_scrape_parses_and_has_every_family(client):
    client.get("/healthz")
    samples = scrape(client)
    text = client.get("/metrics").content.decode()
    names = {family.name for family in text_string_to_metric_families(text)}
    assert {
        "motcua_http_requests",
        "motcua_http_request_duration_seconds",
        "motcua_job_last_success_timestamp_seconds",
        "motcua_job_last_success_age_seconds",
        "motcua_job_stale",
        "motcua_job_interval_seconds",
        "motcua_job_runs_last_day",
        "motcua_dossiers_received_today",
        "motcua_dossiers_finished_today",
        "motcua_notifications_today",
        "motcua_notifications_queued",
        "motcua_notifications_oldest_queued_age_seconds",
        "motcua_metrics_section_up",
    } <= names
    assert value(samples, "motcua_http_requests_total", view="healthz", method="GET", status="2xx")
    for section in ("jobs", "dossiers", "notifications"):
        assert value(samples, "motcua_metrics_section_up", section=section) == 1


def test_a_request_counts_for_its_view_and_never_its_path(client):
    code = "000.00.40.H27-240426-0777"  # a dossier code that exists nowhere
    before = scrape(client)
    client.get(f"/cong-dan/tra-cuu/{code}/")
    client.get("/khong-co-trang-nay/0912345678/")
    response = client.get("/metrics")
    after = scrape(client)
    view = "portal:tracking_detail"
    assert requests_of(after, view, "4xx") == requests_of(before, view, "4xx") + 1
    duration = "motcua_http_request_duration_seconds_count"
    assert value(after, duration, view=view, method="GET", status="4xx") == (
        value(before, duration, view=view, method="GET", status="4xx") + 1
    )
    assert requests_of(after, "unmatched", "4xx") == requests_of(before, "unmatched", "4xx") + 1
    text = response.content.decode()
    assert code not in text and "0912345678" not in text and "tra-cuu" not in text


def test_server_errors_are_counted_by_view(client):
    before = scrape(client)
    with override_settings(ROOT_URLCONF="tests.ops.failing_urls"):
        response = Client(raise_request_exception=False).get("/thu-nghiem/loi/")
    assert response.status_code == 500
    after = scrape(client)
    errors = "motcua_http_server_errors_total"
    assert value(after, errors, view="ops_broken", method="GET") == (
        value(before, errors, view="ops_broken", method="GET") + 1
    )
    assert requests_of(after, "ops_broken", "5xx") == requests_of(before, "ops_broken", "5xx") + 1


def test_an_unknown_method_is_one_label_not_many(client):
    before = scrape(client)
    client.generic("BREW", "/healthz")
    after = scrape(client)
    assert requests_of(after, "healthz", "4xx", "other") == (
        requests_of(before, "healthz", "4xx", "other") + 1
    )
    assert not any("BREW" in str(labels) for _, labels in after)


# --- Who may scrape ------------------------------------------------------------------------------


def test_an_address_off_the_list_is_refused():
    response = Client(REMOTE_ADDR=OUTSIDE).get("/metrics")
    assert response.status_code == 403
    assert "Không được phép" in response.content.decode()
    assert b"motcua_" not in response.content


@override_settings(MOTCUA_METRICS_TOKEN=TOKEN)
def test_the_token_opens_it_from_anywhere_and_a_wrong_one_does_not():
    outside = Client(REMOTE_ADDR=OUTSIDE)
    assert outside.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    for wrong in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "):
        assert outside.get("/metrics", headers={"Authorization": wrong}).status_code == 403


@override_settings(MOTCUA_METRICS_TOKEN="")
def test_no_token_configured_means_no_token_opens_it():
    response = Client(REMOTE_ADDR=OUTSIDE).get("/metrics", headers={"Authorization": "Bearer "})
    assert response.status_code == 403


@override_settings(MOTCUA_METRICS_ALLOWED=["10.20.0.0/16", "2001:db8::/32"])
def test_networks_on_the_list_are_let_in():
    assert Client(REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="2001:db8::5").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.21.0.1").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


def test_a_forwarded_request_from_an_unknown_local_proxy_is_refused():
    """A proxy on this machine that MOTCUA_TRUSTED_PROXIES does not name would make every
    visitor 127.0.0.1: a request that says it was forwarded is not let in by that address."""
    local = Client(REMOTE_ADDR="127.0.0.1")
    assert local.get("/metrics").status_code == 200
    assert local.get("/metrics", headers={"X-Forwarded-For": OUTSIDE}).status_code == 403
    assert local.get("/metrics", headers={"X-Real-IP": OUTSIDE}).status_code == 403


@override_settings(MOTCUA_TRUSTED_PROXIES=["127.0.0.1"], MOTCUA_METRICS_ALLOWED=["10.20.0.0/16"])
def test_behind_a_trusted_proxy_the_client_behind_it_is_judged():
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.get("/metrics", headers={"X-Forwarded-For": "10.20.1.1"}).status_code == 200
    assert proxy.get("/metrics", headers={"X-Forwarded-For": OUTSIDE}).status_code == 403
    # Written by the client further left: never reached.
    spoofed = f"10.20.1.1, {OUTSIDE}"
    assert proxy.get("/metrics", headers={"X-Forwarded-For": spoofed}).status_code == 403


def test_metrics_is_never_cached_and_answers_only_reads(client):
    response = client.get("/metrics")
    assert "no-store" in response["Cache-Control"]
    assert client.post("/metrics").status_code == 405


# --- Figures from the database -------------------------------------------------------------------

NOW = datetime.fromisoformat("2024-04-26T16:30+07:00")


def _run(job: str, status: str, minutes_ago: int) -> JobRun:
    started = NOW - timedelta(minutes=minutes_ago)
    return JobRun.objects.create(job=job, status=status, started_at=started, finished_at=started)


def _message(channel: str, status: str, delivered_via: str = "", minutes_ago: int = 5):
    message = Notification.objects.create(
        channel=channel,
        to="0912345678",
        body="Hồ sơ của ông/bà đã có kết quả.",
        status=status,
        delivered_via=delivered_via,
    )
    # created_at is set on insert (auto_now_add): put it where the test needs it.
    Notification.objects.filter(pk=message.pk).update(
        created_at=NOW - timedelta(minutes=minutes_ago)
    )


def test_jobs_lag_staleness_and_runs_of_the_last_day():
    _run("dossiers-monitor", JobRunStatus.OK, minutes_ago=10)
    _run("dossiers-monitor", JobRunStatus.FAILED, minutes_ago=5)
    _run("dossiers-monitor", JobRunStatus.OK, minutes_ago=60 * 30)  # older than a day
    _run("indicators-rollup", JobRunStatus.OK, minutes_ago=30)  # every 5 min + 15 grace: stale
    _run("indicators-rollup", JobRunStatus.RUNNING, minutes_ago=1)
    with time_machine.travel(NOW, tick=False):
        samples = scrape()
    assert value(samples, "motcua_job_last_success_age_seconds", job="dossiers-monitor") == 600
    assert value(samples, "motcua_job_last_success_timestamp_seconds", job="dossiers-monitor") == (
        (NOW - timedelta(minutes=10)).timestamp()
    )
    assert value(samples, "motcua_job_stale", job="dossiers-monitor") == 0
    assert value(samples, "motcua_job_stale", job="indicators-rollup") == 1
    assert value(samples, "motcua_job_stale", job="reform-reminders") == 1  # never ran
    assert (
        "motcua_job_last_success_age_seconds",
        frozenset({("job", "reform-reminders")}),
    ) not in (samples)
    assert value(samples, "motcua_job_interval_seconds", job="indicators-rollup") == 300
    runs = "motcua_job_runs_last_day"
    assert value(samples, runs, job="dossiers-monitor", status="ok") == 1
    assert value(samples, runs, job="dossiers-monitor", status="failed") == 1
    assert value(samples, runs, job="indicators-rollup", status="running") == 1
    assert {labels for name, labels in samples if name == runs} == {
        frozenset({("job", job), ("status", status.value)})
        for job in JOBS
        for status in JobRunStatus
    }


def test_dossiers_received_and_finished_today(desk):
    receive(desk, when="2024-04-26T08:30")
    receive(desk, when="2024-04-26T09:00")
    earlier = receive(desk, when="2024-04-25T15:00")  # yesterday: not counted
    Dossier.objects.filter(pk=earlier.pk).update(finished_at=NOW - timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        samples = scrape()
    assert value(samples, "motcua_dossiers_received_today", channel="desk") == 2
    assert value(samples, "motcua_dossiers_finished_today") == 1


def test_messages_of_the_day_by_carrier_and_status_and_the_queue():
    _message(Channel.SMS, DeliveryStatus.SENT)
    _message(Channel.SMS, DeliveryStatus.SENT)
    _message(Channel.SMS, DeliveryStatus.FAILED)
    _message(Channel.ZALO, DeliveryStatus.SENT, delivered_via=Channel.SMS)  # Zalo refused: SMS
    _message(Channel.EMAIL, DeliveryStatus.QUEUED, minutes_ago=20)
    _message(Channel.SMS, DeliveryStatus.QUEUED, minutes_ago=60 * 24 * 2)  # queued two days ago
    with time_machine.travel(NOW, tick=False):
        samples = scrape()
    today = "motcua_notifications_today"
    assert value(samples, today, channel="sms", status="sent") == 3
    assert value(samples, today, channel="sms", status="failed") == 1
    assert value(samples, today, channel="email", status="queued") == 1
    assert value(samples, today, channel="zalo", status="sent") == 0
    assert value(samples, "motcua_notifications_queued") == 2
    assert value(samples, "motcua_notifications_oldest_queued_age_seconds") == 2 * 24 * 3600


def test_the_scrape_reads_the_same_few_queries_whatever_the_data(desk):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured, time_machine.travel(NOW, tick=False):
            scrape()
        return len(captured)

    empty = queries()
    for minutes in range(0, 600, 7):
        _run("dossiers-monitor", JobRunStatus.OK, minutes_ago=minutes)
        _message(Channel.SMS, DeliveryStatus.SENT, minutes_ago=minutes)
    receive(desk, when="2024-04-26T08:30")
    assert queries() == empty
    feed = 2 * len(durable_subscribers())  # each durable subscriber's counts and lag
    assert empty <= len(JOBS) + 2 * len(gauges.SECTIONS) + feed + 10


def test_a_section_that_fails_is_reported_and_the_rest_is_served(monkeypatch):
    def broken(at):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM bang_khong_ton_tai")
        yield from ()

    monkeypatch.setitem(gauges.SECTIONS, "dossiers", broken)
    samples = scrape()
    assert value(samples, "motcua_metrics_section_up", section="dossiers") == 0
    assert value(samples, "motcua_metrics_section_up", section="notifications") == 1
    assert ("motcua_notifications_queued", frozenset()) in samples


# --- The folder of the workers' files ------------------------------------------------------------


def test_each_server_run_gets_a_folder_and_the_folders_of_gone_runs_are_removed(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    me = f"server-{os.getpid()}-{metrics._process_start(os.getpid())}"
    gone = ["server-999999999-1", f"server-{os.getpid()}-1"]  # no such process; pid reused
    for name in [me, *gone, "khac"]:
        (tmp_path / name).mkdir()
    with override_settings(MOTCUA_METRICS_DIR=str(tmp_path)):
        run = Path(metrics.metrics_dir_prepare())
    parent = os.getppid()
    assert run == tmp_path / f"server-{parent}-{metrics._process_start(parent)}"
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(run)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({me, run.name, "khac"})


def test_a_folder_named_by_the_service_is_used_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "run" / "motcua"))
    (tmp_path / "server-999999999-1").mkdir()
    with override_settings(MOTCUA_METRICS_DIR=str(tmp_path)):
        assert metrics.metrics_dir_prepare() == str(tmp_path / "run" / "motcua")
    assert (tmp_path / "run" / "motcua").is_dir() and (tmp_path / "server-999999999-1").is_dir()


def test_the_change_feed_lag_of_the_dvcqg_sync(desk, settings):
    from motcua.dossiers.models import DeliveryState, DossierChangeDelivery

    settings.DVCQG_ADAPTER_URL = "http://127.0.0.1:9"  # on: a delivery row per change
    receive(desk, when="2024-04-26T08:30")
    receive(desk, when="2024-04-26T09:00")
    first = timezone.make_aware(datetime(2024, 4, 26, 8, 45))
    DossierChangeDelivery.objects.filter(change__at__lt=first).update(state=DeliveryState.SENT)
    with time_machine.travel(NOW, tick=False):
        samples = scrape()
    deliveries = "motcua_change_feed_deliveries"
    assert value(samples, deliveries, subscriber="dvcqg", state="sent") == 1
    assert value(samples, deliveries, subscriber="dvcqg", state="waiting") == 1
    waited = (NOW - timezone.make_aware(datetime(2024, 4, 26, 9, 0))).total_seconds()
    assert value(samples, "motcua_change_feed_lag_seconds", subscriber="dvcqg") == waited
