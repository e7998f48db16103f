"""The REST interface (django-ninja): OpenAPI at /api/openapi.json, documentation at /api/docs.

It only translates HTTP into calls of the same services and selectors the other interfaces use.
"""

from ninja import NinjaAPI

from . import catalog, dossiers, errors

api = NinjaAPI(
    title="Một Cửa API",
    version="1.0.0",
    description=(
        "Giao diện lập trình của hệ thống Một Cửa: tra cứu danh mục thủ tục hành chính, "
        "nộp hồ sơ trực tuyến và tra cứu tình trạng hồ sơ. Lỗi trả về theo dạng "
        '{"error": {"code": "...", "message": "...", "fields": {...}}}.'
    ),
    urls_namespace="api",
    parser=errors.JsonParser(),
)
errors.install(api)
api.add_router("/catalog", catalog.router)
api.add_router("/dossiers", dossiers.router)
