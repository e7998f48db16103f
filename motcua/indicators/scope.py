"""What a report or a dashboard is about: a period of whole local days and optional filters.

Every indicator takes a `Scope`, built and checked once by `scope_build` (Vietnamese messages,
ValidationError), so the command line, the pages and the tests refuse bad input identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.models import ChannelKind
from motcua.org.models import Unit

# A period longer than this is almost certainly a typing error (2203 for 2023).
MAX_PERIOD_DAYS = 366 * 5


@dataclass(frozen=True)
class Scope:
    date_from: date
    date_to: date
    unit_code: str | None = None
    unit_name: str = ""
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    procedure_code: str | None = None
    field_code: str | None = None
    channel: str | None = None

    @property
    def start(self) -> datetime:
        """00:00 (Asia/Ho_Chi_Minh) of the first day."""
        return local_midnight(self.date_from)

    @property
    def end_exclusive(self) -> datetime:
        """00:00 of the day after the last day: instants < this are inside the period."""
        return local_midnight(self.date_to + timedelta(days=1))

    def dossier_q(self, prefix: str = "") -> Q:
        """The filters other than the period, on Dossier (or through `prefix`, e.g. "dossier__")."""
        q = Q()
        if self.unit_ids:
            # The unit's own dossiers: received by it or below it, or for procedures it decides
            # (the Sở's dossiers are received at the provincial service centre).
            q &= Q(**{f"{prefix}receiving_unit_id__in": self.unit_ids}) | Q(
                **{f"{prefix}procedure_version__competent_agency_id__in": self.unit_ids}
            )
        if self.procedure_code:
            q &= Q(**{f"{prefix}procedure_version__procedure__code": self.procedure_code})
        if self.field_code:
            q &= Q(**{f"{prefix}procedure_version__field__code": self.field_code})
        if self.channel:
            q &= Q(**{f"{prefix}channel": self.channel})
        return q

    def as_dict(self) -> dict:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "unit": self.unit_code,
            "procedure": self.procedure_code,
            "field": self.field_code,
            "channel": self.channel,
        }


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def parse_day(text: str | date | None, label: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(
            f"{label} «{text or ''}» không phải ngày hợp lệ (định dạng YYYY-MM-DD, ví dụ 2023-01-01)."
        ) from None


def scope_build(
    date_from,
    date_to,
    *,
    unit_code: str | None = None,
    procedure_code: str | None = None,
    field_code: str | None = None,
    channel: str | None = None,
) -> Scope:
    """Check the inputs and resolve the unit to the ids of its subtree; ValidationError on any
    problem (nothing is read or written before that)."""
    from motcua.catalog.models import Field, Procedure
    from motcua.org.selectors import unit_subtree_ids

    first = parse_day(date_from, "Ngày bắt đầu")
    last = parse_day(date_to, "Ngày kết thúc")
    if first > last:
        raise ValidationError(f"Ngày bắt đầu {first:%d/%m/%Y} sau ngày kết thúc {last:%d/%m/%Y}.")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise ValidationError("Kỳ báo cáo dài quá 5 năm; hãy kiểm tra lại ngày.")
    unit_code = (unit_code or "").strip() or None
    unit_name, unit_ids = "", frozenset()
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).only("pk", "name").first()
        if unit is None:
            raise ValidationError(
                f"Không có đơn vị mã «{unit_code}» trong cơ cấu tổ chức (xem `motcua org units`)."
            )
        unit_name, unit_ids = unit.name, frozenset(unit_subtree_ids(unit))
    procedure_code = (procedure_code or "").strip() or None
    if procedure_code and not Procedure.objects.filter(code=procedure_code).exists():
        raise ValidationError(f"Không có thủ tục mã «{procedure_code}» trong danh mục TTHC.")
    field_code = (field_code or "").strip() or None
    if field_code and not Field.objects.filter(code=field_code).exists():
        raise ValidationError(f"Không có lĩnh vực mã «{field_code}» trong danh mục TTHC.")
    channel = (channel or "").strip() or None
    if channel and channel not in ChannelKind.values:
        raise ValidationError(
            f"Kênh «{channel}» không hợp lệ; giá trị được phép: {', '.join(ChannelKind.values)}."
        )
    return Scope(first, last, unit_code, unit_name, unit_ids, procedure_code, field_code, channel)
