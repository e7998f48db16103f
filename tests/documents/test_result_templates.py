"""Result templates are versioned with the catalogue (issue [J] 1): a template belongs to one
procedure version and is never edited; a later version uses the last earlier version's templates
until it gets its own; the import is all-or-nothing and idempotent."""

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import ImmutableError, ProcedureVersion
from motcua.catalog.services import catalog_import
from motcua.documents.drafts import templates_for
from motcua.documents.models import ResultTemplate
from motcua.documents.templates_import import result_templates_import
from tests.catalog.factories import decision, document, make_units, version

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "procedure": "2.001417",
    "code": "phieu",
    "name": "Phiếu lý lịch tư pháp",
    "layout": "certificate",
    "title": "Phiếu lý lịch tư pháp số 1",
    "symbol": "LLTP-STP",
    "body": "Họ và tên: {ho_ten}",
}


@pytest.fixture
def versions(db):
    make_units()
    catalog_import(
        None,
        document(
            decisions=[decision("1/QĐ-UBND", "2023-01-01"), decision("2/QĐ-UBND", "2024-01-01")],
            procedures=[
                {
                    "code": "2.001417",
                    "is_internal": False,
                    "versions": [version(), version("2/QĐ-UBND", "2024-01-01", change="amended")],
                }
            ],
        ),
    )
    return list(ProcedureVersion.objects.order_by("effective_from"))


def test_a_later_version_uses_the_earlier_templates_until_it_has_its_own(versions):
    first, second = versions
    assert result_templates_import({"templates": [{**TEMPLATE, "at": "2023-06-01"}]}) == 1
    assert [t.procedure_version for t in templates_for(second)] == [first]
    own = {**TEMPLATE, "at": "2024-06-01", "title": "Phiếu lý lịch tư pháp số 1 (mẫu mới)"}
    assert result_templates_import({"templates": [own]}) == 1
    assert [t.title for t in templates_for(second)] == ["Phiếu lý lịch tư pháp số 1 (mẫu mới)"]
    assert [t.title for t in templates_for(first)] == ["Phiếu lý lịch tư pháp số 1"]


def test_a_template_is_never_edited_and_the_import_is_idempotent_and_all_or_nothing(versions):
    result_templates_import({"templates": [{**TEMPLATE, "at": "2023-06-01"}]})
    assert result_templates_import({"templates": [{**TEMPLATE, "at": "2023-06-01"}]}) == 0
    template = ResultTemplate.objects.get()
    template.body = "Khác"
    with pytest.raises(ImmutableError):
        template.save()
    changed = {**TEMPLATE, "at": "2023-06-01", "body": "Khác"}
    new_one = {**TEMPLATE, "at": "2024-06-01", "code": "moi"}
    with pytest.raises(ValidationError, match="không được sửa"):
        result_templates_import({"templates": [new_one, changed]})
    assert ResultTemplate.objects.count() == 1  # the valid one before it was not kept either
    with pytest.raises(ValidationError, match="thể thức"):
        result_templates_import({"templates": [{**TEMPLATE, "layout": "poster"}]})
    with pytest.raises(ValidationError, match="không có thủ tục"):
        result_templates_import({"templates": [{**TEMPLATE, "procedure": "9.999999"}]})
