"""The liên thông channel (ADR 0044): a dossier another agency sent over is recorded as such, only
the system's reception from an agency gives it, and a result is never "returned by liên thông"."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.services import dossier_receive_from_agency

from .test_services import act, at, intake, receive


def test_the_database_refuses_an_unknown_channel_and_takes_lienthong(desk):
    dossier = receive(desk)
    for bad in ("fax", "LIENTHONG", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dossier.objects.filter(pk=dossier.pk).update(channel=bad)
    Dossier.objects.filter(pk=dossier.pk).update(channel=ChannelKind.LIENTHONG)
    dossier.refresh_from_db()
    assert dossier.channel == "lienthong" and dossier.get_channel_display() == "Liên thông"


def test_the_database_refuses_lienthong_as_a_return_channel(desk):
    dossier = receive(desk)
    # The check constraint; on PostgreSQL "lienthong" is also longer than the column (DataError).
    for bad in ("lienthong", "fax"):
        with pytest.raises(DatabaseError), transaction.atomic():
            Dossier.objects.filter(pk=dossier.pk).update(return_channel=bad)
    for good in ("", "desk", "online", "post"):
        Dossier.objects.filter(pk=dossier.pk).update(return_channel=good)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"channel": ChannelKind.LIENTHONG}, "channel"),
        ({"return_channel": ChannelKind.LIENTHONG}, "return_channel"),
    ],
)
def test_the_desk_cannot_receive_by_lienthong_nor_promise_a_return_by_it(desk, overrides, field):
    with pytest.raises(ValidationError) as error:
        receive(desk, **overrides)
    assert field in error.value.message_dict
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"channel": ChannelKind.ONLINE, "return_channel": ""},
        {"channel": ChannelKind.DESK, "return_channel": ChannelKind.DESK},
        {"channel": ChannelKind.LIENTHONG, "return_channel": ChannelKind.POST},
    ],
)
def test_a_dossier_from_an_agency_is_lienthong_or_nothing(desk, overrides):
    with pytest.raises(ValidationError) as error:
        dossier_receive_from_agency(desk["units"]["centre"], intake(**overrides), note="Từ Sở X")
    assert "channel" in error.value.message_dict
    assert not Dossier.objects.exists()


def test_a_dossier_from_an_agency_is_received_by_the_system_on_the_lienthong_channel(desk):
    data = intake(channel=ChannelKind.LIENTHONG, return_channel="")
    with time_machine.travel(at("2024-04-26T16:00"), tick=False):
        dossier = dossier_receive_from_agency(desk["units"]["centre"], data, note="Từ Sở X")
    assert (dossier.channel, dossier.return_channel, dossier.received_by) == ("lienthong", "", None)
    assert dossier.events.get().note == "Từ Sở X"


def test_the_desk_cannot_record_a_return_by_lienthong(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    with pytest.raises(ValidationError) as error:
        act(desk["desk"], dossier, "return_result", "2024-05-09T14:00", return_channel="lienthong")
    assert "return_channel" in error.value.message_dict
    dossier.refresh_from_db()
    assert dossier.status == "finished" and dossier.return_channel == "desk"


def test_the_import_takes_lienthong_as_a_channel(desk):
    from tests.indicators.helpers import import_rows, row

    import_rows([row("2024-04-26T09:00", channel="lienthong")])
    assert Dossier.objects.get().channel == "lienthong"
