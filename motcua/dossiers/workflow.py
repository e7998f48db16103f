"""The dossier lifecycle as a table (Decree 61/2018 art. 17–20; Circular 01/2018).

Read it top to bottom: every action a person can take on a dossier, the statuses it may start from,
the status it leads to, the roles allowed to take it, the history event it writes and who is told.
Services (`services.py`) look an action up here, check the acting role and the current status, then
apply it; the lifecycle diagram in docs/ is generated from `TRANSITIONS`; tests walk every cell.
Preconditions that need more than a status (a deadline, a count) are named in `guard`; every name is
executable in guards.GUARDS and checked by services.dossier_act before anything changes (ADR 0023).
"""

from dataclasses import dataclass
from enum import StrEnum

from motcua.accounts.roles import Role


class Status(StrEnum):
    """Internal statuses, each mapped to one national status code 1–10 (NATIONAL_STATUS)."""

    SUBMITTED_ONLINE = "submitted_online"  # Mới đăng ký (trực tuyến, chưa tiếp nhận)
    INTAKE_SUPPLEMENT = "intake_supplement"  # Yêu cầu bổ sung khi tiếp nhận (hồ sơ trực tuyến)
    INTAKE_REFUSED = "intake_refused"  # Không được tiếp nhận
    RECEIVED = "received"  # Đã tiếp nhận, chờ phân công
    IN_PROGRESS = "in_progress"  # Đang xử lý (một bước của quy trình nội bộ)
    CONSULTING = "consulting"  # Chờ ý kiến phối hợp
    INTER_AGENCY = "inter_agency"  # Chờ liên thông
    SUPPLEMENT_REQUESTED = "supplement_requested"  # Yêu cầu bổ sung (dừng đồng hồ)
    AWAITING_PAYMENT = "awaiting_payment"  # Chờ thực hiện nghĩa vụ tài chính
    AWAITING_SIGNATURE = "awaiting_signature"  # Chờ ký duyệt
    FINISHED = "finished"  # Đã xử lý xong, chờ trả
    RETURNED = "returned"  # Đã trả kết quả
    WITHDRAWN = "withdrawn"  # Công dân rút hồ sơ
    STOPPED = "stopped"  # Dừng xử lý
    REFUSED = "refused"  # Từ chối giải quyết sau thẩm định


STATUS_LABELS: dict[Status, str] = {
    Status.SUBMITTED_ONLINE: "Mới đăng ký trực tuyến",
    Status.INTAKE_SUPPLEMENT: "Yêu cầu bổ sung khi tiếp nhận",
    Status.INTAKE_REFUSED: "Không được tiếp nhận",
    Status.RECEIVED: "Đã tiếp nhận, chờ phân công",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.CONSULTING: "Chờ ý kiến phối hợp",
    Status.INTER_AGENCY: "Chờ liên thông",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung hồ sơ",
    Status.AWAITING_PAYMENT: "Chờ thực hiện nghĩa vụ tài chính",
    Status.AWAITING_SIGNATURE: "Chờ ký duyệt",
    Status.FINISHED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.REFUSED: "Từ chối giải quyết",
}

# TrangThaiHoSo synchronised with the national portal (vn-regulations §1.5a).
NATIONAL_STATUS: dict[Status, int] = {
    Status.SUBMITTED_ONLINE: 1,
    Status.INTAKE_SUPPLEMENT: 5,
    Status.INTAKE_REFUSED: 3,
    Status.RECEIVED: 2,
    Status.IN_PROGRESS: 4,
    Status.CONSULTING: 4,
    Status.INTER_AGENCY: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.AWAITING_SIGNATURE: 4,
    Status.FINISHED: 9,
    Status.RETURNED: 10,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.REFUSED: 3,
}

# The national portal's own label of each code (TrangThaiHoSo).
NATIONAL_STATUS_LABELS: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

