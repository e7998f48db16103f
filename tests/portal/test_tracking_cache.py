"""The public tracking page served from the shared page cache (motcua.core.pagecache) to requests
without cookies, and built anew after every committed change it shows: a workflow move, a supplement
request, a payment (webhook or statement), the return by post. A request with a cookie never gets
the shared page; a rolled-back change neither forgets the page nor leaves its uncommitted status in
the cache; an unknown code is never cached, so a dossier received later with that code is found.

The writes run inside `django_capture_on_commit_callbacks(execute=True)`: the test's transaction
never commits, and the forget runs on commit."""

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.payments.services import CreditData, credit_receive
from motcua.payments.statements import statement_import
from tests.bench.test_pagecache import PAGES
from tests.dossiers.test_services import act, at, receive
from tests.payments.helpers import ACCOUNT, collecting_account, dossier_awaiting_payment
from tests.postal.helpers import home_address, process_to_result

RECEIVED = "Đã tiếp nhận, chờ phân công"
IN_PROGRESS = "Đang xử lý"


@pytest.fixture
def pages():
    with override_settings(CACHES=PAGES):
        caches["pages"].clear()
        yield caches["pages"]
        caches["pages"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: its on-commit forget runs."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(code):
    return f"/cong-dan/tra-cuu/{code}/"


def page(client, code):
    response = client.get(url(code))
    assert response.status_code == 200
    return response.content.decode()


def received(desk, committed):
    with committed():
        return receive(desk)


def test_the_second_request_is_served_from_the_cache_with_the_same_headers(
    desk, client, pages, committed, django_assert_num_queries
):
    dossier = received(desk, committed)
    with CaptureQueriesContext(connection) as miss:
        first = client.get(url(dossier.code))
    # The dossier with its procedure and step, in one query without ORDER BY.
    assert len(miss) == 1 and "ORDER BY" not in miss[0]["sql"]
    with django_assert_num_queries(0):
        second = client.get(url(dossier.code))
    assert (second.status_code, second.content) == (200, first.content)
    assert RECEIVED in second.content.decode()
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
    ):
        assert second[header] == first[header], header
    assert {v.strip() for v in second["Vary"].split(",")} == {"Cookie", "Accept-Language"}
    assert {v.strip() for v in first["Vary"].split(",")} == {"Cookie", "Accept-Language"}
    assert not second.cookies


def test_a_workflow_move_shows_at_once(desk, client, pages, committed):
    dossier = received(desk, committed)
    assert RECEIVED in page(client, dossier.code)
    with committed():
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    after = page(client, dossier.code)
    assert IN_PROGRESS in after and RECEIVED not in after
    assert page(client, dossier.code) == after  # cached again


def test_a_supplement_request_shows_its_reason(desk, client, pages, committed):
    dossier = received(desk, committed)
    with committed():
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    assert "Bổ sung hồ sơ theo yêu cầu" not in page(client, dossier.code)
    with committed():
        act(
            desk["specialist"],
            dossier,
            "request_supplement",
            "2024-05-03T09:00",
            reason="Thiếu bản sao giấy khai sinh",
        )
    after = page(client, dossier.code)
    # The shared page is the public one: the request is shown, never the officer's words.
    assert "Bổ sung hồ sơ theo yêu cầu: xem thông báo" in after
    assert "Thiếu bản sao giấy khai sinh" not in after
    assert "đang tạm dừng" in after


def awaiting_payment(desk, committed):
    collecting_account()
    with committed():
        return dossier_awaiting_payment(desk)


def test_a_part_payment_changes_the_amount_and_the_full_payment_removes_the_qr(
    desk, client, pages, committed
):
    dossier, charge = awaiting_payment(desk, committed)
    assert 'id="vietqr"' in page(client, dossier.code)
    assert "200.000 đồng" in page(client, dossier.code)

    def pay(txn, amount):
        with committed():
            credit_receive(
                None,
                CreditData(
                    provider="generic",
                    provider_txn_id=txn,
                    amount=amount,
                    booked_at=at("2024-05-03T10:00"),
                    narrative=f"nop phi {charge.reference}",
                    account_number=ACCOUNT,
                ),
            )

    pay("T1", 150_000)  # no status change: only the payments service can say the page changed
    assert "50.000 đồng" in page(client, dossier.code)
    pay("T2", 50_000)
    after = page(client, dossier.code)
    assert 'id="vietqr"' not in after and IN_PROGRESS in after


def test_a_part_payment_in_a_bank_statement_changes_the_amount(desk, client, pages, committed):
    dossier, charge = awaiting_payment(desk, committed)
    account = charge.account
    assert "200.000 đồng" in page(client, dossier.code)
    statement = "\n".join(
        [
            f"Số tài khoản: {ACCOUNT};;;;",
            "Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Mô tả",
            f"03/05/2024 10:15:00;5243.65937;;120,000;MBVCB.4525077405.{charge.reference}",
        ]
    ).encode("utf-8-sig")
    with committed():
        statement_import(desk["desk"], statement, "saoke.csv", profile="vcb", account_id=account.pk)
    assert "80.000 đồng" in page(client, dossier.code)


def test_the_payment_panel_reads_the_dossier_once(desk, client, pages, committed):
    dossier, _ = awaiting_payment(desk, committed)
    with CaptureQueriesContext(connection) as miss:
        assert 'id="vietqr"' in page(client, dossier.code)
    reads = [q["sql"] for q in miss if 'FROM "dossiers_dossier"' in q["sql"]]
    assert len(reads) == 1, reads
    assert len(miss) == 3  # the dossier, its charge with the account, the payment request's note


