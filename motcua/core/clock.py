"""The one place code asks for the current time, so tests can move it (time-machine)."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current instant, timezone-aware, in the installation's zone (Asia/Ho_Chi_Minh)."""
    return timezone.localtime(timezone.now())