# The internal status a national code stands for when a dossier arrives with only the code (the
# import of old dossiers): a code shared by several statuses reads as the usual one.
NATIONAL_TO_STATUS: dict[int, Status] = {
    1: Status.SUBMITTED_ONLINE,
    2: Status.RECEIVED,
    3: Status.REFUSED,
    4: Status.IN_PROGRESS,
    5: Status.SUPPLEMENT_REQUESTED,
    6: Status.AWAITING_PAYMENT,
    7: Status.WITHDRAWN,
    8: Status.STOPPED,
    9: Status.FINISHED,
    10: Status.RETURNED,
}


def national_status(status: str) -> int:
    """The national code 1–10 (TrangThaiHoSo) of an internal status."""
    return NATIONAL_STATUS[Status(status)]


def national_status_label(status: str) -> str:
    """The national portal's words for an internal status (what citizens and the API are told)."""
    return NATIONAL_STATUS_LABELS[national_status(status)]


# Statuses in which the statutory clock runs; it stops while the applicant owes documents or money.
CLOCK_RUNNING = frozenset(
    {
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.CONSULTING,
        Status.INTER_AGENCY,
        Status.AWAITING_SIGNATURE,
    }
)
CLOCK_PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT})
TERMINAL = frozenset({Status.RETURNED, Status.WITHDRAWN, Status.STOPPED, Status.INTAKE_REFUSED})
# Processing is over (the 766 "kết thúc xử lý" set), though a result may still await return.
PROCESSING_ENDED = frozenset(
    {
        Status.FINISHED,
        Status.RETURNED,
        Status.WITHDRAWN,
        Status.STOPPED,
        Status.REFUSED,
        Status.INTAKE_REFUSED,
    }
)
# Where the applicant may still ask to withdraw: before a result exists.
OPEN_FOR_WITHDRAWAL = frozenset(
    CLOCK_RUNNING | CLOCK_PAUSED | {Status.SUBMITTED_ONLINE, Status.INTAKE_SUPPLEMENT}
)
# The national codes of those sets: ended (3, 7, 8, 9, 10) and open after reception (2, 4, 5, 6).
NATIONAL_ENDED_CODES = frozenset(NATIONAL_STATUS[s] for s in PROCESSING_ENDED)
NATIONAL_OPEN_CODES = frozenset(NATIONAL_STATUS[s] for s in CLOCK_RUNNING | CLOCK_PAUSED)


class Notify(StrEnum):
    APPLICANT = "applicant"
    ASSIGNEE = "assignee"
    DIVISION_HEAD = "division_head"
    DESK = "desk"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # what the button says
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (e.g. a reschedule)
    roles: frozenset[Role]
    event: str  # the history event written
    notify: tuple[Notify, ...] = ()
    guard: str = ""  # a precondition beyond the status: a key of guards.GUARDS

    def allows(self, status: Status, role: str) -> bool:
        return status in self.sources and role in self.roles


R = Role
S = Status
DESK = frozenset({R.DESK_OFFICER})
PROCESSORS = frozenset({R.SPECIALIST, R.DIVISION_HEAD})
HEADS = frozenset({R.DIVISION_HEAD, R.DEPARTMENT_LEADER})
SIGNERS = frozenset({R.DIVISION_HEAD, R.DEPARTMENT_LEADER})
WORKING = frozenset({S.IN_PROGRESS})


def _t(action, label, sources, target, roles, event, notify=(), guard=""):
    return Transition(
        action, label, frozenset(sources), target, frozenset(roles), event, tuple(notify), guard
    )


