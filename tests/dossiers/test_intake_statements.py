"""What one desk reception costs the database (issue [H] 2; docs/BENCHMARKS.md C4): the number of
statements is pinned, so a change that adds a query to every reception fails here first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.selectors import version_components, version_in_force, version_steps
from motcua.dossiers.models import Applicant, DailySequence, Dossier, DossierStep
from tests.dossiers.test_services import at, intake, receive

# Version in force, applicant upsert, calendar revision, dossier, components, steps (the first
# already started), history event, its row of the change feed (issue [I] 1: written in the same
# transaction), then the daily number with the update that writes the code and the first step:
# one statement on PostgreSQL, two elsewhere. 21 before C4, counting BEGIN and COMMIT, which the
# test's savepoints stand for here.
STATEMENTS_PER_RECEPTION = 9 if connection.vendor == "postgresql" else 10


def _reception_statements(desk, when, **overrides) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        receive(desk, when=when, **overrides)
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def _no_contact():
    # Without phone or e-mail no notification is queued: the statements are the reception's own.
    applicant = intake().applicant
    applicant.phone = ""
    return applicant


def test_a_reception_takes_a_fixed_number_of_statements(desk):
    receive(desk, when="2024-04-26T09:00")  # the first one loads the calendar and the version
    statements = _reception_statements(desk, "2024-04-26T10:00", applicant=_no_contact())
    assert len(statements) == STATEMENTS_PER_RECEPTION, "\n".join(statements)


def test_the_daily_number_is_the_last_thing_taken(desk):
    """Its row lock is held to the commit and makes the unit's other desks wait: taken after every
    insert, only the update that writes the code comes after it."""
    receive(desk, when="2024-04-26T09:00")
    statements = _reception_statements(desk, "2024-04-26T10:00", applicant=_no_contact())
    number = next(i for i, sql in enumerate(statements) if "dossiers_dailysequence" in sql)
    if connection.vendor == "postgresql":
        assert number == len(statements) - 1 and 'UPDATE "dossiers_dossier"' in statements[-1]
    else:
        assert number == len(statements) - 2
        assert statements[-1].startswith('UPDATE "dossiers_dossier"')
    dossier = Dossier.objects.get(code="000.00.40.H27-240426-0002")
    assert dossier.current_step == dossier.steps.get(order=1)
    first = dossier.current_step
    assert (first.started_at, first.assignee) == (at("2024-04-26T10:00"), desk["desk"])
    assert first.due_at == at("2024-04-26T16:00")  # 4 working hours
    assert not DossierStep.objects.filter(dossier=dossier, order__gt=1, started_at__isnull=False)


def test_a_busy_day_past_9999_gets_five_digits(desk):
    unit = desk["desk"].unit
    DailySequence.objects.create(unit=unit, day=at("2024-04-26T00:00").date(), last_value=9998)
    assert receive(desk, when="2024-04-26T09:00").code == "000.00.40.H27-240426-9999"
    dossier = receive(desk, when="2024-04-26T10:00")
    assert dossier.code == "000.00.40.H27-240426-10000"
    assert Dossier.objects.get(pk=dossier.pk).code == dossier.code
    assert receive(desk, when="2024-04-29T09:00").code == "000.00.40.H27-240429-0001"


def test_a_returning_person_is_updated_not_duplicated(desk):
    first = receive(desk, when="2024-04-26T09:00")
    created_at = Applicant.objects.get(pk=first.applicant_id).created_at
    moved = intake().applicant
    moved.address_line = "Xã Thạch Hà, Hà Tĩnh"
    moved.phone = "0987654321"
    second = receive(desk, when="2024-04-29T09:00", applicant=moved)
    assert second.applicant_id == first.applicant_id
    stored = Applicant.objects.get(pk=first.applicant_id)
    assert (stored.address_line, stored.phone) == ("Xã Thạch Hà, Hà Tĩnh", "0987654321")
    assert stored.created_at == created_at == second.applicant.created_at
    assert stored.updated_at > created_at
    assert second.applicant_address == "Xã Thạch Hà, Hà Tĩnh"
    assert Applicant.objects.count() == 1


def test_a_version_components_and_steps_are_read_once(desk, django_assert_num_queries):
    version = version_in_force("2.001417", at("2024-04-26T09:00"))
    steps = version_steps(version)
    assert [s.order for s in steps] == [1, 2, 3, 4]
    assert [c.name for c in version_components(version)] == [
        c.name for c in version.components.all()
    ]
    with django_assert_num_queries(0):
        assert version_steps(version) is steps
        version_components(version)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL always has RETURNING")
def test_without_returning_the_reception_takes_the_longer_way(desk, monkeypatch):
    """SQLite before 3.35 has no RETURNING: the same rows come from more statements."""
    features = connection.features
    for name in ("can_return_columns_from_insert", "can_return_rows_from_bulk_insert"):
        monkeypatch.delitem(features.__dict__, name, raising=False)  # a cached value
        monkeypatch.setattr(type(features), name, False)
    first = receive(desk, when="2024-04-26T09:00")
    second = receive(desk, when="2024-04-26T10:00")
    assert (first.code, second.code) == ("000.00.40.H27-240426-0001", "000.00.40.H27-240426-0002")
    assert second.applicant_id == first.applicant_id and Applicant.objects.count() == 1
    stored = Dossier.objects.get(pk=second.pk)
    assert stored.current_step == second.current_step == stored.steps.get(order=1)
    assert stored.current_step.started_at == at("2024-04-26T10:00")
