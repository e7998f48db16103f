"""The rollup equals the raw computation (issue [H]: "a test proves rollups equal the raw
computation"), on random dossiers and after every kind of write: the import's bulk_create, the
workflow services, QuerySet.update(), raw SQL and the documents app's attachments."""

import importlib
import random
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection

from motcua.documents.selectors import digitisation_counts
from motcua.dossiers.models import ChannelKind, Dossier
from motcua.indicators import rollup
from motcua.indicators.models import DossierRollup, RollupDirtyDay, RollupGrain
from motcua.indicators.rollup import rollup_refresh
from motcua.indicators.scope import scope_build
from motcua.indicators.selectors import (
    document_counts,
    dossier_counts,
    dossier_counts_by,
    dossier_counts_raw,
    grade_filters,
    procedures_with_postal_dossiers,
    received_in,
    resolved_details,
    timeliness_766,
    timeliness_766_raw,
)

from .helpers import HCM, import_rows, row

pytestmark = pytest.mark.django_db

SCOPES = [
    dict(date_from=date(2024, 3, 1), date_to=date(2024, 6, 30)),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 4, 30)),
    dict(date_from=date(2024, 4, 15), date_to=date(2024, 5, 14)),
    dict(date_from=date(2024, 5, 1), date_to=date(2024, 5, 1)),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 6, 30), channel="online"),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 6, 30), unit_code="000.00.12.H27"),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 6, 30), procedure_code="2.001417"),
]


def _instant(rng: random.Random, after: datetime, days: int) -> datetime:
    return after + timedelta(minutes=rng.randrange(0, days * 24 * 60))


