"""Records of real dossiers sent over HTTP to the stand-in portal, and procedure mappings read from it."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.roles import Role
from motcua.catalog.services import catalog_import
from motcua.documents.models import ComponentSource
from motcua.documents.services import component_file_attach, stored_file_put
from motcua.dvcqg.client import DvcqgClient, DvcqgRefused
from motcua.dvcqg.models import DvcqgCall, ProcedureMapping
from motcua.dvcqg.records import hoso_record, tien_do_records
from motcua.dvcqg.services import procedure_mapping_fetch
from tests.accounts.factories import UserFactory
from tests.catalog.factories import document, version
from tests.documents.factories import pdf_bytes
from tests.dossiers.test_services import FORM, act, receive

pytestmark = pytest.mark.django_db


def processed_dossier(desk):
    """Received, a file scanned and confirmed, assigned, a supplement asked and delivered."""
    dossier = receive(desk, return_channel="post")
    component = dossier.components.get()
    component_file_attach(
        desk["desk"],
        component,
        stored_file_put(pdf_bytes()),
        source=ComponentSource.DESK_SCAN,
        confirmed=True,
    )
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-03T09:00", papers=[FORM])
    act(desk["desk"], dossier, "supplement_received", "2024-05-06T10:00")
    dossier.refresh_from_db()
    return dossier


def test_a_full_record_and_its_progress_are_accepted_by_the_portal(desk, portal):
    dossier = processed_dossier(desk)
    record = hoso_record(dossier)
    client = DvcqgClient()
    assert client.tra_cuu_ho_so(dossier.code) is False
    reply = client.dong_bo_ho_so([record], is_updating=False)
    assert reply.error_code == 0
    # What the portal holds is exactly what we built (JSON both ways).
    assert portal.dossiers[dossier.code] == json.loads(json.dumps(record))
    assert portal.dossiers[dossier.code]["DanhSachHoSoBoSung"][0]["TrangThaiBoSung"] == "1"
    progress = tien_do_records(dossier)
    client.cap_nhat_tien_do(progress)
    assert [p["TrangThai"] for p in portal.progress[dossier.code]] == ["2", "4", "5", "4"]
    assert client.tra_cuu_ho_so(dossier.code) is True


def test_progress_before_its_dossier_is_refused_by_the_stand_in(desk, portal):
    dossier = receive(desk)
    with pytest.raises(DvcqgRefused, match="chưa được đồng bộ"):
        DvcqgClient().cap_nhat_tien_do(tien_do_records(dossier))


def test_no_personal_data_of_a_synced_dossier_in_the_call_records_or_the_log(desk, portal, caplog):
    caplog.set_level("DEBUG")
    dossier = processed_dossier(desk)
    client = DvcqgClient()
    client.dong_bo_ho_so([hoso_record(dossier)], is_updating=False)
    client.cap_nhat_tien_do(tien_do_records(dossier))
    # The portal echoes the person's values in a refusal: they are blanked before it is kept.
    portal.faults.refuse_codes[dossier.code] = (3, "Hồ sơ của Nguyễn Thị Hương, SĐT 0912345678")
    with pytest.raises(DvcqgRefused):
        client.dong_bo_ho_so([hoso_record(dossier)], is_updating=True)
    stored = " ".join(str(v) for row in DvcqgCall.objects.values() for v in row.values())
    assert dossier.code in stored  # the dossier code is the most a call record names
    for personal in ("0912345678", "042190001234", "Nguyễn Thị Hương", str(desk["desk"])):
        assert personal not in stored and personal not in caplog.text
    assert "Hồ sơ của …, SĐT …" in stored  # the portal's words kept, the person's blanked


def local_procedure():
    catalog_import(
        None,
        document(
            procedures=[
                {
                    "code": "LOCAL-STP-002",
                    "is_internal": False,
                    "versions": [version(name="Thủ tục riêng")],
                }
            ]
        ),
    )


def test_a_mapping_read_from_the_portal(desk, portal):
    local_procedure()
    mapping = procedure_mapping_fetch(None, "LOCAL-STP-002", "1.002153", DvcqgClient())
    assert mapping.national_name == "Đăng ký hành nghề luật sư với tư cách cá nhân"
    assert (mapping.national_field_code, mapping.national_field_name) == ("", "Luật sư")
    assert mapping.fetched_at is not None
    dossier = receive(desk, procedure_code="LOCAL-STP-002")
    record = hoso_record(dossier)
    assert (record["MaTTHC"], record["TenTTHC"]) == ("1.002153", mapping.national_name)
    # The stand-in's catalogue has no national field codes: ours is sent, with the portal's name.
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == ("LLTP", "Luật sư")


def test_a_mapping_that_cannot_be_made_writes_nothing(desk, portal):
    local_procedure()
    client = DvcqgClient()
    with pytest.raises(DvcqgRefused, match="Không tìm thấy thủ tục"):
        procedure_mapping_fetch(None, "LOCAL-STP-002", "9.999999", client)
    with pytest.raises(ValidationError, match="d.dddddd"):
        procedure_mapping_fetch(None, "LOCAL-STP-002", "1.2", client)
    with pytest.raises(ValidationError, match="LOCAL-STP-404"):
        procedure_mapping_fetch(None, "LOCAL-STP-404", "1.002153", client)
    with pytest.raises(PermissionDenied):
        procedure_mapping_fetch(desk["desk"], "LOCAL-STP-002", "1.002153", client)
    assert ProcedureMapping.objects.count() == 0
    admin = UserFactory(role=Role.ADMINISTRATOR, unit=desk["units"]["so"])
    assert procedure_mapping_fetch(admin, "LOCAL-STP-002", "1.002153", client).updated_by == admin


def test_building_a_record_reads_a_fixed_number_of_queries(desk, django_assert_num_queries):
    """However many files, events and supplement rounds a dossier has (one query each kind)."""
    from motcua.dossiers.models import Dossier

    plain = Dossier.objects.get(pk=receive(desk).pk)
    busy = Dossier.objects.get(pk=processed_dossier(desk).pk)
    # 15: one of them reads the applicant's national account (MaDoiTuong, ADR 0035).
    with django_assert_num_queries(15):
        hoso_record(plain)
    with django_assert_num_queries(15):
        hoso_record(busy)
    with django_assert_num_queries(2):
        tien_do_records(busy)
