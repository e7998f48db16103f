"""`motcua feedback summary` and `motcua staffing summary` print the report sections as JSON."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_feedback_summary_and_bad_dates():
    out = StringIO()
    call_command("feedback", "summary", "--from", "2023-01-01", "--to", "2023-06-30", stdout=out)
    data = json.loads(out.getvalue())
    assert data["feedback"]["received"] == 0 and data["satisfaction"]["forms"] == 0
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("feedback", "summary", "--from", "2023-02-30", "--to", "2023-06-30")
    with pytest.raises(CommandError, match="phải sau"):
        call_command("feedback", "summary", "--from", "2023-06-30", "--to", "2023-01-01")


def test_staffing_summary():
    out = StringIO()
    call_command("staffing", "summary", "--at", "2023-06-30", stdout=out)
    assert json.loads(out.getvalue())["organisation"]["staff"] == 0
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("staffing", "summary", "--at", "30/06/2023")


def test_worklist_queries_do_not_grow(django_assert_max_num_queries):
    from django.test import Client

    from motcua.accounts.roles import Role
    from tests.accounts.factories import UserFactory

    from .helpers import received

    for n in range(15):
        received(suffix=str(n))
    client = Client()
    client.force_login(UserFactory(role=Role.SPECIALIST))
    with django_assert_max_num_queries(8):
        assert client.get("/can-bo/phan-anh/").status_code == 200
    assert client.get("/hoi-dap/gui/da-nhan/PAKN-2099-9999/").status_code == 404
