"""One append-only base for the evidence models (ADR 0016): each refuses a change with the
message naming what it protects, whether through the row or through a queryset."""

import pytest

from motcua.core.append_only import AppendOnlyModel
from motcua.dossiers.models import DossierEvent
from motcua.payments.models import Credit, MatchDecision, Receipt
from motcua.postal.models import TrackingEvent

SUBJECTS = [
    (DossierEvent, "Lịch sử hồ sơ"),
    (Credit, "Dữ liệu đối soát"),
    (MatchDecision, "Dữ liệu đối soát"),
    (Receipt, "Dữ liệu đối soát"),
    (TrackingEvent, "Sự kiện bưu gửi"),
]


@pytest.mark.parametrize(("model", "subject"), SUBJECTS)
def test_every_evidence_model_is_built_on_the_one_base(model, subject):
    assert issubclass(model, AppendOnlyModel)
    assert model.append_only_subject == subject


@pytest.mark.parametrize(("model", "subject"), SUBJECTS)
def test_a_row_with_a_key_is_never_saved_or_deleted(model, subject):
    row = model(pk=1)
    with pytest.raises(PermissionError, match=f"^{subject} chỉ được ghi thêm, không được sửa.$"):
        row.save()
    with pytest.raises(PermissionError, match=f"^{subject} chỉ được ghi thêm, không được xóa.$"):
        row.delete()


@pytest.mark.parametrize(("model", "subject"), SUBJECTS)
def test_a_queryset_is_never_updated_or_deleted(model, subject):
    with pytest.raises(PermissionError, match=f"^{subject} chỉ được ghi thêm, không được sửa.$"):
        model.objects.all().update(pk=2)
    with pytest.raises(PermissionError, match=f"^{subject} chỉ được ghi thêm, không được xóa.$"):
        model.objects.all().delete()
