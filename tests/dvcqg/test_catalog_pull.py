"""The catalogue pull over real HTTP against the stand-in portal: differences per procedure,
unmatched procedures, accepting as one new catalogue version with its decision, rejecting, and
bad replies recorded with nothing half-done (issue [I] 5)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from motcua.accounts.roles import Role
from motcua.catalog.exporting import version_dict
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import catalog_import
from motcua.dvcqg.catalog_pull import (
    DecisionData,
    catalog_pull,
    difference_accept,
    difference_reject,
)
from motcua.dvcqg.client import DvcqgClient
from motcua.dvcqg.models import CatalogDifference, CatalogPull
from motcua.dvcqg.services import procedure_mapping_set
from tests.accounts.factories import UserFactory
from tests.catalog.conftest import snapshot
from tests.catalog.factories import document, make_units, version

pytestmark = pytest.mark.django_db

SAME, ALL_DIFFER, LOCAL, MAPPED, ABSENT = (
    "1.002153",
    "1.008924",
    "LOCAL-STP-001",
    "LOCAL-STP-002",
    "2.001417",
)
PAPER_A = {
    "name": "Đơn đề nghị bổ nhiệm lại Thừa phát lại",
    "form": "original",
    "count": 1,
    "mandatory": True,
    "template": "Mẫu TP-TPL-04",
    "source": "Nghị định 08/2020/NĐ-CP (thử nghiệm)",
}
PAPER_B = {
    "name": "Giấy chứng nhận sức khỏe",
    "form": "original",
    "count": 1,
    "mandatory": True,
    "source": "Nghị định 08/2020/NĐ-CP (thử nghiệm)",
}


def ours(code, name, *, days="5", fees=(), components=(), channels=("desk", "online", "post")):
    return {
        "code": code,
        "is_internal": False,
        "versions": [
            version(
                name=name,
                processing_time={"value": days, "unit": "working_days"},
                fees=[{"name": n, "amount": a} for n, a in fees],
                components=list(components),
                intake_channels=list(channels),
                steps=[],
                process_source="",
            )
        ],
    }


def national(name=None, *, kenh=(1, 2, 3), days=5, unit="Ngày làm việc", fees=(), papers=()):
    """LayThuTuc keys (reference §1.5) the stand-in answers instead of its CSV's."""
    way = {
        "THOIGIAN": [
            {
                "THOIGIANGIAIQUYET": days,
                "DONVITINH": unit,
                "MOTA": "",
                "PHILEPHI": [
                    {"MAPHILEPHI": "", "SOTIEN": a, "DONVI": "Đồng", "MOTA": n} for n, a in fees
                ],
            }
        ]
    }
    keys = {
        "CACHTHUCTHUCHIEN": [{"KENH": k, **way} for k in kenh],
        "THANHPHANHOSO": [
            {"GIAYTO": [{"MAGIAYTO": "", "TENGIAYTO": p, "TENMAUDON": "", "URL": ""}]}
            for p in papers
        ],
    }
    if name:
        keys["TENTTHC"] = name
    return keys


@pytest.fixture
def catalogue(portal):
    return make_catalogue(portal)


def make_catalogue(portal):
    """Ours: one procedure like the portal's, one differing in every aspect, one local without
    mapping, one local mapped to a national code (its name differs), one the portal does not list."""
    units = make_units()
    catalog_import(
        None,
        document(
            procedures=[
                ours(
                    SAME,
                    "Đăng ký hành nghề luật sư với tư cách cá nhân",
                    components=[PAPER_A | {"name": "Giấy đề nghị đăng ký hành nghề luật sư"}],
                ),
                ours(
                    ALL_DIFFER,
                    "Bổ nhiệm lại Thừa phát lại",
                    days="27",
                    fees=[("Phí thẩm định", 500000)],
                    components=[PAPER_A, PAPER_B],
                ),
                ours(LOCAL, "Thủ tục riêng của tỉnh"),
                ours(MAPPED, "Thay đổi nội dung giấy đăng ký trợ giúp pháp lý"),
                ours(ABSENT, "Thủ tục không có trên Cổng"),
            ]
        ),
    )
    procedure_mapping_set(None, MAPPED, "1.001233")
    portal.overrides = {
        SAME: national(papers=["Giấy đề nghị  đăng ký hành nghề LUẬT SƯ"], fees=[("Miễn phí", 0)]),
        ALL_DIFFER: national(
            "Bổ nhiệm lại Thừa phát lại (sửa đổi)",
            kenh=(1, 2),
            days=20,
            fees=[("Phí thẩm định", 600000)],
            papers=[PAPER_A["name"], "Phiếu lý lịch tư pháp"],
        ),
    }
    return {
        "units": units,
        "admin": UserFactory(role=Role.ADMINISTRATOR, unit=units["so"]),
        "desk": UserFactory(role=Role.DESK_OFFICER, unit=units["centre"]),
    }


