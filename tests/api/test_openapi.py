"""The schema, the documentation page, anonymous access and the error handlers."""

import json

import pytest
import schemathesis
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from motcua.api.api import api

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served_and_valid(anon):
    response = anon.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    schemathesis.openapi.from_dict(schema).validate()  # raises on an invalid OpenAPI document
    assert set(schema["paths"]) == {
        "/api/catalog/procedures",
        "/api/catalog/procedures/{code}",
        "/api/dossiers",
        "/api/dossiers/status/{code_or_reference}",
    }
    submit = schema["paths"]["/api/dossiers"]["post"]
    assert {"201", "409", "415", "422", "429"} <= set(submit["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])


def test_the_schema_check_can_fail():
    broken = {"openapi": "3.1.0", "info": {"title": "x"}, "paths": {"/a": {"get": 1}}}
    with pytest.raises(Exception):  # noqa: B017 - whichever error the validator raises
        schemathesis.openapi.from_dict(broken).validate()


def test_documentation_page_is_served(anon):
    response = anon.get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
    assert b"swagger" in response.content.lower()


def test_api_root_leads_to_the_documentation(anon):
    response = anon.get("/api/")
    assert response.status_code == 302 and response["Location"] == "/api/docs"


@pytest.mark.parametrize(
    "path",
    [
        "/api/openapi.json",
        "/api/docs",
        "/api/catalog/procedures",
        "/api/catalog/procedures/2.001417",
    ],
)
def test_anonymous_gets_are_answered_not_sent_to_sign_in(anon, catalogue, path):
    response = anon.get(path)
    assert response.status_code == 200, (path, response.status_code)


def test_the_back_office_is_still_closed(anon):
    # Marking the API public must not open other views.
    response = anon.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def _handled(exc):
    request = RequestFactory().get("/api/x")
    response = api.on_exception(request, exc)
    return response.status_code, json.loads(response.content)["error"]


def test_service_errors_come_out_structured():
    assert _handled(PermissionDenied("Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ.")) == (
        403,
        {
            "code": "permission_denied",
            "message": "Chỉ công chức Bộ phận Một cửa được tiếp nhận hồ sơ.",
            "fields": {},
        },
    )
    assert _handled(Http404("No Dossier matches the given query.")) == (
        404,
        {"code": "not_found", "message": "Không tìm thấy dữ liệu yêu cầu.", "fields": {}},
    )
    assert _handled(ValidationError("Hồ sơ đã được hẹn lại một lần.")) == (
        422,
        {"code": "validation_error", "message": "Hồ sơ đã được hẹn lại một lần.", "fields": {}},
    )
    status, error = _handled(ValidationError({"reason": "Hãy ghi rõ lý do."}))
    assert status == 422 and error["fields"] == {"reason": "Hãy ghi rõ lý do."}
    assert error["message"].startswith("Dữ liệu gửi lên chưa hợp lệ")


def test_an_unexpected_failure_is_a_structured_500_not_a_traceback():
    status, error = _handled(RuntimeError("boom"))
    assert status == 500 and error["code"] == "internal_error"
    assert "boom" not in error["message"]
