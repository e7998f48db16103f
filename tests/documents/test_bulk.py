"""The bulk paths of the documents app (documents/bulk.py): many component files attached at once
with the services' rules, and many electronic results issued, signed and registered at once."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.documents.bulk import (
    Attachment,
    ResultToIssue,
    component_files_attach_bulk,
    results_issue_bulk,
)
from motcua.documents.models import ComponentFile, IssuedDocument
from motcua.documents.results import issued_document_bytes, result_issue
from motcua.documents.selectors import digitisation_counts
from motcua.documents.services import stored_file_put
from motcua.documents.signing import pdf_verdict
from tests.documents.factories import (
    FORM,
    ID_CARD,
    dossier_awaiting_signature,
    dossier_finished,
    image_bytes,
    pdf_bytes,
    receive_dossier,
)

pytestmark = pytest.mark.django_db


def _scan_of(dossier, name, stored, officer, *, confirmed=True):
    return Attachment(
        dossier.components.get(name=name).pk,
        stored.pk,
        "desk_scan",
        uploaded_by_id=officer.pk,
        confirmed_by_id=officer.pk if confirmed else None,
        confirmed_at=dossier.received_at if confirmed else None,
    )


def test_attach_bulk_digitises_reuses_and_is_idempotent(desk):
    officer = desk["desk"]
    form, card = stored_file_put(pdf_bytes("Tờ khai")), stored_file_put(image_bytes())
    first = receive_dossier(desk, when="2024-04-26T09:00")
    second = receive_dossier(desk, when="2024-05-06T09:00")
    created = component_files_attach_bulk(
        [_scan_of(first, FORM, form, officer), _scan_of(first, ID_CARD, card, officer)]
    )
    assert len(created) == 2 and all(link.is_digitised for link in created)
    earlier = ComponentFile.objects.get(component__dossier=first, component__name=ID_CARD)
    component_files_attach_bulk(
        [
            _scan_of(second, FORM, form, officer, confirmed=False),
            Attachment(
                second.components.get(name=ID_CARD).pk, card.pk, "reuse", reused_from_id=earlier.pk
            ),
        ]
    )
    counts = digitisation_counts(date(2024, 4, 1), date(2024, 5, 31))
    # The second dossier's form is scanned but not confirmed: not digitised; its card is reused.
    assert counts["dossiers_digitised"] == 1 and counts["dossiers_with_reuse"] == 1
    reused = ComponentFile.objects.get(source="reuse")
    assert reused.reused_from == earlier and reused.stored_file == card

    again = component_files_attach_bulk([_scan_of(first, FORM, form, officer)])
    assert again == [] and ComponentFile.objects.count() == 4


def test_attach_bulk_can_date_the_files_at_reception(desk):
    dossier = receive_dossier(desk, when="2023-03-01T09:00")
    stored = stored_file_put(pdf_bytes())
    component_files_attach_bulk(
        [_scan_of(dossier, FORM, stored, desk["desk"])], attached_at_reception=True
    )
    assert ComponentFile.objects.get().created_at == dossier.received_at


def test_attach_bulk_keeps_the_services_rules(desk):
    officer = desk["desk"]
    card = stored_file_put(image_bytes())
    hers = receive_dossier(desk)
    his = receive_dossier(desk, citizen_id="042090001111", name="Trần Văn Nam")
    component_files_attach_bulk([_scan_of(hers, ID_CARD, card, officer)])
    earlier = ComponentFile.objects.get()
    his_card = his.components.get(name=ID_CARD).pk
    with pytest.raises(ValidationError):  # another person's paper
        component_files_attach_bulk(
            [Attachment(his_card, card.pk, "reuse", reused_from_id=earlier.pk)]
        )
    with pytest.raises(ValidationError):  # only a desk scan is confirmed against the original
        component_files_attach_bulk(
            [Attachment(his_card, card.pk, "citizen_upload", confirmed_at=his.received_at)]
        )
    with pytest.raises(ValidationError):
        component_files_attach_bulk([Attachment(his_card, card.pk, "fax")])
    assert ComponentFile.objects.count() == 1


def test_results_issue_bulk_signs_registers_and_numbers(desk, signing):
    done = [dossier_finished(desk, citizen_id=f"04219000123{i}") for i in range(3)]
    waiting = receive_dossier(desk, citizen_id="042190009999")  # nothing to issue yet
    earlier = result_issue(desk["leader"], done[0])  # issued by hand already: left alone
    signed_at = datetime.fromisoformat("2024-05-03T09:00+07:00")
    created = results_issue_bulk(
        desk["leader"], [ResultToIssue(d.pk, signed_at) for d in [*done, waiting]]
    )
    assert [d.dossier_id for d in created] == [done[1].pk, done[2].pk]
    assert IssuedDocument.objects.count() == 3
    # The year of the signing, in the order of signing; the one issued by hand today is in its own
    # year's count.
    assert [d.number for d in created] == ["00001/2024/KQĐT", "00002/2024/KQĐT"]
    assert not earlier.number.endswith("/2024/KQĐT")
    for document in created:
        verdict = pdf_verdict(issued_document_bytes(document))
        assert verdict["valid"] and verdict["issued_by_us"], verdict
        assert document.signed_at == signed_at
        assert document.citizen_id == document.dossier.applicant.citizen_id
        assert document.stored_file.sha256 == document.sha256
    assert len({d.sha256 for d in created}) == 2  # one PDF per result, its own QR and number
    assert results_issue_bulk(desk["leader"], [ResultToIssue(done[1].pk, signed_at)]) == []


def test_results_issue_bulk_renders_one_page_per_result(desk, signing):
    import io

    import pikepdf

    dossier = dossier_awaiting_signature(desk)
    (document,) = results_issue_bulk(
        desk["leader"],
        [ResultToIssue(dossier.pk, datetime.fromisoformat("2024-05-03T09:00+07:00"))],
    )
    with pikepdf.open(io.BytesIO(issued_document_bytes(document))) as pdf:
        assert len(pdf.pages) == 1
    assert document.number.endswith("/2024/KQĐT")


def test_results_issue_bulk_needs_an_issuing_role(desk, signing):
    from django.core.exceptions import PermissionDenied

    from motcua.accounts.roles import Role
    from tests.accounts.factories import UserFactory

    dossier = dossier_finished(desk)
    administrator = UserFactory(role=Role.ADMINISTRATOR, unit=desk["leader"].unit)
    signed_at = datetime.fromisoformat("2024-05-03T09:00+07:00")
    with pytest.raises(PermissionDenied):
        results_issue_bulk(administrator, [ResultToIssue(dossier.pk, signed_at)])
    assert not IssuedDocument.objects.exists()
