"""Issue [O] 15: the load held — a realistic mix at a fixed rate for BENCH_SOAK_SECONDS (600)
against two app servers behind nginx, sharing PostgreSQL and Redis, as a province runs them.

Two `motcua serve` servers (2 workers × 4 threads each, bench settings: production's) with
REDIS_URL (a key prefix of the run's own, its keys deleted at the end), behind a real nginx
rendered from deploy/nginx/motcua.conf (HTTPS, bench/nginx.py). Requests are sent at a fixed rate
(BENCH_SOAK_RATE, 40 a second; rising to it from a tenth over the warm-up, as the servers have
just started with nothing cached), each at its own scheduled instant whatever the answers before
it, by 16 client threads on kept-alive connections (reopened after 15 s idle, as browsers do);
a request's time runs from its scheduled instant, so a server that falls behind shows in the
latency rather than slowing the load down. Before the clock starts, a few requests of each kind
load every worker's code. The mix:

  tracking     50 %  GET /cong-dan/tra-cuu/<code>/ without cookies (2.000 real codes in turn)
  citizen      22 %  the portal's home with a search, a procedure's page
  worklist     15 %  GET /can-bo/ho-so/ as the busiest desk officer, or as a specialist
  desk_intake   5 %  the desk's intake form posted (a new applicant each time): a dossier received
                     at the busiest desk (2 a second at 40 req/s: a province's day in an hour)
  webhook       8 %  a bank's signed notification (generic HMAC) of a transfer without a reference

Reported: errors (answers other than the class's 200/302, timeouts, connection errors; target 0),
p50/p99 per class after the warm-up (the whole run's p99 and maximum beside), and each worker's
resident memory (VmRSS, sampled every 10 s, with its processor time) once warm and at the end:
growth < 10 %. A worker is warm once it has carried load for twice as long as the load took to
rise to full rate (60 s of 600), counted from when that worker began to carry load (its processor
time rising): about 120 s for a worker busy from the start, later for one handed its first
connections late; each worker is judged over at least half the run. The growth from the run's
120 s (the rule before 08/12/2026) is printed beside it.
The tracking page's per-address limit is lifted (all the load comes from one address) but still
counted on every request. The dossiers the run received are deleted at the end; the bank credits
stay (in motcua_bench_soak, the soak's own database).
"""

import hashlib
import hmac
import itertools
import json
import os
import queue
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.db import connection

from bench.client import Browser, Connection
from bench.harness import number, percentile, record
from bench.nginx import Nginx, Site
from bench.server import Server

DURATION = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
RATE = float(os.environ.get("BENCH_SOAK_RATE", "40"))
CLIENTS = 16
SAMPLE_EVERY = 10
# A pessimistic province: 2 desk intakes a second at one desk is a whole province's day in an hour.
MIX = (("tracking", 50), ("citizen", 22), ("worklist", 15), ("desk_intake", 5), ("webhook", 8))
EXPECTED = {"desk_intake": 302}
DESK, SPECIALIST = "motcua.ttpvhcc", "cv.hcbttp"
WEBHOOK_SECRET = "bench-soak-" + uuid.uuid4().hex
MAX_GROWTH = 0.10
BUSY_CPU_SHARE = 0.05  # of one processor: a worker carrying its share at 40 req/s uses ~0,1-0,3
MIN_JUDGED = 0.5  # a worker's memory is judged over at least half the run
SERIAL = itertools.count(1)
LOAD: list[float] = []  # the machine's 1-minute load average, sampled with the memory


@dataclass
class Outcome:
    kind: str
    at: float  # its scheduled instant, seconds from the start
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Plan:
    codes: list[str]
    procedures: list[str]
    intake_path: str
    intake_form: dict
    sessions: list[Browser] = field(default_factory=list)


