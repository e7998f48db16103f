"""The lifecycle table, cell by cell: what each role may do from each status (hand-written expectations)."""

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers.workflow import (
    NATIONAL_STATUS,
    STATUS_LABELS,
    TERMINAL,
    TRANSITIONS,
    Status,
    allowed_actions,
    mermaid_diagram,
    transition_for,
)

# (status, role) -> the actions allowed; every pair not listed allows nothing.
EXPECTED = {
    (Status.SUBMITTED_ONLINE, Role.DESK_OFFICER): {
        "accept",
        "request_intake_supplement",
        "refuse_intake",
        "withdraw",
    },
    (Status.SUBMITTED_ONLINE, Role.CITIZEN): {"withdraw"},
    (Status.INTAKE_SUPPLEMENT, Role.DESK_OFFICER): {"resubmit", "refuse_intake", "withdraw"},
    (Status.INTAKE_SUPPLEMENT, Role.CITIZEN): {"resubmit", "withdraw"},
    (Status.RECEIVED, Role.DIVISION_HEAD): {"assign", "reschedule", "stop"},
    (Status.RECEIVED, Role.DEPARTMENT_LEADER): {"assign", "reschedule", "stop"},
    (Status.RECEIVED, Role.DESK_OFFICER): {"withdraw"},
    (Status.RECEIVED, Role.CITIZEN): {"withdraw"},
    (Status.IN_PROGRESS, Role.SPECIALIST): {
        "complete_step",
        "consult",
        "route_inter_agency",
        "request_supplement",
        "request_payment",
        "submit_for_signature",
    },
    (Status.IN_PROGRESS, Role.DIVISION_HEAD): {
        "assign",
        "complete_step",
        "consult",
        "route_inter_agency",
        "request_supplement",
        "request_payment",
        "submit_for_signature",
        "reschedule",
        "refuse",
        "stop",
    },
    (Status.IN_PROGRESS, Role.DEPARTMENT_LEADER): {"assign", "reschedule", "refuse", "stop"},
    (Status.IN_PROGRESS, Role.DESK_OFFICER): {"withdraw"},
    (Status.IN_PROGRESS, Role.CITIZEN): {"withdraw"},
    (Status.CONSULTING, Role.SPECIALIST): {"consultation_answered"},
    (Status.CONSULTING, Role.DIVISION_HEAD): {"consultation_answered", "reschedule", "stop"},
    (Status.CONSULTING, Role.DEPARTMENT_LEADER): {"reschedule", "stop"},
    (Status.CONSULTING, Role.DESK_OFFICER): {"withdraw"},
    (Status.CONSULTING, Role.CITIZEN): {"withdraw"},
    (Status.INTER_AGENCY, Role.SPECIALIST): {"inter_agency_returned"},
    (Status.INTER_AGENCY, Role.DIVISION_HEAD): {"inter_agency_returned", "reschedule", "stop"},
    (Status.INTER_AGENCY, Role.DEPARTMENT_LEADER): {"reschedule", "stop"},
    (Status.INTER_AGENCY, Role.DESK_OFFICER): {"inter_agency_returned", "withdraw"},
    (Status.INTER_AGENCY, Role.CITIZEN): {"withdraw"},
    (Status.SUPPLEMENT_REQUESTED, Role.SPECIALIST): {"supplement_received"},
    (Status.SUPPLEMENT_REQUESTED, Role.DIVISION_HEAD): {"supplement_received", "stop"},
    (Status.SUPPLEMENT_REQUESTED, Role.DEPARTMENT_LEADER): {"stop"},
    (Status.SUPPLEMENT_REQUESTED, Role.DESK_OFFICER): {"supplement_received", "withdraw"},
    (Status.SUPPLEMENT_REQUESTED, Role.CITIZEN): {"supplement_received", "withdraw"},
    (Status.AWAITING_PAYMENT, Role.SPECIALIST): {"payment_received"},
    (Status.AWAITING_PAYMENT, Role.DIVISION_HEAD): {"payment_received", "stop"},
    (Status.AWAITING_PAYMENT, Role.DEPARTMENT_LEADER): {"stop"},
    (Status.AWAITING_PAYMENT, Role.DESK_OFFICER): {"payment_received", "withdraw"},
    (Status.AWAITING_PAYMENT, Role.CITIZEN): {"withdraw"},
    (Status.AWAITING_SIGNATURE, Role.DIVISION_HEAD): {
        "send_back",
        "approve",
        "reschedule",
        "refuse",
        "stop",
    },
    (Status.AWAITING_SIGNATURE, Role.DEPARTMENT_LEADER): {
        "send_back",
        "approve",
        "reschedule",
        "refuse",
        "stop",
    },
    (Status.AWAITING_SIGNATURE, Role.DESK_OFFICER): {"withdraw"},
    (Status.AWAITING_SIGNATURE, Role.CITIZEN): {"withdraw"},
    (Status.FINISHED, Role.DESK_OFFICER): {"return_result"},
    (Status.REFUSED, Role.DESK_OFFICER): {"return_result"},
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", list(Role))
def test_every_role_in_every_status(status, role):
    allowed = {t.action for t in allowed_actions(status, role)}
    assert allowed == EXPECTED.get((status, role), set())


def test_every_status_has_a_vietnamese_label_and_a_national_code():
    assert set(STATUS_LABELS) == set(Status)
    assert set(NATIONAL_STATUS) == set(Status)
    assert set(NATIONAL_STATUS.values()) == set(range(1, 11))


def test_terminal_statuses_have_no_way_out():
    for transition in TRANSITIONS:
        assert not (transition.sources & TERMINAL), transition.action


def test_administrators_do_not_process_dossiers():
    assert not any(Role.ADMINISTRATOR in t.roles for t in TRANSITIONS)


def test_actions_needing_a_reason_say_so():
    for action in ("refuse_intake", "refuse", "stop", "send_back", "consult", "route_inter_agency"):
        assert transition_for(action).guard == "reason_required"
    for action in ("request_supplement", "request_intake_supplement"):
        assert transition_for(action).guard == "supplement_listed"
    assert transition_for("reschedule").guard == "once_and_one_working_day_before_due"


def test_unknown_action_is_refused():
    with pytest.raises(KeyError):
        transition_for("delete")


def test_diagram_names_every_action():
    diagram = mermaid_diagram()
    for transition in TRANSITIONS:
        assert transition.action in diagram


def test_the_lifecycle_page_is_generated_from_the_table():
    from pathlib import Path

    from motcua.dossiers.diagram import lifecycle_markdown

    page = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"
    assert page.read_text() == lifecycle_markdown(), (
        "run: python -m motcua.dossiers.diagram > docs/lifecycle.md"
    )
