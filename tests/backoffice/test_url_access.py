"""Deny by default, checked over EVERY URL pattern of config.urls (recursively through includes).

New URL modules are covered automatically: the routes are collected from the resolver when the tests
are collected. Each app declares its exceptions beside its own tests, in `tests/<app>/access_rules.py`
(PUBLIC_URLS, ADMIN_PREFIXES, ADMIN_AREA_READABLE_BY_STAFF, STAFF_NAMESPACES), merged below. A URL fails here when
  * an anonymous visitor reaches it (anything but a redirect to sign-in, 401 or 403) and it is not on
    PUBLIC_URLS with a reason;
  * it lies in an administration area (ADMIN_PREFIXES) and a staff member who is not an administrator,
    or a citizen, gets anything but 403 for GET or POST;
  * it is a back-office URL and a signed-in citizen gets anything but 403.
Path parameters are filled with ids of existing objects where the name is known, else with dummies;
access checks come before object look-ups, so a dummy id must still give 403, never 404.
"""

import importlib
import pkgutil
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import resolve, reverse

import tests
from motcua.accounts.roles import STAFF_ROLES, Role
from tests.accounts.factories import UnitFactory, UserFactory
from tests.backoffice.url_walk import walk

# URL name → why an anonymous visitor may open it. Everything else needs a signed-in user.
PUBLIC_URLS = {
    "backoffice:login": "the sign-in form itself",
    "favicon": "the site's icon: a redirect to the static file",
    "backoffice:logout": "signing out (POST only) an anonymous session is harmless",
    "api:api-root": "the public API's root: a redirect to its documentation",
    "api:openapi-json": "the public API's OpenAPI schema",
    "api:openapi-view": "the public API's documentation page",
    "api:procedure_list": "the catalogue is public (citizens' portal, no sign-in)",
    "api:procedure_detail": "the catalogue is public (citizens' portal, no sign-in)",
    "api:dossier_submit": "online submission by a citizen without an account",
    "api:dossier_status": "status by code or reference, without personal data (masked name)",
    "site_home": "the site's root is the citizens' portal home (ADR 0025)",
    **{
        name: "an old back-office address: a redirect to the same path under /can-bo/ (ADR 0025)"
        for name in (
            "moved_dang-nhap moved_dang-xuat moved_xac-thuc-hai-buoc moved_thong-bao moved_to-chuc "
            "moved_danh-muc moved_lich-lam-viec moved_ho-so moved_tac-vu moved_quan-tri "
            "moved_thanh-toan moved_buu-chinh moved_tai-lieu moved_cai-cach moved_nhan-su "
            "moved_phan-anh moved_chi-so moved_lien-thong moved_van-thu moved_luu-tru"
        ).split()
    },
}

# Every URL under these prefixes is administration: only an administrator may open it.
ADMIN_PREFIXES = (
    "/can-bo/to-chuc/",
    "/can-bo/danh-muc/",
    "/can-bo/lich-lam-viec/",
    "/can-bo/quan-tri/",
)
# URL name → why staff other than administrators may open it although it lies under ADMIN_PREFIXES.
ADMIN_AREA_READABLE_BY_STAFF: dict[str, str] = {
    "backoffice:catalog_list": "every staff member reads the catalogue (the desk looks procedures up)",
    "backoffice:catalog_detail": "every staff member reads the catalogue (the desk looks procedures up)",
}

# URL namespaces of staff pages: every URL in them is closed to citizens.
STAFF_NAMESPACES = {"backoffice"}


def _merge_app_rules() -> None:
    """Fold every `tests/<app>/access_rules.py` into the allow-lists above."""
    global ADMIN_PREFIXES
    for package in pkgutil.iter_modules(tests.__path__):
        try:
            rules = importlib.import_module(f"tests.{package.name}.access_rules")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{package.name}.access_rules":
                raise
            continue
        PUBLIC_URLS.update(getattr(rules, "PUBLIC_URLS", {}))
        ADMIN_AREA_READABLE_BY_STAFF.update(getattr(rules, "ADMIN_AREA_READABLE_BY_STAFF", {}))
        ADMIN_PREFIXES += tuple(getattr(rules, "ADMIN_PREFIXES", ()))
        STAFF_NAMESPACES.update(getattr(rules, "STAFF_NAMESPACES", ()))


_merge_app_rules()

NON_ADMIN_ROLES = sorted(STAFF_ROLES - {Role.ADMINISTRATOR}) + [Role.CITIZEN]