TRANSITIONS: tuple[Transition, ...] = (
    # Reception (ND 61 art. 17). A desk intake creates the dossier directly in RECEIVED.
    _t(
        "accept",
        "Tiếp nhận",
        {S.SUBMITTED_ONLINE},
        S.RECEIVED,
        DESK,
        "received",
        [Notify.APPLICANT],
    ),
    _t(
        "request_intake_supplement",
        "Yêu cầu bổ sung (một lần, đầy đủ)",
        {S.SUBMITTED_ONLINE},
        S.INTAKE_SUPPLEMENT,
        DESK,
        "intake_supplement_requested",
        [Notify.APPLICANT],
        guard="supplement_listed",
    ),
    _t(
        "resubmit",
        "Nộp bổ sung",
        {S.INTAKE_SUPPLEMENT},
        S.SUBMITTED_ONLINE,
        {R.CITIZEN, R.DESK_OFFICER},
        "resubmitted",
        [Notify.DESK],
    ),
    _t(
        "refuse_intake",
        "Từ chối tiếp nhận",
        {S.SUBMITTED_ONLINE, S.INTAKE_SUPPLEMENT},
        S.INTAKE_REFUSED,
        DESK,
        "intake_refused",
        [Notify.APPLICANT],
        guard="reason_required",
    ),
    # Processing (art. 19): the head assigns, the steps of the internal process follow one another.
    _t(
        "assign",
        "Phân công xử lý",
        {S.RECEIVED, S.IN_PROGRESS},
        S.IN_PROGRESS,
        HEADS,
        "assigned",
        [Notify.ASSIGNEE],
    ),
    _t(
        "complete_step",
        "Hoàn thành bước, chuyển tiếp",
        WORKING,
        S.IN_PROGRESS,
        PROCESSORS,
        "step_completed",
        [Notify.ASSIGNEE],
        guard="has_next_step",
    ),
    _t(
        "consult",
        "Lấy ý kiến phối hợp",
        WORKING,
        S.CONSULTING,
        PROCESSORS,
        "consultation_sent",
        guard="reason_required",
    ),
    _t(
        "consultation_answered",
        "Ghi nhận ý kiến phối hợp",
        {S.CONSULTING},
        S.IN_PROGRESS,
        PROCESSORS,
        "consultation_answered",
        [Notify.ASSIGNEE],
    ),
    _t(
        "route_inter_agency",
        "Chuyển liên thông",
        WORKING,
        S.INTER_AGENCY,
        PROCESSORS,
        "inter_agency_sent",
        guard="reason_required",
    ),
    _t(
        "inter_agency_returned",
        "Nhận kết quả liên thông",
        {S.INTER_AGENCY},
        S.IN_PROGRESS,
        PROCESSORS | DESK,
        "inter_agency_returned",
        [Notify.ASSIGNEE],
    ),
    _t(
        "request_supplement",
        "Yêu cầu bổ sung hồ sơ",
        WORKING,
        S.SUPPLEMENT_REQUESTED,
        PROCESSORS,
        "supplement_requested",
        [Notify.APPLICANT, Notify.DESK],
        guard="supplement_listed",
    ),
    _t(
        "supplement_received",
        "Nhận hồ sơ bổ sung",
        {S.SUPPLEMENT_REQUESTED},
        S.IN_PROGRESS,
        # The citizen answers online (motcua.portal): the files reach the dossier, the clock resumes.
        DESK | PROCESSORS | {R.CITIZEN},
        "supplement_received",
        [Notify.ASSIGNEE],
    ),
    _t(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        WORKING,
        S.AWAITING_PAYMENT,
        PROCESSORS,
        "payment_requested",
        [Notify.APPLICANT],
    ),
    _t(
        "payment_received",
        "Xác nhận đã nộp phí, lệ phí",
        {S.AWAITING_PAYMENT},
        S.IN_PROGRESS,
        DESK | PROCESSORS,
        "payment_received",
        [Notify.ASSIGNEE],
    ),
    _t(
        "submit_for_signature",
        "Trình ký",
        WORKING,
        S.AWAITING_SIGNATURE,
        PROCESSORS,
        "submitted_for_signature",
        [Notify.DIVISION_HEAD],
        guard="is_last_processing_step",
    ),
    _t(
        "send_back",
        "Trả lại để xử lý lại",
        {S.AWAITING_SIGNATURE},
        S.IN_PROGRESS,
        SIGNERS,
        "sent_back",
        [Notify.ASSIGNEE],
        guard="reason_required",
    ),
    _t(
        "approve",
        "Ký duyệt",
        {S.AWAITING_SIGNATURE},
        S.FINISHED,
        SIGNERS,
        "approved",
        [Notify.DESK, Notify.APPLICANT],
    ),
    # Apology and one new appointment (art. 19.9): at most once, at least one working day ahead.
    _t(
        "reschedule",
        "Xin lỗi và hẹn lại ngày trả",
        CLOCK_RUNNING,
        None,
        HEADS,
        "rescheduled",
        [Notify.APPLICANT, Notify.DESK],
        guard="once_and_one_working_day_before_due",
    ),
    # Endings other than a result.
    _t(
        "refuse",
        "Từ chối giải quyết",
        WORKING | {S.AWAITING_SIGNATURE},
        S.REFUSED,
        SIGNERS,
        "refused",
        [Notify.APPLICANT, Notify.DESK],
        guard="reason_required",
    ),
    _t(
        "stop",
        "Dừng xử lý",
        CLOCK_RUNNING | CLOCK_PAUSED,
        S.STOPPED,
        SIGNERS,
        "stopped",
        [Notify.APPLICANT, Notify.DESK],
        guard="reason_required",
    ),
    _t(
        "withdraw",
        "Ghi nhận công dân rút hồ sơ",
        OPEN_FOR_WITHDRAWAL,
        S.WITHDRAWN,
        DESK | {R.CITIZEN},
        "withdrawn",
        [Notify.ASSIGNEE],
    ),
    # Return (art. 20): the result, or the refusal notice, goes back through the desk.
    _t(
        "return_result",
        "Trả kết quả",
        {S.FINISHED, S.REFUSED},
        S.RETURNED,
        DESK,
        "returned",
        [Notify.APPLICANT],
        guard="handed_to_applicant",
    ),
)