def main() -> None:
    from tests.redis_cache import REDIS_TEST_URL, redis_forget, redis_required, unique_prefix

    redis_required()
    prefix = unique_prefix()
    first_new = (_max_id("dossiers_dossier") + 1, _max_id("dossiers_applicant") + 1)
    env = {
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", REDIS_TEST_URL),
        "MOTCUA_CACHE_KEY_PREFIX": prefix,
        "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
        "MOTCUA_TRACKING_PER_MINUTE": "100000000",
        "PAYMENTS_WEBHOOK_SECRET_GENERIC": WEBHOOK_SECRET,
        "SMS_GATEWAY": "console",
        "ZALO_GATEWAY": "",
    }
    a, b = Server(env), Server(env)
    try:
        for server in (a, b):
            server.start()
        a.wait_listening()
        b.wait_listening()
        site = Site("soak", [a.port, b.port])
        with Nginx([site]):
            plan = _plan(site)
            print(
                f"soak: {DURATION} s at {number(RATE)} req/s ({number(len(_schedule()))} requests,"
                f" rising to that rate over the first {_warm_up()} s) against 2 servers × 2"
                f" workers behind nginx, {CLIENTS} clients",
                flush=True,
            )
            _prime(site, plan)
            outcomes, memory = _run(site, plan, [a, b])
    finally:
        for server in (a, b):
            server.__exit__()
        redis_forget(prefix)
    try:
        _report(outcomes, memory)
    finally:
        _clean(*first_new)


def _plan(site: Site) -> Plan:
    from bench.bench_intake import _desk
    from bench.bench_tracking import _sample_codes
    from motcua.demo.loaders import demo_password

    desk = _desk()
    form = {
        "applicant_kind": "person",
        "province_code": _home_province(),
        "return_channel": _return_channel(desk.version_id),
        "dossier_sets": "1",
        "address_line": "Thôn 1",
    }
    form |= _component_fields(desk.version_id)
    procedures = _public_procedures(40)
    plan = Plan(
        codes=_sample_codes(2_000),
        procedures=procedures,
        intake_path=f"/can-bo/ho-so/tiep-nhan/{quote(desk.procedure_code)}/",
        intake_form=form,
    )
    for username in (DESK, SPECIALIST):
        browser = Browser(site.port)
        answer = browser.sign_in(username, demo_password())
        assert answer.status == 302, f"sign-in of {username}: {answer.status}"
        plan.sessions.append(browser)
    return plan


def _public_procedures(count: int) -> list[str]:
    """Codes of public procedures in force today (their pages answer 200)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import in_force_q
    from motcua.core.clock import now

    versions = ProcedureVersion.objects.filter(
        in_force_q(now().date()), procedure__is_internal=False
    ).order_by("procedure__code")
    return list(versions.values_list("procedure__code", flat=True).distinct()[:count])


def _home_province() -> str:
    from motcua.core.places import HOME_PROVINCE_CODE

    return HOME_PROVINCE_CODE


def _return_channel(version_id: int) -> str:
    from motcua.catalog.models import ProcedureVersion

    return ProcedureVersion.objects.get(pk=version_id).return_channels[0]


def _component_fields(version_id: int) -> dict:
    """Every mandatory component ticked with its count, as the desk's form shows it."""
    from motcua.catalog.models import ProcedureVersion

    fields = {}
    for component in ProcedureVersion.objects.get(pk=version_id).components.all():
        if component.mandatory:
            fields[f"component_{component.order}"] = "on"
            fields[f"component_{component.order}_count"] = str(component.count)
    return fields


# --- the load ------------------------------------------------------------------------------------


