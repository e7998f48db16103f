"""Security defaults: response headers, CSRF, and Django's deployment checklist on production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers_on_pages(client, signed_in):
    if signed_in:
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        response = client.get(reverse("backoffice:home"))
    else:
        response = client.get(reverse("backoffice:login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_post_without_csrf_token_is_rejected():
    user = UserFactory(role=Role.SPECIALIST)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("backoffice:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "Không gửi được biểu mẫu" in response.content.decode()


def test_post_with_csrf_token_is_accepted():
    # The control for the test above: the same sign-in succeeds with the token.
    user = UserFactory(role=Role.SPECIALIST)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("backoffice:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("backoffice:login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_signed_in_post_without_csrf_token_changes_nothing():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    unit = UserFactory(role=Role.SPECIALIST).unit
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(
        reverse("backoffice:staff_add"),
        {
            "username": "moi",
            "full_name": "Người Mới",
            "role": Role.ADMINISTRATOR,
            "unit_id": unit.pk,
            "password": "Mat-khau-Rat-Dai-2024",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="moi").exists()


def _deploy_check(**extra_env) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        **extra_env,
    }
    env.pop("DATABASE_URL", None)  # the checks need no database
    # tests/conftest.py sets this for Playwright; a deployment never has it (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checklist_reports_no_issues():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_deploy_check_can_fail():
    # The control: on the development settings (no HTTPS protections) the same command complains.
    result = _deploy_check(DJANGO_SETTINGS_MODULE="config.settings.base")
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr
