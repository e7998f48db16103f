"""The national sign-on walked over real HTTP: our pages through Django's test client, the national
IdP (the stand-in, motcua.accounts.national_signon_standin) through requests on loopback."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import requests
from django.urls import reverse

from motcua.accounts import national_signon
from motcua.accounts.national_signon_standin import StandInNationalSignOn

SECRET = "bi-mat-ung-dung-8841-khong-dung-that-nhe"


def idp_started(settings) -> StandInNationalSignOn:
    """The stand-in IdP, with the settings a real installation would set for the national one
    (`settings`: pytest-django's, so they come back after the test). Close it after the test."""
    server = StandInNationalSignOn(client_secret=SECRET).start()
    national_signon._jwks_cache.clear()  # a key set cached by an earlier test's stand-in
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.DVCQG_SSO_TIMEOUT_SECONDS = 5
    return server


class _Hidden(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden":
            self.fields[values["name"]] = values.get("value") or ""


def to_idp(client, next_url: str = "") -> str:
    """Press the button: our start page sends the browser to the IdP; the address it goes to."""
    start = reverse("portal:national_signon_start")
    response = client.get(start + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content
    return response["Location"]


def choose(idp, authorize_url: str, identity: str, action: str = "login") -> str:
    """The tester on the IdP's page chooses an identity (or cancels): the callback address the
    browser is sent back to."""
    page = requests.get(authorize_url, timeout=5)
    assert page.status_code == 200, page.text
    parser = _Hidden()
    parser.feed(page.text)
    form = {**parser.fields, "identity": identity, "action": action}
    back = requests.post(idp.url + "/oauth2/authorize", data=form, allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    return back.headers["Location"]


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def sign_on(client, idp, identity: str = "cong-dan-an", next_url: str = ""):
    """The whole way: start, choose at the IdP, come back. Our callback's response."""
    back = choose(idp, to_idp(client, next_url), identity)
    return client.get(callback_path(back))
