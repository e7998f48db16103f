"""The sync builds a batch's records together (records_build, ADR 0030 "Batching"): the same bytes
as one dossier at a time, in a number of statements that does not grow with the batch, sent in at
most three calls; what the portal took before a transport error is remembered."""

import json

import pytest
import time_machine

from motcua.accounts.models import NationalAccount
from motcua.catalog.services import catalog_import
from motcua.core.clock import now
from motcua.documents.results import result_issue
from motcua.documents.services import component_reuse
from motcua.dossiers.changes import DossierChange
from motcua.dossiers.models import DeliveryState, Dossier
from motcua.dossiers.online import dossier_submit_online
from motcua.dvcqg.client import DvcqgClient
from motcua.dvcqg.models import DossierSync, DvcqgCall
from motcua.dvcqg.records import (
    DossierRecords,
    NotSendable,
    hoso_record,
    records_build,
    tien_do_records,
)
from motcua.dvcqg.services import procedure_mapping_set
from motcua.dvcqg.sync import changes_send
from motcua.payments.services import CreditData, credit_receive
from tests.accounts.factories import UserFactory
from tests.catalog.factories import document, version
from tests.documents.factories import dossier_awaiting_signature
from tests.dossiers.test_services import act, at, intake, receive
from tests.dvcqg.test_feed_sync import deliveries, later, returned_dossier, sync
from tests.dvcqg.test_records import BASE, attach_scan
from tests.dvcqg.test_sync_over_http import processed_dossier
from tests.payments.helpers import ACCOUNT, collecting_account, dossier_awaiting_payment

pytestmark = pytest.mark.django_db

NATIONAL = {
    "TENTTHC": "Cấp bản sao trích lục hộ tịch",
    "LINHVUCTHUCHIEN": [{"MALINHVUC": "G09-HT", "TENLINHVUC": "Hộ tịch"}],
    "KETQUATHUCHIEN": [{"MAKETQUA": "KQ.G09.000002", "TENKETQUA": "Bản sao trích lục"}],
}


def local_procedures():
    catalog_import(
        None,
        document(
            procedures=[
                {"code": code, "is_internal": False, "versions": [version(name=name)]}
                for code, name in (
                    ("LOCAL-STP-001", "Cấp bản sao trích lục (thủ tục riêng)"),
                    ("LOCAL-STP-002", "Thủ tục riêng chưa ánh xạ"),
                )
            ]
        ),
    )
    procedure_mapping_set(None, "LOCAL-STP-001", "1.002153", national=NATIONAL)


def every_kind_of_dossier(desk) -> list:
    """A dossier of each shape the record knows: plain, scanned files and a supplement round, a
    reused file, an issued result, a fee open and one paid online, refused, returned by post, a
    mapped local procedure, an unmapped one, and an online submission with no code yet."""
    local_procedures()
    collecting_account()
    plain = receive(desk)
    processed = processed_dossier(desk)
    earlier = attach_scan(desk, receive(desk), confirmed=True)
    reusing = receive(desk, when="2024-05-06T09:00")
    component_reuse(desk["desk"], reusing.components.get(), earlier)
    signed = dossier_awaiting_signature(desk)
    result_issue(desk["leader"], signed)
    owing, _ = dossier_awaiting_payment(desk)
    paid, charge = dossier_awaiting_payment(desk)
    credit_receive(
        None,
        CreditData(
            provider="generic",
            provider_txn_id="FT24124000009",
            amount=charge.amount,
            booked_at=at("2024-05-03T10:00"),
            narrative=f"NGUYEN THI HUONG chuyen tien {charge.reference}",
            account_number=ACCOUNT,
        ),
    )
    refused = receive(desk)
    act(desk["head"], refused, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["leader"], refused, "refuse", "2024-05-03T15:30", reason="Không đủ điều kiện")
    returned = returned_dossier(desk)
    mapped = receive(desk, procedure_code="LOCAL-STP-001")
    unmapped = receive(desk, procedure_code="LOCAL-STP-002")
    with time_machine.travel(at("2024-04-26T10:00"), tick=False):
        uncoded = dossier_submit_online(intake())
    return [
        plain,
        processed,
        reusing,
        signed,
        owing,
        paid,
        refused,
        returned,
        mapped,
        unmapped,
        uncoded,
    ]


