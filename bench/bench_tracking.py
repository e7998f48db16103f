"""Issue [H] 1 and 7: the public tracking page under load, against the ceiling; workers' memory.

granian (2 workers, bench.settings: production's middleware, DEBUG off) on loopback; wrk 2 threads
× 32 connections, three rounds of 10 s (2 s at `small`) of each page in turn. The tracking page asks for 2.000 real codes in turn (150 at `small`); the ceiling is a ~2 KB
template with no query behind the same middleware (bench/urls.py). Also measured: the prototype of
the cached tracking page (bench/views.py, change C1 in docs/BENCHMARKS.md), after every code has been
asked once (so it measures cache hits).
"""

import random
import urllib.request

from django.db import connection

from bench.harness import by_scale, number, record
from bench.server import Server, interleaved, wrk

CODES = 2_000
MEMORY_LIMIT_MB = 150


def main() -> None:
    codes = _sample_codes(by_scale(150, CODES))
    seconds = by_scale(2, 10)  # per round; three rounds, interleaved
    with Server() as server:
        idle = max(server.worker_memory_mb("VmRSS"))
        live = [f"/cong-dan/tra-cuu/{code}/" for code in codes]
        cached = [f"/bench/tra-cuu/{code}/" for code in codes]
        _check_pages(server, live[0], cached[0])
        for path, paths in (("/bench/ceiling/", None), (live[0], live), (cached[0], cached)):
            wrk(server.url(path), by_scale(1, 5), paths=paths)  # warm up
        _fill(server, cached)
        loads = interleaved(
            {
                "ceiling": lambda t: wrk(server.url("/bench/ceiling/"), t),
                "tracking": lambda t: wrk(server.url(live[0]), t, paths=live),
                "cached": lambda t: wrk(server.url(cached[0]), t, paths=cached),
            },
            rounds=3,
            seconds=seconds,
        )
        ceiling, tracking, prototype = loads["ceiling"], loads["tracking"], loads["cached"]
        print(f"ceiling (minimal view, same middleware): {ceiling.text()}")
        print(f"tracking page /cong-dan/tra-cuu/<code>/: {tracking.text()}")
        print(f"cached tracking page (prototype C1): {prototype.text()}")
        peak = server.worker_memory_mb("VmHWM")
    record(
        "1 tracking page",
        tracking.requests_per_second,
        "req/s",
        ceiling.requests_per_second,
        "ceiling",
        min_ratio=0.6,
    )
    record("1 tracking page p99", tracking.p99_ms, "ms", ceiling.p99_ms, "ceiling", max_ratio=2.0)
    record(
        "1 tracking page, cached (C1)",
        prototype.requests_per_second,
        "req/s",
        ceiling.requests_per_second,
        "ceiling",
        min_ratio=0.6,
    )
    record(
        "1 tracking page p99, cached (C1)",
        prototype.p99_ms,
        "ms",
        ceiling.p99_ms,
        "ceiling",
        max_ratio=2.0,
    )
    print(f"worker peak RSS (VmHWM): {', '.join(number(m) + ' MB' for m in peak)}")
    record("7 worker peak memory", max(peak), "MB", idle, "idle worker", max_value=MEMORY_LIMIT_MB)
    for load in (ceiling, tracking, prototype):
        if load.errors:
            print(f"WARNING: {load.errors} failed requests in a run: figures are not comparable")


def _sample_codes(count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM dossiers_dossier")
        low, high = cursor.fetchone()
        ids = random.Random(7).sample(range(low, high + 1), min(count * 2, high - low + 1))
        cursor.execute(
            "SELECT code FROM dossiers_dossier WHERE id = ANY(%s) AND code IS NOT NULL LIMIT %s",
            [ids, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _fill(server: Server, paths: list[str]) -> None:
    """Every code asked once, so the cached run measures hits (a page read again and again:
    a receipt's QR code scanned, a citizen refreshing)."""
    for path in paths:
        with urllib.request.urlopen(server.url(path), timeout=30) as answer:
            answer.read()


def _check_pages(server: Server, *paths: str) -> None:
    """Each measured page answers 200 with the status on it: a fast error page measures nothing."""
    for path in paths:
        with urllib.request.urlopen(server.url(path), timeout=10) as answer:
            body = answer.read().decode()
            assert answer.status == 200 and "Tình trạng" in body, path
