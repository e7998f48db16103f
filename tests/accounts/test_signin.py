"""Staff sign-in protection: locks, address throttle, failure log, unlock (docs/adr/0021)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from motcua.accounts import signin
from motcua.accounts.models import SignInFailure, User
from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.notifications.models import Notification
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("backoffice:login")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _try(client, username, password, ip="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(30):
        _try(client, user.username, "sai-mat-khau")
    response = _try(client, user.username, PASSWORD)
    assert not _signed_in(client)
    # From another address too (the first one is now throttled as well).
    response = _try(client, user.username, PASSWORD, ip="203.0.113.77")
    assert not _signed_in(client)
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until is not None and user.locked_until > now()


def test_the_lock_comes_at_the_tenth_failure_and_is_announced(client):
    user = UserFactory(role=Role.SPECIALIST, email="chuyenvien@example.vn")
    admin = UserFactory(role=Role.ADMINISTRATOR, email="quantri@example.vn")
    for _ in range(9):
        _try(client, user.username, "sai-mat-khau")
    user.refresh_from_db()
    assert user.locked_until is None
    assert not Notification.objects.exists()
    response = _try(client, user.username, "sai-mat-khau")
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    to_owner = Notification.objects.get(to=user.email)
    assert user.username in to_owner.body and "203.0.113.5" in to_owner.body
    to_admin = Notification.objects.get(to=admin.email)
    assert "bị khóa" in to_admin.body and user.username in to_admin.body


def test_nine_failures_then_the_right_password_signs_in(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(9):
        _try(client, user.username, "sai-mat-khau")
    _try(client, user.username, PASSWORD)
    assert _signed_in(client)


def test_every_failure_is_logged_without_the_password(client):
    user = UserFactory(role=Role.SPECIALIST)
    _try(client, user.username, "mat-khau-bi-mat-123", ip="198.51.100.7")
    _try(client, "khong-ton-tai", "mat-khau-bi-mat-456", ip="198.51.100.8")
    rows = list(SignInFailure.objects.order_by("at", "pk"))
    assert [(r.username, r.ip, r.reason) for r in rows] == [
        (user.username, "198.51.100.7", "wrong_password"),
        ("khong-ton-tai", "198.51.100.8", "wrong_password"),
    ]
    assert rows[0].user == user and rows[0].at is not None
    for row in rows:
        assert "mat-khau-bi-mat" not in str(row.__dict__)


def test_the_lock_ends_after_its_time(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(10):
        _try(client, user.username, "sai-mat-khau")
    with time_machine.travel(now() + timedelta(minutes=31)):
        _try(client, user.username, PASSWORD)
        assert _signed_in(client)


def test_an_unknown_username_is_refused_like_a_locked_account(client):
    for _ in range(10):
        _try(client, "khong-ton-tai", "sai")
    body = _try(client, "khong-ton-tai", "sai").content.decode()
    assert "Tài khoản tạm thời bị khóa" in body


def test_an_address_with_many_failures_is_throttled(client, settings):
    settings.MOTCUA_SIGNIN_ADDRESS_FAILURES = 5
    victim = UserFactory(role=Role.SPECIALIST)
    for n in range(5):
        _try(client, f"doan-{n}", "sai", ip="192.0.2.9")
    response = _try(client, victim.username, PASSWORD, ip="192.0.2.9")
    assert "quá nhiều lần đăng nhập không thành công từ địa chỉ mạng này" in (
        response.content.decode()
    )
    assert not _signed_in(client)
    _try(client, victim.username, PASSWORD, ip="192.0.2.10")  # another address is not blocked
    assert _signed_in(client)


def test_the_limits_are_configurable(client, settings):
    settings.MOTCUA_SIGNIN_LOCK_FAILURES = 3
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(3):
        _try(client, user.username, "sai")
    user.refresh_from_db()
    assert user.locked_until is not None


def test_an_administrator_unlocks_from_the_page(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(10):
        _try(client, user.username, "sai-mat-khau")
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert f'href="{reverse("backoffice:signin_failures")}"' in home
    page = client.get(reverse("backoffice:signin_failures")).content.decode()
    assert user.username in page and "Mở khóa" in page
    response = client.post(reverse("backoffice:account_unlock", args=[user.pk]))
    assert response.status_code == 302
    client.logout()
    _try(client, user.username, PASSWORD)
    assert _signed_in(client)


def test_only_an_administrator_unlocks(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(10):
        _try(client, user.username, "sai-mat-khau")
    client.force_login(UserFactory(role=Role.DIVISION_HEAD))
    assert client.post(reverse("backoffice:account_unlock", args=[user.pk])).status_code == 403
    assert client.get(reverse("backoffice:signin_failures")).status_code == 403
    user.refresh_from_db()
    assert user.locked_until is not None


def test_the_unlock_command(client):
    user = UserFactory(role=Role.SPECIALIST)
    for _ in range(10):
        _try(client, user.username, "sai-mat-khau")
    call_command("staff_unlock", user.username)
    user.refresh_from_db()
    assert user.locked_until is None
    _try(client, user.username, PASSWORD)
    assert _signed_in(client)


def test_the_unlock_command_with_an_unknown_user_changes_nothing(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("staff_unlock", "khong-ton-tai")
    assert not User.objects.exclude(locked_until=None).exists()


def test_account_unlock_service_refuses_non_administrators():
    from django.core.exceptions import PermissionDenied

    user = UserFactory(role=Role.SPECIALIST, locked_until=now() + timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        signin.account_unlock(UserFactory(role=Role.SPECIALIST), user.pk)
    user.refresh_from_db()
    assert user.locked_until is not None
