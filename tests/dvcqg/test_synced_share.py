"""Issue [I] 9: the "đã đồng bộ" share of a period — the period's dossiers whose current state has
reached the national portal (motcua.dvcqg.selectors.synced_share) — and its place on the leader's
indicators dashboard (/can-bo/chi-so/)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse

from motcua.core.clock import now
from motcua.dvcqg.selectors import synced_share
from tests.dossiers.test_services import act, at, receive
from tests.dvcqg.test_feed_sync import sync

pytestmark = pytest.mark.django_db

APRIL = (at("2024-04-01T00:00"), at("2024-05-01T00:00"))


def share(dossier_filter=None):
    found = synced_share(*APRIL, dossier_filter)
    return found.dossiers, found.synced, found.pct


def test_the_share_counts_the_dossiers_whose_current_state_the_portal_holds(desk, portal):
    a, b, c = receive(desk), receive(desk), receive(desk)
    receive(desk, when="2024-05-06T09:00")  # another period
    assert share() == (3, 0, 0.0)  # waiting: nothing sent yet
    sync()
    assert share() == (3, 3, 100.0)
    # A's new state waits for the next run; B's is refused by the portal (failed, then dead).
    act(desk["head"], a, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["head"], b, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    assert share() == (3, 1, 33.3)
    portal.faults.refuse_codes[b.code] = (7, "Không nhận")
    sync()
    assert share() == (3, 2, 66.7)
    portal.faults.refuse_codes.clear()
    with time_machine.travel(now() + timedelta(minutes=1)):
        sync()
    assert share() == (3, 3, 100.0)
    # The scope's other filters apply; no dossier at all: no share.
    assert share(Q(pk__in=[a.pk, c.pk])) == (2, 2, 100.0)
    assert share(Q(channel="online")) == (0, 0, None)


def test_a_dossier_never_sent_is_not_synced(desk, settings):
    settings.DVCQG_ADAPTER_URL = ""  # the sync is off: nothing is queued, nothing sent
    receive(desk)
    found = synced_share(*APRIL)
    assert (found.dossiers, found.synced, found.enabled) == (1, 0, False)


def test_the_dashboard_shows_the_share_of_its_period(desk, portal, client):
    receive(desk), receive(desk), receive(desk)
    sync()
    receive(desk)  # received, not yet sent
    client.force_login(desk["leader"])
    url = reverse("indicators:dashboard")
    html = client.get(url, {"tu": "2024-04-01", "den": "2024-04-30"}).content.decode()
    assert "Đồng bộ lên Cổng Dịch vụ công quốc gia" in html
    assert 'id="dvcqg-synced-share"><strong>3</strong> / 4 hồ sơ' in html
    assert 'aria-label="Đã đồng bộ: 75' in html
    assert "Chưa bật đồng bộ" not in html
    # Another period has none of them: no share, said in words.
    html = client.get(url, {"tu": "2024-06-01", "den": "2024-06-30"}).content.decode()
    assert "<strong>0</strong> / 0 hồ sơ" in html and "Đã đồng bộ: chưa có dữ liệu" in html


def test_the_dashboard_says_when_the_sync_is_off(desk, client, settings):
    settings.DVCQG_ADAPTER_URL = ""
    receive(desk)
    cache.clear()
    client.force_login(desk["leader"])
    html = client.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-01", "den": "2024-04-30"}
    ).content.decode()
    assert "<strong>0</strong> / 1 hồ sơ" in html and "Chưa bật đồng bộ với Cổng DVCQG." in html


def test_a_bad_period_shows_no_share_and_changes_nothing(desk, portal, client):
    receive(desk)
    sync()
    client.force_login(desk["leader"])
    response = client.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-30", "den": "2024-04-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "sau ngày kết thúc" in html
    assert "dvcqg-synced-share" not in html
    assert share() == (1, 1, 100.0)  # the sync's state is as it was