def pulled(catalogue) -> CatalogPull:
    pull = catalog_pull(catalogue["admin"], DvcqgClient())
    assert pull.ok, pull.message
    return pull


def item_of(pull, code) -> CatalogDifference:
    return pull.items.get(procedure__code=code)


def test_the_pull_lists_each_kind_of_difference_and_the_unmatched(catalogue, portal):
    pull = pulled(catalogue)
    kinds = dict(pull.items.values_list("procedure__code", "kind"))
    assert kinds == {
        SAME: "same",
        ALL_DIFFER: "differs",
        LOCAL: "unmatched",
        MAPPED: "differs",
        ABSENT: "absent",
    }
    assert len(pull.national_list) == 155 and pull.problems == []
    diff = item_of(pull, ALL_DIFFER).differences
    assert set(diff) == {"name", "time", "fees", "channels", "components"}
    assert diff["name"] == {
        "label": "Tên thủ tục",
        "ours": "Bổ nhiệm lại Thừa phát lại",
        "national": "Bổ nhiệm lại Thừa phát lại (sửa đổi)",
    }
    assert (diff["time"]["ours"], diff["time"]["national"]) == (
        "27 ngày làm việc",
        "20 ngày làm việc",
    )
    assert diff["fees"]["ours"] == "500.000 đồng (Phí thẩm định)"
    assert diff["fees"]["national"] == "600.000 đồng (Phí thẩm định)"
    assert diff["channels"]["ours"] == "Trực tiếp, Trực tuyến, Bưu chính"
    assert diff["channels"]["national"] == "Trực tiếp, Trực tuyến"
    assert diff["components"]["national"].splitlines() == [
        PAPER_A["name"],
        "Phiếu lý lịch tư pháp",
    ]
    # A local code is compared through its mapping; the CSV gives no papers: not compared.
    mapped = item_of(pull, MAPPED)
    assert mapped.national_code == "1.001233" and set(mapped.differences) == {"name"}
    assert any("thành phần hồ sơ" in note for note in mapped.notes)
    # Spaces and case do not make a difference; a free fee is no fee.
    assert item_of(pull, SAME).differences == {} and item_of(pull, SAME).review == ""
    assert item_of(pull, ALL_DIFFER).review == "pending"
    assert item_of(pull, LOCAL).national_code == "" and item_of(pull, ABSENT).differences == {}
    asked = [b["maTTHC"] for b in portal.bodies if b["service"] == "LayThuTuc"]
    assert sorted(asked) == ["1.001233", SAME, ALL_DIFFER]  # not the unmatched, not the absent


def test_the_command_prints_the_differences_and_the_unmatched(catalogue, capsys):
    call_command("dvcqg", "catalog", "pull")
    out = capsys.readouterr().out
    assert "1 giống, 2 khác, 1 chưa ánh xạ, 1 không có trên Cổng, 0 lỗi" in out
    assert "Phí, lệ phí: ta “500.000 đồng (Phí thẩm định)” — Cổng “600.000 đồng" in out
    assert f"{MAPPED} → 1.001233" in out
    assert f"  {LOCAL}\tThủ tục riêng của tỉnh" in out
    assert CatalogPull.objects.count() == 1


def decision(number="15/QĐ-UBND", signed_on=date(2024, 3, 1), effective_from=date(2024, 3, 10)):
    return DecisionData(number, signed_on, effective_from, "Chủ tịch UBND tỉnh Hà Tĩnh", "")


ASPECTS = ["name", "time", "fees", "channels", "components"]