def _random_rows(seed: int, count: int) -> list[dict]:
    """Dossiers received March–June 2024 with every kind of outcome: open, early, on the due day
    before and after the due minute, late, with 0–3 supplement requests, no appointment, returned
    or not, by every channel and return channel."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        received = _instant(rng, datetime(2024, 3, 1, 7, tzinfo=HCM), 120)
        due = received + timedelta(days=rng.choice([1, 5, 15]), hours=rng.choice([0, 3]))
        fate = rng.choice(["open", "early", "due_day_before", "due_day_after", "late", "none"])
        end = {
            "open": None,
            "early": due - timedelta(days=rng.randint(1, 3)),
            "due_day_before": due.replace(hour=0, minute=0) + (due - due.replace(hour=0)) / 2,
            "due_day_after": due + timedelta(minutes=rng.randint(1, 60)),
            "late": due + timedelta(days=rng.randint(1, 30)),
            "none": received + timedelta(days=rng.randint(0, 40)),
        }[fate]
        if end is not None and end < received:
            end = received + timedelta(minutes=5)
        returned = end is not None and rng.random() < 0.3
        rows.append(
            row(
                received.strftime("%Y-%m-%d %H:%M"),
                due="" if fate == "none" else due.strftime("%Y-%m-%d %H:%M"),
                finished="" if end is None else end.strftime("%Y-%m-%d %H:%M"),
                returned=(end + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M") if returned else "",
                channel=rng.choice(ChannelKind.values),
                return_channel=rng.choice(["", "desk", "post"]) if end else "",
                supplements=rng.choice([0, 0, 0, 1, 2, 3]),
            )
        )
    return rows


def _everything(scope_arguments: dict) -> dict:
    scope = scope_build(**scope_arguments)
    return {
        "counts": dossier_counts(scope),
        "by_month": dossier_counts_by(scope, "month", "channel"),
        "by_field": dossier_counts_by(scope, "field", "unit"),
        # The dashboard's grouping: the field grain on clean days (issue [P] 3).
        "by_month_field": dossier_counts_by(scope, "month", "field"),
        "by_field_alone": dossier_counts_by(scope, "field"),
        "postal": procedures_with_postal_dossiers(scope),
        "timeliness": timeliness_766(scope),
    }


def _resolved_details_raw(scope) -> dict:
    resolved = received_in(scope).filter(grade_filters(scope)["resolved"])
    seconds = [(d.finished_at or d.returned_at) - d.received_at for d in resolved]
    return {
        "resolved": len(seconds),
        "none": resolved.filter(supplement_requests=0).count(),
        "one": resolved.filter(supplement_requests=1).count(),
        "seconds": sum(s.total_seconds() for s in seconds),
    }


def _assert_rollup_equals_raw() -> None:
    for arguments in SCOPES:
        scope = scope_build(**arguments)
        found = _everything(arguments)
        assert found["counts"] == dossier_counts_raw(scope), arguments
        assert found["timeliness"] == timeliness_766_raw(scope), arguments
        details, expected = resolved_details(scope), _resolved_details_raw(scope)
        assert details["seconds"] == pytest.approx(expected.pop("seconds"), rel=1e-9)
        assert {k: details[k] for k in expected} == expected, arguments
        if not arguments.get("procedure_code") and not arguments.get("channel"):
            first, last, unit = scope.date_from, scope.date_to, arguments.get("unit_code")
            assert document_counts(first, last, unit) == digitisation_counts(first, last, unit)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_equals_raw_on_random_dossiers(desk, seed):
    import_rows(_random_rows(seed, 150))
    assert RollupDirtyDay.objects.exists()  # the import's bulk_create fired the trigger
    from_dossiers = {repr(a): _everything(a) for a in SCOPES}  # every day dirty: raw path
    _assert_rollup_equals_raw()

    result = rollup_refresh()

    assert result.days > 0 and not RollupDirtyDay.objects.exists()
    assert DossierRollup.objects.count() == result.rows
    for grain in RollupGrain.values:  # every grain holds every dossier once
        rows = DossierRollup.objects.filter(grain=grain)
        assert sum(rows.values_list("dossiers", flat=True)) == 150, grain
    assert DossierRollup.objects.filter(grain="outcome").count() < result.rows / 2
    for arguments in SCOPES:  # every day clean: rollup path, the same figures
        assert _everything(arguments) == from_dossiers[repr(arguments)], arguments
    _assert_rollup_equals_raw()


def test_every_write_path_marks_its_day_and_the_figures_stay_exact(desk):
    import_rows(_random_rows(7, 80))
    rollup_refresh()
    dossiers = list(Dossier.objects.order_by("pk"))

    # QuerySet.update (as the postal app sets the return channel), bulk over several days.
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers[:10]]).update(return_channel="post")
    # A single save() of a grade input, raw SQL, and a change of the reception day itself.
    late = dossiers[10]
    late.supplement_requests = 3
    late.save(update_fields=["supplement_requests"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET channel = 'post' WHERE id = %s", [dossiers[11].pk]
        )
    moved = dossiers[12]
    old_day = moved.received_at.astimezone(HCM).date()
    moved.received_at += timedelta(days=2)
    moved.save(update_fields=["received_at"])
    marked = set(RollupDirtyDay.objects.values_list("day", flat=True))
    assert old_day in marked and moved.received_at.astimezone(HCM).date() in marked
    assert late.received_at.astimezone(HCM).date() in marked
    assert dossiers[11].received_at.astimezone(HCM).date() in marked

    _assert_rollup_equals_raw()  # mixed: clean days from rows, marked days from the dossiers
    rollup_refresh()
    _assert_rollup_equals_raw()


def test_a_change_of_an_uncounted_column_marks_nothing(desk):
    import_rows(_random_rows(8, 5))
    rollup_refresh()
    Dossier.objects.update(revision=99)
    assert not RollupDirtyDay.objects.exists()


def test_a_mark_written_during_a_refresh_survives_it(desk):
    """A write that commits while the refresh aggregates must stay marked (its day is rebuilt by
    the next refresh): the refresh deletes only the marks it read before aggregating."""
    import_rows(_random_rows(9, 20))
    victim = Dossier.objects.order_by("pk").first()
    original = rollup.rows_from_dossiers

    def write_meanwhile(dossiers):
        rows = original(dossiers)
        Dossier.objects.filter(pk=victim.pk).update(supplement_requests=5)
        return rows

    with mock.patch.object(rollup, "rows_from_dossiers", write_meanwhile):
        rollup_refresh()
    assert RollupDirtyDay.objects.filter(day=victim.received_at.astimezone(HCM).date()).exists()
    _assert_rollup_equals_raw()


def test_existing_dossiers_are_marked_when_the_rollup_is_installed(desk):
    import_rows(_random_rows(10, 30))
    RollupDirtyDay.objects.all().delete()

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    # What production ran: the frozen statements of the migration that installed the rollup.
    migration = importlib.import_module("motcua.indicators.migrations.0002_rollup")
    for statement in migration._MARK[connection.vendor]:
        Editor().execute(statement)
    days = {d.received_at.astimezone(HCM).date() for d in Dossier.objects.all()}
    assert set(RollupDirtyDay.objects.values_list("day", flat=True)) == days
    _assert_rollup_equals_raw()


def test_running_period_counts_open_dossiers_due_later_today(desk, time_machine):
    """A period that has not ended is cut at this minute: an open dossier due at 16:00 today is
    in time at 10:00 and late at 17:00, whether its day is counted from rows or dossiers."""
    time_machine.move_to(datetime(2024, 6, 20, 10, 0, tzinfo=HCM))
    import_rows(
        [
            row("2024-06-10 09:00", due="2024-06-20 16:00"),
            row("2024-06-11 09:00", due="2024-06-20 09:00"),
            row("2024-06-12 09:00", due="2024-06-21 09:00"),
        ]
    )
    scope = scope_build(date(2024, 6, 1), date(2024, 6, 30))
    assert (
        timeliness_766(scope) == timeliness_766_raw(scope) == {"total": 3, "in_time": 2, "late": 1}
    )
    rollup_refresh()
    assert timeliness_766(scope) == {"total": 3, "in_time": 2, "late": 1}
    time_machine.move_to(datetime(2024, 6, 20, 17, 0, tzinfo=HCM))
    assert (
        timeliness_766(scope) == timeliness_766_raw(scope) == {"total": 3, "in_time": 1, "late": 2}
    )


def test_months_by_field_are_read_from_the_field_grain_and_equal_the_detail(desk):
    """The dashboard's months × fields come from the field grain (fewer rows than the detail
    grain, issue [P] 3) and give what the detail grain gives: the same figures once the detail
    rows are gone, and the field grain is not taken where a unit or a procedure is asked for."""
    import_rows(_random_rows(11, 120))
    rollup_refresh()
    scope = scope_build(**SCOPES[0])
    assert rollup.grain_for(scope, "month", "field") == RollupGrain.FIELD
    assert rollup.grain_for(scope, "field", "unit") == RollupGrain.DETAIL
    assert rollup.grain_for(scope_build(**SCOPES[5]), "field") == RollupGrain.DETAIL
    field_rows = DossierRollup.objects.filter(grain=RollupGrain.FIELD)
    assert field_rows.count() <= DossierRollup.objects.filter(grain=RollupGrain.DETAIL).count()
    assert not field_rows.filter(field_id__isnull=True).exists()
    expected = dossier_counts_by(scope, "month", "field")
    assert sum(m["received"] for m in expected) == dossier_counts_raw(scope)["received"]
    DossierRollup.objects.filter(grain=RollupGrain.DETAIL).delete()
    assert dossier_counts_by(scope, "month", "field") == expected
