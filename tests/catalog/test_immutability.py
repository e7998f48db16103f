"""A recorded version never changes: not through save(), not through a second import."""

import pytest

from motcua.catalog.importing import CatalogImportError
from motcua.catalog.models import ImmutableError, ProcedureFee, ProcedureVersion, ProcessStep
from motcua.catalog.services import catalog_import

from .conftest import snapshot
from .factories import document, history_document, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(units):
    catalog_import(None, history_document())
    return ProcedureVersion.objects.get(procedure__code="2.001417", decision__number="1/QĐ-UBND")


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Tên khác"),
        ("level", "toan_trinh"),
        ("processing_time_value", 3),
        ("intake_post", False),
    ],
)
def test_save_refuses_a_content_change(recorded, field, value):
    setattr(recorded, field, value)
    with pytest.raises(ImmutableError, match=field):
        recorded.save()
    fresh = ProcedureVersion.objects.get(pk=recorded.pk)
    assert getattr(fresh, field) != value


def test_only_effective_until_may_change(recorded):
    recorded.effective_until = None
    recorded.save()
    assert ProcedureVersion.objects.get(pk=recorded.pk).effective_until is None


def test_children_are_immutable_too(recorded):
    fee = ProcedureFee.objects.filter(version=recorded).first()
    fee.amount = 1
    with pytest.raises(ImmutableError):
        fee.save()
    step = ProcessStep.objects.filter(version=recorded).first()
    with pytest.raises(ImmutableError):
        step.delete()
    with pytest.raises(ImmutableError):
        recorded.delete()
    assert ProcedureFee.objects.get(pk=fee.pk).amount == 200000
    assert ProcessStep.objects.filter(pk=step.pk).exists()


def test_import_of_a_changed_version_is_rejected_and_nothing_changes(recorded):
    before = snapshot()
    doc = history_document()
    doc["procedures"][0]["versions"][0]["fees"][0]["amount"] = 300000
    doc["procedures"][0]["versions"][0]["name"] = "Tên đã bị sửa"
    with pytest.raises(CatalogImportError) as exc:
        catalog_import(None, doc)
    assert exc.value.errors == [
        "Thủ tục “2.001417”, quyết định “1/QĐ-UBND”, trường “decision” "
        "(procedures[0].versions[0].decision): phiên bản của thủ tục “2.001417” theo quyết định "
        "“1/QĐ-UBND” đã có trong hệ thống với nội dung khác (tên thủ tục, phí, lệ phí); phiên bản "
        "đã công bố không được sửa — hãy ghi nhận thay đổi bằng một quyết định mới."
    ]
    assert snapshot() == before


def test_a_new_decision_amends_without_touching_the_old_version(recorded):
    doc = document(
        procedures=[
            {
                "code": "2.001417",
                "is_internal": False,
                "versions": [version("5/QĐ-UBND", "2023-06-01", change="amended", name="Mới")],
            }
        ],
        decisions=[
            {
                "number": "5/QĐ-UBND",
                "signed_on": "2023-05-20",
                "effective_from": "2023-06-01",
                "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
                "title": "Sửa đổi",
            }
        ],
    )
    old_content = ProcedureVersion.objects.get(pk=recorded.pk).name
    summary = catalog_import(None, doc)
    assert summary.versions_created == 1
    recorded.refresh_from_db()
    assert recorded.name == old_content
    # The old version now ends where the new one starts; the new one ends at the next amendment.
    assert str(recorded.effective_until) == "2023-06-01"
    new = ProcedureVersion.objects.get(decision__number="5/QĐ-UBND")
    assert str(new.effective_until) == "2024-01-01"
