"""A favicon on every page: an SVG and a 32×32 icon in static, linked from every base template,
and /favicon.ico answering for the browsers and crawlers that ask the root."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

PAGES = [
    "/cong-dan/",  # the portal
    "/cong-dan/tai-khoan/dang-nhap/",
    "/hoi-dap/",  # feedback, public
    "/hoi-dap/gui/",
    "/xac-thuc/",  # verification of signed results
    "/can-bo/dang-nhap/",  # the back office's sign-in
]


def test_the_icon_files_exist_in_the_right_shapes():
    svg = Path(finders.find("favicon.svg")).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'viewBox="0 0 32 32"' in svg
    with Image.open(finders.find("favicon-32.png")) as png:
        assert png.size == (32, 32)
    with Image.open(finders.find("favicon.ico")) as ico:
        assert (32, 32) in ico.info["sizes"]


def test_favicon_ico_answers_at_the_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.ico")
    assert response["Location"].startswith("/static/")
    assert reverse("favicon") == "/favicon.ico"


@pytest.mark.parametrize("path", PAGES)
def test_every_base_template_links_the_icon(client, db, path):
    response = client.get(path, follow=True)
    page = response.content.decode()
    assert response.status_code == 200, path
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
