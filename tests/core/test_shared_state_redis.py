"""Shared state in Redis (docs/adr/0029, issue [O] 9), in one process against the machine's Redis:
counters that many app servers count together exactly, claims only one of them gets, pages one
server stores and another forgets, and nothing written outside the run's key prefix. Two real
servers behind nginx: tests/deploy/test_two_servers.py."""

import threading

import pytest
import time_machine
from django.core.cache import caches
from django.core.exceptions import ValidationError

from motcua.accounts import one_time_codes as otp
from motcua.accounts.models import OneTimeCode
from motcua.core import pagecache, rate_limits
from motcua.notifications import sms
from tests.dossiers.test_services import at
from tests.redis_cache import redis_keys

PHONE = "0912 345 678"


def another_server(alias: str):
    """A cache connection of its own, as another app server (or worker) would open."""
    return caches.create_connection(alias)


def test_the_caches_are_redis_under_the_runs_prefix(shared_redis):
    caches["default"].set("probe", 1)
    caches["pages"].set("probe", 2)
    keys = {key.decode() for key in redis_keys(shared_redis)}
    assert keys == {f"{shared_redis}:1:probe", f"{shared_redis}:pages:1:probe"}


def test_a_rate_limit_counted_from_many_threads_allows_exactly_the_limit(shared_redis):
    allowed = []

    def client():
        connection_of_its_own = another_server("default")
        for _ in range(10):
            key = rate_limits._cache_key("tracking", "198.51.100.7", 60)
            # rate_limit_hit's own steps on this connection: add, else incr.
            if connection_of_its_own.add(key, 1, 60) or connection_of_its_own.incr(key) <= 25:
                allowed.append(1)

    with time_machine.travel(at("2024-05-06T10:00:10"), tick=False):
        threads = [threading.Thread(target=client) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(allowed) == 25  # 80 attempts, 25 let through, whoever counted them
        assert rate_limits.rate_limit_count("tracking", "198.51.100.7", window_seconds=60) == 80
        assert rate_limits.rate_limit_hit("tracking", "198.51.100.7", limit=25, window_seconds=60)


def test_a_claim_is_won_once_and_released(shared_redis):
    other = another_server("default")
    assert rate_limits.rate_claim("otp-send", "84912345678", seconds=60)
    key = f"claim:otp-send:{rate_limits._digest('otp-send', '84912345678')}"
    assert other.add(key, 1, 60) is False  # the other server cannot take it meanwhile
    rate_limits.rate_claim_release("otp-send", "84912345678")
    assert other.add(key, 1, 60) is True


def test_a_page_forgotten_on_one_server_is_built_anew_on_the_other(shared_redis):
    builds = iter(["Đã tiếp nhận", "Đang xử lý"])
    first = pagecache.page_cached("tracking", "X-1", lambda: next(builds))
    assert first == "Đã tiếp nhận"
    assert pagecache.page_cached("tracking", "X-1", lambda: "never built") == "Đã tiếp nhận"
    # The other server forgets (its own connection, the same Redis) ...
    other = another_server("pages")
    generation_key = pagecache._keys("tracking", "X-1")[0]
    assert other.has_key(generation_key)
    other.set(generation_key, "replaced-by-the-other-server", pagecache.PAGE_TIMEOUT)
    # ... and this one no longer serves the page it stored.
    assert pagecache.page_cached("tracking", "X-1", lambda: next(builds)) == "Đang xử lý"


def test_page_forget_reaches_every_connection(shared_redis):
    pagecache.page_cached("tracking", "X-2", lambda: "cũ")
    pagecache.page_forget("tracking", "X-2")
    other_server_pages = another_server("pages")
    generation, page = other_server_pages.get_many(pagecache._keys("tracking", "X-2")).values()
    assert page[0] != generation  # the stored page is unusable everywhere


@pytest.fixture
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_a_code_sent_by_another_server_at_the_same_instant_is_refused(db, shared_redis, memory_sms):
    """The race the database alone lets through: the other server's code is not committed yet
    (here: its row is gone), so the row count sees room; the shared claim does not."""
    otp.one_time_code_send(PHONE, ip="198.51.100.7")
    OneTimeCode.objects.all().delete()  # what this server's transaction cannot see yet
    with pytest.raises(ValidationError, match="chờ 60 giây") as refused:
        otp.one_time_code_send(PHONE, ip="198.51.100.7")
    assert refused.value.code == "cooldown"
    assert not OneTimeCode.objects.exists() and len(sms.outbox) == 1


def test_the_hourly_send_counts_are_shared(db, shared_redis, memory_sms):
    with time_machine.travel(at("2024-05-06T11:00"), tick=False):
        for n in range(otp.SENDS_PER_IP_PER_HOUR):
            otp.one_time_code_send(f"09120000{n:02d}", ip="198.51.100.8")
        OneTimeCode.objects.all().delete()  # the database forgets: Redis still counts
        with pytest.raises(ValidationError, match="quá nhiều mã"):
            otp.one_time_code_send("0987654321", ip="198.51.100.8")
        assert not OneTimeCode.objects.exists()
        # The refusal took back what it counted: another address may still send to that phone,
        # and this address's count stays at its limit (not below it).
        assert rate_limits.rate_limit_count("otp-ip", "198.51.100.8", window_seconds=3600) == 20
        assert (
            rate_limits.rate_limit_count("otp-destination", "84987654321", window_seconds=3600) == 0
        )
        otp.one_time_code_send("0987654321", ip="198.51.100.9")


def test_a_destination_over_its_limit_gives_back_the_address_count_too(
    db, shared_redis, memory_sms
):
    with time_machine.travel(at("2024-05-06T12:00"), tick=False):
        for minute in range(otp.SENDS_PER_HOUR):
            with time_machine.travel(at(f"2024-05-06T12:{minute * 2:02d}"), tick=False):
                otp.one_time_code_send(PHONE, ip=f"198.51.100.{20 + minute}")
            # Redis times its claims by its own clock, which time_machine does not move.
            rate_limits.rate_claim_release("otp-send", "84912345678")
        otp.one_time_code_send("0987000111", ip="198.51.100.30")  # this address: 1 send
        OneTimeCode.objects.all().delete()
        with pytest.raises(ValidationError, match="quá nhiều mã"):
            otp.one_time_code_send(PHONE, ip="198.51.100.30")
        # The phone was over its limit; the address's count is what it was, neither more nor less.
        assert rate_limits.rate_limit_count("otp-ip", "198.51.100.30", window_seconds=3600) == 1
        assert (
            rate_limits.rate_limit_count("otp-destination", "84912345678", window_seconds=3600) == 5
        )


def test_a_gateway_refusal_gives_back_the_claim_and_the_counts(db, shared_redis, settings):
    settings.SMS_GATEWAY = "esms"
    settings.ESMS_API_URL = "http://127.0.0.1:9/khong-co"  # nothing listens on the discard port
    with pytest.raises(ValidationError, match="Chưa gửi được mã"):
        otp.one_time_code_send(PHONE, ip="198.51.100.10")
    assert rate_limits.rate_claim("otp-send", "84912345678", seconds=60)  # not held
    assert rate_limits.rate_limit_count("otp-ip", "198.51.100.10", window_seconds=3600) == 0
    assert rate_limits.rate_limit_count("otp-destination", "84912345678", window_seconds=3600) == 0
