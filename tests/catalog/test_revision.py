"""The catalogue's revision (catalog/revision.py) changes with every write, whatever path wrote
it, and the versions in force a desk keeps in memory are never served after a change."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.revision import catalog_revision
from motcua.catalog.selectors import version_in_force, version_in_force_shared
from motcua.org.models import Unit

pytestmark = pytest.mark.django_db
CODE, DAY = "2.001417", date(2024, 4, 10)


def _bumps(action) -> bool:
    before = catalog_revision()
    action()
    return catalog_revision() != before


def test_every_kind_of_write_changes_the_revision(desk):
    version = ProcedureVersion.objects.get(procedure__code=CODE)
    unit = Unit.objects.get(pk=desk["units"]["so"].pk)
    assert _bumps(
        lambda: ProcedureVersion.objects.filter(pk=version.pk).update(effective_until=DAY)
    )
    assert _bumps(lambda: Procedure.objects.filter(code=CODE).update(is_internal=False))
    assert _bumps(lambda: Field.objects.update(name="Lý lịch tư pháp"))
    assert _bumps(lambda: Unit.objects.filter(pk=unit.pk).update(name="Sở Tư pháp tỉnh Hà Tĩnh"))

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_decision SET number = number")

    assert _bumps(raw_sql)
    assert not _bumps(lambda: catalog_revision())  # a read changes nothing


def test_kept_version_equals_the_lookup_and_follows_a_change(desk):
    assert version_in_force_shared(CODE, DAY) == version_in_force(CODE, DAY)
    assert version_in_force_shared("9.999999", DAY) is None
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as queries:
            version_in_force_shared(CODE, DAY)
        assert len(queries) == 1  # the revision's row, not the six-table join
    # The procedure ends (a repeal sets the day its version stops): the next intake sees it.
    ProcedureVersion.objects.filter(procedure__code=CODE).update(effective_until=DAY)
    assert version_in_force_shared(CODE, DAY) is None


def test_a_rolled_back_change_is_never_served(desk):
    original = version_in_force_shared(CODE, DAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        ProcedureVersion.objects.filter(pk=original.pk).update(effective_until=DAY)
        assert version_in_force_shared(CODE, DAY) is None  # this transaction's own view
        raise RuntimeError("rollback")
    assert version_in_force_shared(CODE, DAY) == original


def test_a_flushed_revision_row_keeps_nothing_until_the_next_write(desk):
    """TransactionTestCase flushes every table (the triggers stay): with no row nothing is kept,
    and the next write brings the row back with a new number."""
    from motcua.catalog.models import CatalogRevision

    CatalogRevision.objects.all().delete()
    assert catalog_revision() is None
    assert version_in_force_shared(CODE, DAY) == version_in_force(CODE, DAY)
    Field.objects.update(name="Lý lịch tư pháp")
    assert catalog_revision() is not None
