"""A citizen can neither see nor change another citizen's dossier — checked over EVERY URL of the
`portal` namespace and every API endpoint, and a new URL without a declared rule fails the test.

Each portal URL is either public (access_rules.PUBLIC_URLS) or a citizen's page declared below with
the object it reaches. Each citizen URL is filled with citizen B's objects and requested as citizen
A (GET and POST → 403), as an anonymous visitor (→ 401, the sign-in form) and as a staff member
(→ 403); the positive control: B gets in.
"""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.catalog.selectors import version_in_force
from motcua.dossiers.models import Dossier
from motcua.eforms.models import EformDraft
from motcua.eforms.services import eform_start
from motcua.portal import services
from tests.accounts.factories import UserFactory
from tests.backoffice.url_walk import walk
from tests.dossiers.test_services import at
from tests.eforms.factories import CODE as EFORM_CODE
from tests.eforms.factories import lltp_2023_load

from .access_rules import PUBLIC_URLS
from .factories import CODE, citizen, online_dossier

# URL name → the object its parameters name, each reached through a checked door:
#   "dossier"      access_dossier_for_citizen (the dossier must be the citizen's own)
#   "application"  services.access_application (the draft must be the citizen's own)
#   "account"      the signed-in citizen's own data only (no object in the URL)
#   "procedure"    a public procedure; what it creates belongs to the signed-in citizen
CITIZEN_URLS = {
    "portal:account_home": "account",
    "portal:profile": "account",
    "portal:apply_start": "procedure",
    "portal:application_edit": "application",
    "portal:application_file_delete": "application",
    "portal:dossier_detail": "dossier",
    "portal:dossier_supplement": "dossier",
    "portal:dossier_withdraw": "dossier",
    "portal:dossier_return_post": "dossier",
    "portal:dossier_rate": "dossier",
    "portal:result_download": "dossier",
    "portal:dossier_submitted": "dossier",
    "portal:dossier_receipt_pdf": "dossier",
    "portal:dossier_qr_png": "dossier",
    # The online forms (motcua.eforms): the draft's door is eforms.services.access_draft.
    "portal:eform_start": "procedure",
    "portal:eform_edit": "application",
    "portal:eform_file_delete": "application",
}

# API endpoint → its rule. The API has no citizen session: every endpoint is public and answers
# about a dossier only without personal data (masked name), or creates a new one.
API_RULES = {
    "api:api-root": "redirect to the documentation",
    "api:openapi-json": "the schema",
    "api:openapi-view": "the documentation",
    "api:procedure_list": "the public catalogue",
    "api:procedure_detail": "the public catalogue",
    "api:dossier_submit": "creates a new dossier; reaches no existing one",
    "api:dossier_status": "masked: no name, ID, phone, e-mail or address of the applicant",
}


def portal_routes(values=None):
    return [r for r in walk(values=values) if r.name.startswith("portal:")]


def api_routes():
    return [r for r in walk() if r.name.startswith("api:")]


def undeclared(routes, declared) -> list[str]:
    return sorted(r.name for r in routes if r.name not in declared)


def test_every_portal_url_has_a_rule():
    assert undeclared(portal_routes(), PUBLIC_URLS | CITIZEN_URLS) == []


def test_every_api_endpoint_has_a_rule():
    assert undeclared(api_routes(), API_RULES) == []


def test_the_rule_check_fails_for_a_new_url():
    from tests.backoffice.url_walk import Route

    routes = portal_routes() + [Route("portal:new_page_without_rule", "/cong-dan/moi/")]
    assert undeclared(routes, PUBLIC_URLS | CITIZEN_URLS) == ["portal:new_page_without_rule"]


def test_no_declared_rule_names_a_missing_url():
    names = {r.name for r in portal_routes()}
    assert set(CITIZEN_URLS) - names == set()


@pytest.fixture
def two_citizens(desk):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        a = citizen("0912000001", "Trần Văn An", "042190005678")
        b = citizen("0912000002", "Lê Thị Bình", "042190001234")
        dossier_b = online_dossier(b)
        draft_b = services.application_start(b, dossier_b.procedure_version)
        lltp_2023_load()
        eform_start(b, version_in_force(EFORM_CODE))
    return a, b, dossier_b, draft_b


def _filled(dossier, draft):
    values = {
        "dossier_id": dossier.pk,
        "application_id": draft.pk,
        "draft_id": EformDraft.objects.get(citizen=draft.citizen).pk,
        "file_id": 1,
        "document_id": 1,
        "code": CODE,
    }
    return {r.name: r for r in portal_routes(values)}


@pytest.mark.parametrize("name", sorted(CITIZEN_URLS))
def test_citizen_a_cannot_reach_citizen_b(two_citizens, name):
    a, b, dossier_b, draft_b = two_citizens
    route = _filled(dossier_b, draft_b)[name]
    kind = CITIZEN_URLS[name]
    before = (Dossier.objects.get(pk=dossier_b.pk).revision, draft_b.files.count())
    client = Client()
    client.force_login(a)
    if kind in ("dossier", "application"):
        for method in ("get", "post"):
            status = getattr(client, method)(route.path).status_code
            assert status == 403 or (method == "get" and status == 405), (method, status)
    else:  # no one else's object in the URL: A sees only A's own
        body = client.get(route.path).content.decode()
        assert "Lê Thị Bình" not in body and (dossier_b.code or "NO-CODE") not in body
    assert (Dossier.objects.get(pk=dossier_b.pk).revision, draft_b.files.count()) == before


@pytest.mark.parametrize("name", sorted(CITIZEN_URLS))
def test_anonymous_gets_the_sign_in_form(two_citizens, name):
    _, _, dossier_b, draft_b = two_citizens
    route = _filled(dossier_b, draft_b)[name]
    for method in ("get", "post"):
        response = getattr(Client(), method)(route.path)
        assert response.status_code == 401, (method, response.status_code)
        assert "Gửi mã xác thực" in response.content.decode()


@pytest.mark.parametrize("name", sorted(n for n, k in CITIZEN_URLS.items() if k != "procedure"))
def test_staff_are_kept_out(two_citizens, name):
    _, _, dossier_b, draft_b = two_citizens
    route = _filled(dossier_b, draft_b)[name]
    client = Client()
    client.force_login(UserFactory(role=Role.SPECIALIST))
    for method in ("get", "post"):
        status = getattr(client, method)(route.path).status_code
        assert status == 403 or (method == "get" and status == 405), (method, status)


@pytest.mark.parametrize(
    "name", sorted(n for n, k in CITIZEN_URLS.items() if k in ("dossier", "application"))
)
def test_the_owner_gets_in(two_citizens, name):
    """The positive control: the 403s above come from the ownership check."""
    _, b, dossier_b, draft_b = two_citizens
    route = _filled(dossier_b, draft_b)[name]
    client = Client()
    client.force_login(b)
    status = client.get(route.path).status_code
    assert status in (200, 302, 404, 405), status  # 404: the dummy result document


def test_api_status_of_another_citizens_dossier_carries_no_personal_data(two_citizens):
    a, b, dossier_b, _ = two_citizens
    from motcua.dossiers.online import online_reference

    client = Client()
    client.force_login(a)
    response = client.get(reverse("api:dossier_status", args=[online_reference(dossier_b)]))
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("Lê Thị Bình", "042190001234", "0912000002", "Cẩm Xuyên"):
        assert secret not in body