ROUTES = walk()


def _is_admin(route) -> bool:
    return route.path.startswith(ADMIN_PREFIXES) and route.name not in ADMIN_AREA_READABLE_BY_STAFF


def _login_path() -> str:
    return reverse(settings.LOGIN_URL)


def anonymous_problem(client: Client, route) -> str | None:
    """None when an anonymous visitor is kept out of `route`, else what went wrong."""
    for method in ("get", "post"):
        response = getattr(client, method)(route.path)
        if response.status_code in (401, 403):
            continue
        if response.status_code == 302 and urlsplit(response["Location"]).path == _login_path():
            continue
        return f"anonymous {method.upper()} {route.path} ({route.name}) → {response.status_code}"
    return None


def non_admin_problem(client: Client, route) -> str | None:
    """None when the signed-in (non-administrator) user of `client` gets 403 for GET and POST."""
    for method in ("get", "post"):
        status = getattr(client, method)(route.path).status_code
        if status == 403 or (method == "get" and status == 405):
            continue
        return f"{method.upper()} {route.path} ({route.name}) → {status}, expected 403"
    return None


def _client_for(role) -> Client:
    client = Client()
    user = UserFactory(citizen=True) if role == Role.CITIZEN else UserFactory(role=role)
    client.force_login(user)
    return client


def _existing_ids() -> dict[str, int]:
    """Ids of real objects for the parameter names we know; others get dummies."""
    unit = UnitFactory()
    member = UserFactory(role=Role.SPECIALIST, unit=unit)
    return {"unit_id": unit.pk, "user_id": member.pk}


# --- The walker sees the whole URLconf ---------------------------------------------------------


def test_walker_finds_every_known_area():
    names = {route.name for route in ROUTES}
    assert {
        "backoffice:home",
        "backoffice:login",
        "backoffice:org_units",
        "backoffice:staff_edit",
    } <= names


@pytest.mark.parametrize("route", [r for r in ROUTES if ":" in r.name], ids=lambda r: r.name)
def test_filled_paths_resolve_back_to_their_pattern(route):
    assert resolve(route.path).view_name == route.name


def test_allow_lists_name_existing_urls():
    names = {route.name for route in ROUTES}
    stale = (set(PUBLIC_URLS) | set(ADMIN_AREA_READABLE_BY_STAFF)) - names
    assert not stale, f"allow-list entries for URLs that no longer exist: {sorted(stale)}"


# --- Deny by default ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name not in PUBLIC_URLS], ids=lambda r: r.name
)
def test_anonymous_visitor_is_kept_out(route):
    assert anonymous_problem(Client(), route) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name in PUBLIC_URLS], ids=lambda r: r.name
)
def test_public_urls_answer_anonymous_visitors(route):
    # A public look-up of a dummy id answers "not found": it was reached, not refused.
    assert Client().get(route.path).status_code in (200, 302, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if _is_admin(r)], ids=lambda r: r.name)
def test_administration_is_for_administrators_only(route):
    problems = [non_admin_problem(_client_for(role), route) for role in NON_ADMIN_ROLES]
    assert [p for p in problems if p] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.name.split(":")[0] in STAFF_NAMESPACES and r.name not in PUBLIC_URLS],
    ids=lambda r: r.name,
)
def test_back_office_is_closed_to_citizens(route):
    assert non_admin_problem(_client_for(Role.CITIZEN), route) is None


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if _is_admin(r)], ids=lambda r: r.name)
def test_administrator_is_let_in(route):
    # The positive control: the 403s above come from the role check, not from a broken page.
    routes = {r.name: r for r in walk(values=_existing_ids())}
    client = _client_for(Role.ADMINISTRATOR)
    status = client.get(routes[route.name].path).status_code
    assert status not in (401, 403) and status < 500, f"{route.path} → {status}"


# --- The checks can fail --------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.backoffice.leaky_urls")
def test_the_checks_catch_a_leaky_urlconf():
    routes = {route.name: route for route in walk("tests.backoffice.leaky_urls")}
    assert anonymous_problem(Client(), routes["public_by_mistake"]) is not None
    assert anonymous_problem(Client(), routes["guarded"]) is None
    specialist = _client_for(Role.SPECIALIST)
    assert non_admin_problem(specialist, routes["admin_without_role_check"]) is not None
    assert non_admin_problem(specialist, routes["admin_with_role_check"]) is None
