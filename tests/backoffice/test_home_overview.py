"""The first screen of the desk and of the leader shows today's work and this period's figures,
counted through the same visibility rule as the dossier pages."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from motcua.core.clock import now
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Status
from tests.dossiers.test_services import at, receive

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("backoffice:home")).content.decode()


def test_desk_home_lists_online_waiting_returns_due_and_supplements(client, desk):
    waiting, finished, answered = (receive(desk) for _ in range(3))
    Dossier.objects.filter(pk=waiting.pk).update(status=Status.SUBMITTED_ONLINE)
    with time_machine.travel(at("2024-05-10T09:00"), tick=False):
        Dossier.objects.filter(pk=finished.pk).update(
            status=Status.FINISHED, due_at=now() + timedelta(hours=3)
        )
        DossierEvent.objects.create(
            dossier=answered, at=now(), action="supplement_received",
            from_status=Status.SUPPLEMENT_REQUESTED, to_status=Status.IN_PROGRESS,
        )  # fmt: skip
        body = _home(client, desk["desk"])
    assert 'Hồ sơ trực tuyến chờ tiếp nhận: <span class="tally-count">1</span>' in body
    assert 'Đến hạn trả kết quả hôm nay: <span class="tally-count">1</span>' in body
    assert 'Hồ sơ bổ sung đã nhận (7 ngày qua): <span class="tally-count">1</span>' in body
    for dossier in (waiting, finished, answered):
        assert reverse("backoffice:dossier_detail", args=[dossier.pk]) in body


def test_desk_home_counts_nothing_of_another_unit(client, desk):
    from tests.accounts.factories import UserFactory

    other = UserFactory(role=desk["desk"].role, unit=desk["units"]["division"])
    dossier = receive(desk)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUBMITTED_ONLINE)
    body = _home(client, other)
    assert 'Hồ sơ trực tuyến chờ tiếp nhận: <span class="tally-count">0</span>' in body
    assert dossier.code not in body


def test_leader_home_shows_this_periods_figures_and_work_waiting(client, desk):
    signing, late = receive(desk), receive(desk)
    Dossier.objects.filter(pk=signing.pk).update(
        status=Status.AWAITING_SIGNATURE, due_at=now() + timedelta(days=2)
    )
    Dossier.objects.filter(pk=late.pk).update(
        status=Status.IN_PROGRESS, due_at=now() - timedelta(days=1)
    )
    body = _home(client, desk["leader"])
    assert "chưa có số liệu" not in body
    assert "<dt>Hồ sơ tiếp nhận</dt><dd>2</dd>" in body
    assert 'Hồ sơ chờ ký duyệt: <span class="tally-count">1</span>' in body
    assert 'Hồ sơ đang quá hạn: <span class="tally-count">1</span>' in body
