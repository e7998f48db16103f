"""One error shape for every answer that is not a success:

    {"error": {"code": "validation_error", "message": "Vietnamese text", "fields": {"a.b": "…"}}}

`code` is stable and meant for programs; `message` and `fields` are for people, in Vietnamese.
Bad input never gives a 500: Django's ValidationError, PermissionDenied and Http404 raised by the
services, and ninja's own request validation, all come out here.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

logger = logging.getLogger(__name__)

# Stable machine codes.
VALIDATION = "validation_error"
INVALID_JSON = "invalid_json"
UNSUPPORTED_MEDIA = "unsupported_media_type"
NOT_FOUND = "not_found"
PERMISSION = "permission_denied"
RATE_LIMITED = "rate_limited"
APPLICANT_CONFLICT = "applicant_conflict"
IDEMPOTENCY_CONFLICT = "idempotency_conflict"
IDEMPOTENCY_IN_PROGRESS = "idempotency_in_progress"
BAD_REQUEST = "bad_request"
INTERNAL = "internal_error"

MSG_VALIDATION = "Dữ liệu gửi lên chưa hợp lệ. Vui lòng kiểm tra các trường được nêu."
MSG_NOT_FOUND = "Không tìm thấy dữ liệu yêu cầu."
MSG_PERMISSION = "Ông/bà không có quyền thực hiện thao tác này."


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its code, HTTP status and message."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


class UnsupportedMediaType(Exception):
    pass


class JsonParser(Parser):
    """Bodies are JSON: anything else is refused with 415 before it is read."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise UnsupportedMediaType(request.content_type)
        return super().parse_body(request)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


# Pydantic error types → Vietnamese. `{…}` are filled from the error's context.
PYDANTIC_MESSAGES = {
    "missing": "Thiếu thông tin bắt buộc.",
    "string_type": "Phải là một chuỗi ký tự.",
    "string_too_short": "Phải có ít nhất {min_length} ký tự.",
    "string_too_long": "Không được dài quá {max_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "int_type": "Phải là một số nguyên.",
    "int_parsing": "Phải là một số nguyên.",
    "int_from_float": "Phải là một số nguyên.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "date_type": "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26).",
    "date_parsing": "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26).",
    "date_from_datetime_parsing": "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26).",
    "date_from_datetime_inexact": "Chỉ ghi ngày, không ghi giờ (dạng NNNN-TT-NN).",
    "enum": "Giá trị không hợp lệ; chỉ nhận: {expected}.",
    "literal_error": "Giá trị không hợp lệ; chỉ nhận: {expected}.",
    "list_type": "Phải là một danh sách.",
    "too_long": "Danh sách không được quá {max_length} phần tử.",
    "too_short": "Danh sách phải có ít nhất {min_length} phần tử.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "extra_forbidden": "Trường này không được chấp nhận.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
}


def _pydantic_message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own validators speak Vietnamese already
    template = PYDANTIC_MESSAGES.get(error.get("type", ""), "Giá trị không hợp lệ.")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return "Giá trị không hợp lệ."


def _field_path(loc) -> str:
    """('body', 'payload', 'applicant', 'citizen_id') → 'applicant.citizen_id'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source, parts = parts[0], parts[1:]
        if source == "body" and parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _on_ninja_validation(request, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        fields.setdefault(_field_path(error.get("loc", ())), _pydantic_message(error))
    return _respond(api, request, 422, VALIDATION, MSG_VALIDATION, fields)


def _on_django_validation(request, exc: DjangoValidationError, api: NinjaAPI) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {
            field: errors[0].messages[0] if hasattr(errors[0], "messages") else str(errors[0])
            for field, errors in exc.error_dict.items()
        }
        general = fields.pop(NON_FIELD_ERRORS, None)
        message = general or MSG_VALIDATION
    else:
        fields, message = {}, " ".join(exc.messages) or MSG_VALIDATION
    return _respond(api, request, 422, VALIDATION, message, fields)


def _on_http_error(request, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return _respond(
            api,
            request,
            415,
            UNSUPPORTED_MEDIA,
            "Nội dung gửi lên phải là JSON (Content-Type: application/json).",
        )
    if exc.status_code == 400:
        return _respond(
            api, request, 400, INVALID_JSON, "Nội dung gửi lên không phải là JSON hợp lệ."
        )
    if isinstance(exc, Throttled):
        response = _respond(
            api,
            request,
            429,
            RATE_LIMITED,
            "Ông/bà gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau ít phút.",
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response
    if exc.status_code in (401, 403):
        return _respond(api, request, exc.status_code, PERMISSION, MSG_PERMISSION)
    if exc.status_code == 404:
        return _respond(api, request, 404, NOT_FOUND, MSG_NOT_FOUND)
    return _respond(api, request, exc.status_code, BAD_REQUEST, "Yêu cầu không hợp lệ.")


def _on_api_error(request, exc: ApiError, api: NinjaAPI) -> HttpResponse:
    return _respond(api, request, exc.status, exc.code, exc.message, exc.fields)


def _on_unexpected(request, exc: Exception, api: NinjaAPI) -> HttpResponse:
    # The operation's name, not the path: a path holds dossier codes and references (ADR 0028).
    match = getattr(request, "resolver_match", None)
    operation = match.view_name if match else "?"
    logger.exception("API error at %s %s", request.method, operation, exc_info=exc)
    return _respond(
        api,
        request,
        500,
        INTERNAL,
        "Hệ thống gặp lỗi ngoài dự kiến; yêu cầu chưa được thực hiện. Vui lòng thử lại sau.",
    )


def _respond(api, request, status, code, message, fields=None) -> HttpResponse:
    return api.create_response(request, error_body(code, message, fields), status=status)


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers with the structured ones."""

    def bind(handler):
        return lambda request, exc: handler(request, exc, api)

    api.add_exception_handler(Exception, bind(_on_unexpected))
    api.add_exception_handler(ApiError, bind(_on_api_error))
    api.add_exception_handler(NinjaValidationError, bind(_on_ninja_validation))
    api.add_exception_handler(DjangoValidationError, bind(_on_django_validation))
    api.add_exception_handler(HttpError, bind(_on_http_error))
    api.add_exception_handler(
        PermissionDenied,
        bind(
            lambda request, exc, api: _respond(
                api, request, 403, PERMISSION, str(exc) or MSG_PERMISSION
            )
        ),
    )
    api.add_exception_handler(
        Http404,
        bind(lambda request, exc, api: _respond(api, request, 404, NOT_FOUND, MSG_NOT_FOUND)),
    )
