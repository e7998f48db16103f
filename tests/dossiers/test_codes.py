import multiprocessing
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers.codes import dossier_code_next
from motcua.dossiers.models import DailySequence
from motcua.org.models import Unit, UnitKind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def make_unit(code="000.00.40.H26"):
    return Unit.objects.create(
        code=code, name="Trung tâm Phục vụ hành chính công", kind=UnitKind.SERVICE_CENTRE
    )


def take(unit, when):
    with transaction.atomic():
        return dossier_code_next(unit, when)


@pytest.mark.django_db
def test_code_is_unit_date_and_daily_sequence():
    unit = make_unit()
    day = datetime(2024, 4, 26, 9, 0, tzinfo=HCM)
    assert take(unit, day) == "000.00.40.H26-240426-0001"
    assert take(unit, day) == "000.00.40.H26-240426-0002"
    # A new day starts again at 0001; another unit has its own sequence.
    assert take(unit, datetime(2024, 4, 27, 8, 0, tzinfo=HCM)) == "000.00.40.H26-240427-0001"
    other = make_unit("000.00.41.H26")
    assert take(other, day) == "000.00.41.H26-240426-0001"


@pytest.mark.django_db
def test_the_day_is_the_local_day_of_reception():
    unit = make_unit()
    # 17:30 UTC on the 26th is 00:30 on the 27th in Hà Tĩnh.
    assert take(unit, datetime(2024, 4, 26, 17, 30, tzinfo=ZoneInfo("UTC"))).endswith(
        "-240427-0001"
    )


@pytest.mark.django_db
def test_a_rolled_back_creation_gives_its_number_back():
    unit = make_unit()
    day = datetime(2024, 4, 26, 9, 0, tzinfo=HCM)
    with pytest.raises(ValueError), transaction.atomic():
        assert dossier_code_next(unit, day).endswith("-0001")
        raise ValueError("the dossier creation fails after taking the number")
    assert take(unit, day).endswith("-0001")


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction():
    unit = make_unit()
    with pytest.raises(RuntimeError):
        dossier_code_next(unit, datetime(2024, 4, 26, 9, 0, tzinfo=HCM))
    assert not DailySequence.objects.exists()


@pytest.mark.django_db
def test_sequence_grows_past_four_digits_without_wrapping():
    unit = make_unit()
    day = datetime(2024, 4, 26, 9, 0, tzinfo=HCM)
    DailySequence.objects.create(unit=unit, day=day.date(), last_value=9999)
    assert take(unit, day) == "000.00.40.H26-240426-10000"


def _take_many(unit_id, count, queue):
    connections.close_all()  # never share the parent's socket
    unit = Unit.objects.get(pk=unit_id)
    when = datetime(2024, 4, 26, 9, 0, tzinfo=HCM)
    queue.put([take(unit, when) for _ in range(count)])
    connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs a server database shared by processes (runs on PostgreSQL in CI)",
)
def test_eight_processes_get_unique_gapless_codes():
    unit = make_unit()
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_take_many, args=(unit.pk, 25, queue)) for _ in range(8)]
    for w in workers:
        w.start()
    codes = [code for _ in workers for code in queue.get(timeout=60)]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 201))
