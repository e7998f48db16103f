"""The catalogue, read by anyone: procedures in force (searched without accents) and one in detail."""

from ninja import Path, Query, Router

from motcua.catalog.models import Channel, Level, PaperForm, ProcedureVersion, TimeUnit
from motcua.catalog.selectors import day_of, procedures_search, version_in_force
from motcua.catalog.templatetags.catalog_format import decimal_vi

from . import errors
from .schemas import AtQuery, ErrorOut, ProcedureDetail, ProcedureListQuery, ProcedurePage

router = Router(tags=["Danh mục thủ tục"])


def _public(versions):
    return versions.filter(procedure__is_internal=False)


def _item(version: ProcedureVersion) -> dict:
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.name,
        "level": version.level,
        "level_label": Level(version.level).label,
        "competent_agency": version.competent_agency.name,
        "receiving_unit": version.receiving_unit.name,
        "accepts_online": version.intake_online,
        "effective_from": version.effective_from,
    }


@router.get(
    "/procedures",
    response={200: ProcedurePage, 422: ErrorOut, 429: ErrorOut},
    summary="Tra cứu thủ tục đang có hiệu lực",
)
def procedure_list(request, filters: Query[ProcedureListQuery]):
    """Thủ tục hành chính công khai có hiệu lực vào ngày `at`, tìm theo tên không dấu hoặc mã."""
    versions = _public(procedures_search(filters.q, filters.at)).select_related(
        "competent_agency", "receiving_unit", "field", "procedure"
    )
    count = versions.count()
    start = (filters.page - 1) * filters.page_size
    page = versions[start : start + filters.page_size]
    return {
        "items": [_item(v) for v in page],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


def _channels(version: ProcedureVersion, direction: str) -> list[dict]:
    return [{"code": c, "label": Channel(c).label} for c in version.channels(direction)]


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Chi tiết thủ tục đang có hiệu lực",
)
def procedure_detail(request, filters: Query[AtQuery], code: str = Path(..., max_length=40)):
    """Phiên bản đang có hiệu lực của thủ tục: phí, lệ phí, thành phần hồ sơ, kênh nộp và trả,
    thời hạn giải quyết."""
    day = day_of(filters.at)
    version = version_in_force(code, day)
    if version is None or version.procedure.is_internal:
        raise errors.ApiError(
            404,
            errors.NOT_FOUND,
            f"Không có thủ tục mã “{code[:40]}” có hiệu lực ngày {day:%d/%m/%Y}.",
        )
    unit = TimeUnit(version.processing_time_unit)
    return {
        **_item(version),
        "decision": version.decision.number,
        "processing_time": {
            "value": float(version.processing_time_value),
            "unit": unit.value,
            "text": f"{decimal_vi(version.processing_time_value)} {unit.label}",
            "working_hours": float(version.processing_hours),
        },
        "intake_channels": _channels(version, "intake"),
        "return_channels": _channels(version, "return"),
        "fees": [{"name": f.name, "amount": f.amount} for f in version.fees.all()],
        "components": [
            {
                "order": c.order,
                "name": c.name,
                "form": c.form,
                "form_label": PaperForm(c.form).label,
                "count": c.count,
                "mandatory": c.mandatory,
            }
            for c in version.components.all()
        ],
        "results": [str(r) for r in version.results],
        "legal_basis": version.legal_basis,
    }
