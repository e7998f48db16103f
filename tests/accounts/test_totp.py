"""Staff second factor (RFC 6238 TOTP): enrolment, verification after the password, required for
leaders and administrators under MOTCUA_STAFF_2FA=required, replay refused."""

import pytest
from django.urls import reverse

from motcua.accounts import totp
from motcua.accounts.models import SignInFailure, TotpDevice
from motcua.accounts.roles import Role
from motcua.core.clock import now
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("backoffice:login")
CODE = reverse("backoffice:login_code")
ENROL = reverse("backoffice:totp_enrol")
HOME = reverse("backoffice:home")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _current_code(user) -> str:
    device = TotpDevice.objects.get(user=user)
    return totp.hotp(device.secret, totp.time_step())


def _enrolled(user) -> TotpDevice:
    return TotpDevice.objects.create(user=user, secret=totp.new_secret(), confirmed_at=now())


def test_rfc_6238_reference_values():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits truncated to 6 here.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.hotp(secret, 59 // 30) == "287082"
    assert totp.hotp(secret, 1111111109 // 30) == "081804"
    assert totp.hotp(secret, 1234567890 // 30) == "005924"


@pytest.mark.parametrize("role", [Role.DEPARTMENT_LEADER, Role.DIVISION_HEAD, Role.ADMINISTRATOR])
def test_leaders_are_sent_to_enrolment_when_required(client, settings, role):
    settings.MOTCUA_STAFF_2FA = "required"
    user = UserFactory(role=role)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == ENROL
    assert not _signed_in(client)
    assert client.get(HOME).status_code == 302  # not signed in yet
    page = client.get(ENROL).content.decode()
    assert "data:image/svg+xml" in page and "Xác nhận" in page
    response = client.post(ENROL, {"code": _current_code(user)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert _signed_in(client)
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_a_specialist_is_not_forced_when_required(client, settings):
    settings.MOTCUA_STAFF_2FA = "required"
    user = UserFactory(role=Role.SPECIALIST)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert _signed_in(client)


def test_leaders_sign_in_with_the_password_alone_when_optional(client, settings):
    settings.MOTCUA_STAFF_2FA = "optional"
    user = UserFactory(role=Role.DEPARTMENT_LEADER)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert _signed_in(client)


def test_an_enrolled_account_needs_the_code_after_the_password(client):
    user = UserFactory(role=Role.SPECIALIST)
    _enrolled(user)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    assert not _signed_in(client)
    body = client.post(CODE, {"code": "000000"}).content.decode()
    assert "Mã xác thực không đúng" in body and not _signed_in(client)
    assert SignInFailure.objects.get().reason == "wrong_code"
    response = client.post(CODE, {"code": _current_code(user)})
    assert response.status_code == 302 and response["Location"] == HOME
    assert _signed_in(client)


def test_the_same_code_is_refused_a_second_time(client):
    user = UserFactory(role=Role.SPECIALIST)
    _enrolled(user)
    code = _current_code(user)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(CODE, {"code": code})
    assert _signed_in(client)
    client.logout()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    body = client.post(CODE, {"code": code}).content.decode()
    assert "Mã này vừa được dùng" in body
    assert not _signed_in(client)
    assert SignInFailure.objects.filter(reason="replayed_code").count() == 1


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client):
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_wrong_codes_count_towards_the_lock(client, settings):
    settings.MOTCUA_SIGNIN_LOCK_FAILURES = 3
    user = UserFactory(role=Role.SPECIALIST)
    _enrolled(user)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    for _ in range(3):
        body = client.post(CODE, {"code": "000000"}).content.decode()
    assert "Tài khoản tạm thời bị khóa" in body
    user.refresh_from_db()
    assert user.locked_until is not None
    response = client.post(CODE, {"code": _current_code(user)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _signed_in(client)


def test_a_signed_in_officer_turns_it_on(client):
    user = UserFactory(role=Role.SPECIALIST)
    client.force_login(user)
    client.get(ENROL)
    body = client.post(ENROL, {"code": "12"}).content.decode()
    assert "Mã xác thực gồm 6 chữ số" in body
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    response = client.post(ENROL, {"code": _current_code(user)})
    assert response.status_code == 302
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_a_citizen_cannot_open_the_enrolment(client):
    client.force_login(UserFactory(citizen=True))
    assert client.get(ENROL).status_code == 403
    assert not TotpDevice.objects.exists()
