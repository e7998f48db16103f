"""The public tracking page: no officer's free text for anonymous visitors (also in the shared page
cache), the full page with the last digits of the phone or ID number or for the signed-in owner, a
rate limit per client that counts cached pages too (docs/adr/0021)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from motcua.dossiers.models import Dossier
from tests.dossiers.test_services import act, receive
from tests.portal.factories import online_dossier
from tests.portal.test_application import hương, today  # noqa: F401 (fixtures)
from tests.portal.test_tracking_cache import committed, pages  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

NOTE = "Thiếu bản sao CCCD 042190001234, gọi lại số 0912345678"


def url(key):
    return reverse("portal:tracking_detail", args=[key])


def unlock_url(key):
    return reverse("portal:tracking_unlock", args=[key])


def supplement_requested(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-03T09:00", reason=NOTE)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_anonymous_visitors_see_the_request_but_never_the_officers_words(client, desk):
    dossier = supplement_requested(desk)
    body = client.get(url(dossier.code)).content.decode()
    assert "Bổ sung hồ sơ theo yêu cầu" in body and "Yêu cầu bổ sung hồ sơ" in body
    assert NOTE not in body and "042190001234" not in body and "0912345678" not in body
    assert 'id="tracking-unlock"' in body


def test_the_shared_cached_page_is_the_anonymous_one(desk, client, pages, committed):  # noqa: F811
    with committed():
        dossier = supplement_requested(desk)
    first = client.get(url(dossier.code)).content.decode()
    assert pages.get(f"page:tracking:{dossier.code}") is not None
    cached = client.get(url(dossier.code)).content.decode()
    assert first == cached and NOTE not in cached and "0912345678" not in cached
    # A visitor who unlocked it gets the full page, never stored for others.
    client.post(unlock_url(dossier.code), {"so_cuoi": "5678"})
    assert NOTE in client.get(url(dossier.code)).content.decode()
    assert NOTE not in pages.get(f"page:tracking:{dossier.code}")[1].decode()


@pytest.mark.parametrize("digits", ["5678", "1234", " 56 78 "])
def test_the_last_digits_of_the_phone_or_id_open_the_full_page(client, desk, digits):
    dossier = supplement_requested(desk)
    assert dossier.applicant.phone.endswith("5678")
    assert dossier.applicant.citizen_id.endswith("1234")
    response = client.post(unlock_url(dossier.code), {"so_cuoi": digits})
    assert response.status_code == 302 and response["Location"] == url(dossier.code)
    body = client.get(url(dossier.code)).content.decode()
    assert f"Bổ sung hồ sơ theo yêu cầu: {NOTE}" in body
    assert 'id="tracking-unlock"' not in body


@pytest.mark.parametrize(
    "digits, message",
    [
        ("0000", "không khớp"),
        ("12", "Hãy nhập đúng 4 chữ số cuối"),
        ("abcd", "Hãy nhập đúng 4 chữ số cuối"),
        ("", "Hãy nhập đúng 4 chữ số cuối"),
    ],
)
def test_wrong_digits_are_refused_and_open_nothing(client, desk, digits, message):
    dossier = supplement_requested(desk)
    response = client.post(unlock_url(dossier.code), {"so_cuoi": digits})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and NOTE not in body
    assert NOTE not in client.get(url(dossier.code)).content.decode()
    assert "tracking_unlocked" not in client.session


def test_guessing_digits_stops_after_five_wrong_tries(client, desk):
    dossier = supplement_requested(desk)
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        client.post(unlock_url(dossier.code), {"so_cuoi": guess})
    response = client.post(unlock_url(dossier.code), {"so_cuoi": "5678"})
    assert response.status_code == 400
    assert "nhập sai nhiều lần" in response.content.decode()
    assert NOTE not in client.get(url(dossier.code)).content.decode()


def test_unlocking_an_unknown_code_is_a_404(client, desk):
    response = client.post(unlock_url("000.00.40.H27-990101-0001"), {"so_cuoi": "5678"})
    assert response.status_code == 404


def test_the_signed_in_owner_sees_the_full_page(client, desk, hương):  # noqa: F811
    dossier = online_dossier(hương)
    act(
        desk["desk"],
        dossier,
        "request_intake_supplement",
        "2024-05-06T11:00",
        note="Tờ khai chưa ký",
    )
    dossier.refresh_from_db()
    key = dossier.short_reference
    assert "Tờ khai chưa ký" not in client.get(url(key)).content.decode()
    client.force_login(hương)
    assert "Tờ khai chưa ký" in client.get(url(key)).content.decode()


@override_settings(MOTCUA_TRACKING_PER_MINUTE=3)
def test_the_rate_limit_answers_429_in_vietnamese_and_counts_cached_pages(
    client,
    desk,
    pages,  # noqa: F811
    committed,  # noqa: F811
    django_assert_num_queries,
):
    with committed():
        dossier = receive(desk)
    for _ in range(3):
        assert client.get(url(dossier.code)).status_code == 200
    with django_assert_num_queries(0):  # the third page above was served from the cache
        response = client.get(url(dossier.code))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Ông/bà tra cứu quá nhiều lần" in response.content.decode()
    # Other codes and the unlock form count against the same client.
    assert client.get(url("KHONG-CO")).status_code == 429
    assert client.post(unlock_url(dossier.code), {"so_cuoi": "5678"}).status_code == 429
    # Another client is not limited.
    assert client.get(url(dossier.code), REMOTE_ADDR="198.51.100.20").status_code == 200


@override_settings(MOTCUA_TRACKING_PER_MINUTE=30)
def test_enumerating_codes_is_stopped(client, desk):
    dossier = receive(desk)
    prefix = dossier.code.rsplit("-", 1)[0]
    answers = [client.get(url(f"{prefix}-{n:04d}")).status_code for n in range(1, 41)]
    assert answers.count(429) == 10
    assert Dossier.objects.count() == 1


def test_anonymous_visitors_see_the_papers_asked_for(client, desk):
    """The public page lists the papers ticked in the request (names from the procedure), still
    without the officer's own words."""
    from tests.dossiers.test_supplement_list import COPY, FORM

    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-03T09:00",
        papers=[FORM, COPY], reason=NOTE)  # fmt: skip
    body = client.get(url(dossier.code)).content.decode()
    assert f"<li>{FORM}</li>" in body and f"<li>{COPY}</li>" in body
    assert NOTE not in body