def test_accepting_creates_exactly_one_new_version_with_its_decision(catalogue):
    pull = pulled(catalogue)
    item = item_of(pull, ALL_DIFFER)
    old = ProcedureVersion.objects.get(procedure__code=ALL_DIFFER)
    before = version_dict(old)
    count = ProcedureVersion.objects.count()
    item = difference_accept(catalogue["admin"], item.pk, aspects=ASPECTS, decision=decision())
    assert ProcedureVersion.objects.count() == count + 1
    new = item.new_version
    assert (new.decision.number, new.change, new.effective_from) == (
        "15/QĐ-UBND",
        "amended",
        date(2024, 3, 10),
    )
    assert new.decision.signed_on == date(2024, 3, 1)
    assert new.name == "Bổ nhiệm lại Thừa phát lại (sửa đổi)"
    assert (new.processing_time_value, new.processing_time_unit) == (20, "working_days")
    assert [f.amount for f in new.fees.all()] == [600000]
    assert new.intake_channels == ["desk", "online"]
    papers = list(new.components.all())
    assert [p.name for p in papers] == [PAPER_A["name"], "Phiếu lý lịch tư pháp"]
    assert papers[0].template == PAPER_A["template"]  # ours kept as it was
    assert papers[1].source.startswith("Cổng DVCQG (LayThuTuc 1.008924")
    # The old version is unchanged; it ends where the new one starts.
    old.refresh_from_db()
    assert version_dict(old) == before
    assert old.effective_until == date(2024, 3, 10)
    assert (item.review, item.decision_number, item.decision_signed_on) == (
        "accepted",
        "15/QĐ-UBND",
        date(2024, 3, 1),
    )
    assert item.reviewed_by == catalogue["admin"] and item.accepted_aspects == ASPECTS
    # Twice is refused, and nothing more is written.
    with pytest.raises(ValidationError, match="đã được xem xét"):
        difference_accept(catalogue["admin"], item.pk, aspects=ASPECTS, decision=decision("16/QĐ"))
    assert ProcedureVersion.objects.count() == count + 1


def test_accepting_only_some_aspects(catalogue):
    item = item_of(pulled(catalogue), ALL_DIFFER)
    item = difference_accept(catalogue["admin"], item.pk, aspects=["fees"], decision=decision())
    new = item.new_version
    assert new.name == "Bổ nhiệm lại Thừa phát lại" and new.processing_time_value == 27
    assert [f.amount for f in new.fees.all()] == [600000] and item.accepted_aspects == ["fees"]


def test_rejecting_changes_nothing_in_the_catalogue(catalogue):
    item = item_of(pulled(catalogue), ALL_DIFFER)
    before = snapshot()
    with pytest.raises(ValidationError, match="lý do"):
        difference_reject(catalogue["admin"], item.pk, reason="  ")
    item = difference_reject(
        catalogue["admin"],
        item.pk,
        reason="Cổng chưa cập nhật Quyết định 15/QĐ-UBND của tỉnh",
        number="15/QĐ-UBND",
        signed_on=date(2024, 3, 1),
    )
    assert snapshot() == before
    assert (item.review, item.review_note, item.decision_number) == (
        "rejected",
        "Cổng chưa cập nhật Quyết định 15/QĐ-UBND của tỉnh",
        "15/QĐ-UBND",
    )
    with pytest.raises(ValidationError, match="đã được xem xét"):
        difference_accept(catalogue["admin"], item.pk, aspects=ASPECTS, decision=decision())
    assert snapshot() == before


@pytest.mark.parametrize(
    "aspects, data, message",
    [
        ([], decision(), "ít nhất một nội dung"),
        (["address"], decision(), "ít nhất một nội dung"),
        (ASPECTS, decision(number="  "), "số quyết định"),
        (ASPECTS, decision(effective_from=date(2022, 12, 1), signed_on=date(2022, 11, 1)), "sau"),
        (ASPECTS, decision(effective_from=date(2024, 2, 1)), "không được trước ngày ký"),
        # 1/QĐ-UBND exists with another signing day
        (ASPECTS, decision(number="1/QĐ-UBND"), "ngày ký"),
    ],
)
def test_a_bad_acceptance_changes_nothing(catalogue, aspects, data, message):
    item = item_of(pulled(catalogue), ALL_DIFFER)
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        difference_accept(catalogue["admin"], item.pk, aspects=aspects, decision=data)
    assert snapshot() == before
    item.refresh_from_db()
    assert item.review == "pending" and item.new_version is None


def test_the_catalogue_refusing_the_new_version_changes_nothing(catalogue):
    """A version with an internal process whose hours no longer match the new time: the catalogue
    import refuses it, with its own words, and the difference stays to be decided."""
    catalog_import(
        None,
        document(
            decisions=[
                {
                    "number": "9/QĐ-UBND",
                    "signed_on": "2023-06-01",
                    "effective_from": "2023-06-01",
                    "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
                    "title": "Quy trình nội bộ (thử nghiệm)",
                }
            ],
            procedures=[
                {
                    "code": ALL_DIFFER,
                    "is_internal": False,
                    "versions": [
                        version(
                            decision="9/QĐ-UBND",
                            effective_from="2023-06-01",
                            change="amended",
                            name="Bổ nhiệm lại Thừa phát lại",
                            fees=[{"name": "Phí thẩm định", "amount": 500000}],
                            components=[PAPER_A, PAPER_B],
                        )
                    ],
                }
            ],
        ),
    )
    item = item_of(pulled(catalogue), ALL_DIFFER)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        difference_accept(catalogue["admin"], item.pk, aspects=ASPECTS, decision=decision())
    assert "Danh mục không nhận phiên bản mới" in error.value.messages[0]
    assert any("quy trình nội bộ" in m for m in error.value.messages)
    assert snapshot() == before
    item.refresh_from_db()
    assert item.review == "pending"


