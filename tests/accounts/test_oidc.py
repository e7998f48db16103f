"""Sign-in through a central identity provider: the whole OIDC code flow against a local provider
(authorize → callback → token → RS256 id_token checked with the JWKS → userinfo)."""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from tests.accounts.factories import UserFactory

from .oidc_provider import OidcProvider

CLAIMS = {
    "sub": "vneid-001",
    "name": "Nguyễn Thị Hương",
    "email": "Huong@Vi-Du.vn",
    "email_verified": True,
    "phone_number": "0912345678",
    "phone_number_verified": True,
    "citizen_id": "042190001234",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def provider():
    server = OidcProvider(claims=dict(CLAIMS))
    yield server
    server.close()


def _sign_in(client: Client, provider) -> object:
    start = client.get(reverse("portal:oidc_start"))
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(start["Location"])
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
        back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("portal:oidc_callback")
    return client.get(f"{back.path}?{back.query}")


@pytest.mark.django_db
def test_the_code_flow_signs_a_citizen_in_and_opens_the_account(provider):
    with override_settings(**provider.settings()):
        client = Client()
        response = _sign_in(client, provider)
        assert response.status_code == 302 and response["Location"] == reverse(
            "portal:account_home"
        )
        user = User.objects.get()
        assert (user.role, user.email, user.full_name, user.citizen_id) == (
            Role.CITIZEN,
            "huong@vi-du.vn",
            "Nguyễn Thị Hương",
            "042190001234",
        )
        assert client.get(reverse("portal:account_home")).status_code == 200
        assert provider.token_requests[0]["redirect_uri"].endswith(reverse("portal:oidc_callback"))
        # The second time, the same account.
        client.post(reverse("portal:signout"))
        _sign_in(client, provider)
        assert User.objects.count() == 1


@pytest.mark.django_db
def test_unverified_contacts_are_refused(provider):
    provider.claims.update(email_verified=False, phone_number_verified=False)
    with override_settings(**provider.settings()):
        client = Client()
        response = _sign_in(client, provider)
        assert response["Location"].startswith(reverse("portal:signin"))
        assert not User.objects.exists() and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_token_for_another_application_is_refused(provider):
    provider.audience = "ung-dung-khac"
    with override_settings(**provider.settings()):
        client = Client()
        response = _sign_in(client, provider)
        assert response["Location"].startswith(reverse("portal:signin"))
        assert not User.objects.exists()


@pytest.mark.django_db
def test_a_staff_account_is_never_signed_in_by_oidc(provider):
    UserFactory(role=Role.DESK_OFFICER, email="huong@vi-du.vn")
    with override_settings(**provider.settings()):
        client = Client()
        response = _sign_in(client, provider)
        assert response["Location"].startswith(reverse("portal:signin"))
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_off_by_default(client):
    assert client.get(reverse("portal:oidc_start")).status_code == 404
    assert client.get(reverse("portal:oidc_callback")).status_code == 404