def test_choosing_the_return_by_post_changes_what_the_applicant_is_told(
    desk, client, pages, committed
):
    from motcua.postal.services import postal_return_choose

    with committed():
        dossier = process_to_result(desk, receive(desk))
    assert "Bộ phận Một cửa để nhận" in page(client, dossier.code)
    with committed():
        postal_return_choose(desk["desk"], dossier, home_address())
    assert "gửi qua dịch vụ bưu chính công ích" in page(client, dossier.code)


def test_the_citizen_choosing_the_return_by_post_on_the_portal_shows_too(
    desk, client, pages, committed
):
    from motcua.portal.services import dossier_return_by_post_choose
    from tests.accounts.factories import UserFactory

    with committed():
        dossier = process_to_result(desk, receive(desk))
    citizen = UserFactory(citizen=True)
    Dossier.objects.filter(pk=dossier.pk).update(submitted_by=citizen)
    assert "Bộ phận Một cửa để nhận" in page(client, dossier.code)
    with committed():
        dossier_return_by_post_choose(citizen, dossier.pk)
    assert "gửi qua dịch vụ bưu chính công ích" in page(client, dossier.code)


def test_a_request_with_a_cookie_is_never_served_nor_stores_the_shared_page(
    desk, client, pages, committed
):
    dossier = received(desk, committed)
    shared = page(client, dossier.code)
    # A change no service announced (as a database edited by hand): the shared page lags behind...
    Dossier.objects.filter(pk=dossier.pk).update(status="in_progress")
    assert page(client, dossier.code) == shared
    client.cookies["sessionid"] = "anything"
    assert IN_PROGRESS in page(client, dossier.code)  # ...a request with a cookie never does
    client.cookies.clear()
    client.force_login(desk["desk"])
    signed_in = page(client, dossier.code)
    assert "Đăng xuất" in signed_in and "csrfmiddlewaretoken" in signed_in
    client.cookies.clear()
    assert page(client, dossier.code) == shared  # the signed-in page was not stored


def test_a_rolled_back_move_neither_forgets_nor_poisons_the_page(
    desk, client, pages, committed, django_capture_on_commit_callbacks
):
    dossier = received(desk, committed)
    before = page(client, dossier.code)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
        assert IN_PROGRESS in page(client, dossier.code)  # this transaction sees its own write
        transaction.set_rollback(True)
    assert callbacks == []  # nothing to forget: the change never committed
    assert page(client, dossier.code) == before
    assert RECEIVED in page(client, dossier.code)


def test_an_unknown_code_is_not_cached_and_a_dossier_received_later_is_found(
    desk, client, pages, committed
):
    with transaction.atomic():  # learn the code the next reception will give, then undo it
        code = receive(desk).code
        transaction.set_rollback(True)
    assert client.get(url(code)).status_code == 404
    assert client.get(url(code)).status_code == 404
    assert pages.get_many([f"gen:tracking:{code}", f"page:tracking:{code}"]) == {}
    dossier = received(desk, committed)
    assert dossier.code == code
    assert RECEIVED in page(client, code)


def test_a_page_found_by_online_reference_is_not_cached(desk, client, pages, committed):
    from motcua.dossiers.online import online_reference

    dossier = received(desk, committed)
    reference = online_reference(dossier)
    # Sent on to the page under its code, the one a change forgets.
    assert client.get(url(reference))["Location"] == url(dossier.code)
    assert "N*** T*** H***" in page(client, dossier.code)
    assert pages.get(f"page:tracking:{reference}") is None


def test_a_page_that_would_carry_a_csrf_token_is_not_shared(
    desk, client, pages, committed, monkeypatch
):
    """Should the frame ever put a form on the page for visitors, its token is that visitor's."""
    from django.middleware.csrf import get_token

    from motcua.portal import views_public

    render = views_public.render

    def render_with_token(request, *args, **kwargs):
        get_token(request)
        return render(request, *args, **kwargs)

    monkeypatch.setattr(views_public, "render", render_with_token)
    dossier = received(desk, committed)
    assert RECEIVED in page(client, dossier.code)
    assert pages.get(f"page:tracking:{dossier.code}") is None


def test_the_time_of_the_request_does_not_matter(desk, client, pages, committed):
    """The page shows dates stored on the dossier only: a page built yesterday is still right."""
    dossier = received(desk, committed)
    with time_machine.travel(at("2024-04-27T08:00"), tick=False):
        first = page(client, dossier.code)
    with time_machine.travel(at("2024-05-20T08:00"), tick=False):
        assert client.get(url(dossier.code)).content.decode() == first


def test_a_change_of_the_collecting_account_shows_on_the_payment_panel(
    desk, client, pages, committed
):
    from motcua.accounts.roles import Role
    from motcua.payments.services import AccountData, account_save
    from tests.accounts.factories import UserFactory

    dossier, charge = awaiting_payment(desk, committed)
    assert "SO TU PHAP HA TINH" in page(client, dossier.code)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    data = AccountData(
        bank_bin=charge.account.bank_bin,
        account_number=charge.account.account_number,
        account_name="SO TU PHAP TINH HA TINH",
        is_default=True,
    )
    with committed():
        account_save(admin, data, account_id=charge.account_id)
    assert "SO TU PHAP TINH HA TINH" in page(client, dossier.code)
