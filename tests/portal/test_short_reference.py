"""Tracking codes people can type (docs/adr/0021): a short reference with a check character for
online submissions, lookups that forgive case, spaces and dashes, SMS in one GSM-7 segment, and
the old long reference still resolving."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from motcua.dossiers.codes import (
    SHORT_REFERENCE_ALPHABET,
    dossier_code_parse,
    short_reference_new,
    short_reference_parse,
)
from motcua.dossiers.messages import SMS_LIMIT
from motcua.dossiers.models import Dossier
from motcua.dossiers.online import dossier_by_reference, long_reference
from motcua.notifications.models import Notification
from motcua.notifications.sms import GSM7_BASIC, sms_text
from tests.dossiers.test_services import act, receive
from tests.portal.factories import online_dossier
from tests.portal.test_application import hương, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def url(key):
    return reverse("portal:tracking_detail", args=[key])


def test_a_short_reference_is_nine_unambiguous_characters_with_a_check():
    references = {short_reference_new() for _ in range(500)}
    assert len(references) == 500  # random, not sequential
    for reference in references:
        assert re.fullmatch(f"[{SHORT_REFERENCE_ALPHABET}]{{9}}", reference)
        assert short_reference_parse(reference) == reference
    assert not set("01OILU") & set(SHORT_REFERENCE_ALPHABET)


def test_the_check_character_rejects_every_single_typo():
    reference = short_reference_new()
    for position in range(len(reference)):
        for char in SHORT_REFERENCE_ALPHABET:
            if char != reference[position]:
                typo = reference[:position] + char + reference[position + 1 :]
                assert short_reference_parse(typo) is None, typo


def test_the_check_character_rejects_every_swap_of_neighbours():
    caught = total = 0
    for _ in range(200):
        reference = short_reference_new()
        for i in range(len(reference) - 1):
            if reference[i] != reference[i + 1]:
                total += 1
                swapped = reference[:i] + reference[i + 1] + reference[i] + reference[i + 2 :]
                caught += short_reference_parse(swapped) is None
    assert caught == total


@pytest.mark.parametrize("text", ["", "ABC", "0" * 9, "OOOOOOOOO", "ABCDEFGH!", "A" * 20])
def test_anything_else_is_not_a_short_reference(text):
    assert short_reference_parse(text) is None


def test_an_online_submission_gets_a_short_reference(hương):  # noqa: F811
    dossier = online_dossier(hương)
    assert short_reference_parse(dossier.short_reference) == dossier.short_reference
    assert len(dossier.short_reference) <= 12


def test_the_short_reference_is_found_in_any_case_and_spacing(client, hương):  # noqa: F811
    dossier = online_dossier(hương)
    ref = dossier.short_reference
    typed = f" {ref[:4].lower()} - {ref[4:8]} {ref[8:].lower()} "
    assert dossier_by_reference(typed) == dossier
    response = client.get(reverse("portal:tracking_form"), {"ma": typed}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url(ref)
    assert "Mới đăng ký" in response.content.decode()


def test_a_mistyped_short_reference_is_not_found(client, hương):  # noqa: F811
    dossier = online_dossier(hương)
    ref = dossier.short_reference
    other = next(c for c in SHORT_REFERENCE_ALPHABET if c != ref[3])
    assert client.get(url(ref[:3] + other + ref[4:])).status_code == 404


def test_the_official_code_is_found_in_lower_case_with_stray_spaces(client, desk):
    dossier = receive(desk)
    typed = dossier.code.lower().replace("-", " - ")
    assert dossier_code_parse(typed) == dossier.code
    response = client.get(reverse("portal:tracking_form"), {"ma": typed}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == url(dossier.code)
    assert client.get(url(dossier.code.lower()))["Location"] == url(dossier.code)


def test_a_number_alone_is_still_not_found(client, desk):
    receive(desk)
    assert client.get(url("22132")).status_code == 404


def test_the_old_long_reference_sends_on_to_the_short_one(client, hương):  # noqa: F811
    dossier = online_dossier(hương)
    response = client.get(url(long_reference(dossier)))
    assert response.status_code == 302 and response["Location"] == url(dossier.short_reference)


def test_a_received_online_dossier_is_sent_on_to_its_code(client, desk, hương):  # noqa: F811
    dossier = act(desk["desk"], online_dossier(hương), "accept", "2024-05-06T11:00")
    assert client.get(url(dossier.short_reference))["Location"] == url(dossier.code)


def test_the_submission_sms_fits_one_gsm7_segment_and_links_by_the_short_reference(
    hương,  # noqa: F811
):
    dossier = online_dossier(hương)
    sms = Notification.objects.filter(channel="sms").order_by("pk").last()
    assert len(sms.body) <= SMS_LIMIT
    assert all(ch in GSM7_BASIC for ch in sms.body)
    assert f"/cong-dan/tra-cuu/{dossier.short_reference}/" in sms.body
    assert "Ma tra cuu" in sms.body and dossier.short_reference[:4] in sms.body


def test_status_sms_fit_one_segment(desk, hương):  # noqa: F811
    dossier = act(desk["desk"], online_dossier(hương), "accept", "2024-05-06T11:00")
    sms = Notification.objects.filter(channel="sms").order_by("pk").last()
    assert dossier.code in sms.body and len(sms.body) <= SMS_LIMIT
    assert all(ch in GSM7_BASIC for ch in sms.body)


def test_sms_text_drops_accents_and_keeps_meaning():
    assert sms_text("Hồ sơ đã được tiếp nhận — Đà Nẵng…") == "Ho so da duoc tiep nhan - Da Nang..."


def test_the_migration_back_fills_existing_online_dossiers(hương):  # noqa: F811
    dossier = online_dossier(hương)
    Dossier.objects.filter(pk=dossier.pk).update(short_reference=None)
    migration = importlib.import_module("motcua.dossiers.migrations.0008_g_short_reference")
    migration.backfill(apps, None)
    dossier.refresh_from_db()
    assert short_reference_parse(dossier.short_reference) == dossier.short_reference
