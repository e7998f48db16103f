"""Browser fixtures, loaded for the whole suite from tests/conftest.py (so that browser tests beside
their app's other tests share the one session Chromium: a second sync Playwright in the same process
fails). Playwright's sync API driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot run here (it downloads browsers), so Playwright launches the system
Chromium at /usr/bin/chromium. Under CI=true a browser test is never skipped: a missing Chromium fails
loudly. Elsewhere it is skipped with the reason.

Fixtures:
  page          a fresh page (360×800, a phone: most citizens come on phones) on the live server;
                page.goto("/can-bo/dang-nhap/") works because the context's base_url is the server's url.
  browser       the session's Chromium.
Helpers are in tests/browser/helpers.py.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 360, "height": 800}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(
        CHROMIUM
    ):
        return f"Chromium không có tại {CHROMIUM} (cài gói Debian `chromium`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "chưa cài gói Python playwright (make install)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing_reason()
    if reason:
        if _in_ci():
            pytest.fail(
                f"CI=true: kiểm thử trình duyệt không được bỏ qua — {reason}", pytrace=False
            )
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORT,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    # A browser test must not reach the network: only the live server is allowed.
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    yield page
    context.close()


@pytest.fixture
def people(transactional_db):
    """The province of the browser walks: units, the catalogue, the calendar, and one named person
    in each role a dossier passes through (a live server needs a committed, flushed database)."""
    from motcua.accounts.roles import Role
    from motcua.calendars.services import calendar_seed_official_notices
    from motcua.catalog.services import catalog_import
    from tests.accounts.factories import UserFactory
    from tests.catalog.factories import document, make_units

    units = make_units()
    catalog_import(None, document())
    calendar_seed_official_notices()
    return {
        "units": units,
        "desk": UserFactory(
            role=Role.DESK_OFFICER, unit=units["centre"], full_name="Trần Thị Tiếp"
        ),
        "head": UserFactory(
            role=Role.DIVISION_HEAD, unit=units["division"], full_name="Lê Văn Trưởng"
        ),
        "specialist": UserFactory(
            role=Role.SPECIALIST, unit=units["division"], full_name="Phạm Thị Xử Lý"
        ),
        "leader": UserFactory(
            role=Role.DEPARTMENT_LEADER, unit=units["so"], full_name="Nguyễn Văn Giám"
        ),
    }
