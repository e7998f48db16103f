"""The digitisation figures the report reads from the indicators rollup equal the documents app's
own definitions (selectors.digitisation_counts), before and after a refresh, and every documents
write (attach, confirm, reuse, a signed result) marks its dossier's reception day."""

from datetime import date

import pytest

from motcua.documents.results import result_issue
from motcua.documents.selectors import digitisation_counts
from motcua.documents.services import component_file_attach, component_reuse, stored_file_put
from motcua.dossiers.services import dossier_act
from motcua.indicators.models import RollupDirtyDay
from motcua.indicators.rollup import rollup_refresh
from motcua.indicators.selectors import document_counts
from tests.documents.factories import (
    ID_CARD,
    dossier_awaiting_signature,
    image_bytes,
    pdf_bytes,
    receive_dossier,
)

pytestmark = pytest.mark.django_db
PERIODS = [
    (date(2024, 4, 1), date(2024, 4, 30), None),
    (date(2024, 4, 1), date(2024, 5, 31), None),
    (date(2024, 5, 1), date(2024, 5, 31), "000.00.12.H27"),
]


def _scan(desk, dossier, name, data, confirmed=True):
    component = dossier.components.get(name=name)
    return component_file_attach(
        desk["desk"], component, stored_file_put(data), source="desk_scan", confirmed=confirmed
    )


def _assert_equal():
    for first, last, unit in PERIODS:
        assert document_counts(first, last, unit) == digitisation_counts(first, last, unit)


def test_document_counts_follow_every_documents_write(desk, signing):
    full = receive_dossier(desk, when="2024-04-22T09:00", citizen_id="042190000001")
    for component in full.components.all():
        _scan(desk, full, component.name, pdf_bytes(component.name + " 1"))
    unconfirmed = receive_dossier(desk, when="2024-04-23T09:00", citizen_id="042190000002")
    for component in unconfirmed.components.all():
        _scan(desk, unconfirmed, component.name, pdf_bytes(component.name + " 2"), confirmed=False)
    _assert_equal()
    rollup_refresh()
    assert not RollupDirtyDay.objects.exists()
    _assert_equal()
    assert document_counts(date(2024, 4, 1), date(2024, 4, 30))["dossiers_digitised"] == 1

    # A later scan of the same person, reused in May; a processed dossier with a signed result.
    card = _scan(desk, full, ID_CARD, image_bytes(colour=(4, 5, 6)))
    assert RollupDirtyDay.objects.filter(day=date(2024, 4, 22)).exists()
    later = receive_dossier(desk, when="2024-05-06T09:00", citizen_id="042190000001")
    component_reuse(desk["desk"], later.components.get(name=ID_CARD), card)
    processed = dossier_awaiting_signature(desk, when="2024-05-07T09:00", citizen_id="042190000004")
    rollup_refresh()
    result_issue(desk["leader"], processed)
    assert RollupDirtyDay.objects.filter(day=date(2024, 5, 7)).exists()
    processed.refresh_from_db()
    dossier_act(desk["leader"], processed.pk, "approve", expected_revision=processed.revision)
    _assert_equal()  # mixed: clean days from rows, marked days from the dossiers
    rollup_refresh()
    _assert_equal()
    may = document_counts(date(2024, 5, 1), date(2024, 5, 31))
    assert may["dossiers_with_reuse"] == 1 and may["components_reused"] == 1
    assert may["results_electronic"] == 1
