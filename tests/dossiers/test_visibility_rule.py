"""One visibility rule, one place (ADR 0017): which dossiers a staff member may see is written
only in motcua/dossiers/selectors.py (dossier_visibility_terms); the door, the worklist, every list,
export and PDF read it. A second copy is how the tracking book came to leak ([O] 3), so these
tests fail when one appears — by text, since a copy is usually a line of filter somewhere else."""

import re
from pathlib import Path

import pytest
from django.db.models import Q

from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import access_dossier_for_officer, can_see_dossier
from motcua.dossiers.selectors import (
    dossier_visibility_terms,
    dossiers_visible_to,
    worklist_terms,
)
from tests.accounts.factories import UnitFactory, UserFactory
from tests.dossiers.test_services import receive

MOTCUA = Path(__file__).resolve().parents[2] / "motcua"
THE_PLACE = "dossiers/selectors.py"

# The shapes a copy of the rule takes: a dossier filtered by the reader's unit, by the agencies
# above it, or its assignee compared with the reader.
COPY_OF_THE_RULE = re.compile(
    r"receiving_unit(_id)?\s*=\s*(request\.)?user\.unit"
    r"|competent_agency(_id)?__in\s*=\s*unit_ancestor_ids"
    r"|agency_id\s+in\s+unit_ancestor_ids"
    r"|assignee(_id)?\s*==\s*(request\.)?user"
    r"|Q\(\s*assignee(_id)?\s*=\s*(request\.)?user"
)
# Interface modules that read Dossier rows themselves instead of through the rule, with why.
DIRECT_READS_ALLOWED = {
    "backoffice/views_audit.py": "the administrator's audit log turns a code into an id to filter"
    " the log; it shows no dossier row",
}


def _sources():
    for path in sorted(MOTCUA.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(MOTCUA).as_posix(), path.read_text(encoding="utf-8")


def test_the_rule_is_written_in_one_module_only():
    copies = [
        f"{name}:{text[: match.start()].count(chr(10)) + 1}: {match.group(0)}"
        for name, text in _sources()
        if name != THE_PLACE
        for match in COPY_OF_THE_RULE.finditer(text)
    ]
    assert copies == [], "a second dossier visibility rule — use dossiers_visible_to(user)"


def test_the_rule_has_one_definition():
    defined = [name for name, text in _sources() if "def dossier_visibility_terms" in text]
    assert defined == [THE_PLACE]


def test_interface_views_read_dossiers_through_the_rule():
    direct = [
        name
        for name, text in _sources()
        if re.search(r"(^|/)views[^/]*\.py$|^backoffice/", name)
        and "Dossier.objects" in text
        and name not in DIRECT_READS_ALLOWED
    ]
    assert direct == []


@pytest.mark.parametrize(
    "old_line",
    [
        # dossiers/permissions.py before ADR 0017
        "    return agency_id in unit_ancestor_ids(user.unit_id)",
        "    if dossier.assignee_id == user.pk:",
        # the tracking book's own filter, which leaked
        "| Q(procedure_version__competent_agency_id__in=unit_ancestor_ids(unit.pk))",
        "        rule |= Q(receiving_unit_id=user.unit_id)",
    ],
)
def test_the_guard_recognises_the_copies_that_existed(old_line):
    assert COPY_OF_THE_RULE.search(old_line)


def _rule_of(terms) -> Q:
    rule = Q(pk__in=[])
    for term in terms:
        rule |= term.rule
    return rule


@pytest.mark.parametrize("role", ["desk", "head", "specialist", "leader"])
def test_the_door_the_lists_and_the_worklist_agree(desk, role):
    """The same rule three ways — the door, the queryset, the worklist's listed terms — over
    dossiers of the reader's unit, of another desk and of another agency."""
    mine = receive(desk)
    other_desk = receive(desk, when="2024-04-26T16:30")
    Dossier.objects.filter(pk=other_desk.pk).update(receiving_unit=UnitFactory())
    stranger = UserFactory(role=Role.SPECIALIST, unit=desk["units"]["police"])
    user = desk[role]
    visible = set(dossiers_visible_to(user).values_list("pk", flat=True))
    listed = set(
        Dossier.objects.filter(_rule_of(worklist_terms(user))).values_list("pk", flat=True)
    )
    assert visible == listed
    for dossier in (mine, other_desk):
        assert can_see_dossier(user, dossier) == (dossier.pk in visible)
        assert can_see_dossier(stranger, dossier) is False
    if role == "desk":
        assert visible == {mine.pk}  # the desk: what it received
    else:
        assert visible == {mine.pk, other_desk.pk}  # processors: what their agency decides
    assert access_dossier_for_officer(user, mine.pk).pk == mine.pk


def test_administrators_and_citizens_see_no_dossier_here(desk):
    receive(desk)
    for user in (UserFactory(role=Role.ADMINISTRATOR), UserFactory(citizen=True)):
        assert dossier_visibility_terms(user) == [] and not dossiers_visible_to(user).exists()
