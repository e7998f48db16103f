"""Reuse of a person's digitised papers across dossiers, and the digitisation rates of a period."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.documents.indicators import report_sections
from motcua.documents.models import ComponentFile
from motcua.documents.results import result_issue
from motcua.documents.selectors import components_with_files, digitisation_counts, reuse_offers_for
from motcua.documents.services import component_file_attach, component_reuse, stored_file_put
from tests.documents.factories import (
    ID_CARD,
    dossier_awaiting_signature,
    image_bytes,
    pdf_bytes,
    receive_dossier,
)

pytestmark = pytest.mark.django_db


def _scan(desk, dossier, name, data, confirmed=True):
    component = dossier.components.get(name=name)
    return component_file_attach(
        desk["desk"], component, stored_file_put(data), source="desk_scan", confirmed=confirmed
    )


def test_reuse_flow_across_two_dossiers_of_the_same_person(desk):
    first = receive_dossier(desk, when="2024-04-26T09:00")
    card = _scan(desk, first, ID_CARD, image_bytes(colour=(1, 2, 3)))
    second = receive_dossier(desk, when="2024-05-06T09:00")
    components = components_with_files(second)
    offers = reuse_offers_for(second, components)
    card_component = next(c for c in components if c.name == ID_CARD)
    other_component = next(c for c in components if c.name != ID_CARD)
    assert offers[card_component.pk] == [card]  # same name, same person: offered
    assert offers[other_component.pk] == []  # nothing of that name was digitised before
    reused = component_reuse(desk["desk"], card_component, card)
    assert reused.source == "reuse" and reused.reused_from == card and reused.is_digitised
    assert reused.stored_file_id == card.stored_file_id  # the same content, not a copy
    assert reuse_offers_for(second, components_with_files(second))[card_component.pk] == []
    # The reuse counts in the period of the second dossier.
    counts = digitisation_counts(date(2024, 5, 1), date(2024, 5, 31))
    assert counts["components_reused"] == 1 and counts["dossiers_with_reuse"] == 1


def test_another_persons_file_cannot_be_reused(desk):
    hers = receive_dossier(desk)
    card = _scan(desk, hers, ID_CARD, image_bytes())
    his = receive_dossier(desk, citizen_id="042090001111", name="Trần Văn Nam")
    assert (
        reuse_offers_for(his, components_with_files(his))[his.components.get(name=ID_CARD).pk] == []
    )
    with pytest.raises(ValidationError) as caught:
        component_reuse(desk["desk"], his.components.get(name=ID_CARD), card)
    assert "chính người nộp" in caught.value.messages[0]
    assert ComponentFile.objects.filter(component__dossier=his).count() == 0


def test_an_electronic_result_is_offered_and_reused(desk, signing):
    earlier = dossier_awaiting_signature(desk)
    issued = result_issue(desk["leader"], earlier)
    later = receive_dossier(desk, when="2024-05-20T09:00")
    components = components_with_files(later)
    assert all(issued in offers for offers in reuse_offers_for(later, components).values())
    reused = component_reuse(desk["desk"], components[0], issued)
    assert reused.reused_from_result == issued and reused.stored_file_id == issued.stored_file_id


def test_digitisation_rates_of_a_period_from_data(desk, signing):
    # April: three dossiers. One fully digitised and confirmed, one with an unconfirmed scan (not
    # digitised yet), one with a component missing. One of them processed with an electronic result.
    full = receive_dossier(desk, when="2024-04-22T09:00", citizen_id="042190000001")
    for component in full.components.all():
        _scan(desk, full, component.name, pdf_bytes(component.name + " 1"))
    unconfirmed = receive_dossier(desk, when="2024-04-23T09:00", citizen_id="042190000002")
    for component in unconfirmed.components.all():
        _scan(desk, unconfirmed, component.name, pdf_bytes(component.name + " 2"), confirmed=False)
    partial = receive_dossier(desk, when="2024-04-24T09:00", citizen_id="042190000003")
    _scan(desk, partial, ID_CARD, image_bytes(colour=(9, 9, 9)))
    processed = dossier_awaiting_signature(desk, when="2024-04-25T09:00", citizen_id="042190000004")
    result_issue(desk["leader"], processed)
    from motcua.dossiers.services import dossier_act

    processed.refresh_from_db()
    dossier_act(desk["leader"], processed.pk, "approve", expected_revision=processed.revision)
    # Outside the period: not counted.
    receive_dossier(desk, when="2024-05-02T09:00", citizen_id="042190000005")

    counts = digitisation_counts(date(2024, 4, 1), date(2024, 4, 30))
    assert counts == {
        "dossiers_received": 4,
        "dossiers_digitised": 1,
        "results_issued": 1,
        "results_electronic": 1,
        "components_reused": 0,
        "dossiers_with_reuse": 0,
    }
    section = report_sections(date(2024, 4, 1), date(2024, 4, 30))["documents"]
    assert section["digitised_pct"] == 25.0 and section["electronic_results_pct"] == 100.0
    assert section["reuse_pct"] == 0.0
    unit = desk["units"]["centre"].code
    assert digitisation_counts(date(2024, 4, 1), date(2024, 4, 30), unit)["dossiers_received"] == 4
    assert (
        digitisation_counts(date(2024, 4, 1), date(2024, 4, 30), "000.00.99.H99")[
            "dossiers_received"
        ]
        == 0
    )
    empty = report_sections(date(2020, 1, 1), date(2020, 1, 31))["documents"]
    assert empty["digitised_pct"] is None and empty["dossiers_received"] == 0