class Client:
    """One client thread's connections: its own anonymous one, and the signed-in sessions'."""

    def __init__(self, site: Site, plan: Plan):
        self.anonymous = Connection(site.port)
        self.sessions = [session.clone() for session in plan.sessions]
        self.plan = plan
        self.run = uuid.uuid4().hex[:8]

    def send(self, kind: str) -> tuple[int, str]:
        n = next(SERIAL)  # one number per request of the run, whichever client sends it
        if kind == "tracking":
            code = self.plan.codes[n % len(self.plan.codes)]
            return self._get(f"/cong-dan/tra-cuu/{code}/")
        if kind == "citizen":
            if n % 2:
                return self._get(
                    "/?" + urlencode({"q": ("luat su", "ho tich", "chung thuc")[n % 3]})
                )
            return self._get(
                f"/cong-dan/thu-tuc/{quote(self.plan.procedures[n % len(self.plan.procedures)])}/"
            )
        if kind == "worklist":
            answer = self._session(n).request("GET", "/can-bo/ho-so/")
            return answer.status, answer.body[:200]
        if kind == "desk_intake":
            return self._intake(n)
        return self._webhook(n)

    def _get(self, path: str) -> tuple[int, str]:
        answer = self.anonymous.request("GET", path)
        return answer.status, answer.body[:200]

    def _session(self, n: int) -> Browser:
        return self.sessions[n % len(self.sessions)]

    def _intake(self, n: int) -> tuple[int, str]:
        desk = self.sessions[0]
        form = {
            **self.plan.intake_form,
            # Born in 1995: no applicant of the data set (born 1950-1960) has this number.
            "citizen_id": f"042195{n % 10**6:06d}",
            "full_name": f"Người nộp thử {self.run} {n}",
        }
        answer = desk.request("POST", self.plan.intake_path, form)
        if answer.status == 302:
            return answer.status, ""
        # The form again: what it says is wrong.
        errors = re.findall(
            r'class="[^"]*error[^"]*"[^>]*>(.*?)</(?:ul|div|p|span)>', answer.body, re.S
        )
        return answer.status, re.sub(r"<[^>]+>|\s+", " ", " ".join(errors))[:300]

    def _webhook(self, n: int) -> tuple[int, str]:
        body = json.dumps(
            {
                "id": f"soak-{self.run}-{n}",
                "amount": 50_000,
                "booked_at": datetime.now(UTC).isoformat(),
                "description": "Chuyen tien le phi ho so",
                "account_number": "0011001234567",
            }
        )
        stamp = str(int(time.time()))
        signature = hmac.new(
            WEBHOOK_SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256
        ).hexdigest()
        answer = self.anonymous.request(
            "POST",
            "/thanh-toan/webhook/generic/",
            body=body,
            headers={
                "Content-Type": "application/json",
                "X-Motcua-Timestamp": stamp,
                "X-Motcua-Signature": f"sha256={signature}",
            },
        )
        return answer.status, answer.body[:200]


def _prime(site: Site, plan: Plan) -> None:
    """Each worker's first requests import the views and fill its caches: a few of every kind,
    one client at a time, before the clock starts (a deployment is checked before it takes
    traffic). Timed and printed, not counted."""
    client = Client(site, plan)
    started, worst = time.perf_counter(), 0.0
    for _ in range(8):  # the 4 workers of the two servers, twice, as nginx spreads them
        for kind, _weight in MIX:
            begun = time.perf_counter()
            status, detail = client.send(kind)
            worst = max(worst, time.perf_counter() - begun)
            assert status == EXPECTED.get(kind, 200), f"{kind}: {status} {detail}"
    print(
        f"primed: {8 * len(MIX)} requests in {time.perf_counter() - started:.1f} s"
        f" (slowest {worst * 1000:.0f} ms)",
        flush=True,
    )


