"""Issue [H] 1 and 7: the public tracking page under load, against the ceiling; workers' memory.

granian (2 workers, bench.settings: production's middleware, DEBUG off) on loopback; wrk 2 threads
× 32 connections, three rounds of 10 s (2 s at `small`) of each page in turn. The tracking page asks
for 2.000 real codes in turn (150 at `small`), without cookies (a QR code scanned, a link followed),
after every code has been asked once: it measures the page served from the shared page cache
(motcua.core.pagecache, change C1 in docs/BENCHMARKS.md), as a receipt's QR code scanned again or a
citizen refreshing. The first ask of each code (a page built) is timed on its own. The ceiling is a
~2 KB template with no query behind the same middleware (bench/urls.py).
"""

import random
import time
import urllib.request

from django.core.cache import caches
from django.db import connection

from bench.harness import by_scale, number, record, target
from bench.server import Server, interleaved, wrk

CODES = 2_000


def main() -> None:
    codes = _sample_codes(by_scale(150, CODES))
    seconds = by_scale(2, 10)  # per round; three rounds, interleaved
    caches["pages"].clear()  # pages left by an earlier run would hide the first asks
    with Server() as server:
        idle = max(server.worker_memory_mb("VmRSS"))
        live = [f"/cong-dan/tra-cuu/{code}/" for code in codes]
        _check_pages(server, live[0])
        built_ms = _fill(server, live)
        print(f"tracking page built (first ask of a code, one at a time): {number(built_ms)} ms")
        for path, paths in (("/bench/ceiling/", None), (live[0], live)):
            wrk(server.url(path), by_scale(1, 5), paths=paths)  # warm up
        loads = interleaved(
            {
                "ceiling": lambda t: wrk(server.url("/bench/ceiling/"), t),
                "tracking": lambda t: wrk(server.url(live[0]), t, paths=live),
            },
            rounds=3,
            seconds=seconds,
        )
        ceiling, tracking = loads["ceiling"], loads["tracking"]
        print(f"ceiling (minimal view, same middleware): {ceiling.text()}")
        print(f"tracking page /cong-dan/tra-cuu/<code>/, asked before: {tracking.text()}")
        peak = server.worker_memory_mb("VmHWM")
    caches["pages"].clear()  # the next benchmarks start with no page stored, as this one did
    record(
        "1 tracking page",
        tracking.requests_per_second,
        "req/s",
        ceiling.requests_per_second,
        "ceiling",
        min_ratio=target("tracking_min_ratio"),
    )
    record(
        "1 tracking page p99",
        tracking.p99_ms,
        "ms",
        ceiling.p99_ms,
        "ceiling",
        max_ratio=target("tracking_p99_max_ratio"),
    )
    print(f"worker peak RSS (VmHWM): {', '.join(number(m) + ' MB' for m in peak)}")
    record(
        "7 worker peak memory",
        max(peak),
        "MB",
        idle,
        "idle worker",
        max_value=target("worker_peak_mb"),
    )
    for load in (ceiling, tracking):
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


def _fill(server: Server, paths: list[str]) -> float:
    """Every code asked once, so the measured run reads cached pages. Returns the mean time of one
    ask (a page built: its queries, its rendering, its storing), in milliseconds."""
    started = time.perf_counter()
    for path in paths:
        with urllib.request.urlopen(server.url(path), timeout=30) as answer:
            answer.read()
    return (time.perf_counter() - started) * 1000 / max(len(paths), 1)


def _check_pages(server: Server, *paths: str) -> None:
    """Each measured page answers 200 with the status on it: a fast error page measures nothing."""
    for path in paths:
        with urllib.request.urlopen(server.url(path), timeout=10) as answer:
            body = answer.read().decode()
            assert answer.status == 200 and "Tình trạng" in body, path
