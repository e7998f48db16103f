"""The domain's change hook (motcua.dossiers.changes, ADR 0018): the portal hears of dossier changes by
subscribing, after commit only, and one failing subscriber does not silence the others."""

import pytest
from django.db import transaction

from motcua.dossiers import changes
from motcua.dossiers.changes import DossierChange, dossier_changed, dossiers_changed
from motcua.portal.services import tracking_pages_forget
from tests.dossiers.test_services import act, receive


@pytest.fixture
def heard(monkeypatch):
    """Only a recording subscriber (and one that fails before it) for the test's length."""
    calls = []

    def failing(_):
        raise RuntimeError("a subscriber that breaks")

    monkeypatch.setattr(changes, "_subscribers", [])
    changes.on_dossier_changed(failing)
    changes.on_dossier_changed(calls.append)
    changes.on_dossier_changed(calls.append)  # registered once
    return calls


def test_the_portal_subscribes_in_its_app_config():
    assert tracking_pages_forget in changes._subscribers


def test_a_workflow_move_is_heard_after_commit_only(
    desk, heard, django_capture_on_commit_callbacks
):
    dossier = receive(desk)
    with django_capture_on_commit_callbacks(execute=True):
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
        assert heard == []  # not before the commit
    [(change,)] = heard
    assert (change.dossier_id, change.code, change.kind) == (dossier.pk, dossier.code, "assign")
    assert change.status == "in_progress" and change.change_id is not None


def test_a_rolled_back_change_is_never_heard(desk, heard, django_capture_on_commit_callbacks):
    dossier = receive(desk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        dossier_changed(dossier, "payment")
        transaction.set_rollback(True)
    assert callbacks == [] and heard == []


def test_many_changes_are_one_delivery_and_a_failing_subscriber_is_logged(
    desk, heard, django_capture_on_commit_callbacks, caplog
):
    one, two = receive(desk), receive(desk)
    with django_capture_on_commit_callbacks(execute=True):
        dossiers_changed([(one.pk, "A-1", "received"), (two.pk, None, "received")], kind="payment")
        dossiers_changed([], kind="payment")  # nothing changed: nothing delivered
    [delivered] = heard
    assert [(c.dossier_id, c.code, c.kind) for c in delivered] == [
        (one.pk, "A-1", "payment"),
        (two.pk, "", "payment"),
    ]
    assert all(isinstance(c, DossierChange) for c in delivered)
    assert "a subscriber that breaks" in caplog.text
