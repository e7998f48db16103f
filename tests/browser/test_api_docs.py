"""The API documentation renders in a real browser under our Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders(page):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() >= 4
    assert not [e for e in errors if "Content Security Policy" in e], errors
