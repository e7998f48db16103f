"""Figures read from the database when Prometheus scrapes (ADR 0028): right whatever process
did the work — a job run by cron, a message sent by the retry job, a dossier received on another
app server — because the database saw it all.

Each figure is one indexed query, bounded by today (local day) or by the handful of jobs, so a
scrape costs the same at a thousand dossiers as at ten million; a section that fails (the database
is down) is reported as `motcua_metrics_section_up{section} 0` and the rest of the scrape is still
served.

Issue [I]'s outbox and the national portal's sync lag will join here when the outbox lands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Min, Value
from django.db.models.functions import Coalesce, NullIf
from prometheus_client.core import GaugeMetricFamily

from motcua.core.clock import now
from motcua.core.models import JOB_GRACE_MINUTES, JOBS, JobRun, JobRunStatus
from motcua.dossiers.models import Dossier
from motcua.notifications.models import DeliveryStatus, Notification

logger = logging.getLogger(__name__)


def _today_start(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def job_gauges(at: datetime) -> Iterator[GaugeMetricFamily]:
    """Per scheduled job: when it last succeeded and how long ago (its lag), whether that is older
    than its interval plus the grace the job page allows, and its runs of the last day by result."""
    last_ok = GaugeMetricFamily(
        "motcua_job_last_success_timestamp_seconds",
        "Start of the job's last successful run (Unix time); absent when it never succeeded",
        labels=["job"],
    )
    age = GaugeMetricFamily(
        "motcua_job_last_success_age_seconds",
        "Seconds since the start of the job's last successful run",
        labels=["job"],
    )
    stale = GaugeMetricFamily(
        "motcua_job_stale",
        "1 when the job has not succeeded within its interval plus the grace, else 0",
        labels=["job"],
    )
    interval = GaugeMetricFamily(
        "motcua_job_interval_seconds", "How often the job is meant to run", labels=["job"]
    )
    for name, schedule in JOBS.items():
        started = (
            JobRun.objects.filter(job=name, status=JobRunStatus.OK)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        limit = timedelta(minutes=schedule.interval_minutes + JOB_GRACE_MINUTES)
        interval.add_metric([name], schedule.interval_minutes * 60)
        stale.add_metric([name], 1 if started is None or started < at - limit else 0)
        if started is not None:
            last_ok.add_metric([name], started.timestamp())
            age.add_metric([name], max(0.0, (at - started).total_seconds()))
    yield from (last_ok, age, stale, interval)
    runs = GaugeMetricFamily(
        "motcua_job_runs_last_day",
        "Runs started in the last 24 hours, by job and result (running, ok, failed)",
        labels=["job", "status"],
    )
    for status in JobRunStatus:  # one index range per status: (job, status, started_at)
        counted = dict(
            JobRun.objects.filter(
                job__in=list(JOBS), status=status, started_at__gte=at - timedelta(days=1)
            )
            .values_list("job")
            .annotate(n=Count("pk"))
        )
        for name in JOBS:
            runs.add_metric([name, status.value], counted.get(name, 0))
    yield runs


def dossier_gauges(at: datetime) -> Iterator[GaugeMetricFamily]:
    """Dossiers received today by channel, and finished today (local day)."""
    start = _today_start(at)
    received = GaugeMetricFamily(
        "motcua_dossiers_received_today",
        "Dossiers received since local midnight, by channel",
        labels=["channel"],
    )
    by_channel = (
        Dossier.objects.filter(received_at__gte=start)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for channel, count in by_channel:
        received.add_metric([channel], count)
    yield received
    finished = GaugeMetricFamily(
        "motcua_dossiers_finished_today", "Dossiers whose processing finished since local midnight"
    )
    finished.add_metric([], Dossier.objects.filter(finished_at__gte=start).count())
    yield finished


def notification_gauges(at: datetime) -> Iterator[GaugeMetricFamily]:
    """Messages of today by the channel that carried them and delivery status (SMS sent and
    failed among them), and the backlog still queued with the age of its oldest message."""
    start = _today_start(at)
    today = GaugeMetricFamily(
        "motcua_notifications_today",
        "Messages created since local midnight, by channel (the one that carried it) and status",
        labels=["channel", "status"],
    )
    carried_by = Coalesce(NullIf("delivered_via", Value("")), "channel")
    for status in DeliveryStatus:  # one index range per status: (status, created_at)
        rows = (
            Notification.objects.filter(status=status, created_at__gte=start)
            .annotate(carrier=carried_by)
            .values_list("carrier")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for channel, count in rows:
            today.add_metric([channel, status.value], count)
    yield today
    backlog = Notification.objects.filter(status=DeliveryStatus.QUEUED).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    queued = GaugeMetricFamily("motcua_notifications_queued", "Messages waiting to be sent")
    queued.add_metric([], backlog["n"])
    yield queued
    oldest = GaugeMetricFamily(
        "motcua_notifications_oldest_queued_age_seconds",
        "Age of the oldest message still waiting to be sent (0 when none waits)",
    )
    waited = (at - backlog["oldest"]).total_seconds() if backlog["oldest"] else 0.0
    oldest.add_metric([], max(0.0, waited))
    yield oldest


def change_feed_gauges(at: datetime) -> Iterator[GaugeMetricFamily]:
    """The change feed's durable subscribers (the DVCQG sync): deliveries by state, and how long
    the oldest change not yet delivered has waited (the lag)."""
    from motcua.dossiers.changes import durable_subscribers, feed_health

    deliveries = GaugeMetricFamily(
        "motcua_change_feed_deliveries",
        "Changes of dossiers per durable subscriber and delivery state",
        labels=["subscriber", "state"],
    )
    lag = GaugeMetricFamily(
        "motcua_change_feed_lag_seconds",
        "Age of the oldest change not yet delivered to the subscriber (0 when none waits)",
        labels=["subscriber"],
    )
    for name in durable_subscribers():
        health = feed_health(name)
        for state, count in health.counts.items():
            deliveries.add_metric([name, state], count)
        lag.add_metric([name], health.lag_seconds)
    yield deliveries
    yield lag


SECTIONS: dict[str, Callable[[datetime], Iterator[GaugeMetricFamily]]] = {
    "change_feed": change_feed_gauges,
    "jobs": job_gauges,
    "dossiers": dossier_gauges,
    "notifications": notification_gauges,
}


class DatabaseGauges:
    """A prometheus_client collector of the sections above, each on its own: one that fails
    leaves the others in the scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        at = now()
        up = GaugeMetricFamily(
            "motcua_metrics_section_up",
            "1 when the section's figures could be read from the database, else 0",
            labels=["section"],
        )
        for section, gauges in SECTIONS.items():
            try:
                with transaction.atomic():  # a failed query leaves the next section usable
                    families = list(gauges(at))
            except Exception as exc:  # the database is down: say so, serve the rest
                logger.warning("metrics: section %s unavailable (%s)", section, type(exc).__name__)
                up.add_metric([section], 0)
                continue
            up.add_metric([section], 1)
            yield from families
        yield up
