"""Helpers for feedback tests: instants in Vietnam time and a ready-made feedback item."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from motcua.feedback.models import Channel
from motcua.feedback.services import FeedbackData, feedback_receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def data(**overrides) -> FeedbackData:
    values = {
        "channel": Channel.PORTAL,
        "sender_name": "Nguyễn Văn An",
        "sender_contact": "0912345678",
        "title": "Thời hạn cấp phiếu lý lịch tư pháp",
        "content": "Tôi nộp hồ sơ đã 12 ngày nhưng chưa nhận được phiếu lý lịch tư pháp.",
        "token": "tok-" + overrides.pop("suffix", "1"),
    }
    values.update(overrides)
    return FeedbackData(**values)


def received(when: str = "2023-04-27T09:00", actor=None, **overrides):
    with time_machine.travel(at(when), tick=False):
        return feedback_receive(actor, data(**overrides))


def travel(when: str):
    return time_machine.travel(at(when), tick=False)