# Moves no button makes: the system applies them on evidence from outside, through
# services.dossier_system_act. Kept apart from TRANSITIONS because they leave a terminal status: a
# result returned by post (Decree 61/2018 art. 16, 20) whose mail the postal operator sends back
# undelivered is waiting to be returned again — by post once more, or at the desk. Nobody's role
# allows them on the dossier page.
SYSTEM_TRANSITIONS: tuple[Transition, ...] = (
    # A dossier received through liên thông (ADR 0044) is returned when its answer — the result
    # documents and 06, or 02 with the refusal — has gone back to the agency that sent it
    # (exchange.lienthong_in.answer_send): the sending agency hands it to the citizen.
    _t(
        "result_sent_to_agency",
        "Đã gửi kết quả về cơ quan chuyển hồ sơ liên thông",
        {S.FINISHED},
        S.RETURNED,
        (),
        "returned",
        [],
        guard="received_through_lienthong",
    ),
    _t(
        "refusal_sent_to_agency",
        "Đã gửi thông báo từ chối về cơ quan chuyển hồ sơ liên thông",
        {S.REFUSED},
        S.RETURNED,
        (),
        "returned",
        [],
        guard="received_through_lienthong",
    ),
    _t(
        "mail_returned",
        "Bưu chính chuyển hoàn kết quả",
        {S.RETURNED},
        S.FINISHED,
        (),
        "mail_returned",
        [Notify.DESK],
        guard="returned_by_post",
    ),
    _t(
        "refusal_mail_returned",
        "Bưu chính chuyển hoàn phiếu từ chối",
        {S.RETURNED},
        S.REFUSED,
        (),
        "refusal_mail_returned",
        [Notify.DESK],
        guard="returned_by_post",
    ),
    # The fee reached the collecting account and the matcher (motcua.payments) found it paid in
    # full: the clock resumes, as when an officer confirms payment (payment_received).
    _t(
        "payment_settled",
        "Đã nhận đủ phí, lệ phí qua ngân hàng",
        {S.AWAITING_PAYMENT},
        S.IN_PROGRESS,
        (),
        "payment_settled",
        [Notify.ASSIGNEE],
        guard="charge_paid_in_full",
    ),
)