def one_at_a_time(dossier, after: int):
    try:
        return hoso_record(dossier, base_url=BASE), tien_do_records(dossier, after_event_id=after)
    except NotSendable as exc:
        return exc


def as_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def test_a_batch_builds_byte_for_byte_what_one_dossier_at_a_time_builds(desk, signing):
    dossiers = [Dossier.objects.get(pk=d.pk) for d in every_kind_of_dossier(desk)]
    owner = dossiers[0].applicant  # signed in once with the national account (ADR 0035)
    NationalAccount.objects.create(
        user=UserFactory(), tech_id="TECH-0001", citizen_id=owner.citizen_id, linked_at=now()
    )
    # The portal had the returned dossier's log up to its third event.
    returned = dossiers[7]
    after = {returned.pk: list(returned.events.values_list("pk", flat=True))[2]}
    ids = [d.pk for d in dossiers]
    with time_machine.travel(at("2024-06-03T09:00"), tick=False):  # links are stamped
        built = records_build([*ids, 999_999], after=after, base_url=BASE)
        singles = {d.pk: one_at_a_time(d, after.get(d.pk, 0)) for d in dossiers}
    assert set(built) == set(ids)  # a dossier that is not there is left out
    refusals = {}
    for dossier in dossiers:
        alone, together = singles[dossier.pk], built[dossier.pk]
        if isinstance(alone, NotSendable):
            assert isinstance(together, NotSendable)
            assert (together.reason, together.message) == (alone.reason, alone.message)
            refusals[dossier.pk] = together.reason
            continue
        assert isinstance(together, DossierRecords)
        record, progress = alone
        assert as_bytes(together.record) == as_bytes(record)
        assert as_bytes(together.progress) == as_bytes(progress)
        assert together.last_event_id == dossier.events.order_by("pk").last().pk
    assert refusals == {dossiers[9].pk: "no_national_code", dossiers[10].pk: "no_code"}
    # The shapes were really there.
    records = {pk: b.record for pk, b in built.items() if isinstance(b, DossierRecords)}
    assert records[dossiers[1].pk]["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == "1"
    assert records[dossiers[2].pk]["TaiLieuNop"][0]["DuocTaiSuDung"] == "1"
    assert len(records[dossiers[3].pk]["DanhSachGiayToKetQua"]) == 1
    assert records[dossiers[4].pk]["DuocThanhToanTrucTuyen"] == "0"
    assert records[dossiers[5].pk]["DuocThanhToanTrucTuyen"] == "2"
    assert records[dossiers[6].pk]["TrangThaiHoSo"] == "3"
    assert len(built[returned.pk].progress) == returned.events.count() - 3
    assert records[dossiers[8].pk]["MaLinhVuc"] == "G09-HT"
    assert records[dossiers[0].pk]["MaDoiTuong"] == "TECH-0001"


def changes_of(dossiers) -> list[DossierChange]:
    return [
        DossierChange(d.pk, d.code, "assign", d.status, d.received_at, change_id=d.pk)
        for d in dossiers
    ]


def test_the_statements_of_a_batch_do_not_grow_with_it(desk, portal, django_assert_num_queries):
    """A batch of 50 dossiers and one of 200 (half of each new to the portal, half known, a few
    with files and a supplement round) read and write the same number of statements."""
    busy = [processed_dossier(desk) for _ in range(4)]
    plain = [receive(desk) for _ in range(246)]
    dossiers = busy[:2] + plain[:23] + busy[2:] + plain[23:]
    known_first = dossiers[:25] + dossiers[50:150]
    assert changes_send(changes_of(known_first)) == {}  # also signs in (a login and its record)
    small = dossiers[:50]  # 25 known, 25 new
    large = dossiers[50:250]  # 100 known, 100 new
    with django_assert_num_queries(10) as small_reads:
        records_build([d.pk for d in small])
    with django_assert_num_queries(10):
        records_build([d.pk for d in large])
    # The sync states, the ten reads, three call records, the states' one upsert.
    with django_assert_num_queries(15) as small_sync:
        assert changes_send(changes_of(small)) == {}
    with django_assert_num_queries(15) as large_sync:
        assert changes_send(changes_of(large)) == {}
    assert len(small_reads.captured_queries) == 10
    # Three calls each (records new, records known, progress), each recorded.
    services = [c.service for c in DvcqgCall.objects.order_by("pk")]
    assert services[-6:] == ["DongBoHoSoMC", "DongBoHoSoMC", "CapNhatTienDoHoSoMC"] * 2
    assert len(small_sync.captured_queries) == len(large_sync.captured_queries)
    # Everything reached the portal, each log once.
    assert set(portal.dossiers) == {d.code for d in dossiers}
    assert all(len(portal.progress[d.code]) == d.events.count() for d in dossiers)
    assert DossierSync.objects.filter(sends=2).count() == 125


def test_a_transport_error_after_the_records_were_taken_is_remembered(desk, portal, monkeypatch):
    """The progress call fails (HTTP 503) after the portal took the record: the next try updates
    (isUpdating) the dossier it holds and sends the log from its start, once."""
    dossier = receive(desk)
    real = DvcqgClient.cap_nhat_tien_do

    def portal_down_for_progress(self, records):
        portal.faults.http_status = 503
        try:
            return real(self, records)
        finally:
            portal.faults.http_status = None

    monkeypatch.setattr(DvcqgClient, "cap_nhat_tien_do", portal_down_for_progress)
    assert sync().counts["failed"] == 1
    state = DossierSync.objects.get(dossier=dossier)
    assert (state.sends, state.last_event_id) == (1, 0)  # known to the portal, log not sent
    assert dossier.code in portal.dossiers and dossier.code not in portal.progress
    monkeypatch.setattr(DvcqgClient, "cap_nhat_tien_do", real)
    with later(1):
        assert sync().counts["sent"] == 1
    writes = [b for b in portal.bodies if "isUpdating" in b]
    assert [b["isUpdating"] for b in writes] == ["False", "True"]
    assert [p["TrangThai"] for p in portal.progress[dossier.code]] == ["2"]
    assert deliveries(DeliveryState.SENT).count() == 1
    state.refresh_from_db()
    assert (state.sends, state.last_event_id) == (2, dossier.events.get().pk)


def test_a_refused_progress_call_is_resent_dossier_by_dossier(desk, portal, monkeypatch):
    """One dossier's progress refused in the batch's single progress call: the others' logs are
    taken; its own is sent again at the next try, its record as an update."""
    good, bad = receive(desk), receive(desk)
    real = DvcqgClient.cap_nhat_tien_do

    def refuse_bad_progress(self, records):
        refusing = any(r["MaHoSo"] == bad.code for r in records)
        if refusing:
            portal.faults.refuse_codes[bad.code] = (5, "Tiến độ không hợp lệ")
        try:
            return real(self, records)
        finally:
            portal.faults.refuse_codes.pop(bad.code, None)

    monkeypatch.setattr(DvcqgClient, "cap_nhat_tien_do", refuse_bad_progress)
    run = sync()
    monkeypatch.setattr(DvcqgClient, "cap_nhat_tien_do", real)
    assert run.counts["sent"] == 1 and run.counts["failed"] == 1
    assert portal.progress[good.code] and bad.code not in portal.progress
    assert DossierSync.objects.get(dossier=bad).last_event_id == 0
    with later(1):
        assert sync().counts["sent"] == 1
    assert [p["TrangThai"] for p in portal.progress[bad.code]] == ["2"]
    assert len(portal.progress[good.code]) == 1