def test_only_an_administrator_decides(catalogue):
    item = item_of(pulled(catalogue), ALL_DIFFER)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        difference_accept(catalogue["desk"], item.pk, aspects=ASPECTS, decision=decision())
    with pytest.raises(PermissionDenied):
        difference_reject(catalogue["desk"], item.pk, reason="Không")
    with pytest.raises(PermissionDenied):
        catalog_pull(catalogue["desk"], DvcqgClient())
    assert snapshot() == before and CatalogPull.objects.count() == 1


def test_a_difference_of_an_older_pull_is_not_decided(catalogue):
    old = item_of(pulled(catalogue), ALL_DIFFER)
    pulled(catalogue)
    with pytest.raises(ValidationError, match="lần đối chiếu mới hơn"):
        difference_accept(catalogue["admin"], old.pk, aspects=ASPECTS, decision=decision())


def test_a_refused_or_malformed_list_is_recorded_and_nothing_else(catalogue, portal):
    portal.faults.refuse_services["LayDanhSachTTHC"] = (7, "Hệ thống đang bảo trì")
    pull = catalog_pull(catalogue["admin"], DvcqgClient())
    assert not pull.ok and "Hệ thống đang bảo trì" in pull.message and "7" in pull.message
    portal.faults.refuse_services.clear()
    portal.faults.malformed = True
    broken = catalog_pull(catalogue["admin"], DvcqgClient())
    assert not broken.ok and "JSON" in broken.message
    assert CatalogDifference.objects.count() == 0
    with pytest.raises(CommandError, match="Không đọc được danh mục"):
        call_command("dvcqg", "catalog", "pull")


def test_rows_without_code_and_bad_procedure_records_are_listed(catalogue, portal):
    portal.faults.extra_procedure_rows = [
        {"TENTTHC": "Thủ tục không mã"},
        {"MATTHC": "abc", "TENTTHC": "Mã sai dạng"},
        {"MATTHC": SAME, "TENTTHC": "Trùng mã"},
    ]
    portal.faults.refuse_procedures[ALL_DIFFER] = (3, "Thủ tục đang được cập nhật")
    portal.overrides[SAME] = {"CACHTHUCTHUCHIEN": "không phải danh sách"}
    pull = pulled(catalogue)
    assert pull.problems == [
        "Dòng 156 của danh sách không có MATTHC (tên: “Thủ tục không mã”).",
        "Dòng 157: mã “abc” không đúng dạng d.dddddd.",
        f"Dòng 158: mã {SAME} có hai lần trong danh sách.",
    ]
    refused = item_of(pull, ALL_DIFFER)
    assert refused.kind == "error" and "Thủ tục đang được cập nhật" in refused.message
    broken = item_of(pull, SAME)
    assert broken.kind == "error" and "không đúng cấu trúc" in broken.message
    assert broken.review == "" and broken.differences == {}
    # The rest of the pull is whole.
    assert item_of(pull, MAPPED).kind == "differs" and pull.items.count() == 5


def test_a_record_naming_another_procedure_is_an_error(catalogue, portal):
    portal.overrides[ALL_DIFFER] = {"MATTHC": "1.000001"}
    item = item_of(pulled(catalogue), ALL_DIFFER)
    assert item.kind == "error" and "thủ tục khác" in item.message


def test_the_demo_catalogue_against_the_stand_ins_drift(settings, portal):
    """What `make demo` shows: the demo catalogue pulled against the stand-in with its deliberate
    changes (data/catalogue_drift.json) — each one found, in its aspect."""
    from motcua.dvcqg.standin import drift_load
    from tests.catalog.factories import DEMO_DATA, make_demo_units

    make_demo_units()
    catalog_import(None, DEMO_DATA / "catalogue.json")
    portal.overrides = drift_load()
    pull = catalog_pull(None, DvcqgClient())
    diffs = {i.procedure.code: set(i.differences) for i in pull.items.filter(kind="differs")}
    assert "name" in diffs["2.002516"] and "time" in diffs["1.001233"]
    assert "channels" in diffs["2.000635"]
    assert {"fees", "components"} <= diffs["3.000333"]
    counts = dict(pull.items.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    assert counts["unmatched"] > 0 and pull.problems == []
