"""The worklist read as index ranges (selectors.Worklist) gives exactly the rows, in exactly the
order, of the one-query rule it replaced, for every kind of officer and filter."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import catalog_import
from motcua.dossiers import selectors
from motcua.dossiers.models import Applicant, Dossier, worklist_statuses
from motcua.dossiers.selectors import Worklist, dossiers_visible_to, worklist_for
from motcua.dossiers.workflow import PROCESSING_ENDED, Status
from tests.accounts.factories import UserFactory
from tests.catalog.factories import history_document, make_units
from tests.org.factories import UnitFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 5, 6, 8, 0, tzinfo=HCM)


def old_worklist(user, *, status="", query="", mine=False):
    """worklist_for as it was before the index ranges (the exclude form), kept as the reference."""
    dossiers = (
        dossiers_visible_to(user)
        .exclude(status__in=[s.value for s in PROCESSING_ENDED if s != Status.FINISHED])
        .exclude(status=Status.RETURNED)
    )
    if status:
        dossiers = dossiers.filter(status=status)
    if mine:
        dossiers = dossiers.filter(assignee=user)
    if query:
        dossiers = dossiers.filter(
            Q(code__icontains=query.strip()) | Q(applicant_name__icontains=query.strip())
        )
    return dossiers


def in_old_order(dossiers):
    """The old order_by("due_at", "received_at", "pk") as PostgreSQL runs it (NULL last); SQLite
    put NULL first, an accident of the development database."""
    return list(dossiers.order_by(*selectors.WORKLIST_ORDER).values_list("pk", flat=True))


def new_worklist(user, page_size=7, **filters):
    """Every page of the new worklist, one after the other."""
    paginator = Paginator(Worklist(user, **filters), page_size)
    return [d.pk for number in paginator.page_range for d in paginator.page(number)]


@pytest.fixture
def province(db):
    """Four receiving units, six procedure versions of four competent agencies, an officer of every
    kind, and 300 dossiers in every status with ties and gaps in their instants."""
    units = make_units()
    catalog_import(None, history_document())
    people = {
        "desk": UserFactory(role=Role.DESK_OFFICER, unit=units["centre"]),
        "police_desk": UserFactory(role=Role.DESK_OFFICER, unit=units["police"]),
        "specialist": UserFactory(role=Role.SPECIALIST, unit=units["division"]),
        "legal_aid": UserFactory(role=Role.SPECIALIST, unit=units["legal_aid"]),
        "police": UserFactory(role=Role.SPECIALIST, unit=units["police"]),
        "head": UserFactory(role=Role.DIVISION_HEAD, unit=units["division"]),
        "leader": UserFactory(role=Role.DEPARTMENT_LEADER, unit=units["so"]),
        "unitless": UserFactory(role=Role.SPECIALIST, unit=None),
        "admin": UserFactory(role=Role.ADMINISTRATOR, unit=units["so"]),
        "citizen": UserFactory(role=Role.CITIZEN, unit=None),
    }
    versions = list(ProcedureVersion.objects.all())
    assert len({v.competent_agency_id for v in versions}) >= 3
    applicant = Applicant.objects.create(full_name="Nguyễn Thị Hương")
    receivers = [units["centre"], units["police"], units["so"], units["legal_aid"]]
    assignees = [
        None,
        None,
        *[people[k] for k in ("specialist", "head", "police", "desk", "unitless")],
    ]
    # Few distinct instants, so due ties (broken by reception, then by id) are frequent; None is a
    # paused clock (due) or an online dossier not yet received (both).
    dues = [None, *(START + timedelta(hours=h) for h in (0, 0, 5, 30, 30, 200))]
    receptions = [None, START - timedelta(days=3), START - timedelta(days=1)]
    draw = random.Random(20261129)
    for number in range(300):
        Dossier.objects.create(
            code=f"000.00.40.H27-240506-{number:04d}",
            procedure_version=draw.choice(versions),
            receiving_unit=draw.choice(receivers),
            applicant=applicant,
            applicant_name=draw.choice(["Nguyễn Thị Hương", "Trần Văn Minh"]),
            channel="desk",
            status=draw.choice(list(Status)),
            assignee=draw.choice(assignees),
            due_at=draw.choice(dues),
            received_at=draw.choice(receptions),
        )
    return people


@pytest.mark.parametrize(
    "who",
    ["desk", "police_desk", "specialist", "legal_aid", "police", "head", "leader", "unitless"],
)
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"mine": True},
        {"status": "in_progress"},
        {"status": "finished"},
        {"status": "returned"},  # not open: nothing, as before
        {"query": "Minh"},
        {"query": " 0042 "},
        {"query": "Minh", "status": "received", "mine": True},
    ],
)
def test_the_same_rows_in_the_same_order_as_the_one_query_rule(province, who, filters):
    user = province[who]
    expected = in_old_order(old_worklist(user, **filters))
    assert new_worklist(user, **filters) == expected
    assert list(worklist_for(user, **filters).values_list("pk", flat=True)) == expected
    if not filters:
        assert expected, f"the data set gives {who} nothing to compare"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's NULL order")
def test_on_postgresql_the_order_is_the_old_order_by_verbatim(province):
    for who in ("desk", "specialist", "leader"):
        user = province[who]
        old = old_worklist(user).order_by("due_at", "received_at", "pk")
        assert new_worklist(user) == list(old.values_list("pk", flat=True))


def test_paused_dossiers_come_after_every_due_instant(province):
    rows = [Dossier.objects.get(pk=pk) for pk in new_worklist(province["desk"])]
    dues = [d.due_at for d in rows]
    first_paused = dues.index(None)
    assert None not in dues[:first_paused] and set(dues[first_paused:]) == {None}
    assert dues[:first_paused] == sorted(dues[:first_paused])


def test_officers_outside_the_work_see_nothing(province):
    for who in ("admin", "citizen"):
        assert new_worklist(province[who]) == []


def test_a_unit_that_decides_no_procedure_sees_what_is_assigned_to_it(province):
    board = UnitFactory(code="000.00.99.H27", name="Ban Quản lý khu kinh tế tỉnh", parent=None)
    officer = UserFactory(role=Role.SPECIALIST, unit=board)
    assigned = Dossier.objects.filter(status=Status.IN_PROGRESS).first()
    assigned.assignee = officer
    assigned.save()
    assert new_worklist(officer) == in_old_order(old_worklist(officer)) == [assigned.pk]


@pytest.mark.parametrize(
    "who", ["desk", "police_desk", "specialist", "legal_aid", "police", "leader", "unitless"]
)
def test_past_the_cap_the_pages_hold_the_first_rows_and_say_there_are_more(
    province, monkeypatch, who
):
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_CAP", 12)
    user = province[who]
    expected = in_old_order(old_worklist(user))
    worklist = Worklist(user)
    assert worklist.over_cap == (len(expected) > 12)
    assert worklist.count() == min(len(expected), 12)
    assert new_worklist(user, page_size=5) == expected[:12]  # pages of 5 + 5 + 2 rows at most
    if who == "leader":
        assert worklist.over_cap, "the data set must take someone past the cap"


def test_a_small_agency_is_read_whole_a_large_one_in_due_order_up_to_the_cap(province, monkeypatch):
    police_term = Worklist(province["police"]).ranges()[1].query  # far fewer than 1.000
    assert not police_term.order_by and not police_term.is_sliced
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_CAP", 12)
    leader_term = Worklist(province["leader"]).ranges()[1].query  # more than 12
    assert leader_term.order_by and leader_term.high_mark == 13
    assert Worklist(province["desk"]).ranges()[1].query.high_mark == 13  # a unit: always a range


def test_under_the_cap_the_count_is_exact(province, monkeypatch):
    user = province["desk"]
    expected = in_old_order(old_worklist(user))
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_CAP", len(expected))
    worklist = Worklist(user)
    assert not worklist.over_cap and worklist.count() == len(expected)


def test_a_dossier_seen_through_two_terms_is_listed_once(province):
    desk = province["desk"]
    both = Dossier.objects.filter(receiving_unit=desk.unit, status=Status.RECEIVED).first()
    both.assignee = desk
    both.save()
    listed = new_worklist(desk)
    assert listed.count(both.pk) == 1 and len(listed) == len(set(listed))


def test_the_open_statuses_are_the_workflows_and_the_indexes_follow_them():
    ended = (PROCESSING_ENDED - {Status.FINISHED}) | {Status.RETURNED}
    assert set(worklist_statuses()) == {s.value for s in Status} - {s.value for s in ended}
    open_indexes = [i for i in Dossier._meta.indexes if i.name.startswith("dossier_open_")]
    assert len(open_indexes) == 4
    for index in open_indexes:
        assert index.condition == Q(status__in=worklist_statuses())


@pytest.mark.django_db
def test_the_migrations_hold_the_indexes_as_the_model_declares_them():
    # A status added to the workflow changes the indexes' condition: this fails until migrated.
    call_command("makemigrations", "dossiers", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("who", ["specialist", "police", "leader"])
def test_a_processors_keys_take_three_statements_whatever_the_agencys_size(
    province, monkeypatch, who, django_assert_num_queries
):
    """The agency's versions with the units above it in one statement (issue [P] 3), then the
    probe of the agency's size and the union: three round trips where there were four."""
    monkeypatch.setattr(selectors, "WORKLIST_COUNT_CAP", 12)
    with django_assert_num_queries(3):
        keys = Worklist(province[who]).keys()
    assert keys == in_old_order(old_worklist(province[who]))[:13]


def test_the_agency_versions_are_those_of_the_unit_and_every_unit_above_it(province):
    from motcua.org.selectors import unit_ancestor_ids

    for who in ("specialist", "police", "leader", "legal_aid"):
        unit = province[who].unit_id
        expected = ProcedureVersion.objects.filter(competent_agency_id__in=unit_ancestor_ids(unit))
        assert selectors._agency_version_ids(unit) == sorted(expected.values_list("pk", flat=True))