# What the officer reads once the action is done, one per action of the table ({code}: the dossier).
DONE_TEXT: dict[str, str] = {
    "accept": "Đã tiếp nhận hồ sơ {code}.",
    "request_intake_supplement": "Đã gửi yêu cầu bổ sung (một lần, đầy đủ) cho hồ sơ {code}.",
    "resubmit": "Đã ghi nhận hồ sơ {code} được nộp bổ sung.",
    "refuse_intake": "Đã từ chối tiếp nhận hồ sơ {code}.",
    "assign": "Đã phân công xử lý hồ sơ {code}.",
    "complete_step": "Đã hoàn thành bước và chuyển tiếp hồ sơ {code}.",
    "consult": "Đã gửi lấy ý kiến phối hợp về hồ sơ {code}.",
    "consultation_answered": "Đã ghi nhận ý kiến phối hợp về hồ sơ {code}.",
    "route_inter_agency": "Đã chuyển liên thông hồ sơ {code}.",
    "inter_agency_returned": "Đã nhận kết quả liên thông của hồ sơ {code}.",
    "request_supplement": "Đã gửi yêu cầu bổ sung hồ sơ {code}; thời hạn tạm dừng.",
    "supplement_received": "Đã nhận hồ sơ bổ sung của hồ sơ {code}; thời hạn tiếp tục tính.",
    "request_payment": "Đã yêu cầu nộp phí, lệ phí cho hồ sơ {code}.",
    "payment_received": "Đã xác nhận nộp phí, lệ phí của hồ sơ {code}.",
    "submit_for_signature": "Đã trình ký hồ sơ {code}.",
    "send_back": "Đã trả lại hồ sơ {code} để xử lý lại.",
    "approve": "Đã ký duyệt hồ sơ {code}.",
    "reschedule": "Đã xin lỗi và hẹn lại ngày trả hồ sơ {code}.",
    "refuse": "Đã từ chối giải quyết hồ sơ {code}.",
    "stop": "Đã dừng xử lý hồ sơ {code}.",
    "withdraw": "Đã ghi nhận công dân rút hồ sơ {code}.",
    "return_result": "Đã trả kết quả hồ sơ {code}.",
}

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS + SYSTEM_TRANSITIONS}

# What the history shows for each event: the button's words, plus the events no button makes.
EVENT_LABELS: dict[str, str] = {
    "received": "Tiếp nhận hồ sơ",
    "submitted_online": "Nộp hồ sơ trực tuyến",
    "imported": "Nhập từ hệ thống cũ",
    **{t.action: t.label for t in TRANSITIONS + SYSTEM_TRANSITIONS},
}


def status_label(value: str) -> str:
    """The Vietnamese label of a stored status ('' for none)."""
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value


def transition_for(action: str) -> Transition:
    try:
        return BY_ACTION[action]
    except KeyError:
        raise KeyError(f"Thao tác không tồn tại: {action}") from None


def allowed_actions(status: Status, role: str) -> list[Transition]:
    """The actions a person in `role` may take on a dossier in `status`, in table order."""
    return [t for t in TRANSITIONS if t.allows(status, role)]


def mermaid_diagram() -> str:
    """The lifecycle as a Mermaid state diagram, generated from the table (docs/lifecycle.md)."""
    lines = [
        "stateDiagram-v2",
        "    [*] --> received: receive (desk)",
        "    [*] --> submitted_online: online",
    ]
    for t in TRANSITIONS + SYSTEM_TRANSITIONS:
        for source in sorted(t.sources):
            target = t.target or source
            lines.append(f"    {source} --> {target}: {t.action}")
    lines += [f"    {s} --> [*]" for s in sorted(TERMINAL)]
    return "\n".join(lines) + "\n"