def _warm_up() -> int:
    return min(60, max(30, DURATION // 10))


def _schedule() -> list[float]:
    """Each request's instant (seconds from the start): the rate rises from a tenth of RATE to
    RATE over the warm-up (servers just started, pages not yet cached), then holds."""
    offsets, at, warm_up = [], 0.0, _warm_up()
    while at < DURATION:
        offsets.append(at)
        at += 1 / (RATE * max(0.1, min(1.0, at / warm_up)))
    return offsets


def _kinds(count: int) -> list[str]:
    names = [name for name, weight in MIX for _ in range(weight)]
    chooser = random.Random(15)
    return [chooser.choice(names) for _ in range(count)]


def _run(site: Site, plan: Plan, servers: list[Server]):
    offsets = _schedule()
    work: queue.Queue = queue.Queue()
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    memory: dict[int, list[tuple[float, float, float]]] = {}
    stop = threading.Event()

    def client(index: int) -> None:
        me = Client(site, plan)
        while (item := work.get()) is not None:
            due, kind = item
            try:
                status, detail = me.send(kind)
                ok = status == EXPECTED.get(kind, 200)
            except Exception as error:  # a timeout or a dropped connection is an error too
                status, detail, ok = 0, repr(error), False
            with lock:
                outcomes.append(
                    Outcome(
                        kind,
                        due - started,
                        (time.perf_counter() - due) * 1000,
                        ok,
                        f"{kind} {status} {detail}",
                    )
                )

    def sampler(started: float) -> None:
        while not stop.is_set():
            at = time.perf_counter() - started
            LOAD.append(os.getloadavg()[0])
            for server in servers:
                for pid, (rss, cpu) in server.worker_samples().items():
                    memory.setdefault(pid, []).append((at, rss, cpu))
            stop.wait(SAMPLE_EVERY)

    started = time.perf_counter()  # replaced just before the first request is sent
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    kinds = _kinds(len(offsets))
    started = time.perf_counter()
    watcher = threading.Thread(target=sampler, args=(started,), daemon=True)
    watcher.start()
    late = 0
    next_report = 60
    for offset, kind in zip(offsets, kinds, strict=True):
        due = started + offset
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        elif pause < -1:
            late += 1
        work.put((due, kind))
        if offset >= next_report:
            next_report += 60
            with lock:
                failed = sum(1 for o in outcomes if not o.ok)
            print(f"  {offset:.0f} s: {len(outcomes)} answered, {failed} errors", flush=True)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    watcher.join()
    # The last sample, after the load: what the workers hold at the end.
    at = time.perf_counter() - started
    for server in servers:
        for pid, (rss, cpu) in server.worker_samples().items():
            memory.setdefault(pid, []).append((at, rss, cpu))
    if late:
        print(f"WARNING: {late} requests were queued more than 1 s after their instant")
    return outcomes, memory


# --- the figures -------------------------------------------------------------------------------


def _report(outcomes: list[Outcome], memory: dict[int, list[tuple[float, float, float]]]) -> None:
    warm_up = _warm_up()
    if LOAD:
        # Everything on the machine (2 cores): other work running beside the soak shows here.
        print(
            f"machine load (1-minute average) during the run: min {number(min(LOAD))}, mean"
            f" {number(sum(LOAD) / len(LOAD))}, max {number(max(LOAD))}"
        )
    errors = [o for o in outcomes if not o.ok]
    print(f"requests answered: {len(outcomes)}, errors: {len(errors)}")
    for sample in {o.detail for o in errors[:200]}:
        print(f"  error: {sample[:300]}")
    slow = [o for o in outcomes if o.ms > 5_000]
    if slow:
        print(
            f"{len(slow)} requests took over 5 s, scheduled between {min(o.at for o in slow):.0f} s"
            f" and {max(o.at for o in slow):.0f} s: {', '.join(sorted({o.kind for o in slow}))}"
        )
    record("15 soak errors", len(errors), "requests", len(outcomes), "requests sent", max_value=0)
    # Latency after the warm-up (pages built, connections opened): the load held; the whole
    # run's p99 and maximum are printed beside it.
    for kind, _weight in MIX:
        everything = [o.ms for o in outcomes if o.kind == kind]
        times = [o.ms for o in outcomes if o.kind == kind and o.at >= warm_up] or everything
        if not times:
            continue
        print(
            f"{kind}: {len(times)} requests after the warm-up, p50 {number(percentile(times, 0.5))}"
            f" ms, p99 {number(percentile(times, 0.99))} ms; whole run p99"
            f" {number(percentile(everything, 0.99))} ms, max {number(max(everything))} ms"
        )
        record(
            f"15 soak p99, {kind}",
            percentile(times, 0.99),
            "ms",
            percentile(times, 0.5),
            "p50",
        )
    for pid, samples in sorted(memory.items()):
        _judge_memory(pid, samples, warm_up)


def _busy_from(samples: list[tuple[float, float, float]]) -> float | None:
    """The instant a worker began to carry its share of the load: the start of the first sampling
    interval in which it used BUSY_CPU_SHARE of a processor (a worker nginx and granian have not yet
    handed a kept-alive connection to stays near zero)."""
    for (at, _rss, cpu), (next_at, _next_rss, next_cpu) in itertools.pairwise(samples):
        if next_cpu - cpu >= BUSY_CPU_SHARE * (next_at - at):
            return at
    return None


def _judge_memory(pid: int, samples: list[tuple[float, float, float]], warm_up: int) -> None:
    """A worker is warm once it has carried load for twice as long as the load took to rise to full
    rate (the rule of the runs before, 120 s of 600), counted from when *it* began to carry load (granian's workers share one listening socket
    and nginx keeps its connections alive, so one worker may get its first connections minutes
    after the others: judged from the run's start, it would still be filling its caches). Its
    growth is judged from then to the end, over at least MIN_JUDGED of the run."""
    busy = _busy_from(samples)
    if busy is None:
        print(f"worker {pid}: never carried load")
        return
    warm = busy + 2 * warm_up
    after = [rss for at, rss, _cpu in samples if at >= warm]
    judged = samples[-1][0] - warm
    if len(after) < 2 or judged < MIN_JUDGED * DURATION:
        print(f"worker {pid}: busy from {busy:.0f} s, too little of the run left to judge it")
        record(
            f"15 soak memory judged, worker {pid}",
            max(judged, 0.0),
            "s",
            DURATION,
            "s of the run",
            min_value=MIN_JUDGED * DURATION,
        )
        return
    growth = (after[-1] - after[0]) / after[0]
    minutes = [rss for at, rss, _cpu in samples if at % 60 < SAMPLE_EVERY]
    from_fixed = [rss for at, rss, _cpu in samples if at >= 2 * warm_up]
    fixed_growth = (from_fixed[-1] - from_fixed[0]) / from_fixed[0] if from_fixed else 0.0
    print(
        f"worker {pid}: busy from {busy:.0f} s; RSS {number(after[0])} MB at {warm:.0f} s,"
        f" {number(after[-1])} MB at the end ({'+' if growth >= 0 else ''}"
        f"{number(growth * 100)} %), peak {number(max(after))} MB; each minute:"
        f" {' '.join(f'{rss:.0f}' for rss in minutes)} MB (from the run's {2 * warm_up} s:"
        f" {'+' if fixed_growth >= 0 else ''}{number(fixed_growth * 100)} %)"
    )
    record(
        f"15 soak memory growth, worker {pid}",
        growth * 100,
        "%",
        after[0],
        "RSS MB after warm-up",
        max_value=MAX_GROWTH * 100,
    )


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def _clean(first_id: int, first_applicant: int) -> None:
    """Delete the dossiers the run received and their new applicants (raw SQL: history is
    append-only through the ORM)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET current_step_id = NULL WHERE id >= %s", [first_id]
        )
        # What hangs on the run's dossiers' rows first: the change feed's deliveries, the
        # components' files.
        cursor.execute(
            "DELETE FROM dossiers_dossierchangedelivery WHERE change_id IN (SELECT id FROM"
            " dossiers_dossierchangerecord WHERE dossier_id >= %s)",
            [first_id],
        )
        cursor.execute(
            "DELETE FROM documents_componentfile WHERE component_id IN (SELECT id FROM"
            " dossiers_dossiercomponent WHERE dossier_id >= %s)",
            [first_id],
        )
        for table in (
            "dossiers_dossierchangerecord",
            "dvcqg_dossiersync",
            "dossiers_supplementrequest",
            "dossiers_dossierevent",
            "dossiers_dossierstep",
            "dossiers_dossiercomponent",
            "dossiers_dossierpause",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE dossier_id >= %s", [first_id])
        cursor.execute("DELETE FROM dossiers_dossier WHERE id >= %s", [first_id])
        cursor.execute("DELETE FROM dossiers_applicant WHERE id >= %s", [first_applicant])
