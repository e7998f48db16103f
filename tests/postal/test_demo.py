"""The postal demo: three dossiers by post, one delivered, one back to sender; a second load adds
nothing."""

import io

import pytest
from django.core.management import call_command

from motcua.demo import loaders
from motcua.dossiers.models import Dossier
from motcua.postal.demo import load_demo
from motcua.postal.models import Consignment, TrackingEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(loaders, "LOAD_DOSSIERS", False)
    monkeypatch.setattr(loaders, "load_other_apps", lambda report, stdout=None: None)
    call_command("demo", "--no-serve", stdout=io.StringIO())


def test_load_demo_is_idempotent(small_demo):
    out = io.StringIO()
    load_demo(stdout=out)
    assert "3 hồ sơ nhận qua bưu chính" in out.getvalue()
    assert Consignment.objects.filter(direction="inbound").count() == 3
    statuses = dict(
        Consignment.objects.filter(direction="outbound").values_list("status", "dossier__status")
    )
    assert statuses == {"delivered": "returned", "returned_to_sender": "finished"}
    counts = (Dossier.objects.count(), Consignment.objects.count(), TrackingEvent.objects.count())
    assert counts == (3, 5, 6)
    load_demo()
    assert (
        Dossier.objects.count(),
        Consignment.objects.count(),
        TrackingEvent.objects.count(),
    ) == counts
