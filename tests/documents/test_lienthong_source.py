"""The "Nhận qua liên thông" file source (ADR 0044): only the system gives it, and only to the
papers of a dossier received from another agency; they count as digitised."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.documents.models import ComponentFile
from motcua.documents.selectors import digitisation_counts
from motcua.documents.services import component_file_attach, stored_file_put
from motcua.dossiers.models import ChannelKind
from motcua.dossiers.services import ComponentData, dossier_receive_from_agency
from tests.dossiers.test_services import FORM, at, intake

from .factories import pdf_bytes, receive_dossier

pytestmark = pytest.mark.django_db


def from_an_agency(desk):
    data = intake(channel=ChannelKind.LIENTHONG, return_channel="")
    data.components = [ComponentData(FORM, "original", 1)]
    with time_machine.travel(at("2024-04-26T16:00"), tick=False):
        return dossier_receive_from_agency(desk["units"]["centre"], data, note="Từ Sở X")


def test_the_papers_of_a_lienthong_dossier_are_attached_by_the_system_and_digitised(desk):
    dossier = from_an_agency(desk)
    component = dossier.components.get(name=FORM)
    attached = component_file_attach(
        None, component, stored_file_put(pdf_bytes()), source="lienthong"
    )
    assert attached.source == "lienthong" and attached.uploaded_by is None
    assert attached.is_digitised and attached.get_source_display() == "Nhận qua liên thông"
    counts = digitisation_counts(date(2024, 4, 1), date(2024, 4, 30))
    assert (counts["dossiers_received"], counts["dossiers_digitised"]) == (1, 1)


def test_nobody_else_gives_a_file_that_source(desk):
    lienthong = from_an_agency(desk).components.get(name=FORM)
    at_the_desk = receive_dossier(desk).components.get(name=FORM)
    stored = stored_file_put(pdf_bytes())
    for actor, component in ((desk["desk"], lienthong), (None, at_the_desk)):
        with pytest.raises(ValidationError) as refused:
            component_file_attach(actor, component, stored, source="lienthong")
        assert refused.value.code == "lienthong_only"
    assert not ComponentFile.objects.exists()
