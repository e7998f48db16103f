"""The PAKN lifecycle as a table (Decree 20/2008; the national PAKN system's limits, QĐ 766 §5.2).

Every action an officer can take on a feedback item: the statuses it may start from, the status it
leads to, the roles allowed. Services look an action up here; tests walk every cell; docs/feedback.md
prints the same table. Working-day limits counted with the working calendar from receipt:
refuse ≤ 2, ask for more ≤ 5, settle ≤ 15 (restarting when the supplement arrives); publish ≤ 2
after the answer.
"""

from dataclasses import dataclass
from enum import StrEnum

from motcua.accounts.roles import STAFF_ROLES, Role

REFUSE_DAYS = 2
SUPPLEMENT_DAYS = 5
SETTLE_DAYS = 15
PUBLISH_DAYS = 2


class Status(StrEnum):
    RECEIVED = "received"
    SUPPLEMENT = "supplement"
    PROCESSING = "processing"
    ANSWERED = "answered"
    PUBLISHED = "published"
    CLOSED = "closed"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.RECEIVED: "Mới tiếp nhận",
    Status.SUPPLEMENT: "Chờ bổ sung thông tin",
    Status.PROCESSING: "Đang xử lý",
    Status.ANSWERED: "Đã trả lời, chờ công khai",
    Status.PUBLISHED: "Đã công khai",
    Status.CLOSED: "Đã trả lời, không công khai",
    Status.REFUSED: "Từ chối tiếp nhận",
}

OPEN_STATUSES = frozenset({Status.RECEIVED, Status.SUPPLEMENT, Status.PROCESSING})
ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.PUBLISHED, Status.CLOSED})

HANDLERS = frozenset(STAFF_ROLES)
LEADERS = frozenset({Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR})
PUBLISHERS = frozenset({Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: Status
    roles: frozenset
    # "assignee": the officer the item is assigned to may act even without a listed role.
    assignee_may: bool = False

    def allows(self, status: str, role: str) -> bool:
        return status in self.sources and role in self.roles


def _t(action, label, sources, target, roles, assignee_may=False) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), assignee_may)


TRANSITIONS: tuple[Transition, ...] = (
    _t("refuse", "Từ chối tiếp nhận", {Status.RECEIVED}, Status.REFUSED, HANDLERS),
    _t(
        "request_supplement",
        "Yêu cầu bổ sung thông tin",
        {Status.RECEIVED, Status.PROCESSING},
        Status.SUPPLEMENT,
        HANDLERS,
    ),
    _t(
        "supplement_received",
        "Đã nhận thông tin bổ sung",
        {Status.SUPPLEMENT},
        Status.PROCESSING,
        HANDLERS,
    ),
    _t(
        "assign",
        "Phân loại và giao xử lý",
        {Status.RECEIVED, Status.PROCESSING},
        Status.PROCESSING,
        LEADERS,
    ),
    _t("answer", "Trả lời", {Status.PROCESSING}, Status.ANSWERED, LEADERS, assignee_may=True),
    _t("publish", "Công khai trên Hỏi – Đáp", {Status.ANSWERED}, Status.PUBLISHED, PUBLISHERS),
    _t("close", "Kết thúc, không công khai", {Status.ANSWERED}, Status.CLOSED, PUBLISHERS),
)

RECEIVE_LABEL = "Tiếp nhận"


def transition_for(action: str) -> Transition:
    for transition in TRANSITIONS:
        if transition.action == action:
            return transition
    raise KeyError(action)


def allowed_actions(status: str, user, assignee_id: int | None) -> list[Transition]:
    """The actions `user` may take now on an item in `status` assigned to `assignee_id`."""
    role = getattr(user, "role", None)
    is_assignee = assignee_id is not None and assignee_id == getattr(user, "pk", None)
    return [
        t
        for t in TRANSITIONS
        if status in t.sources and (role in t.roles or (t.assignee_may and is_assignee))
    ]


def action_label(action: str) -> str:
    if action == "receive":
        return RECEIVE_LABEL
    try:
        return transition_for(action).label
    except KeyError:
        return action
