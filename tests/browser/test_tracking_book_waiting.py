"""[K] 17 in a real browser: the desk asks for a large tracking book from the worklist, waits on a
page that reloads itself (a meta refresh: the CSP allows no script), and the link appears once a
worker has built the book."""

import pytest

from motcua.backoffice import views_dossier_tracking
from motcua.core import worker as worker_module
from motcua.core.worker import Worker
from tests.dossiers.test_services import receive

from .helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def _axe_except_the_refresh(page) -> None:
    """axe flags every timed reload (WCAG 2.2.1); the page offers "Dừng tự tải lại", which the
    criterion accepts, and the same page without the reload is checked in full below."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "rules": {"meta-refresh": {"enabled": False}}}
    violations = Axe().run(page, options=options).response["violations"]
    assert violations == [], [v["id"] for v in violations]


def test_the_waiting_page_shows_the_link_once_the_worker_is_done(page, people, monkeypatch):
    monkeypatch.setattr(views_dossier_tracking, "INLINE_MAX_LINES", {"pdf": 1, "xlsx": 1})
    monkeypatch.setattr(worker_module, "JOBS", {})
    desk = {"desk": people["desk"]}
    for day in ("2024-04-22T09:00", "2024-04-23T09:00"):
        receive(desk, when=day)
    sign_in(page, people["desk"])
    page.goto("/can-bo/ho-so/")
    page.get_by_label("Từ ngày").fill("2024-04-01")
    page.get_by_label("Đến ngày").fill("2024-04-30")
    page.get_by_role("button", name="Lập sổ").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Đang lập sổ theo dõi hồ sơ…").is_visible()
    _axe_except_the_refresh(page)
    waiting = page.url
    page.get_by_role("link", name="Dừng tự tải lại").click()
    page.wait_for_load_state()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert_no_axe_violations(page)

    page.goto(waiting)  # reloading again
    Worker(name="may-trinh-duyet:1", poll=0.05, report=lambda line: None).run_once()
    link = page.get_by_role("link", name="Tải sổ theo dõi hồ sơ (PDF")
    link.wait_for(timeout=15_000)  # the page reloaded itself
    assert page.get_by_role("heading", name="Sổ theo dõi hồ sơ").is_visible()
    assert_no_axe_violations(page)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
