"""Request metrics for Prometheus, right with any number of app worker processes (ADR 0028).

granian (or gunicorn) serves with several worker processes and any of them answers a scrape of
/metrics: a counter kept in one process's memory would report that process's share and jump from
one scrape to the next. prometheus_client's multi-process mode keeps each process's values in a
small memory-mapped file of one directory, and the scrape sums the files of every process, dead
workers included (a counter must not go back when a worker is replaced).

The directory is PROMETHEUS_MULTIPROC_DIR when the operator sets it (and then empties it before
each start, e.g. systemd's RuntimeDirectory=). Otherwise it is one folder per server run under
MOTCUA_METRICS_DIR (var/metrics): named after the process that started the workers — the
workers' parent, with its start time so a reused process id is not taken for it — and folders of
runs whose parent has gone are removed. A restart starts the counters from zero, which
Prometheus's rate() expects.

Labels are the view's name (the URL pattern's name, never the raw path: no dossier code or
reference reaches a label), the method and the status class: a bounded set.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Seconds: a public page answers in milliseconds, a PDF or a report export in seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
RUN_PREFIX = "server-"


def _process_start(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, from /proc), None when there is no such
    process. Without /proc (not Linux), "0" for any live process: alive is all that is known."""
    if not Path("/proc/self/stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "0"
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 counted after the command name, which is in parentheses and may hold spaces.
    return stat.rpartition(")")[2].split()[19]


def _run_is_live(name: str) -> bool:
    pid, _, started = name.removeprefix(RUN_PREFIX).partition("-")
    return pid.isdigit() and _process_start(int(pid)) == started


def metrics_dir_prepare() -> str:
    """The directory of this server run's metric files (made, and named in the environment
    prometheus_client reads). Must run before the first metric is made."""
    explicit = os.environ.get(MULTIPROC_ENV)
    if explicit:
        Path(explicit).mkdir(parents=True, exist_ok=True)
        return explicit
    base = Path(getattr(settings, "MOTCUA_METRICS_DIR", "") or Path(settings.VAR_DIR) / "metrics")
    base.mkdir(parents=True, exist_ok=True)
    for entry in base.iterdir():
        if entry.name.startswith(RUN_PREFIX) and not _run_is_live(entry.name):
            shutil.rmtree(entry, ignore_errors=True)  # a sibling worker may be removing it too
    parent = os.getppid()
    run = base / f"{RUN_PREFIX}{parent}-{_process_start(parent) or '0'}"
    run.mkdir(exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(run)
    return str(run)


@dataclass(frozen=True)
class Instruments:
    requests: Any  # prometheus_client.Counter
    duration: Any  # prometheus_client.Histogram
    server_errors: Any  # prometheus_client.Counter
    directory: str


_made: list[Instruments] = []
_making = threading.Lock()


def instruments() -> Instruments:
    """The request metrics of this process, made once, on first use (after the directory is
    set). A worker serves requests on several threads: two metric objects for one series would
    each keep its own value and overwrite the other's in the shared file, losing counts."""
    if not _made:
        with _making:
            if not _made:
                _made.append(_instruments_make())
    return _made[0]


def _instruments_make() -> Instruments:
    directory = metrics_dir_prepare()
    from prometheus_client import Counter, Histogram, values

    if not getattr(values.ValueClass, "_multiprocess", False):
        # prometheus_client chooses its value class when first imported; imported before the
        # directory was named (a test module, another library), it must choose again. Metrics
        # read the class when they are made, so ours below are multi-process.
        values.ValueClass = values.get_value_class()
    labels = ("view", "method", "status")
    return Instruments(
        requests=Counter(
            "motcua_http_requests",
            "Requests answered, by view, method and status class",
            labels,
            registry=None,
        ),
        duration=Histogram(
            "motcua_http_request_duration_seconds",
            "Time to answer a request (until the response is returned), by view",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=None,
        ),
        server_errors=Counter(
            "motcua_http_server_errors",
            "Requests answered with a 5xx status (a bug or an unavailable dependency)",
            ("view", "method"),
            registry=None,
        ),
        directory=directory,
    )


def request_observe(view: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its time."""
    tools = instruments()
    method = method if method in METHODS else "other"
    status_class = f"{status // 100}xx"
    tools.requests.labels(view, method, status_class).inc()
    tools.duration.labels(view, method, status_class).observe(seconds)
    if status >= 500:
        tools.server_errors.labels(view, method).inc()


def metrics_text(accept: str = "") -> tuple[bytes, str]:
    """The scrape: every process's request metrics and the figures read from the database, in
    the format the scraper's Accept header asks for (Prometheus's text format by default, or
    OpenMetrics), and its content type."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.exposition import choose_encoder
    from prometheus_client.multiprocess import MultiProcessCollector

    from .gauges import DatabaseGauges

    registry = CollectorRegistry(auto_describe=False)
    MultiProcessCollector(registry, path=instruments().directory)
    registry.register(DatabaseGauges())
    encoder, content_type = choose_encoder(accept)
    return encoder(registry), content_type
