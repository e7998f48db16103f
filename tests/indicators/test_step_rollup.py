"""The step rollup equals the steps themselves: Circular 01's per-step timeliness and the officer
ratings over random steps, before and after a refresh and after every kind of write (bulk insert,
QuerySet.update of a step, a change of the dossier's channel)."""

import random
from datetime import date, datetime, timedelta

import pytest

from motcua.dossiers.models import Dossier, DossierStep
from motcua.indicators.models import StepRollup, StepRollupDirtyDay
from motcua.indicators.rollup import rollup_refresh
from motcua.indicators.scope import scope_build
from motcua.indicators.scoring import (
    STEP_AGGREGATES,
    _step_queryset,
    officer_ratings,
    step_grades,
    step_grades_raw,
)

from .helpers import HCM, import_rows, row

pytestmark = pytest.mark.django_db
SCOPES = [
    dict(date_from=date(2024, 3, 1), date_to=date(2024, 6, 30)),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 4, 30)),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 6, 30), channel="online"),
    dict(date_from=date(2024, 4, 1), date_to=date(2024, 6, 30), unit_code="000.00.12.H27"),
]


def _steps(desk, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for _ in range(40):
        received = datetime(2024, 3, 1, 8, tzinfo=HCM) + timedelta(hours=rng.randrange(0, 2400))
        rows.append(
            row(received.strftime("%Y-%m-%d %H:%M"), channel=rng.choice(["desk", "online"]))
        )
    import_rows(rows)
    officers = [desk["desk"], desk["specialist"], desk["head"], None]
    steps = []
    for dossier in Dossier.objects.all():
        for order in range(1, 4):
            due = dossier.received_at + timedelta(hours=rng.choice([4, 20, 50]))
            finished = due + timedelta(minutes=rng.choice([-3000, -60, 0, 1, 600, 5000]))
            steps.append(
                DossierStep(
                    dossier=dossier, order=order, name=f"Bước {order}", role="specialist",
                    budget_hours=8, assignee=rng.choice(officers),
                    due_at=None if rng.random() < 0.1 else due,
                    finished_at=None if rng.random() < 0.15 else finished,
                )
            )  # fmt: skip
    DossierStep.objects.bulk_create(steps)


def _officers_raw(scope) -> dict:
    rows = (
        _step_queryset(scope)
        .filter(assignee__isnull=False)
        .values("assignee__username")
        .annotate(**STEP_AGGREGATES)
    )
    return {r["assignee__username"]: r["total"] for r in rows}


def _assert_equal() -> None:
    for arguments in SCOPES:
        scope = scope_build(**arguments)
        assert step_grades(scope) == step_grades_raw(scope), arguments
        ratings = {r["username"]: r["steps"] for r in officer_ratings(scope)}
        assert ratings == _officers_raw(scope), arguments


def test_step_rollup_equals_the_steps_through_every_write(desk):
    _steps(desk, 1)
    assert StepRollupDirtyDay.objects.exists()  # bulk insert marked the finish days
    _assert_equal()  # every day dirty: from the steps
    result = rollup_refresh()
    assert result.step_days and not StepRollupDirtyDay.objects.exists()
    graded = DossierStep.objects.filter(finished_at__isnull=False, due_at__isnull=False).count()
    for grain in ("detail", "outcome"):  # each grain holds every graded step once
        rows = StepRollup.objects.filter(grain=grain)
        assert sum(rows.values_list("steps", flat=True)) == graded, grain
    _assert_equal()  # every day clean: from the rollup

    some = list(DossierStep.objects.filter(finished_at__isnull=False).order_by("pk")[:6])
    moved = some[0]
    DossierStep.objects.filter(pk=moved.pk).update(
        finished_at=moved.finished_at + timedelta(days=9)
    )
    DossierStep.objects.filter(pk=some[1].pk).update(assignee=desk["leader"])
    DossierStep.objects.filter(pk=some[2].pk).update(finished_at=None)
    Dossier.objects.filter(pk=some[3].dossier_id).update(channel="online")
    marked = set(StepRollupDirtyDay.objects.values_list("day", flat=True))
    assert moved.finished_at.astimezone(HCM).date() in marked
    assert (moved.finished_at + timedelta(days=9)).astimezone(HCM).date() in marked
    assert some[3].finished_at.astimezone(HCM).date() in marked
    _assert_equal()  # mixed
    rollup_refresh()
    _assert_equal()


def test_an_unrelated_step_change_marks_nothing(desk):
    _steps(desk, 2)
    rollup_refresh()
    DossierStep.objects.update(name="Thẩm định")
    Dossier.objects.update(revision=7)
    assert not StepRollupDirtyDay.objects.exists()
