"""A staff page offers only what its reader may open: starting from /can-bo/, every link of the
back office a role is shown is followed (two levels, a few of each kind) and must not answer 403 or
500 to that role. Found by walking the demo as each role: the postal list offered a specialist the
desk's three buttons (receive by post, the day's manifest, event import), each a 403."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from motcua.accounts.roles import STAFF_ROLES
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# Not followed: signing out, downloads (their access is tested where they are made), the API.
NOT_FOLLOWED = re.compile(
    r"(dang-xuat|/static/|/media/|/api/|\.(pdf|xlsx|docx|zip|csv|edxml)(\?|$))"
)
PER_KIND = 1  # links of one shape (ids replaced by N) followed per role
DEPTH = 2


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _staff_links(page_path: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        parts = urlsplit(urljoin("http://testserver" + page_path, href))
        if parts.netloc != "testserver" or not parts.path.startswith("/can-bo/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not NOT_FOLLOWED.search(path):
            found.append(path)
    return found


def _refused_links(client: Client) -> list[tuple[str, str, int]]:
    """(page, link, status) for every link followed that the reader may not open."""
    queue, seen, kinds = deque([("", "/can-bo/", 0)]), {"/can-bo/"}, {}
    refused = []
    while queue:
        page, path, depth = queue.popleft()
        response = client.get(path, follow=True)
        if response.status_code in (403, 500):
            refused.append((page, path, response.status_code))
            continue
        if depth == DEPTH or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _staff_links(path, response.content.decode()):
            kind = re.sub(r"\d+", "N", link.split("?")[0])
            if link in seen or kinds.get(kind, 0) >= PER_KIND:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            seen.add(link)
            queue.append((path, link, depth + 1))
    return refused


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_no_staff_page_offers_a_link_its_reader_is_refused(role):
    unit = UnitFactory()
    client = Client()
    client.force_login(UserFactory(role=role, unit=unit))
    assert _refused_links(client) == []
