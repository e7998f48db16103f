"""Helpers for browser tests (fixtures are in conftest.py)."""

import os
from pathlib import Path

import pytest


def assert_no_axe_violations(page, context=None) -> None:
    """Fail listing every axe-core violation (WCAG 2.1 A/AA and best practices) on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    violations = results.response["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in violations
        ]
        pytest.fail(f"{len(violations)} vi phạm axe trên {page.url}:\n" + "\n".join(lines))


def sign_in(page, user, password=None) -> None:
    page.goto("/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password or user.raw_password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> None:
    """Save a full-page PNG to $MOTCUA_SCREENSHOT_DIR (when set), for a human to look at."""
    folder = os.environ.get("MOTCUA_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def first_load_bytes_of(page) -> int:
    """Bytes the page's document and every resource it loaded transferred (bodies as sent, e.g.
    compressed), from the browser's Performance API once the page has loaded. Unlike counting
    "response" events, it does not race the event dispatch, so a measurement can't come out empty."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
                 .reduce((sum, e) => sum + Math.max(e.encodedBodySize || 0, e.transferSize || 0), 0)"""
    )
