"""The PAKN deadline watch: who is told, once a day."""

import pytest

from motcua.accounts.roles import Role
from motcua.core.models import JOBS
from motcua.feedback import services
from motcua.feedback.monitoring import feedback_monitor_run
from motcua.notifications.models import Notification
from tests.accounts.factories import UserFactory

from .helpers import at, received, travel

pytestmark = pytest.mark.django_db


def test_overdue_and_due_soon_items_are_told_once_a_day():
    assert JOBS["feedback-monitor"].function == "motcua.feedback.monitoring.feedback_monitor_run"
    UserFactory(role=Role.DEPARTMENT_LEADER, email="giamdoc@example.vn")
    officer = UserFactory(role=Role.SPECIALIST, email="cv@example.vn")
    leader = UserFactory(role=Role.DIVISION_HEAD)
    late = received("2023-04-03T09:00", suffix="late")  # settle due 24/4 09:00
    soon = received("2023-04-07T09:00", suffix="soon")  # settle due 28/4 09:00
    received("2023-04-26T09:00", suffix="far")
    with travel("2023-04-27T08:00"):
        services.feedback_assign(
            leader, soon.pk, classification="regulation", assignee_id=officer.pk
        )
    run = feedback_monitor_run(at("2023-04-27T10:00"))
    assert run.status == "ok"
    # Each officer by every channel they have: here an in-app notice and an e-mail each.
    assert run.counts == {"checked": 2, "due_soon": 1, "overdue": 1, "notices": 4, "errors": 0}
    assert set(Notification.objects.filter(channel="email").values_list("to", "reference")) == {
        ("giamdoc@example.vn", f"feedback:{late.code}"),
        ("cv@example.vn", f"feedback:{soon.code}"),
    }
    assert set(
        Notification.objects.filter(channel="in_app").values_list("reference", flat=True)
    ) == {
        f"feedback:{late.code}",
        f"feedback:{soon.code}",
    }
    again = feedback_monitor_run(at("2023-04-27T11:00"))
    assert again.counts["notices"] == 0 and Notification.objects.count() == 4
