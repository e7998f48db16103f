"""A dossier received by liên thông from another agency does not go to the national portal from
here (ADR 0044): the agency the citizen submitted it to syncs it under its own code, and
KenhThucHien has no value for it (1 desk, 2 online, 3 post) — none is made up."""

import pytest
import time_machine

from motcua.dossiers.models import ChannelKind, DeliveryState
from motcua.dossiers.services import dossier_receive_from_agency
from motcua.dvcqg.records import (
    CHANNEL_CODES,
    NotSendable,
    hoso_record,
    records_build,
    tien_do_records,
)
from motcua.dvcqg.selectors import synced_share
from tests.dossiers.test_services import at, intake, receive
from tests.dvcqg.test_feed_sync import deliveries, sync

pytestmark = pytest.mark.django_db


def received_by_lienthong(desk):
    data = intake(channel=ChannelKind.LIENTHONG, return_channel="")
    with time_machine.travel(at("2024-04-26T16:00"), tick=False):
        return dossier_receive_from_agency(desk["units"]["centre"], data, note="Từ Sở X")


def test_the_channel_codes_are_the_portals_three_and_no_more():
    assert CHANNEL_CODES == {"desk": "1", "online": "2", "post": "3"}


def test_a_lienthong_dossier_builds_no_record_and_no_progress(desk):
    dossier = received_by_lienthong(desk)
    for build in (hoso_record, tien_do_records):
        with pytest.raises(NotSendable) as refused:
            build(dossier)
        assert refused.value.reason == "lienthong"
        assert "nhận liên thông từ cơ quan khác" in refused.value.message
    desk_dossier = receive(desk)
    built = records_build([dossier.pk, desk_dossier.pk])
    assert isinstance(built[dossier.pk], NotSendable)
    assert built[desk_dossier.pk].record["KenhThucHien"] == "1"


def test_the_sync_skips_it_with_the_reason_and_sends_the_others(desk, portal):
    dossier = received_by_lienthong(desk)
    other = receive(desk)
    result = sync()
    assert result.counts["skipped"] == 1
    skipped = deliveries(DeliveryState.SKIPPED).get()
    assert skipped.dossier_id_copy == dossier.pk and "liên thông" in skipped.last_error
    assert dossier.code not in portal.dossiers and other.code in portal.dossiers


def test_the_synced_share_leaves_it_out(desk, portal):
    received_by_lienthong(desk)
    receive(desk)
    sync()
    found = synced_share(at("2024-04-01T00:00"), at("2024-05-01T00:00"))
    assert (found.dossiers, found.synced) == (1, 1)
