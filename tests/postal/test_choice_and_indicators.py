"""The citizen's (or the desk's) choice of return by post; the system move that reopens the return
step; the figures the indicators read."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_act, dossier_system_act
from motcua.postal.indicators import report_sections
from motcua.postal.models import Consignment
from motcua.postal.services import postal_return_choose
from tests.accounts.factories import UnitFactory, UserFactory
from tests.dossiers.test_services import at, receive

from .helpers import home_address, process_to_result, receive_by_post
from .test_round_trip import post_result

pytestmark = pytest.mark.django_db


def test_the_citizen_chooses_post_and_the_desk_posts_to_that_address(desk):
    dossier = receive(desk)  # result to be collected at the desk
    assert dossier.return_channel == "desk"
    citizen = UserFactory(citizen=True)
    with pytest.raises(PermissionDenied):  # not their dossier (yet)
        postal_return_choose(citizen, dossier, home_address())
    Dossier.objects.filter(pk=dossier.pk).update(submitted_by=citizen)  # as if they had sent it
    chosen = postal_return_choose(
        citizen, dossier, home_address(province_code="1", ward_code="4", address_line="12 Phố Huế")
    )
    assert chosen.status == "requested" and chosen.number == ""
    # Choosing again replaces the address; still one request.
    postal_return_choose(citizen, dossier, home_address(address_line="Số 7"))
    assert Consignment.objects.get().address_line == "Số 7"
    dossier.refresh_from_db()
    assert dossier.return_channel == "post" and dossier.revision == 0
    dossier = process_to_result(desk, dossier)
    posted = post_result(desk, dossier, "2024-05-09T14:00")
    assert posted.pk == chosen.pk and posted.status == "created" and posted.number


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ward_code": "4"}, "ward_code"),
        ({"province_code": "99"}, "province_code"),
        ({"address_line": " "}, "address_line"),
        ({"receiver_name": ""}, "receiver_name"),
        ({"phone": "abc"}, "phone"),
    ],
)
def test_a_bad_address_is_refused(desk, change, field):
    dossier = receive(desk)
    with pytest.raises(ValidationError) as error:
        postal_return_choose(desk["desk"], dossier, home_address(**change))
    assert field in error.value.message_dict
    assert not Consignment.objects.exists()
    assert Dossier.objects.get().return_channel == "desk"


def test_choice_is_refused_after_return_and_for_strangers(desk):
    dossier = process_to_result(desk, receive(desk))
    stranger = UserFactory(role=Role.DESK_OFFICER, unit=UnitFactory())
    with pytest.raises(PermissionDenied):
        postal_return_choose(stranger, dossier, home_address())
    with time_machine.travel(at("2024-05-09T14:00"), tick=False):
        dossier_act(desk["desk"], dossier.pk, "return_result", expected_revision=dossier.revision)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        postal_return_choose(desk["desk"], dossier, home_address())
    assert not Consignment.objects.exists()


def test_returned_mail_move_needs_a_result_sent_by_post_and_no_button_makes_it(desk):
    dossier = process_to_result(desk, receive(desk))
    with time_machine.travel(at("2024-05-09T14:00"), tick=False):
        dossier_act(desk["desk"], dossier.pk, "return_result", expected_revision=dossier.revision)
    events = DossierEvent.objects.count()
    with pytest.raises(ValidationError, match="không được gửi qua bưu chính"):
        dossier_system_act(dossier.pk, "mail_returned", reason="thử")
    with pytest.raises(ValidationError):
        dossier_system_act(dossier.pk, "mail_returned", reason="")
    dossier.refresh_from_db()
    with pytest.raises(PermissionDenied):
        dossier_act(desk["desk"], dossier.pk, "mail_returned", expected_revision=dossier.revision)
    assert Dossier.objects.get().status == "returned" and DossierEvent.objects.count() == events


def test_report_sections(desk):
    dossier = process_to_result(desk, receive_by_post(desk))
    post_result(desk, dossier, "2024-05-09T14:00", weight_grams=600)
    receive(desk, when="2024-04-29T09:00")  # at the desk, result at the desk: counts nowhere
    section = report_sections(date(2024, 4, 1), date(2024, 6, 30))["postal"]
    assert section == {
        "received_post": 1,
        "returned_post": 1,
        "consignments": 1,
        "delivered": 0,
        "returned_to_sender": 0,
        "fees": 30000,
    }
    # Received in the period but not resolved by its end: not yet a result returned by post.
    early = report_sections(date(2024, 4, 1), date(2024, 4, 30))["postal"]
    assert (early["received_post"], early["returned_post"], early["consignments"]) == (1, 0, 0)
